#include "runner_sensors.hpp"

#include <map>
#include <queue>
#include <stdexcept>
#include <string>

#include "reference_imu/reference_imu_payload.hpp"
#include "reference_insole/reference_insole_payload.hpp"
#include "rsc_speed/rsc_measurement.hpp"

namespace stridefuse::bridge {
namespace {

constexpr double insole_length_mm = 265.0;

}  // namespace

struct RunnerSensors::Impl {
  // A notification waiting for its time; the queue gives the earliest first.
  struct Pending {
    double t_s;
    std::size_t sensor;
    std::uint16_t characteristic;
    std::vector<std::uint8_t> value;
  };
  struct Later {
    bool operator()(const Pending& a, const Pending& b) const { return a.t_s > b.t_s; }
  };

  explicit Impl(const sim::RunnerConfig& c) : simulation(c) {}

  struct Open {
    bool open = false;
    double arrival_s = 0.0;
    std::vector<sim::SimulatedSample> samples;
  };

  sim::RunnerSimulation simulation;
  std::vector<Open> open;  // per runner stream: the connection event being filled
  std::vector<bool> started;
  // Per stream: the unwrapped tick that the counter restarted at (0: never
  // restarted), and whether a restart waits for the stream's next sample.
  std::vector<std::uint64_t> tick_origin;
  std::vector<bool> restart_pending;
  std::priority_queue<Pending, std::vector<Pending>, Later> due;

  std::size_t capacity(const sim::SimulatedSample& s) const {
    switch (simulation.streams()[s.stream].kind) {
      case StreamKind::imu: return reference_imu::max_samples(false);
      case StreamKind::insole_pressure: return reference_insole::max_samples(false);
      case StreamKind::speed: return 1;
    }
    return 1;
  }

  void close(std::size_t stream) {
    Open& o = open[stream];
    if (!o.open) return;
    o.open = false;
    const auto kind = simulation.streams()[stream].kind;
    if (kind == StreamKind::imu) {
      reference_imu::MeasurementPacket p;
      for (const auto& s : o.samples) {
        reference_imu::ImuSample r;
        r.tick = static_cast<std::uint32_t>(s.raw_tick);
        for (std::size_t c = 0; c < 6; ++c) r.values[c] = s.values[c];
        p.samples.push_back(r);
      }
      due.push({o.arrival_s, stream, reference_imu::measurement_characteristic, reference_imu::encode(p)});
    } else if (kind == StreamKind::insole_pressure) {
      reference_insole::MeasurementPacket p;
      for (const auto& s : o.samples) {
        reference_insole::InsoleSample r;
        r.tick = static_cast<std::uint16_t>(s.raw_tick);
        for (std::size_t c = 0; c < reference_insole::site_count; ++c) r.pressure_kpa[c] = s.values[c];
        p.samples.push_back(r);
      }
      due.push({o.arrival_s, stream, reference_insole::measurement_characteristic, reference_insole::encode(p)});
    } else {
      rsc::RscMeasurement m;
      m.speed_mps = o.samples.back().values[0];
      m.cadence_per_min = static_cast<unsigned>(simulation.config().cadence_spm / 2.0);  // RSC counts strides of one foot
      m.running = true;
      due.push({o.arrival_s, stream, rsc::measurement_characteristic, rsc::encode(m)});
    }
    o.samples.clear();
  }

