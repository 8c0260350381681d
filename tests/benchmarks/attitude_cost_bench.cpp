// Cost of one AttitudeEstimator::update(), ns per sample, on a synthetic
// moving sensor (so every branch of a moving sample runs: integration,
// inclination correction, in-motion bias update), with and without magnetometer.

#include <benchmark/benchmark.h>

#include <cmath>
#include <vector>

#include "stridefuse/fusion/attitude_estimator.hpp"

namespace {

struct Input {
  Eigen::Vector3d gyro, accel, mag;
};

std::vector<Input> moving_sensor(std::size_t n, double dt) {
  std::vector<Input> out;
  out.reserve(n);
  Eigen::Quaterniond q = Eigen::Quaterniond::Identity();
  for (std::size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) * dt;
    const Eigen::Vector3d w(1.2 * std::sin(4.4 * t), 0.9 * std::sin(2.8 * t + 1.0), 1.5 * std::sin(1.9 * t + 2.0));
    q = (q * Eigen::Quaterniond(Eigen::AngleAxisd(w.norm() * dt, w.normalized()))).normalized();
    const Eigen::Vector3d impact(0.0, 0.0, 9.81 * (1.0 + 1.5 * std::max(0.0, std::sin(18.0 * t))));
    out.push_back({w + Eigen::Vector3d(0.01, -0.005, 0.008), q.conjugate() * impact,
                   q.conjugate() * Eigen::Vector3d(20.0, 0.0, -40.0)});
  }
  return out;
}

void update_cost(benchmark::State& state, bool with_mag) {
  constexpr double dt = 0.005;
  const auto inputs = moving_sensor(10000, dt);
  stridefuse::fusion::AttitudeEstimatorConfig config;
  config.use_magnetometer = with_mag;
  stridefuse::fusion::AttitudeEstimator est(config);
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& in = inputs[i];
    if (with_mag)
      est.update(in.gyro, in.accel, dt, in.mag);
    else
      est.update(in.gyro, in.accel, dt);
    benchmark::DoNotOptimize(est.orientation());
    i = (i + 1) % inputs.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void BM_AttitudeUpdate6D(benchmark::State& state) { update_cost(state, false); }
void BM_AttitudeUpdate9D(benchmark::State& state) { update_cost(state, true); }

}  // namespace

BENCHMARK(BM_AttitudeUpdate6D);
BENCHMARK(BM_AttitudeUpdate9D);
BENCHMARK_MAIN();
