// FootStrideIntegrator: stride length and speed of a foot from its insole IMU
// with zero-velocity updates; on synthetic foot motion with a known stride,
// on the simulated runner's insole IMU, with bad samples; and the engine
// taking it as its speed source when it has no other.

#include <gtest/gtest.h>

#include <Eigen/Geometry>
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <random>
#include <vector>

#include "simulated_session.hpp"
#include "stridefuse/fusion/foot_stride_integrator.hpp"
#include "stridefuse/fusion/gait_event_detector.hpp"
#include "stridefuse/fusion/insole_loading.hpp"
#include "stridefuse/core/units.hpp"

namespace stridefuse::fusion {
namespace {

// Synthetic foot: flat and still for `stance_s`, then a swing of `swing_s`
// that moves it `stride_m` forward (a raised-cosine velocity profile), lifts
// it and pitches it up to 60 degrees and back, about the foot's y axis, with
// the heading `heading_rad` (the integrator must not care).
struct SyntheticFoot {
  double stride_m = 2.4;
  double stance_s = 0.25;
  double swing_s = 0.45;
  double heading_rad = 0.6;
  double rate_hz = 200.0;
  double accel_noise_mps2 = 0.0;
  double gyro_noise_radps = 0.0;
  Eigen::Vector3d gyro_bias_radps = Eigen::Vector3d::Zero();
  double initial_tilt_rad = 0.05;  // the sensor sits a little tilted in the shoe

