// The simulated runner's sensors, clocks and links: what the devices would
// send, checked against the body they are strapped to.
#include <gtest/gtest.h>

#include <Eigen/Geometry>
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <vector>

#include "stridefuse/sim/gait_timeline.hpp"
#include "stridefuse/sim/runner_simulation.hpp"
#include "stridefuse/sim/simulated_device_clock.hpp"
#include "stridefuse/core/units.hpp"

namespace stridefuse::sim {
namespace {

constexpr double g = standard_gravity_mps2;

std::vector<SimulatedSample> run(const RunnerConfig& config, double until_s) {
  RunnerSimulation sim(config);
  std::vector<SimulatedSample> out;
  sim.advance_to(until_s, [&](const SimulatedSample& s) { out.push_back(s); });
  return out;
}

Eigen::Quaterniond eigen(const Quaternion& q) { return Eigen::Quaterniond(q.w, q.x, q.y, q.z); }

RunnerConfig noiseless() {
  RunnerConfig c;
  c.pelvis.noise.accel_noise_mps2 = 0.0;
  c.pelvis.noise.gyro_noise_radps = 0.0;
  c.pelvis.noise.gyro_bias_radps = 0.0;
  c.pelvis.wobble_amplitude_mps2 = 0.0;
  c.insoles.noise_kpa = 0.0;
  c.insoles.baseline_kpa = 0.0;
  return c;
}

TEST(RunnerSensors, StreamsDescribeThePelvisImuTheInsolesAndOptionallySpeed) {
  RunnerConfig config;
  config.insoles.sensor_count = 19;
  auto streams = RunnerSimulation(config).streams();
  ASSERT_EQ(streams.size(), 3u);
  for (const auto& s : streams) EXPECT_NO_THROW(validate(s));
  EXPECT_EQ(streams[0].location, BodyLocation::pelvis);
  EXPECT_EQ(streams[0].kind, StreamKind::imu);
  EXPECT_EQ(streams[0].nominal_rate_hz, config.pelvis.rate_hz);
  ASSERT_TRUE(streams[1].insole);
  EXPECT_EQ(streams[1].insole->side, Side::left);
  EXPECT_EQ(streams[2].insole->side, Side::right);
  EXPECT_EQ(streams[1].insole->sensors.size(), 19u);
  EXPECT_EQ(streams[1].channels.size(), 19u);
  EXPECT_EQ(streams[1].tick_bits, 16u);
  config.speed_source = SpeedSource::stream;
  streams = RunnerSimulation(config).streams();
  ASSERT_EQ(streams.size(), 4u);
  EXPECT_EQ(streams[3].kind, StreamKind::speed);
  config.insoles.sensor_count = 7;
  EXPECT_THROW(RunnerSimulation{config}, std::invalid_argument);
}

TEST(RunnerSensors, AccelerometerReadsOneGUpwardDuringQuietStanding) {
  RunnerConfig config;  // with noise, bias and an unusual mounting
  config.pelvis.mount_roll_pitch_yaw_deg = {35.0, -70.0, 150.0};
  config.standing_s = 4.0;
  Eigen::Vector3d mean = Eigen::Vector3d::Zero();
  int n = 0;
  for (const auto& s : run(config, 3.5)) {
    if (s.stream != RunnerSimulation::pelvis_stream) continue;
    const Eigen::Vector3d f(s.values[0], s.values[1], s.values[2]);
    EXPECT_NEAR(f.norm(), g, 0.3);
    // Rotated into the session frame with the true orientation, it points up.
    const Eigen::Vector3d up = eigen(s.truth.sensor_orientation) * f;
    EXPECT_GT(up.z(), g - 0.3);
    mean += f;
    ++n;
  }
  ASSERT_GT(n, 600);
  EXPECT_NEAR((mean / n).norm(), g, 0.02);
}

TEST(RunnerSensors, AccelerometerIsWeightlessInFlightAndLoadedInStance) {
  RunnerConfig config = noiseless();
  config.standing_s = 1.0;
  RunnerSimulation sim(config);
  std::vector<SimulatedSample> pelvis;
  sim.advance_to(8.0, [&](const SimulatedSample& s) {
    if (s.stream == RunnerSimulation::pelvis_stream) pelvis.push_back(s);
  });
  const auto steps = sim.completed_steps();
  ASSERT_GT(steps.size(), 10u);
  int flight = 0, stance = 0;
  for (const auto& s : pelvis) {
    for (const auto& step : steps) {
      if (s.true_time_s < step.t_ic_s || s.true_time_s >= step.t_next_ic_s || step.t_ic_s < 3.0) continue;
      const double f = Eigen::Vector3d(s.values[0], s.values[1], s.values[2]).norm();
      const double mid_stance = 0.5 * (step.t_ic_s + step.t_to_s);
      if (s.true_time_s > step.t_to_s + 0.01 && s.true_time_s < step.t_next_ic_s - 0.01) {
        EXPECT_LT(f, 3.0) << "flight at " << s.true_time_s;  // only the pelvis rotating about the CoM
        ++flight;
      } else if (std::abs(s.true_time_s - mid_stance) < 0.02) {
        EXPECT_GT(f, 1.8 * g) << "mid-stance at " << s.true_time_s;
        ++stance;
      }
    }
  }
  EXPECT_GT(flight, 20);
  EXPECT_GT(stance, 20);
}

TEST(RunnerSensors, GyroIsTheRateOfTheTrueSensorOrientation) {
  RunnerConfig config = noiseless();
  config.pelvis.mount_roll_pitch_yaw_deg = {-20.0, 60.0, 45.0};
  config.pelvis.rate_hz = 400.0;
  std::vector<SimulatedSample> pelvis;
  for (const auto& s : run(config, 12.0))
    if (s.stream == RunnerSimulation::pelvis_stream) pelvis.push_back(s);
  ASSERT_GT(pelvis.size(), 4000u);
  // Integrating the gyro from one sample to the next reproduces the truth.
  double worst_deg = 0.0, largest_rate = 0.0;
  for (std::size_t i = 1; i < pelvis.size(); ++i) {
    if (pelvis[i].sequence != pelvis[i - 1].sequence + 1) continue;  // a lost packet in between
    const double dt = pelvis[i].true_time_s - pelvis[i - 1].true_time_s;
    const Eigen::Vector3d w0(pelvis[i - 1].values[3], pelvis[i - 1].values[4], pelvis[i - 1].values[5]);
    const Eigen::Vector3d w1(pelvis[i].values[3], pelvis[i].values[4], pelvis[i].values[5]);
    const Eigen::Vector3d w = 0.5 * (w0 + w1);
    largest_rate = std::max(largest_rate, w.norm());
    Eigen::Quaterniond step = Eigen::Quaterniond::Identity();
    if (w.norm() > 0) step = Eigen::AngleAxisd(w.norm() * dt, w.normalized());
    const Eigen::Quaterniond predicted = eigen(pelvis[i - 1].truth.sensor_orientation) * step;
    const double error_deg = deg_from_rad(predicted.angularDistance(eigen(pelvis[i].truth.sensor_orientation)));
    worst_deg = std::max(worst_deg, error_deg);
  }
  EXPECT_GT(largest_rate, 0.3);  // the pelvis really moves
  EXPECT_LT(worst_deg, 0.006);
}

TEST(RunnerSensors, TruePelvisAnglesComposeToTheTrueSensorOrientation) {
  RunnerConfig config = noiseless();
  RunnerSimulation sim(config);
  const Eigen::Quaterniond mount = sim.pelvis_mounting();
  int n = 0;
  sim.advance_to(9.0, [&](const SimulatedSample& s) {
    if (s.stream != RunnerSimulation::pelvis_stream) return;
    const auto& a = s.truth.pelvis_angles;
    const Eigen::Quaterniond pelvis(Eigen::AngleAxisd(rad_from_deg(a.rotation_deg), Eigen::Vector3d::UnitZ()) *
                                    Eigen::AngleAxisd(rad_from_deg(a.obliquity_deg), Eigen::Vector3d::UnitX()) *
                                    Eigen::AngleAxisd(rad_from_deg(a.tilt_deg), Eigen::Vector3d::UnitY()));
    EXPECT_LT((pelvis * mount).angularDistance(eigen(s.truth.sensor_orientation)), 1e-9);
    ++n;
  });
  EXPECT_GT(n, 1000);
}

TEST(RunnerSensors, InsolePressuresFollowTheLoadSaturateAndKeepTheirBaseline) {
  RunnerConfig config;
  config.insoles.saturation_kpa = 150.0;
  config.insoles.noise_kpa = 0.5;
  RunnerSimulation sim(config);
  double peak = 0.0;
  int unloaded = 0;
  double unloaded_sum = 0.0;
  sim.advance_to(12.0, [&](const SimulatedSample& s) {
    if (s.stream != RunnerSimulation::left_insole_stream) return;
    for (double p : s.channels()) {
      EXPECT_GE(p, 0.0);
      EXPECT_LE(p, 150.0);
      peak = std::max(peak, p);
    }
    if (s.truth.vertical_force_n == 0.0) {
      for (double p : s.channels()) unloaded_sum += p;
      unloaded += static_cast<int>(s.channel_count);
    }
  });
  EXPECT_EQ(peak, 150.0);  // the heel saturates at impact
  ASSERT_GT(unloaded, 1000);
  EXPECT_NEAR(unloaded_sum / unloaded, config.insoles.baseline_kpa, 0.6);
}

TEST(RunnerSensors, PressureCentroidTracksTheTrueCentreOfPressure) {
  RunnerConfig config = noiseless();
  config.insoles.sensor_count = 24;
  RunnerSimulation sim(config);
  const auto sites = sim.streams()[1].insole->sensors;
  int n = 0;
  sim.advance_to(12.0, [&](const SimulatedSample& s) {
    if (s.stream != RunnerSimulation::left_insole_stream || s.truth.vertical_force_n < 800.0) return;
    double sum = 0.0, moment = 0.0;
    for (std::size_t i = 0; i < sites.size(); ++i) {
      sum += s.values[i] * sites[i].area_mm2;
      moment += s.values[i] * sites[i].area_mm2 * sites[i].x_mm;
    }
    EXPECT_NEAR(moment / sum, s.truth.cop_x_mm, 20.0);
    EXPECT_NEAR(sum / 1000.0, s.truth.vertical_force_n, 0.25 * s.truth.vertical_force_n);  // kPa*mm^2 = mN
    ++n;
  });
  EXPECT_GT(n, 50);
}

TEST(RunnerSensors, SameSeedSameDataWhateverThePiecesDifferentSeedDifferentNoise) {
  RunnerConfig config;
  config.speed_source = SpeedSource::stream;
  const auto whole = run(config, 10.0);
  RunnerSimulation pieces(config);
  std::vector<SimulatedSample> chunked;
  for (double t = 0.013; t < 10.0; t += 0.0371) pieces.advance_to(t, [&](const SimulatedSample& s) { chunked.push_back(s); });
  pieces.advance_to(10.0, [&](const SimulatedSample& s) { chunked.push_back(s); });
  ASSERT_EQ(whole.size(), chunked.size());
  for (std::size_t i = 0; i < whole.size(); ++i) {
    ASSERT_EQ(whole[i].stream, chunked[i].stream);
    ASSERT_EQ(whole[i].raw_tick, chunked[i].raw_tick);
    ASSERT_EQ(whole[i].host_arrival_s, chunked[i].host_arrival_s);
    for (std::size_t c = 0; c < whole[i].channel_count; ++c) ASSERT_EQ(whole[i].values[c], chunked[i].values[c]);
  }
  config.seed = 2;
  const auto other = run(config, 10.0);
  std::size_t differing = 0;
  for (std::size_t i = 0; i < std::min(other.size(), whole.size()); ++i)
    if (other[i].stream == whole[i].stream && other[i].values[0] != whole[i].values[0]) ++differing;
  EXPECT_GT(differing, whole.size() / 2);
}

TEST(RunnerSensors, SamplesComeInTrueTimeOrder) {
  const auto samples = run(RunnerConfig{}, 5.0);
  for (std::size_t i = 1; i < samples.size(); ++i) ASSERT_LE(samples[i - 1].true_time_s, samples[i].true_time_s);
}

TEST(RunnerSensors, DeviceClocksHaveTheirOffsetDriftAndWrap) {
  RunnerConfig config;
  config.insoles.left_clock = {250.0, 150.0, 1000.0, 16, 0.0, 0.0, 0.0, 0.0};
  RunnerSimulation sim(config);
  std::uint64_t previous = 0;
  int wraps = 0;
  std::vector<SimulatedSample> left;
  sim.advance_to(140.0, [&](const SimulatedSample& s) {
    if (s.stream != RunnerSimulation::left_insole_stream) return;
    left.push_back(s);
  });
  ASSERT_GT(left.size(), 13000u);
  for (const auto& s : left) {
    EXPECT_NEAR(s.device_time_s, 250.0 + (1.0 + 150e-6) * s.true_time_s, 1e-9);
    EXPECT_EQ(s.raw_tick, s.unwrapped_tick % 65536);
    EXPECT_LT(s.raw_tick, 65536u);
    if (s.raw_tick < previous) ++wraps;
    previous = s.raw_tick;
  }
  EXPECT_EQ(wraps, 2);  // 16 bits at 1 kHz wrap every 65.536 s
  const auto truth = sim.clock_truth();
  EXPECT_EQ(truth[1].stream_id, "left_insole");
  EXPECT_EQ(truth[1].drift_ppm, 150.0);
  EXPECT_EQ(truth[1].offset_s, 250.0);
  EXPECT_EQ(truth[1].wraps, 2u);
  // The sampling interval in session time is shortened by the fast clock.
  EXPECT_NEAR(left[1].true_time_s - left[0].true_time_s, 0.01 / (1.0 + 150e-6), 1e-12);
}

TEST(RunnerSensors, BleLinksBunchSamplesIntoConnectionEventsAndLosePackets) {
  RunnerConfig config;
  config.pelvis.clock = {1.0, 0.0, 1.0e6, 32, 0.030, 0.004, 0.002, 0.1};
  config.pelvis.rate_hz = 200.0;
  RunnerSimulation sim(config);
  std::vector<SimulatedSample> pelvis;
  sim.advance_to(60.0, [&](const SimulatedSample& s) {
    if (s.stream == RunnerSimulation::pelvis_stream) pelvis.push_back(s);
  });
  std::map<double, int> per_arrival;
  for (const auto& s : pelvis) {
    EXPECT_GE(s.host_arrival_s, s.true_time_s + 0.004);
    EXPECT_LE(s.host_arrival_s, s.true_time_s + 0.030 + 0.004 + 0.002);
    ++per_arrival[s.host_arrival_s];
  }
  // 200 Hz over 30 ms events: about six samples arrive together.
  const double mean_bunch = static_cast<double>(pelvis.size()) / static_cast<double>(per_arrival.size());
  EXPECT_NEAR(mean_bunch, 6.0, 0.2);
  const auto truth = sim.clock_truth()[0];
  EXPECT_EQ(truth.samples_generated, truth.samples_lost + pelvis.size());
  EXPECT_NEAR(static_cast<double>(truth.samples_lost) / static_cast<double>(truth.samples_generated), 0.1, 0.02);
  // Lost samples leave gaps in the sequence numbers, whole packets at a time.
  std::uint64_t gaps = 0;
  for (std::size_t i = 1; i < pelvis.size(); ++i) gaps += pelvis[i].sequence - pelvis[i - 1].sequence - 1;
  EXPECT_EQ(gaps + pelvis.front().sequence, truth.samples_lost - (truth.samples_generated - 1 - pelvis.back().sequence));
}

TEST(RunnerSensors, SpeedStreamReportsTheStrideSpeed) {
  RunnerConfig config;
  config.speed_source = SpeedSource::stream;
  config.speed_mps = 3.1;
  config.standing_s = 3.0;
  int n = 0;
  for (const auto& s : run(config, 40.0)) {
    if (s.stream != RunnerSimulation::speed_stream) continue;
    ++n;
    if (s.true_time_s < 3.0) {
      EXPECT_EQ(s.truth.speed_mps, 0.0);
    } else {
      EXPECT_NEAR(s.truth.speed_mps, 3.1, 1e-6);
      EXPECT_NEAR(s.values[0], 3.1, 0.15);
    }
  }
  EXPECT_GE(n, 38);
}

TEST(RunnerSensors, BadClockParametersAreRejected) {
  RunnerConfig config;
  config.pelvis.clock.connection_interval_s = 0.005;
  EXPECT_THROW(RunnerSimulation{config}, std::invalid_argument);
  config = RunnerConfig{};
  config.insoles.right_clock.offset_s = -1.0;
  EXPECT_THROW(RunnerSimulation{config}, std::invalid_argument);
  RunnerSimulation sim{RunnerConfig{}};
  EXPECT_THROW(sim.advance_to(std::nan(""), [](const SimulatedSample&) {}), std::invalid_argument);
}

}  // namespace
}  // namespace stridefuse::sim

