#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <optional>
#include <vector>

#include "stridefuse/sim/runner_simulation.hpp"
#include "stridefuse/core/device_clock.hpp"
#include "stridefuse/fusion/insole_latency_calibration.hpp"
#include "stridefuse/runtime/recording_alignment.hpp"

namespace stridefuse {
using namespace fusion;  // the calibration under test
namespace {

using sim::RunnerSimulation;

// The simulated runner, its left insole's link 8 ms slower than stated; every
// sample clock-synced as a session would, then passed through the calibration.
struct CalibratedRun {
  std::vector<double> last_correction_s = std::vector<double>(3, 0.0);
  // Truth: mean session-time error (clock sync alone) per stream over the last 20 s.
  std::vector<double> error_sum_s = std::vector<double>(3, 0.0);
  std::vector<double> error_count = std::vector<double>(3, 0.0);
  double mean_error_s(std::size_t k) const { return error_sum_s[k] / error_count[k]; }
  double largest_step_s = 0.0;  // between consecutive corrections of one stream
  bool pelvis_corrected = false;
  // Per stream: (true time, session-time error after the correction) of every sample.
  std::vector<std::vector<std::array<double, 2>>> corrected_errors = std::vector<std::vector<std::array<double, 2>>>(3);
  // Per insole: true time when the correction first reached the estimate, and its strides then.
  std::vector<double> applied_at_s = std::vector<double>(3, std::numeric_limits<double>::quiet_NaN());
  std::vector<std::size_t> applied_strides = std::vector<std::size_t>(3, 0);