  void take(sim::SimulatedSample s) {
    if (restart_pending[s.stream]) {
      restart_pending[s.stream] = false;
      tick_origin[s.stream] = s.unwrapped_tick;
    }
    // Sent counters wrap at their width: encode() keeps the low bits.
    s.raw_tick = s.unwrapped_tick - tick_origin[s.stream];
    Open& o = open[s.stream];
    if (o.open && (s.host_arrival_s != o.arrival_s || o.samples.size() >= capacity(s))) close(s.stream);
    if (!o.open) {
      o.open = true;
      o.arrival_s = s.host_arrival_s;
    }
    o.samples.push_back(s);
  }
};

sim::RunnerConfig RunnerSensors::adapted(sim::RunnerConfig runner) {
  runner.insoles.foot_length_mm = insole_length_mm;
  runner.insoles.sensors = reference_insole::layout({Side::left, insole_length_mm}).sensors;
  runner.insoles.with_imu = false;
  runner.pelvis.clock.tick_rate_hz = reference_imu::tick_rate_hz;
  runner.pelvis.clock.tick_bits = reference_imu::tick_bits;
  runner.insoles.left_clock.tick_rate_hz = reference_insole::tick_rate_hz;
  runner.insoles.left_clock.tick_bits = reference_insole::tick_bits;
  runner.insoles.right_clock.tick_rate_hz = reference_insole::tick_rate_hz;
  runner.insoles.right_clock.tick_bits = reference_insole::tick_bits;
  runner.insoles.rate_hz = reference_insole::sample_rate_hz;
  return runner;
}

RunnerSensors::RunnerSensors(sim::RunnerConfig runner) : impl_(std::make_unique<Impl>(adapted(std::move(runner)))) {
  impl_->open.resize(impl_->simulation.streams().size());
  impl_->started.assign(impl_->simulation.streams().size(), false);
  impl_->tick_origin.assign(impl_->simulation.streams().size(), 0);
  impl_->restart_pending.assign(impl_->simulation.streams().size(), false);
}

RunnerSensors::~RunnerSensors() = default;

const sim::RunnerSimulation& RunnerSensors::simulation() const { return impl_->simulation; }

std::vector<BleAdvert> RunnerSensors::adverts() const {
  std::vector<BleAdvert> out;
  for (const auto& s : impl_->simulation.streams()) {
    BleAdvert a;
    // Addresses: a locally administered prefix (C0:...) and the stream index.
    a.address = "C0:5F:00:00:00:0" + std::to_string(out.size() + 1);
    switch (s.kind) {
      case StreamKind::imu:
        a.name = "SFP-IMU";
        a.service_uuids = {reference_imu::service_uuid};
        a.rssi_dbm = -58;
        break;
      case StreamKind::insole_pressure:
        a.name = reference_insole::advertised_name({s.insole->side, insole_length_mm});
        a.service_uuids = {reference_insole::service_uuid};
        a.rssi_dbm = -66;
        break;
      case StreamKind::speed:
        a.name = "Footpod";
        a.service_uuids = {rsc::service_uuid};
        a.rssi_dbm = -71;
        break;
    }
    out.push_back(a);
  }
  return out;
}

void RunnerSensors::advance(double now_s, const Send& send) {
  impl_->simulation.advance_to(now_s, [this](const sim::SimulatedSample& s) { impl_->take(s); });
  for (std::size_t i = 0; i < impl_->open.size(); ++i)
    if (impl_->open[i].open && impl_->open[i].arrival_s <= now_s) impl_->close(i);
  while (!impl_->due.empty() && impl_->due.top().t_s <= now_s) {
    auto p = impl_->due.top();
    impl_->due.pop();
    // The reference sensors stream only after the start write; a footpod always does.
    const bool needs_start = impl_->simulation.streams()[p.sensor].kind != StreamKind::speed;
    if (needs_start && !impl_->started[p.sensor]) continue;
    send(p.sensor, p.t_s, p.characteristic, std::move(p.value));
  }
}

void RunnerSensors::write(std::size_t sensor, std::uint16_t characteristic, std::span<const std::uint8_t> value) {
  (void)characteristic;
  if (sensor < impl_->started.size() && value.size() == 1) impl_->started[sensor] = value[0] == 1;
}

void RunnerSensors::restart_clock(std::size_t sensor) {
  if (sensor >= impl_->restart_pending.size())
    throw std::invalid_argument("runner sensors: no sensor " + std::to_string(sensor));
  impl_->restart_pending[sensor] = true;
}

}  // namespace stridefuse::bridge
