// Decode throughput of every driver, in frames per second on one core: the
// bridge driver carrying each reference sensor's notifications (bridge
// framing + payload decoding), and the simulated devices' sensor-packet driver.
// Input is realistic traffic: packets as large as each device sends them.
//
//   build-*/tests/benchmarks/driver_decode_bench
// prints "frames_per_s" per driver.

#include <benchmark/benchmark.h>

#include "bridge/bridge_driver.hpp"
#include "reference_imu/reference_imu_driver.hpp"
#include "reference_insole/reference_insole_driver.hpp"
#include "rsc_speed/rsc_speed_driver.hpp"
#include "simulated/sensor_packet_driver.hpp"

namespace {

using namespace stridefuse;

// One second of traffic of a sensor through the bridge, framed, and the frames it holds.
struct Traffic {
  std::vector<std::uint8_t> bytes;
  std::size_t frames = 0;
};

Traffic bridge_traffic(std::uint16_t characteristic, const std::function<std::vector<std::uint8_t>(int)>& payload,
                       int notifications, std::size_t frames_each) {
  Traffic t;
  bridge::FrameWriter w;
  for (int i = 0; i < notifications; ++i) {
    w.append(bridge::MessageType::notification,
             bridge::Notification{1, characteristic, static_cast<std::uint32_t>(i * 327), payload(i)}.encode(), t.bytes);
    t.frames += frames_each;
  }
  return t;
}

void run(benchmark::State& state, Driver& driver, const Traffic& traffic) {
  std::size_t frames = 0;
  SampleBatch batch;
  for (auto _ : state) {
    // Transports deliver a few hundred bytes per read.
    for (std::size_t i = 0; i < traffic.bytes.size(); i += 512) {
      batch.clear();
      driver.decode(std::span(traffic.bytes).subspan(i, std::min<std::size_t>(512, traffic.bytes.size() - i)), batch);
      for (const Sample& s : batch) benchmark::DoNotOptimize(s.values[0]);
      frames += batch.size();
    }
  }
  state.counters["frames_per_s"] = benchmark::Counter(static_cast<double>(frames), benchmark::Counter::kIsRate);
  if (frames != traffic.frames * state.iterations()) state.SkipWithError("frames lost in decoding");
}

std::unique_ptr<bridge::BridgeDriver> bridge_with(std::unique_ptr<GattSensorDriver> sensor) {
  std::vector<bridge::ConnectedSensor> sensors;
  sensors.push_back({1, {}, std::move(sensor)});
  return std::make_unique<bridge::BridgeDriver>(bridge::BridgeInfo{}, std::move(sensors));
}

void BM_BridgeReferenceInsole(benchmark::State& state) {
  auto driver = bridge_with(std::make_unique<reference_insole::ReferenceInsoleDriver>(
      reference_insole::InsoleIdentity{Side::left, 265}, false));
  const auto traffic = bridge_traffic(reference_insole::measurement_characteristic, [](int i) {
    reference_insole::MeasurementPacket p;
    for (int k = 0; k < 4; ++k) {
      reference_insole::InsoleSample s;
      s.tick = static_cast<std::uint16_t>(i * 40 + k * 10);
      for (std::size_t c = 0; c < reference_insole::site_count; ++c) s.pressure_kpa[c] = 50.0 + c;
      p.samples.push_back(s);
    }
    return reference_insole::encode(p);
  }, 1000, 4);
  run(state, *driver, traffic);
}

void BM_BridgeReferenceImu(benchmark::State& state) {
  auto driver = bridge_with(std::make_unique<reference_imu::ReferenceImuDriver>(false));
  const auto traffic = bridge_traffic(reference_imu::measurement_characteristic, [](int i) {
    reference_imu::MeasurementPacket p;
    for (int k = 0; k < 3; ++k) {
      reference_imu::ImuSample s;
      s.tick = static_cast<std::uint32_t>(i * 15000 + k * 5000);
      s.values = {0.1, 9.8, 0.2, 0.01, 0.02, 0.03};
      p.samples.push_back(s);
    }
    return reference_imu::encode(p);
  }, 1000, 3);
  run(state, *driver, traffic);
}

void BM_BridgeRscSpeed(benchmark::State& state) {
  auto driver = bridge_with(std::make_unique<rsc::RscSpeedDriver>());
  const auto traffic = bridge_traffic(rsc::measurement_characteristic, [](int) {
    rsc::RscMeasurement m;
    m.speed_mps = 3.5;
    m.cadence_per_min = 85;
    m.running = true;
    return rsc::encode(m);
  }, 1000, 1);
  run(state, *driver, traffic);
}

void BM_SimulatedSensorPacket(benchmark::State& state) {
  StreamDescriptor imu;
  imu.id = "pelvis";
  imu.kind = StreamKind::imu;
  imu.location = BodyLocation::pelvis;
  imu.nominal_rate_hz = 200;
  imu.channels = imu_channels(false);
  imu.tick_rate_hz = 1e6;
  simulated::SensorPacketDriver driver("simulated", {imu});
  Traffic traffic;
  for (int i = 0; i < 1000; ++i) {
    simulated::SensorPacket p;
    p.stream = 0;
    p.sequence = static_cast<std::uint16_t>(i);
    p.channel_count = 6;
    for (int k = 0; k < 3; ++k) {
      p.ticks.push_back(static_cast<std::uint32_t>(i * 15000 + k * 5000));
      for (int c = 0; c < 6; ++c) p.values.push_back(0.5f);
    }
    simulated::append_frame(p, traffic.bytes);
    traffic.frames += 3;
  }
  run(state, driver, traffic);
}

BENCHMARK(BM_BridgeReferenceInsole);
BENCHMARK(BM_BridgeReferenceImu);
BENCHMARK(BM_BridgeRscSpeed);
BENCHMARK(BM_SimulatedSensorPacket);

}  // namespace

BENCHMARK_MAIN();