  double period_s() const { return stance_s + swing_s; }
};

struct FootSample {
  double t_s;
  Eigen::Vector3d accel, gyro;
  std::optional<double> contact_ic_s;
};

// Pitch and position (earth frame, heading along x before `heading_rad`) at
// phase u in [0, 1] of the swing. Differentiated numerically for the IMU.
struct SwingState {
  double pitch_rad;
  Eigen::Vector3d position_m;
};

SwingState swing_state(const SyntheticFoot& f, double u) {
  u = std::clamp(u, 0.0, 1.0);
  const double forward = f.stride_m * (u - std::sin(2.0 * pi * u) / (2.0 * pi));
  const double lift = 0.12 * 0.5 * (1.0 - std::cos(2.0 * pi * u));
  const double pitch = rad_from_deg(60.0) * std::pow(std::sin(pi * u), 2);
  const Eigen::Vector3d p =
      Eigen::AngleAxisd(f.heading_rad, Eigen::Vector3d::UnitZ()) * Eigen::Vector3d(forward, 0.0, lift);
  return {pitch, p};
}

// Strides of the synthetic foot, integrated from `strides` stance-swing cycles.
std::vector<FootSample> synthetic_samples(const SyntheticFoot& f, int strides, unsigned seed = 7) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> unit(0.0, 1.0);
  const Eigen::Quaterniond mount(Eigen::AngleAxisd(f.initial_tilt_rad, Eigen::Vector3d::UnitX()));
  std::vector<FootSample> out;
  const double dt = 1.0 / f.rate_hz, h = 1e-4;
  const double end_s = strides * f.period_s() + f.stance_s;
  for (double t = 0.0; t < end_s; t += dt) {
    const int k = static_cast<int>(std::floor(t / f.period_s()));
    const double in_cycle = t - k * f.period_s();
    const bool stance = in_cycle < f.stance_s;
    auto state = [&](double time) {
      const int kk = static_cast<int>(std::floor(time / f.period_s()));
      const double c = time - kk * f.period_s();
      SwingState s = swing_state(f, (c - f.stance_s) / f.swing_s);
      s.position_m += Eigen::AngleAxisd(f.heading_rad, Eigen::Vector3d::UnitZ()) * Eigen::Vector3d(kk * f.stride_m, 0, 0);
      return s;
    };
    const auto before = state(t - h), now = state(t), after = state(t + h);
    const Eigen::Vector3d accel_earth =
        (after.position_m - 2.0 * now.position_m + before.position_m) / (h * h) + standard_gravity_mps2 * Eigen::Vector3d::UnitZ();
    const Eigen::Quaterniond foot_to_earth = Eigen::AngleAxisd(f.heading_rad, Eigen::Vector3d::UnitZ()) *
                                             Eigen::AngleAxisd(now.pitch_rad, Eigen::Vector3d::UnitY()) * mount;
    const Eigen::Vector3d rate_foot = mount.conjugate() * Eigen::Vector3d(0.0, (after.pitch_rad - before.pitch_rad) / (2 * h), 0.0);
    FootSample s;
    s.t_s = t;
    s.accel = foot_to_earth.conjugate() * accel_earth + f.accel_noise_mps2 * Eigen::Vector3d(unit(rng), unit(rng), unit(rng));
    s.gyro = rate_foot + f.gyro_bias_radps + f.gyro_noise_radps * Eigen::Vector3d(unit(rng), unit(rng), unit(rng));
    // The pressure says "on the ground" for the stance; IC at its start.
    if (stance) s.contact_ic_s = k * f.period_s();
    out.push_back(s);
  }
  return out;
}

std::vector<FootStride> integrate(const std::vector<FootSample>& samples, FootStrideIntegrator& integrator) {
  std::vector<FootStride> strides;
  for (const auto& s : samples)
    if (auto stride = integrator.update(s.t_s, s.accel, s.gyro, s.contact_ic_s)) strides.push_back(*stride);
  return strides;
}

// Noise a hundred times below a real sensor's: the integration itself is exact
// to a few mm. (Exactly noiseless, a smooth peak repeated over two samples
// would look like clipping.)
TEST(FootStrideIntegrator, NearlyNoiselessSyntheticFootGivesItsStrideLength) {
  SyntheticFoot foot;
  foot.accel_noise_mps2 = 5e-4;
  foot.gyro_noise_radps = 4e-5;
  FootStrideIntegrator integrator;
  const auto strides = integrate(synthetic_samples(foot, 10), integrator);
  // The first stance gives the tilt; strides 1..10 follow.
  ASSERT_EQ(strides.size(), 10u);
  for (const auto& s : strides) {
    ASSERT_TRUE(s.length_m.present());
    EXPECT_NEAR(s.length_m.value, foot.stride_m, 0.005);
    EXPECT_NEAR(s.t_end_s - s.t_start_s, foot.period_s(), 1e-9);
    EXPECT_NEAR(s.speed_mps.value, foot.stride_m / foot.period_s(), 0.01);
  }
}

// Noise and a gyro bias of 0.03 rad/s per axis (larger than the simulator's):
// the bias is learnt in the stances and the leftover drift removed by the
// zero-velocity updates; within 1.5 % of the stride.
TEST(FootStrideIntegrator, NoisyBiasedSyntheticFootWithinOnePointFivePercent) {
  for (const double stride_m : {1.8, 2.4, 3.2}) {
    SyntheticFoot foot;
    foot.stride_m = stride_m;
    foot.rate_hz = 100.0;
    foot.accel_noise_mps2 = 0.05;
    foot.gyro_noise_radps = 0.004;
    foot.gyro_bias_radps = Eigen::Vector3d(0.03, -0.03, 0.03);
    FootStrideIntegrator integrator;
    const auto strides = integrate(synthetic_samples(foot, 30), integrator);
    ASSERT_EQ(strides.size(), 30u);
    double sum_sq = 0.0;
    for (std::size_t i = 5; i < strides.size(); ++i) {
      ASSERT_TRUE(strides[i].length_m.present());
      sum_sq += std::pow(strides[i].length_m.value - stride_m, 2);
    }
    EXPECT_LT(std::sqrt(sum_sq / 25.0), 0.015 * stride_m) << "stride " << stride_m;
    EXPECT_NEAR(integrator.gyro_bias_radps().norm(), foot.gyro_bias_radps.norm(), 0.01);
  }
}

TEST(FootStrideIntegrator, NonFiniteSampleMakesThatStrideAbsentNotZero) {
  SyntheticFoot foot;
  auto samples = synthetic_samples(foot, 4);
  // In the swing of the second stride.
  const double bad_t = 1.0 * foot.period_s() + foot.stance_s + 0.2;
  for (auto& s : samples)
    if (std::abs(s.t_s - bad_t) < 0.5 / foot.rate_hz) s.accel.x() = std::numeric_limits<double>::quiet_NaN();
  FootStrideIntegrator integrator;
  std::vector<FootStride> strides;
  bool saw_non_finite = false;
  for (const auto& s : samples) {
    if (auto stride = integrator.update(s.t_s, s.accel, s.gyro, s.contact_ic_s)) strides.push_back(*stride);
    saw_non_finite |= integrator.last_sample_quality() == FootImuSampleQuality::non_finite;
  }
  EXPECT_TRUE(saw_non_finite);
  ASSERT_EQ(strides.size(), 4u);
  EXPECT_TRUE(strides[0].speed_mps.present());
  EXPECT_FALSE(strides[1].speed_mps.present());
  EXPECT_EQ(strides[1].speed_mps.absent_reason, AbsentReason::degraded_input);
  EXPECT_EQ(strides[1].length_m.absent_reason, AbsentReason::degraded_input);
  // The next stride starts afresh.
  ASSERT_TRUE(strides[2].length_m.present());
  EXPECT_NEAR(strides[2].length_m.value, foot.stride_m, 0.005);
}

TEST(FootStrideIntegrator, ClippedAccelerometerMakesThatStrideDegraded) {
  SyntheticFoot foot;
  auto samples = synthetic_samples(foot, 3);
  // A range of 3 g, as the IMU declares it: the swing's peaks exceed it.
  const double range = 3.0 * standard_gravity_mps2;
  for (auto& s : samples) s.accel = s.accel.cwiseMax(-range).cwiseMin(range);
  FootStrideIntegratorConfig config;
  config.full_scale = {range, range, range, std::nullopt, std::nullopt, std::nullopt};
  FootStrideIntegrator integrator(config);
  std::size_t saturated = 0, degraded = 0, strides = 0;
  for (const auto& s : samples) {
    if (auto stride = integrator.update(s.t_s, s.accel, s.gyro, s.contact_ic_s)) {
      ++strides;
      degraded += stride->speed_mps.absent_reason == AbsentReason::degraded_input;
    }
    saturated += integrator.last_sample_quality() == FootImuSampleQuality::saturated;
  }
  EXPECT_GT(saturated, 0u);
  EXPECT_EQ(strides, 3u);
  EXPECT_EQ(degraded, 3u);
}

// Three strides with samples in (from, to) lost: the second is degraded.
void expect_second_stride_degraded_by_gap(double from_s, double to_s) {
  SyntheticFoot foot;
  auto samples = synthetic_samples(foot, 3);
  std::erase_if(samples, [&](const FootSample& s) { return s.t_s > from_s && s.t_s < to_s; });
  FootStrideIntegrator integrator;
  const auto strides = integrate(samples, integrator);
  ASSERT_EQ(strides.size(), 3u);
  EXPECT_TRUE(strides[0].length_m.present());
  EXPECT_EQ(strides[1].length_m.absent_reason, AbsentReason::degraded_input);
  EXPECT_TRUE(strides[2].length_m.present());
}

TEST(FootStrideIntegrator, GapInTheSwingMakesThatStrideDegraded) {
  const SyntheticFoot foot;
  const double from = foot.period_s() + foot.stance_s + 0.1;
  expect_second_stride_degraded_by_gap(from, from + 0.1);
}

// Samples lost as the foot leaves its rest: the stride starts unintegrated.
TEST(FootStrideIntegrator, GapAtTheEndOfARestMakesTheNextStrideDegraded) {
  const SyntheticFoot foot;
  const double rest_end = foot.period_s() + foot.stance_s;
  expect_second_stride_degraded_by_gap(rest_end - 0.01, rest_end + 0.02);
}

TEST(FootStrideIntegrator, WithoutContactsThereIsNoStride) {
  SyntheticFoot foot;
  auto samples = synthetic_samples(foot, 3);
  for (auto& s : samples) s.contact_ic_s.reset();
  FootStrideIntegrator integrator;
  EXPECT_TRUE(integrate(samples, integrator).empty());
  EXPECT_FALSE(integrator.initialised());
}

TEST(FootStrideIntegrator, RejectsBadConfiguration) {
  EXPECT_THROW(FootStrideIntegrator(FootStrideIntegratorConfig{.still_gyro_radps = 0.0}), std::invalid_argument);
  EXPECT_THROW(FootStrideIntegrator(FootStrideIntegratorConfig{.max_gap_s = std::nan("")}), std::invalid_argument);
}

// The simulated runner's insole IMU (its own foot model, noise, gyro bias,
// impact shock), the contacts from the insole's pressure as the engine finds
// them; each stride against the simulator's true travel (the two steps'
// lengths from this foot's IC to its next).
struct SimulatedStrides {
  std::vector<FootStride> strides;
  std::vector<sim::StepTruth> truth;
};

SimulatedStrides strides_of_simulated_left_foot(const sim::RunnerConfig& config, double duration_s) {
  sim::RunnerSimulation simulation(config);
  const auto streams = simulation.streams();
  const auto& d = streams[sim::RunnerSimulation::left_insole_stream];
  InsoleLoadingModel loading_model(*d.insole);
  double area = 0.0;
  for (const auto& site : d.insole->sensors) area += site.area_mm2;
  GaitEventDetector detector(GaitEventDetectorConfig{.minimum_level_n = minimum_level_for_area(area)});
  const std::size_t n = d.insole->sensors.size();
  FootStrideIntegratorConfig integrator_config{.max_gap_s = 2.5 / d.nominal_rate_hz};
  for (std::size_t c = 0; c < 6; ++c) integrator_config.full_scale[c] = d.channels[n + c].full_scale;  // as the engine does
  FootStrideIntegrator integrator(integrator_config);
  SimulatedStrides out;
  double previous_t = 0.0;
  simulation.advance_to(duration_s, [&](const sim::SimulatedSample& s) {
    if (s.stream != sim::RunnerSimulation::left_insole_stream) return;
    const auto load = loading_model.measure(std::span<const double>(s.values.data(), n));
    detector.update(s.true_time_s, load.force_n);
    if (detector.phase() == GaitEventDetector::Phase::swing && load.force_n < detector.timing_level_n())
      loading_model.learn_unloaded(s.true_time_s - previous_t);
    previous_t = s.true_time_s;
    const double* v = s.values.data() + n;
    const auto ic = detector.phase() == GaitEventDetector::Phase::contact ? std::optional(detector.current_ic_s())
                                                                           : std::nullopt;
    if (auto stride = integrator.update(s.true_time_s, {v[0], v[1], v[2]}, {v[3], v[4], v[5]}, ic))
      out.strides.push_back(*stride);
  });
  out.truth = simulation.completed_steps();
  return out;
}

// True travel of the centre of mass from IC `from` (left) to the next left IC.
std::optional<double> true_stride_m(const std::vector<sim::StepTruth>& truth, double from_s) {
  for (std::size_t i = 0; i + 1 < truth.size(); ++i)
    if (truth[i].side == Side::left && std::abs(truth[i].t_ic_s - from_s) < 0.02)
      return truth[i].step_length_m + truth[i + 1].step_length_m;
  return std::nullopt;
}

sim::RunnerConfig insole_imu_runner(double speed_mps, double cadence_spm, StrikePattern pattern) {
  sim::RunnerConfig config;
  config.insoles.with_imu = true;
  config.speed_source = sim::SpeedSource::none;
  config.speed_mps = speed_mps;
  config.cadence_spm = cadence_spm;
  config.strike_pattern = pattern;
  config.foot_strike_distance_m = pattern == StrikePattern::rearfoot ? 0.25 : 0.12;
  return config;
}

// Per stride the error is mostly the impact at contact, sampled at a phase
// that changes from stride to stride, and the foot's fast rotation at toe-off
// (up to 35 rad/s in the simulated forefoot and 5 m/s strides) integrated at
// the insole's rate: those two are run at 200 Hz (see fusion/README.md).
// Stride length RMSE within 2.5 %.
TEST(FootStrideIntegrator, SimulatedRunnerInsoleImuStridesWithinTwoPointFivePercent) {
  struct Case {
    double speed_mps, cadence_spm;
    StrikePattern pattern;
    double rate_hz;
  };
  for (const Case c : {Case{2.5, 152, StrikePattern::rearfoot, 100.0}, Case{3.5, 170, StrikePattern::rearfoot, 100.0},
                       Case{4.0, 175, StrikePattern::forefoot, 200.0}, Case{5.0, 190, StrikePattern::midfoot, 200.0}}) {
    auto config = insole_imu_runner(c.speed_mps, c.cadence_spm, c.pattern);
    config.insoles.rate_hz = c.rate_hz;
    // The simulated forefoot strike turns the foot faster than 2000 deg/s and
    // its impact peaks beyond 32 g for a sample now and then: a +-4000 deg/s,
    // +-64 g IMU (such parts exist), so that no reading reaches the full
    // scale the stream declares (which would degrade the stride).
    config.insoles.imu_noise.gyro_range_radps = rad_from_deg(4000.0);
    config.insoles.imu_noise.accel_range_mps2 = 64.0 * standard_gravity_mps2;
    const auto run = strides_of_simulated_left_foot(config, 40.0);
    SCOPED_TRACE(::testing::Message() << c.speed_mps << " m/s");
    std::size_t compared = 0, degraded = 0;
    double sum_sq = 0.0;
    for (const auto& s : run.strides) {
      const auto truth = true_stride_m(run.truth, s.t_start_s);
      if (!truth) continue;
      // The simulated radio loses a packet now and then (0.3 %): a stride
      // across the gap is degraded.
      if (!s.length_m.present()) {
        EXPECT_EQ(s.length_m.absent_reason, AbsentReason::degraded_input);
        ++degraded;
        continue;
      }
      sum_sq += std::pow(s.length_m.value - *truth, 2);
      ++compared;
    }
    EXPECT_LE(degraded, 6u);
    EXPECT_GE(compared, 40u);
    const double rms = std::sqrt(sum_sq / static_cast<double>(compared));
    const double stride_m = 2.0 * c.speed_mps * 60.0 / c.cadence_spm;
    EXPECT_LT(rms, 0.025 * stride_m) << "stride RMSE " << rms << " m of " << stride_m;
  }
}

// The same forefoot runner with a +-2000 deg/s, +-16 g IMU: the clipped
// readings make the strides absent (degraded_input), never a value.
TEST(FootStrideIntegrator, SimulatedClippingInsoleImuGivesDegradedStrides) {
  const auto run = strides_of_simulated_left_foot(insole_imu_runner(4.0, 175, StrikePattern::forefoot), 20.0);
  ASSERT_GT(run.strides.size(), 10u);
  std::size_t degraded = 0;
  for (const auto& s : run.strides) degraded += s.speed_mps.absent_reason == AbsentReason::degraded_input;
  EXPECT_GE(degraded, run.strides.size() - 1);
}

TEST(FootStrideIntegrator, EngineUsesTheInsoleImuWhenItHasNoOtherSpeedSource) {
  sim::RunnerConfig config;
  config.insoles.with_imu = true;
  config.speed_source = sim::SpeedSource::none;
  const auto a = testing::run_simulated_session(config, 30.0);
  ASSERT_GT(a.matched, 60u);
  // The first steps have no completed stride yet (not_detected).
  EXPECT_GE(a.step_length_m.count, a.matched - 4);
  EXPECT_LT(a.step_length_m.rms, 0.03);
  EXPECT_GE(a.foot_strike_m.count, a.matched * 8 / 10);
  EXPECT_LT(a.foot_strike_m.rms, 0.05);
}

// The engine's steps on `seconds` of the simulated runner; `edit` may change
// each sample of a stream of the given kind before the engine sees it.
std::vector<StepEvent> engine_steps(const sim::RunnerConfig& config, const EngineConfig& engine_config, double seconds,
                                    StreamKind edited_kind = StreamKind::imu,
                                    const std::function<void(Sample&)>& edit = {}) {
  sim::RunnerSimulation simulation(config);
  const auto streams = simulation.streams();
  std::vector<StepEvent> steps;
  Engine engine(streams, engine_config, [&](const Event& e) {
    if (const auto* s = std::get_if<StepEvent>(&e)) steps.push_back(*s);
  });
  simulation.advance_to(seconds, [&](const sim::SimulatedSample& s) {
    Sample out;
    out.stream = s.stream;
    out.t_s = s.true_time_s;
    out.channel_count = s.channel_count;
    out.values = s.values;
    if (edit && streams[s.stream].kind == edited_kind) edit(out);
    engine.push(out);
  });
  return steps;
}

// Step lengths that are exactly `speed_mps` x step time: the speed source
// that gave them said `speed_mps`.
std::size_t steps_at_speed(const std::vector<StepEvent>& steps, double speed_mps) {
  std::size_t present = 0;
  for (const auto& s : steps) {
    if (!s.step_length_m.present() || !s.cadence_spm.present()) continue;
    ++present;
    EXPECT_NEAR(s.step_length_m.value, speed_mps * 60.0 / s.cadence_spm.value, 1e-9);
  }
  return present;
}

TEST(FootStrideIntegrator, EngineWithoutImuOrSpeedHasNoSpeedSource) {
  sim::RunnerConfig config;
  config.speed_source = sim::SpeedSource::none;
  const auto steps = engine_steps(config, {}, 15.0);
  ASSERT_GT(steps.size(), 10u);
  for (const auto& s : steps) EXPECT_EQ(s.step_length_m.absent_reason, AbsentReason::no_speed_source);
}

// Precedence: a treadmill setting wins over the insole IMU (the step lengths
// are then exactly speed x step time).
TEST(FootStrideIntegrator, TreadmillSettingTakesPrecedenceOverTheInsoleImu) {
  sim::RunnerConfig config;
  config.insoles.with_imu = true;
  config.speed_source = sim::SpeedSource::none;
  EngineConfig engine_config;
  engine_config.treadmill_speed_mps = 2.0;  // not the runner's 3.5 m/s: shows which source was used
  EXPECT_GT(steps_at_speed(engine_steps(config, engine_config, 15.0), 2.0), 10u);
}

// ... and so does a speed stream (a footpod), here saying 2.0 m/s throughout
// while the insole IMUs measure the runner's 3.5 m/s.
TEST(FootStrideIntegrator, SpeedStreamTakesPrecedenceOverTheInsoleImu) {
  sim::RunnerConfig config;
  config.insoles.with_imu = true;
  config.speed_source = sim::SpeedSource::stream;
  const auto steps = engine_steps(config, {}, 15.0, StreamKind::speed, [](Sample& s) { s.values[0] = 2.0; });
  EXPECT_GT(steps_at_speed(steps, 2.0), 10u);
}

}  // namespace
}  // namespace stridefuse::fusion
