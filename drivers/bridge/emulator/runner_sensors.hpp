#pragma once
// The simulated runner's devices dressed as the open reference sensors: the
// pelvis IMU as a reference IMU ("SFP-IMU"), the insoles as reference insoles
// ("SFI-L-265", "SFI-R-265"), and the speed stream (when the runner has one) as
// a Running Speed and Cadence footpod. Samples go over the air in the BLE
// connection events the runner model bunches them into.

#include <memory>

#include "emulated_sensors.hpp"
#include "stridefuse/sim/runner_simulation.hpp"

namespace stridefuse::bridge {

class RunnerSensors final : public EmulatedSensors {
 public:
  /// `runner` is adjusted to the reference sensors: insoles get the reference
  /// layout (12 sites) and no IMU, the pelvis IMU no magnetometer, device
  /// clocks the reference counters (IMU 1 MHz/32 bit, insoles 1 kHz/16 bit).
  /// Throws std::invalid_argument for an invalid runner configuration.
  explicit RunnerSensors(sim::RunnerConfig runner);
  ~RunnerSensors() override;

  /// The runner configuration actually simulated.
  static sim::RunnerConfig adapted(sim::RunnerConfig runner);

  std::vector<BleAdvert> adverts() const override;
  void advance(double now_s, const Send& send) override;
  void write(std::size_t sensor, std::uint16_t characteristic, std::span<const std::uint8_t> value) override;
  /// The sensor's counter restarts at 0 with its next sample (the runner's
  /// motion and its ground truth go on unchanged).
  void restart_clock(std::size_t sensor) override;

  const sim::RunnerSimulation& simulation() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace stridefuse::bridge
