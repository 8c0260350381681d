#pragma once
// Some of another set's emulated sensors, re-indexed: what a bridge hears
// when only some of a runner's sensors are switched on (a conformance case for
// one driver, a user trying one sensor).

#include <memory>
#include <vector>

#include "emulated_sensors.hpp"

namespace stridefuse::bridge {

class SensorSubset final : public EmulatedSensors {
 public:
  /// `keep`: indices into inner->adverts(), in the order this set lists them.
  /// Throws std::invalid_argument for a null set, no sensor, or an index out of range.
  SensorSubset(std::unique_ptr<EmulatedSensors> inner, std::vector<std::size_t> keep);

  std::vector<BleAdvert> adverts() const override;
  void advance(double now_s, const Send& send) override;
  void write(std::size_t sensor, std::uint16_t characteristic, std::span<const std::uint8_t> value) override;
  void restart_clock(std::size_t sensor) override;

 private:
  std::unique_ptr<EmulatedSensors> inner_;
  std::vector<std::size_t> keep_;
};

}  // namespace stridefuse::bridge
