#include "stridefuse/sim/simulated_stream.hpp"

#include <cmath>

#include "stridefuse/sim/runner_simulation.hpp"
#include "stridefuse/core/units.hpp"

namespace stridefuse::sim {

SimulatedStream::SimulatedStream(StreamDescriptor d, const DeviceClockConfig& c, std::uint64_t seed)
    : descriptor(std::move(d)), clock(c, seed), rng(mix64(seed ^ 0x5EED)) {
  first_tick = static_cast<std::uint64_t>(std::ceil(c.offset_s * c.tick_rate_hz));
}

std::uint64_t SimulatedStream::unwrapped_tick(std::uint64_t index) const {
  return first_tick + static_cast<std::uint64_t>(std::floor(static_cast<double>(index) * descriptor.tick_rate_hz /
                                                            descriptor.nominal_rate_hz +
                                                            1e-9));
}

double SimulatedStream::next_time_s() const {
  return clock.true_time_s(static_cast<double>(unwrapped_tick(next_index)) / descriptor.tick_rate_hz);
}

void SimulatedStream::take(SimulatedSample& out) {
  const std::uint64_t index = next_index++;
  out = SimulatedSample{};
  out.sequence = index;
  out.unwrapped_tick = unwrapped_tick(index);
  out.raw_tick = clock.wrap(out.unwrapped_tick);
  out.device_time_s = static_cast<double>(out.unwrapped_tick) / descriptor.tick_rate_hz;
  out.true_time_s = clock.true_time_s(out.device_time_s);
  last_unwrapped = out.unwrapped_tick;
}

void SimulatedStream::deliver(SimulatedSample& out) {
  const auto arrival = clock.host_arrival_s(out.true_time_s, out.sequence);
  if (!arrival) {
    ++lost;
    out.channel_count = 0;  // not delivered
    return;
  }
  out.host_arrival_s = *arrival;
}

ClockTruth SimulatedStream::clock_truth() const {
  const auto& c = clock.config();
  ClockTruth t;
  t.stream_id = descriptor.id;
  t.offset_s = c.offset_s;
  t.drift_ppm = c.drift_ppm;
  t.tick_rate_hz = c.tick_rate_hz;
  t.tick_bits = c.tick_bits;
  t.connection_interval_s = c.connection_interval_s;
  t.connection_phase_s = clock.connection_phase_s();
  t.latency_s = c.latency_s;
  t.packet_loss = c.packet_loss;
  t.samples_generated = next_index;
  t.samples_lost = lost;
  if (c.tick_bits < 64 && next_index > 0) t.wraps = (last_unwrapped >> c.tick_bits) - (first_tick >> c.tick_bits);
  return t;
}

StreamDescriptor device_stream(std::string id, StreamKind kind, BodyLocation where, double rate_hz,
                               std::vector<ChannelDescriptor> channels, const DeviceClockConfig& clock) {
  StreamDescriptor d;
  d.id = std::move(id);
  d.kind = kind;
  d.location = where;
  d.nominal_rate_hz = rate_hz;
  d.channels = std::move(channels);
  d.tick_rate_hz = clock.tick_rate_hz;
  d.tick_bits = clock.tick_bits;
  return d;
}

double full_scale_of(double range) {
  float f = static_cast<float>(range);
  if (static_cast<double>(f) > range) f = std::nextafter(f, 0.0f);
  return f;
}

std::vector<ChannelDescriptor> imu_channels_of(const ImuNoiseConfig& n) {
  auto c = imu_channels(false);
  declare_imu_full_scale(c, 0, full_scale_of(n.accel_range_mps2), full_scale_of(n.gyro_range_radps));
  return c;
}

std::vector<ChannelDescriptor> insole_channels_of(const InsoleConfig& cfg, std::size_t sites) {
  auto c = insole_channels(sites, cfg.with_imu);
  for (std::size_t i = 0; i < sites; ++i) c[i].full_scale = full_scale_of(cfg.saturation_kpa);
  if (cfg.with_imu)
    declare_imu_full_scale(c, sites, full_scale_of(cfg.imu_noise.accel_range_mps2),
                           full_scale_of(cfg.imu_noise.gyro_range_radps));
  return c;
}

Eigen::Quaterniond mounting_from(const std::array<double, 3>& rpy_deg) {
  return Eigen::Quaterniond(Eigen::AngleAxisd(rad_from_deg(rpy_deg[2]), Eigen::Vector3d::UnitZ()) *
                            Eigen::AngleAxisd(rad_from_deg(rpy_deg[1]), Eigen::Vector3d::UnitY()) *
                            Eigen::AngleAxisd(rad_from_deg(rpy_deg[0]), Eigen::Vector3d::UnitX()));
}

}  // namespace stridefuse::sim
