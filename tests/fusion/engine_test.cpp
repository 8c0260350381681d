#include "stridefuse/fusion/engine.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>
#include <vector>

#include "synthetic_gait.hpp"

namespace stridefuse::fusion {
namespace {

using namespace stridefuse::fusion::testing;

struct Collected {
  std::vector<StepEvent> steps;
  std::vector<AttitudeEvent> attitudes;
  std::vector<DeviceStatusEvent> statuses;
  Engine::EventCallback callback() {
    return [this](const Event& e) {
      if (const auto* s = std::get_if<StepEvent>(&e)) steps.push_back(*s);
      if (const auto* a = std::get_if<AttitudeEvent>(&e)) attitudes.push_back(*a);
      if (const auto* d = std::get_if<DeviceStatusEvent>(&e)) statuses.push_back(*d);
    };
  }
};

constexpr double step_s = 0.36;     // 166.7 steps/min
constexpr double contact_s = 0.24;  // flight 0.12 s
constexpr double heel_x_mm = 40.0, fore_x_mm = 200.0;

// Feeds both insoles (streams 0 and 1 unless told otherwise) at 100 Hz, time-ordered.
void run_insoles(Engine& engine, const std::vector<TrueContact>& contacts, double duration_s,
                 std::optional<std::uint16_t> left = 0, std::optional<std::uint16_t> right = 1) {
  for (int i = 0; i * 0.01 < duration_s; ++i) {
    const double t = 0.003 + i * 0.01;
    if (left) engine.push(insole_sample(*left, Side::left, contacts, t));
    if (right) engine.push(insole_sample(*right, Side::right, contacts, t + 0.004));
  }
  engine.finish();
}

const TrueContact* truth_for(const std::vector<TrueContact>& contacts, const StepEvent& e) {
  for (const auto& c : contacts)
    if (c.side == e.side && std::abs(c.t_ic - e.t_ic_s) < 0.05) return &c;
  return nullptr;
}

TEST(Engine, DetectsEveryStepWithTimingCadenceAndStrike) {
  Collected out;
  Engine engine({insole_stream(Side::left), insole_stream(Side::right)}, {}, out.callback());
  const auto contacts = alternating_contacts(0.5, 40, step_s, contact_s, heel_x_mm, fore_x_mm);
  run_insoles(engine, contacts, 15.5);
  // The first contact of each foot teaches its detector the loaded level.
  ASSERT_GE(out.steps.size(), contacts.size() - 2);
  std::uint32_t index = 0;
  for (const auto& e : out.steps) {
    const auto* truth = truth_for(contacts, e);
    ASSERT_NE(truth, nullptr) << "step at " << e.t_ic_s << " is not a true contact";
    EXPECT_EQ(e.index, index++);
    // Within a sample period (10 ms): interpolating across the kink where the
    // force leaves the baseline places a low crossing up to most of a sample early.
    EXPECT_NEAR(e.t_ic_s, truth->t_ic, 0.007);
    EXPECT_NEAR(e.t_to_s, truth->t_to, 0.007);
    ASSERT_TRUE(e.contact_time_s.present());
    EXPECT_NEAR(e.contact_time_s.value, contact_s, 0.014);
    ASSERT_TRUE(e.strike_index_pct.present());
    const double expected_index = 100.0 * truth->strike_x_mm / 260.0;
    EXPECT_NEAR(e.strike_index_pct.value, expected_index, 4.0);
    EXPECT_EQ(e.strike_pattern, e.side == Side::left ? StrikePattern::rearfoot : StrikePattern::forefoot);
    if (e.index + 1 == out.steps.size()) continue;  // no step of the other foot after it
    ASSERT_TRUE(e.cadence_spm.present());
    // Each foot's threshold sits at a slightly different height on its rising edge.
    EXPECT_NEAR(e.cadence_spm.value, 60.0 / step_s, 2.0);
    if (e.index + 1 < out.steps.size()) {
      ASSERT_TRUE(e.flight_time_s.present());
      EXPECT_NEAR(e.flight_time_s.value, step_s - contact_s, 0.014);
    }
  }
  EXPECT_EQ(engine.late_samples(), 0u);
}

TEST(Engine, MetricsWithoutTheirSensorsAreAbsentWithTheReason) {
  Collected out;
  Engine engine({insole_stream(Side::left), insole_stream(Side::right)}, {}, out.callback());
  run_insoles(engine, alternating_contacts(0.5, 20, step_s, contact_s, heel_x_mm, heel_x_mm), 8.0);
  ASSERT_GE(out.steps.size(), 15u);
  for (const auto& e : out.steps) {
    EXPECT_EQ(e.step_length_m.absent_reason, AbsentReason::no_speed_source);
    if (e.index + 1 == out.steps.size()) {
      EXPECT_EQ(e.cadence_spm.absent_reason, AbsentReason::not_detected);
    }
    for (const Metric* m : {&e.foot_strike_distance_m, &e.braking_time_s, &e.tilt_ic_deg, &e.obliquity_ic_deg,
                            &e.rotation_ic_deg, &e.pelvic_drop_deg, &e.vertical_oscillation_m}) {
      EXPECT_FALSE(m->present());
      EXPECT_EQ(m->absent_reason, AbsentReason::no_pelvis_sensor);
      EXPECT_TRUE(std::isnan(m->value));
    }
  }
}

TEST(Engine, StepLengthFromTreadmillSpeedOrSpeedStream) {
  const auto contacts = alternating_contacts(0.5, 20, step_s, contact_s, heel_x_mm, heel_x_mm);
  {
    Collected out;
    EngineConfig config;
    config.treadmill_speed_mps = 3.2;
    Engine engine({insole_stream(Side::left), insole_stream(Side::right)}, config, out.callback());
    run_insoles(engine, contacts, 8.0);
    ASSERT_GE(out.steps.size(), 15u);
    for (const auto& e : out.steps)
      if (e.index + 1 < out.steps.size()) {
        ASSERT_TRUE(e.step_length_m.present());
        EXPECT_NEAR(e.step_length_m.value, 3.2 * step_s, 0.02);
      }
  }
  {
    Collected out;
    Engine engine({insole_stream(Side::left), insole_stream(Side::right), speed_stream(10.0)}, {}, out.callback());
    for (int i = 0; i * 0.01 < 8.0; ++i) {
      const double t = 0.003 + i * 0.01;
      if (i % 10 == 0) {
        Sample v;
        v.stream = 2;
        v.t_s = t - 0.001;
        v.channel_count = 1;
        v.values[0] = 2.8;
        engine.push(v);
      }
      engine.push(insole_sample(0, Side::left, contacts, t));
      engine.push(insole_sample(1, Side::right, contacts, t + 0.004));
    }
    engine.finish();
    ASSERT_GE(out.steps.size(), 15u);
    for (const auto& e : out.steps)
      if (e.index + 1 < out.steps.size()) {
        ASSERT_TRUE(e.step_length_m.present());
        EXPECT_NEAR(e.step_length_m.value, 2.8 * step_s, 0.02);
      }
  }
}

TEST(Engine, AMissingFootGivesItsStepsOnlyAndSaysWhy) {
  Collected out;
  Engine engine({insole_stream(Side::left)}, {}, out.callback());
  run_insoles(engine, alternating_contacts(0.5, 30, step_s, contact_s, heel_x_mm, heel_x_mm), 11.0, 0, std::nullopt);
  ASSERT_GE(out.steps.size(), 13u);
  for (const auto& e : out.steps) {
    EXPECT_EQ(e.side, Side::left);
    EXPECT_TRUE(e.contact_time_s.present());
    EXPECT_EQ(e.cadence_spm.absent_reason, AbsentReason::no_right_insole);
    EXPECT_EQ(e.flight_time_s.absent_reason, AbsentReason::no_right_insole);
  }
}

TEST(Engine, OlderSamplesAreCountedAndDropped) {
  Collected out;
  Engine engine({insole_stream(Side::left), insole_stream(Side::right)}, {}, out.callback());
  const auto contacts = alternating_contacts(0.5, 20, step_s, contact_s, heel_x_mm, heel_x_mm);
  for (int i = 0; i * 0.01 < 8.0; ++i) {
    const double t = 0.003 + i * 0.01;
    engine.push(insole_sample(0, Side::left, contacts, t));
    engine.push(insole_sample(1, Side::right, contacts, t + 0.004));
    if (i % 50 == 49) {
      // A stale sample claiming a heavy load must not create a contact.
      auto stale = insole_sample(0, Side::left, contacts, t - 0.5, 5000.0);
      for (std::size_t k = 0; k < 8; ++k) stale.values[k] = 900.0;
      engine.push(stale);
    }
  }
  engine.finish();
  EXPECT_EQ(engine.late_samples(), 16u);
  EXPECT_GE(out.steps.size(), 17u);
  EXPECT_LE(out.steps.size(), 20u);
}

TEST(Engine, AFootThatStopsDeliveringIsReportedAndItsStepsStop) {
  Collected out;
  Engine engine({insole_stream(Side::left), insole_stream(Side::right)}, {}, out.callback());
  const auto contacts = alternating_contacts(0.5, 40, step_s, contact_s, heel_x_mm, heel_x_mm);
  for (int i = 0; i * 0.01 < 14.0; ++i) {
    const double t = 0.003 + i * 0.01;
    engine.push(insole_sample(0, Side::left, contacts, t));
    const bool right_out = t > 5.0 && t < 10.0;  // the right insole goes silent for 5 s
    if (!right_out) engine.push(insole_sample(1, Side::right, contacts, t + 0.004));
  }
  engine.finish();
  ASSERT_EQ(out.statuses.size(), 2u);
  EXPECT_EQ(out.statuses[0].stream_id, "right_insole");
  EXPECT_EQ(out.statuses[0].state, DeviceState::degraded);
  EXPECT_NEAR(out.statuses[0].t_s, 7.0, 0.6);
  EXPECT_EQ(out.statuses[1].state, DeviceState::streaming);
  EXPECT_NEAR(out.statuses[1].t_s, 10.0, 0.05);
  for (const auto& e : out.steps) {
    if (e.side == Side::right) {
      EXPECT_TRUE(e.t_ic_s < 5.0 || e.t_ic_s > 10.0);
    }
    // Left steps during the silence: no next IC of the right foot; missed
    // until the silence is known, then blamed on the right insole.
    if (e.side == Side::left && e.t_ic_s > 5.2 && e.t_ic_s < 9.5) {
      const auto why = e.flight_time_s.absent_reason;
      if (e.t_ic_s > out.statuses[0].t_s)
        EXPECT_EQ(why, AbsentReason::no_right_insole) << e.t_ic_s;
      else  // closed just before or after the silence became known
        EXPECT_TRUE(why == AbsentReason::not_detected || why == AbsentReason::no_right_insole) << e.t_ic_s;
    }
  }
}

TEST(Engine, NonFinitePressuresDegradeNotCrash) {
  Collected out;
  Engine engine({insole_stream(Side::left), insole_stream(Side::right)}, {}, out.callback());
  const auto contacts = alternating_contacts(0.5, 30, step_s, contact_s, heel_x_mm, heel_x_mm);
  for (int i = 0; i * 0.01 < 11.0; ++i) {
    const double t = 0.003 + i * 0.01;
    auto l = insole_sample(0, Side::left, contacts, t);
    if (i % 37 == 0) l.values[3] = std::numeric_limits<double>::quiet_NaN();
    if (i % 53 == 0) l.values[0] = std::numeric_limits<double>::infinity();
    engine.push(l);
    engine.push(insole_sample(1, Side::right, contacts, t + 0.004));
  }
  engine.finish();
  EXPECT_GE(out.steps.size(), 26u);
  ASSERT_FALSE(out.statuses.empty());
  EXPECT_EQ(out.statuses.front().stream_id, "left_insole");
  EXPECT_EQ(out.statuses.front().state, DeviceState::degraded);
  for (const auto& e : out.steps) {
    if (e.contact_time_s.present()) {
      EXPECT_NEAR(e.contact_time_s.value, contact_s, 0.012);
    } else {
      EXPECT_EQ(e.contact_time_s.absent_reason, AbsentReason::degraded_input);
    }
  }
}

TEST(Engine, PelvisWithoutMovementIsNotCalibratedAndAttitudeIsDecimated) {
  Collected out;
  EngineConfig config;
  config.attitude_event_rate_hz = 50.0;
  Engine engine({imu_stream(BodyLocation::pelvis, 200.0)}, config, out.callback());
  for (int i = 0; i < 400; ++i) {
    Sample s;
    s.stream = 0;
    s.t_s = i * 0.005;
    s.channel_count = 6;
    s.values[2] = standard_gravity_mps2;
    engine.push(s);
  }
  engine.finish();
  EXPECT_NEAR(static_cast<double>(out.attitudes.size()), 100.0, 2.0);
  for (const auto& a : out.attitudes) {
    EXPECT_EQ(a.calibration, CalibrationSource::none);
    const double norm = std::sqrt(a.orientation.w * a.orientation.w + a.orientation.x * a.orientation.x +
                                  a.orientation.y * a.orientation.y + a.orientation.z * a.orientation.z);
    EXPECT_NEAR(norm, 1.0, 1e-9);
  }
}

TEST(Engine, PelvisNonFiniteValuesAreReportedAndSkipped) {
  Collected out;
  Engine engine({imu_stream(BodyLocation::pelvis, 200.0)}, {}, out.callback());
  for (int i = 0; i < 200; ++i) {
    Sample s;
    s.stream = 0;
    s.t_s = i * 0.005;
    s.channel_count = 6;
    s.values[2] = i % 10 == 5 ? std::numeric_limits<double>::quiet_NaN() : standard_gravity_mps2;
    engine.push(s);
  }
  ASSERT_FALSE(out.statuses.empty());
  EXPECT_EQ(out.statuses.front().state, DeviceState::degraded);
  EXPECT_GE(out.attitudes.size(), 40u);
  for (const auto& a : out.attitudes) EXPECT_TRUE(std::isfinite(a.orientation.w));
}

TEST(Engine, RejectsBadStreamsConfigurationsAndSamples) {
  Collected out;
  EXPECT_THROW(Engine({insole_stream(Side::left), insole_stream(Side::left)}, {}, out.callback()),
               std::invalid_argument);
  EXPECT_THROW(Engine({imu_stream(BodyLocation::pelvis), imu_stream(BodyLocation::pelvis)}, {}, out.callback()),
               std::invalid_argument);
  auto broken = insole_stream(Side::right);
  broken.channels.pop_back();
  EXPECT_THROW(Engine({broken}, {}, out.callback()), std::invalid_argument);
  EngineConfig bad_speed;
  bad_speed.treadmill_speed_mps = -1.0;
  EXPECT_THROW(Engine({insole_stream(Side::left)}, bad_speed, out.callback()), std::invalid_argument);
  EXPECT_THROW(Engine({insole_stream(Side::left)}, {}, nullptr), std::invalid_argument);

  Engine engine({insole_stream(Side::left)}, {}, out.callback());
  Sample wrong_stream;
  wrong_stream.stream = 3;
  wrong_stream.channel_count = 8;
  EXPECT_THROW(engine.push(wrong_stream), std::invalid_argument);
  Sample wrong_channels;
  wrong_channels.stream = 0;
  wrong_channels.channel_count = 5;
  EXPECT_THROW(engine.push(wrong_channels), std::invalid_argument);
  Sample nan_time = insole_sample(0, Side::left, {}, 0.0);
  nan_time.t_s = std::numeric_limits<double>::quiet_NaN();
  EXPECT_NO_THROW(engine.push(nan_time));
  EXPECT_EQ(engine.late_samples(), 0u);
}

}  // namespace
}  // namespace stridefuse::fusion