namespace stridefuse::sim {
namespace {

TEST(RunnerInsoleImu, ReadsGravityWhenFlatAndFollowsTheFootPitch) {
  RunnerConfig config = noiseless();
  config.insoles.with_imu = true;
  config.insoles.imu_noise = {0.0, 0.0, 0.0, 16.0 * g, 34.9};
  config.insoles.sensor_count = 24;
  RunnerSimulation sim(config);
  ASSERT_EQ(sim.streams()[1].channels.size(), 30u);
  EXPECT_EQ(sim.streams()[1].channels[24].name, "ax");
  std::vector<SimulatedSample> left;
  sim.advance_to(12.0, [&](const SimulatedSample& s) {
    if (s.stream == RunnerSimulation::left_insole_stream) left.push_back(s);
  });
  const auto steps = sim.completed_steps();
  int flat = 0;
  double largest_g = 0.0;
  double pitch_deg = 0.0, worst_pitch_deg = 0.0;
  for (std::size_t i = 0; i < left.size(); ++i) {
    const auto& s = left[i];
    const Eigen::Vector3d a(s.values[24], s.values[25], s.values[26]);
    largest_g = std::max(largest_g, a.norm() / g);
    if (s.true_time_s < config.standing_s - 0.3) {
      EXPECT_NEAR(a.z(), g, 1e-6);
      EXPECT_NEAR(s.values[28], 0.0, 1e-9);
    }
    for (const auto& st : steps) {
      if (st.side != Side::left) continue;
      const double f = (s.true_time_s - st.t_ic_s) / st.contact_time_s;
      if (f > 0.3 && f < 0.5) {  // foot flat, contact shock decayed
        EXPECT_NEAR(a.x(), 0.0, 0.3);
        EXPECT_NEAR(a.z(), g, 0.3);
        EXPECT_NEAR(s.values[28], 0.0, 1e-6);
        ++flat;
      }
    }
    // The pitch rate integrates to the true foot pitch.
    const Eigen::Quaterniond q(s.truth.sensor_orientation.w, s.truth.sensor_orientation.x,
                               s.truth.sensor_orientation.y, s.truth.sensor_orientation.z);
    const double true_pitch_deg = deg_from_rad(2.0 * std::atan2(q.y(), q.w()));
    if (i > 0) pitch_deg += deg_from_rad(0.5 * (s.values[28] + left[i - 1].values[28]) *
                                         (s.true_time_s - left[i - 1].true_time_s));
    if (i == 0 || s.sequence != left[i - 1].sequence + 1) pitch_deg = true_pitch_deg;  // restart after a gap
    worst_pitch_deg = std::max(worst_pitch_deg, std::abs(pitch_deg - true_pitch_deg));
  }
  EXPECT_GT(flat, 30);
  EXPECT_GT(largest_g, 2.0);   // swing and contact shocks
  EXPECT_LT(largest_g, 16.0);  // but no jumps from badly joined curves
  EXPECT_LT(worst_pitch_deg, 3.0);
}

TEST(RunnerInsoleImu, FootStaysAboveTheGroundAndLandsWhereTheStanceBegins) {
  RunnerConfig config;
  config.standing_s = 1.0;
  GaitTimeline timeline(config);
  timeline.extend_to(8.0);
  for (double t = 0.0; t < 6.5; t += 0.001)
    for (int side = 0; side < 2; ++side) ASSERT_GT(timeline.foot_pose_at(side, t).imu_position_m.z(), 0.0) << t;
  for (const auto& st : timeline.steps()) {
    if (st.t_ic_s > 6.0) break;
    const int side = st.side == Side::left ? 0 : 1;
    const FootPose just_before = timeline.foot_pose_at(side, st.t_ic_s - 1e-6);
    const FootPose at = timeline.foot_pose_at(side, st.t_ic_s);
    EXPECT_NEAR((just_before.imu_position_m - at.imu_position_m).norm(), 0.0, 1e-4);
    EXPECT_NEAR(just_before.pitch_rad, at.pitch_rad, 1e-4);
  }
}

}  // namespace
}  // namespace stridefuse::sim
