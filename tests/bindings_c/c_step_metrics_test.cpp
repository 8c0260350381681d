// A step as the C API shows it: sf_step_event and the metric ids are
// generated from the SDK's step table, the members of 0.1 keep their place
// (programs built against it keep working), and sf_step_metric reaches every
// metric by number.

#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <cstring>
#include <set>
#include <string>

#include <stridefuse/stridefuse.h>

namespace {

// The layout of 0.1's hand-written sf_step_event: new metrics are appended, these never move.
static_assert(offsetof(sf_step_event, side) == 0 && offsetof(sf_step_event, index) == 4);
static_assert(offsetof(sf_step_event, t_ic_s) == 8 && offsetof(sf_step_event, t_to_s) == 16);
static_assert(offsetof(sf_step_event, contact_time_s) == 24 && offsetof(sf_step_event, flight_time_s) == 40);
static_assert(offsetof(sf_step_event, cadence_spm) == 56 && offsetof(sf_step_event, strike_index_pct) == 72);
static_assert(offsetof(sf_step_event, strike_pattern) == 88);
static_assert(offsetof(sf_step_event, foot_strike_distance_m) == 96 && offsetof(sf_step_event, braking_time_s) == 112);
static_assert(offsetof(sf_step_event, step_length_m) == 128 && offsetof(sf_step_event, tilt_ic_deg) == 144);
static_assert(offsetof(sf_step_event, obliquity_ic_deg) == 160 && offsetof(sf_step_event, rotation_ic_deg) == 176);
static_assert(offsetof(sf_step_event, pelvic_drop_deg) == 192 &&
              offsetof(sf_step_event, vertical_oscillation_m) == 208);
static_assert(SF_STEP_METRIC_CONTACT_TIME_S == 0 && SF_STEP_METRIC_VERTICAL_OSCILLATION_M == 11);

sf_metric present(double v) { return sf_metric{v, 1, SF_ABSENT_NONE}; }

TEST(CStepMetrics, EachIdReachesTheMemberOfItsName) {
  sf_step_event step;
  std::memset(&step, 0, sizeof step);
  step.contact_time_s = present(0.25);
  step.cadence_spm = present(172.5);
  step.pelvic_drop_deg = sf_metric{std::nan(""), 0, SF_ABSENT_NOT_CALIBRATED};
  step.vertical_oscillation_m = present(0.081);

  sf_metric m;
  ASSERT_EQ(sf_step_metric(&step, SF_STEP_METRIC_CONTACT_TIME_S, &m), SF_OK);
  EXPECT_EQ(m.value, 0.25);
  ASSERT_EQ(sf_step_metric(&step, SF_STEP_METRIC_CADENCE_SPM, &m), SF_OK);
  EXPECT_EQ(m.value, 172.5);
  ASSERT_EQ(sf_step_metric(&step, SF_STEP_METRIC_PELVIC_DROP_DEG, &m), SF_OK);
  EXPECT_EQ(m.present, 0);
  EXPECT_EQ(m.absent_reason, SF_ABSENT_NOT_CALIBRATED);
  ASSERT_EQ(sf_step_metric(&step, SF_STEP_METRIC_VERTICAL_OSCILLATION_M, &m), SF_OK);
  EXPECT_EQ(m.value, 0.081);

  EXPECT_STREQ(sf_step_metric_name(SF_STEP_METRIC_CONTACT_TIME_S), "contact_time_s");
  EXPECT_STREQ(sf_step_metric_unit(SF_STEP_METRIC_CONTACT_TIME_S), "s");
  EXPECT_STREQ(sf_step_metric_name(SF_STEP_METRIC_CADENCE_SPM), "cadence_spm");
  EXPECT_STREQ(sf_step_metric_unit(SF_STEP_METRIC_CADENCE_SPM), "steps/min");
  EXPECT_STREQ(sf_step_metric_name(SF_STEP_METRIC_VERTICAL_OSCILLATION_M), "vertical_oscillation_m");
}

TEST(CStepMetrics, EveryIdHasItsOwnNameAndAUnit) {
  std::set<std::string> names;
  for (int id = 0; id < SF_STEP_METRIC_COUNT; ++id) {
    const std::string name = sf_step_metric_name(id);
    EXPECT_TRUE(names.insert(name).second) << name;
    EXPECT_NE(name, "unknown");
    EXPECT_STRNE(sf_step_metric_unit(id), "unknown") << name;
    EXPECT_GT(std::strlen(sf_step_metric_unit(id)), 0u) << name;
  }
}

TEST(CStepMetrics, OutOfRangeIdsAndNullPointersAreErrors) {
  sf_step_event step;
  std::memset(&step, 0, sizeof step);
  sf_metric m;
  EXPECT_EQ(sf_step_metric(&step, SF_STEP_METRIC_COUNT, &m), SF_ERROR_NOT_FOUND);
  EXPECT_NE(std::string(sf_last_error_message()).find("no step metric"), std::string::npos) << sf_last_error_message();
  EXPECT_EQ(sf_step_metric(&step, -1, &m), SF_ERROR_NOT_FOUND);
  EXPECT_EQ(sf_step_metric(nullptr, 0, &m), SF_ERROR_NULL_ARGUMENT);
  EXPECT_EQ(sf_step_metric(&step, 0, nullptr), SF_ERROR_NULL_ARGUMENT);
  EXPECT_STREQ(sf_step_metric_name(SF_STEP_METRIC_COUNT), "unknown");
  EXPECT_STREQ(sf_step_metric_unit(-1), "unknown");
}

}  // namespace