  // Truth: insole minus pelvis mean corrected error over [from_s, from_s + 2 s].
  double residual_s(std::size_t insole, double from_s) const {
    auto mean = [&](std::size_t k) {
      double sum = 0.0, n = 0.0;
      for (const auto& e : corrected_errors[k])
        if (e[0] >= from_s && e[0] <= from_s + 2.0) sum += e[1], n += 1.0;
      return sum / n;
    };
    return mean(insole) - mean(RunnerSimulation::pelvis_stream);
  }
};

// refer_to_current_mappings: the calibration asks the clocks for the current session time of a tick.
CalibratedRun run(InsoleLatencyCalibration& calibration, double until_s, double left_extra_s,
                  bool refer_to_current_mappings = false, std::uint32_t seed = 3) {
  sim::RunnerConfig rc;
  rc.seed = seed;
  rc.insoles.left_clock.latency_s = rc.pelvis.clock.latency_s + left_extra_s;
  rc.insoles.right_clock.latency_s = rc.pelvis.clock.latency_s;
  // Connection intervals that are not whole multiples of the sample periods:
  // otherwise the one-way sync itself is off by milliseconds (README, "Limits").
  rc.pelvis.clock.connection_interval_s = 0.01875;
  rc.insoles.left_clock.connection_interval_s = 0.03125;
  rc.insoles.right_clock.connection_interval_s = 0.04875;
  RunnerSimulation simulation(rc);
  std::vector<DeviceClock> clocks;
  for (const auto& s : simulation.streams()) {
    DeviceClockConfig c;
    c.tick_rate_hz = s.tick_rate_hz;
    c.tick_bits = s.tick_bits;
    c.min_delay_s = rc.pelvis.clock.latency_s;
    clocks.emplace_back(c);
  }
  if (refer_to_current_mappings)
    calibration.set_current_time([&clocks](std::uint16_t stream, std::uint64_t tick) -> std::optional<double> {
      return clocks.at(stream).map_unwrapped(static_cast<double>(tick)).t_s;
    });
  CalibratedRun r;
  simulation.advance_to(until_s, [&](const sim::SimulatedSample& ss) {
    const ClockMapping m = clocks[ss.stream].observe(ss.raw_tick, ss.host_arrival_s);
    if (m.status == ClockMapping::Status::duplicate) return;
    Sample s;
    s.stream = ss.stream;
    s.device_tick = m.unwrapped_tick;
    s.t_s = m.t_s;
    s.channel_count = ss.channel_count;
    s.values = ss.values;
    const double c = calibration.correction_s(s);
    r.corrected_errors[ss.stream].push_back({ss.true_time_s, m.t_s + c - ss.true_time_s});
    const auto st = calibration.status(ss.stream);
    if (st && st->estimate && st->estimate->confident && std::isnan(r.applied_at_s[ss.stream]) &&
        std::abs(st->applied_s - st->estimate->lag_at_s(m.t_s)) < 1e-6) {
      r.applied_at_s[ss.stream] = ss.true_time_s;
      r.applied_strides[ss.stream] = st->estimate->strides;
    }
    if (ss.true_time_s > until_s - 20.0) {
      r.error_sum_s[ss.stream] += m.t_s - ss.true_time_s;
      r.error_count[ss.stream] += 1.0;
    }
    if (ss.stream == RunnerSimulation::pelvis_stream) {
      r.pelvis_corrected = r.pelvis_corrected || c != 0.0;
      return;
    }
    r.largest_step_s = std::max(r.largest_step_s, std::abs(c - r.last_correction_s[ss.stream]));
    r.last_correction_s[ss.stream] = c;
  });
  return r;
}

TEST(InsoleLatencyCalibration, FindsAndRemovesAnInsolesExtraLatency) {
  const auto streams = RunnerSimulation(sim::RunnerConfig{}).streams();
  InsoleLatencyCalibration calibration(streams);
  ASSERT_TRUE(calibration.active());
  const CalibratedRun r = run(calibration, 45.0, 0.008);

  const auto left = calibration.status(RunnerSimulation::left_insole_stream);
  const auto right = calibration.status(RunnerSimulation::right_insole_stream);
  ASSERT_TRUE(left && left->estimate && right && right->estimate);
  EXPECT_TRUE(left->estimate->confident);
  EXPECT_GE(left->estimate->strides, 20u);
  // Mapped about 8 ms late: the correction takes off what clock sync left
  // between insole and pelvis, to within the physics of matching force onsets
  // to pelvis impacts.
  const double left_truth_s = r.mean_error_s(0) - r.mean_error_s(1);
  const double right_truth_s = r.mean_error_s(0) - r.mean_error_s(2);
  EXPECT_NEAR(left_truth_s, -0.008, 0.002);
  EXPECT_NEAR(left->estimate->offset_s, left_truth_s, 0.001);
  EXPECT_NEAR(left->applied_s, left->estimate->offset_s, 1e-9);
  EXPECT_NEAR(right->estimate->offset_s, right_truth_s, 0.001);
  EXPECT_NEAR(r.last_correction_s[RunnerSimulation::left_insole_stream], left->applied_s, 1e-12);
  // Applied gradually: a stream's times never step back by more than a fraction of a sample period.
  EXPECT_LE(r.largest_step_s, InsoleLatencyCalibration::max_step_s + 1e-12);
  EXPECT_FALSE(r.pelvis_corrected);
  EXPECT_FALSE(calibration.status(RunnerSimulation::pelvis_stream).has_value());
}

// One-way sync keeps refining each device's mapping in the first half minute
// after connect (by 1-2 ms), so lags measured in the session times of then are
// stale by as much when ~20 strides are in. Referred to the clocks' current
// mappings, the correction is within 1 ms of the truth when it is applied.
// Runs where, without set_current_time, an insole is off by more than 1 ms
// then (clock_sync_bench latency: seeds 1 and 7, -1.0 and -1.8 ms).
TEST(InsoleLatencyCalibration, WindowsReferredToTheCurrentMappingsAreRightWhenApplied) {
  for (const std::uint32_t seed : {1u, 7u}) {
  SCOPED_TRACE("seed " + std::to_string(seed));
  InsoleLatencyCalibration calibration(RunnerSimulation(sim::RunnerConfig{}).streams());
  const CalibratedRun r = run(calibration, 40.0, 0.008, /*refer_to_current_mappings=*/true, seed);
  for (std::uint16_t k : {RunnerSimulation::left_insole_stream, RunnerSimulation::right_insole_stream}) {
    ASSERT_FALSE(std::isnan(r.applied_at_s[k])) << "insole " << k << " never applied";
    EXPECT_GE(r.applied_strides[k], 20u);
    EXPECT_LE(r.applied_strides[k], 30u);
    EXPECT_LE(std::abs(r.residual_s(k, r.applied_at_s[k])), 0.001) << "insole " << k;
    // Later it stays near: not always within 1 ms (seed 7's right insole is
    // 1.06 ms off at 38 s; the estimator's own bias, README "Cross-sensor calibration").
    EXPECT_LE(std::abs(r.residual_s(k, 38.0)), 0.0015) << "insole " << k;
    const auto st = calibration.status(k);
    ASSERT_TRUE(st && st->estimate);
    // Its reported standard error is finite and well under the target (statistical only).
    EXPECT_LT(st->estimate->standard_error_at_s(38.0), 0.0005);
  }
  EXPECT_LE(r.largest_step_s, InsoleLatencyCalibration::max_step_s + 1e-12);
  }
}

TEST(InsoleLatencyCalibration, NothingIsAppliedBeforeItIsConfident) {
  InsoleLatencyCalibration calibration(RunnerSimulation(sim::RunnerConfig{}).streams());
  const CalibratedRun r = run(calibration, 8.0, 0.008);  // 5 s standing, 3 s running
  EXPECT_EQ(r.last_correction_s[RunnerSimulation::left_insole_stream], 0.0);
  const auto left = calibration.status(RunnerSimulation::left_insole_stream);
  ASSERT_TRUE(left);
  EXPECT_FALSE(left->estimate && left->estimate->confident);
}

TEST(InsoleLatencyCalibration, WithoutAPelvisImuItIsInactive) {
  auto streams = RunnerSimulation(sim::RunnerConfig{}).streams();
  streams.erase(streams.begin());  // no pelvis
  InsoleLatencyCalibration calibration(streams);
  EXPECT_FALSE(calibration.active());
  Sample s;
  s.stream = 0;
  s.channel_count = static_cast<std::uint8_t>(streams[0].channels.size());
  EXPECT_EQ(calibration.correction_s(s), 0.0);
  EXPECT_FALSE(calibration.status(0).has_value());
}

// The offline path (stridefuse analyze) uses the same estimator: recordings on
// independent drifting clocks are put on the pelvis file's clock.
TEST(RecordingAlignment, PutsInsoleFilesOnThePelvisClock) {
  RunnerSimulation simulation(sim::RunnerConfig{});
  const auto streams = simulation.streams();
  std::vector<SensorRecording> recs(3);
  for (std::size_t k = 0; k < 3; ++k) recs[k].stream = streams[k];
  simulation.advance_to(70.0, [&](const sim::SimulatedSample& ss) {
    if (ss.stream > 2) return;
    auto& r = recs[ss.stream];
    r.t_s.push_back(ss.device_time_s);
    for (std::size_t c = 0; c < r.stream.channels.size(); ++c) r.values.push_back(ss.values[c]);
  });
  const auto alignments = align_insoles_to_pelvis(recs[0], {&recs[1], &recs[2]});
  const auto truth = simulation.clock_truth();
  ASSERT_EQ(alignments.size(), 2u);
  for (std::size_t k = 0; k < 2; ++k) {
    const auto& a = alignments[k];
    const auto& tp = truth[0];
    const auto& ti = truth[k + 1];
    ASSERT_TRUE(a.from_data) << a.note;
    // Mid-running: the insole file's time and the pelvis file's time of one instant.
    const double t = 40.0;
    const double t_insole = ti.offset_s + (1.0 + ti.drift_ppm * 1e-6) * t;
    const double t_pelvis = tp.offset_s + (1.0 + tp.drift_ppm * 1e-6) * t;
    EXPECT_NEAR(a.to_pelvis_s(t_insole), t_pelvis, 0.0015) << a.stream_id;
    EXPECT_NEAR(a.drift_ppm, (1.0 + tp.drift_ppm * 1e-6) / (1.0 + ti.drift_ppm * 1e-6) * 1e6 - 1e6, 20.0);
    EXPECT_LT(a.residual_s, 0.001);
  }
}

}  // namespace
}  // namespace stridefuse
