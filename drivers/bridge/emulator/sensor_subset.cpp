#include "sensor_subset.hpp"

#include <algorithm>
#include <stdexcept>

namespace stridefuse::bridge {

SensorSubset::SensorSubset(std::unique_ptr<EmulatedSensors> inner, std::vector<std::size_t> keep)
    : inner_(std::move(inner)), keep_(std::move(keep)) {
  if (!inner_) throw std::invalid_argument("sensor subset of no sensors");
  if (keep_.empty()) throw std::invalid_argument("sensor subset keeps no sensor");
  const auto all = inner_->adverts().size();
  for (auto k : keep_)
    if (k >= all) throw std::invalid_argument("sensor subset: sensor " + std::to_string(k) + " of " + std::to_string(all));
}

std::vector<BleAdvert> SensorSubset::adverts() const {
  const auto all = inner_->adverts();
  std::vector<BleAdvert> out;
  for (auto k : keep_) out.push_back(all[k]);
  return out;
}

void SensorSubset::advance(double now_s, const Send& send) {
  inner_->advance(now_s, [&](std::size_t sensor, double t_s, std::uint16_t characteristic, std::vector<std::uint8_t> value) {
    const auto it = std::find(keep_.begin(), keep_.end(), sensor);
    if (it != keep_.end()) send(static_cast<std::size_t>(it - keep_.begin()), t_s, characteristic, std::move(value));
  });
}

void SensorSubset::write(std::size_t sensor, std::uint16_t characteristic, std::span<const std::uint8_t> value) {
  if (sensor < keep_.size()) inner_->write(keep_[sensor], characteristic, value);
}

void SensorSubset::restart_clock(std::size_t sensor) {
  if (sensor >= keep_.size()) throw std::invalid_argument("sensor subset: no sensor " + std::to_string(sensor));
  inner_->restart_clock(keep_[sensor]);
}

}  // namespace stridefuse::bridge
