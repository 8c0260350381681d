// sf_analyze_findings (issue 15): the findings and the foot-strike/pelvis
// relation of an analysis in C structs, and the names of their enums.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include <stridefuse/stridefuse.h>

#include "support/shell_command.hpp"

namespace {

namespace fs = std::filesystem;

fs::path root() { return fs::temp_directory_path() / ("stridefuse_c_findings_" + std::to_string(getpid())); }

TEST(CFindings, AnAsymmetricDropRunHasItsFindingAndTheRelations) {
  fs::remove_all(root());
  const auto rec = root() / "recording";
  const auto r = stridefuse::testing::run_shell(
      std::string(STRIDEFUSE_CLI) + " simulate --duration 150 --seed 3 --foot-strike-distance 0.15 --tilt-offset 3"
                                    " --drop 4 --drop-asymmetry 40 --out " + rec.string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  // First without room: the counts alone.
  size_t findings = 99, relations = 99;
  ASSERT_EQ(sf_analyze_findings(rec.c_str(), (root() / "a").c_str(), 3.5, 0.0, 0.95, nullptr, 0, &findings, nullptr, 0,
                                &relations),
            SF_OK)
      << sf_last_error_message();
  ASSERT_EQ(findings, 1u);
  EXPECT_GE(relations, 12u);  // 3 windows of 30 steps and the session, 2 sides, 2 predictors
  std::vector<sf_finding_event> f(findings);
  std::vector<sf_relation> rel(relations);
  ASSERT_EQ(sf_analyze_findings(rec.c_str(), (root() / "b").c_str(), 3.5, 0.0, 0.95, f.data(), f.size(), &findings,
                                rel.data(), rel.size(), &relations),
            SF_OK)
      << sf_last_error_message();
  EXPECT_EQ(f[0].code, SF_FINDING_ASYMMETRY);
  EXPECT_STREQ(sf_finding_code_name(f[0].code), "asymmetry");
  EXPECT_EQ(f[0].side, SF_FINDING_LEFT);
  EXPECT_EQ(f[0].state, SF_FINDING_ENDED);
  EXPECT_STREQ(f[0].metric, "pelvic_drop_deg");
  EXPECT_STREQ(f[0].unit, "%");
  EXPECT_GT(f[0].value, 20.0);
  EXPECT_EQ(f[0].threshold, 10.0);
  EXPECT_LT(f[0].t_start_s, f[0].t_end_s);
  EXPECT_NE(std::string(f[0].message).find("Pelvic drop: left"), std::string::npos) << f[0].message;
  std::size_t sessions = 0;
  for (const auto& x : rel) {
    sessions += static_cast<std::size_t>(x.whole_session);
    EXPECT_LE(x.slope_ci_low_cm_per_deg, x.slope_cm_per_deg);
    EXPECT_GE(x.slope_ci_high_cm_per_deg, x.slope_cm_per_deg);
    EXPECT_GE(x.steps, 20u);
  }
  EXPECT_EQ(sessions, 4u);
  EXPECT_EQ(rel.back().whole_session, 1);  // windows first, then the session
  fs::remove_all(root());
}

TEST(CFindings, BadArgumentsAreRefused) {
  size_t n = 0;
  EXPECT_EQ(sf_analyze_findings("x", "y", 0.0, 0.0, -1.0, nullptr, 0, &n, nullptr, 0, nullptr),
            SF_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(sf_last_error_message()).find("leg_length_m"), std::string::npos);
  EXPECT_EQ(sf_analyze_findings("x", "y", 0.0, 0.0, 0.0, nullptr, 1, &n, nullptr, 0, nullptr), SF_ERROR_NULL_ARGUMENT);
  EXPECT_STREQ(sf_finding_side_name(SF_FINDING_BOTH), "both");
  EXPECT_STREQ(sf_finding_state_name(SF_FINDING_STARTED), "started");
  EXPECT_STREQ(sf_finding_code_name(7), "unknown");
  EXPECT_STREQ(sf_event_kind_name(SF_EVENT_FINDING), "finding");
}

}  // namespace
