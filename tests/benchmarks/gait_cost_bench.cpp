// Cost of the insole estimators per insole sample (issue 3 item 8: per-sample
// cost of each estimator), on a synthetic 16-sensor insole running at 100 Hz
// (stance 0.25 s, flight 0.1 s, heel to toe roll-off, sensor noise), so that
// loaded and unloaded sensors change from sample to sample as in running:
// the loading model's force and centre of pressure, the event detector, and
// the sub-sample edge timing it asks once per edge (with a full history).

#include <benchmark/benchmark.h>

#include <cmath>
#include <numbers>
#include <random>
#include <vector>

#include "stridefuse/fusion/force_edge_timing.hpp"
#include "stridefuse/fusion/gait_event_detector.hpp"
#include "stridefuse/fusion/insole_loading.hpp"

namespace {

constexpr double dt_s = 0.01;
constexpr std::size_t sensors = 16;

stridefuse::InsoleLayout layout() {
  stridefuse::InsoleLayout l;
  l.side = stridefuse::Side::left;
  l.length_mm = 260.0;
  for (std::size_t i = 0; i < sensors; ++i)
    l.sensors.push_back({15.0 + 15.0 * static_cast<double>(i), (i % 2 == 0 ? 20.0 : -20.0), 150.0});
  return l;
}

// Pressures of one sample: the load rolls from heel to toe through the stance; a little noise everywhere.
std::vector<std::vector<double>> running_pressures(std::size_t samples) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> noise(0.0, 0.4);
  std::vector<std::vector<double>> out(samples, std::vector<double>(sensors));
  for (std::size_t k = 0; k < samples; ++k) {
    const double phase_s = std::fmod(static_cast<double>(k) * dt_s, 0.35);
    const double stance = phase_s < 0.25 ? std::sin(std::numbers::pi * phase_s / 0.25) : 0.0;
    const double roll = phase_s / 0.25;  // 0 at the heel, 1 at the toe
    for (std::size_t i = 0; i < sensors; ++i) {
      const double along = static_cast<double>(i) / static_cast<double>(sensors - 1);
      const double near = std::exp(-std::pow((along - roll) / 0.3, 2));
      out[k][i] = 5.0 + 200.0 * stance * near + noise(rng);
    }
  }
  return out;
}

void BM_InsoleForce(benchmark::State& state) {
  const auto pressures = running_pressures(3500);
  stridefuse::fusion::InsoleLoadingModel model(layout());
  std::size_t k = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(model.measure(pressures[k]));
    k = (k + 1) % pressures.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void BM_InsoleCentreOfPressure(benchmark::State& state) {
  const auto pressures = running_pressures(3500);
  stridefuse::fusion::InsoleLoadingModel model(layout());
  model.measure(std::vector<double>(sensors, 5.0));
  model.learn_unloaded(dt_s);
  // The samples measured up front: the loop times the centre alone.
  std::vector<stridefuse::fusion::InsoleLoadingModel> at;
  for (const auto& p : pressures) {
    model.measure(p);
    at.push_back(model);
  }
  std::size_t k = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(at[k].centre_of_pressure());
    k = (k + 1) % at.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void BM_GaitEventDetectorUpdate(benchmark::State& state) {
  const auto pressures = running_pressures(3500);
  stridefuse::fusion::InsoleLoadingModel model(layout());
  std::vector<double> force_n;
  for (const auto& p : pressures) force_n.push_back(model.measure(p).force_n);
  stridefuse::fusion::GaitEventDetector detector;
  std::size_t k = 0, n = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(detector.update(static_cast<double>(n++) * dt_s, force_n[k]));
    k = (k + 1) % force_n.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

// Per edge, not per sample: ~6 edges a second of running and both feet.
void BM_ForceEdgeTimingPerEdge(benchmark::State& state) {
  std::mt19937_64 rng(9);
  std::uniform_real_distribution<double> excess(0.0, 0.2);
  stridefuse::fusion::ForceEdgeTiming timing;
  for (int i = 0; i < 200; ++i) timing.add(excess(rng), 0.0, std::nullopt);
  std::vector<double> probes(1024);
  for (auto& p : probes) p = excess(rng);
  std::size_t k = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(timing.time_since_edge_s(probes[k], dt_s));
    k = (k + 1) % probes.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

}  // namespace

BENCHMARK(BM_InsoleForce);
BENCHMARK(BM_InsoleCentreOfPressure);
BENCHMARK(BM_GaitEventDetectorUpdate);
BENCHMARK(BM_ForceEdgeTimingPerEdge);
BENCHMARK_MAIN();
