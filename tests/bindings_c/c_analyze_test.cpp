// sf_analyze on a recording written by `stridefuse simulate`, and its errors.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include <stridefuse/stridefuse.h>

#include "support/shell_command.hpp"

namespace {

namespace fs = std::filesystem;

std::size_t lines_in(const fs::path& path) {
  std::ifstream in(path);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) ++n;
  return n;
}

class CAnalyze : public ::testing::Test {
 protected:
  static fs::path root() { return fs::temp_directory_path() / ("stridefuse_c_analyze_" + std::to_string(getpid())); }
  static fs::path recording() { return root() / "recording"; }

  static void SetUpTestSuite() {
    fs::remove_all(root());
    const auto r = stridefuse::testing::run_shell(std::string(STRIDEFUSE_CLI) + " simulate --duration 20 --standing 3 --out " +
                                                  recording().string());
    simulate_ok = r.exit_code == 0;
    simulate_log = r.out;
  }
  static void TearDownTestSuite() { fs::remove_all(root()); }
  void SetUp() override { ASSERT_TRUE(simulate_ok) << simulate_log; }

  static inline bool simulate_ok = false;
  static inline std::string simulate_log;
};

TEST_F(CAnalyze, WritesTheAnalysisOfARecordingDirectory) {
  const fs::path out = root() / "analysis";
  size_t steps = 0;
  ASSERT_EQ(sf_analyze_with(recording().c_str(), out.c_str(), 3.5, 70.0, &steps), SF_OK) << sf_last_error_message();
  EXPECT_GT(steps, 40u);  // 17 s of running at 170 steps/min
  for (const char* f : {"attitude.csv", "steps.csv", "events.jsonl", "report.html"})
    EXPECT_TRUE(fs::exists(out / f)) << f;
  EXPECT_EQ(lines_in(out / "steps.csv"), steps + 1);  // a header and one row per step

  const fs::path plain = root() / "plain";
  ASSERT_EQ(sf_analyze(recording().c_str(), plain.c_str()), SF_OK) << sf_last_error_message();
  EXPECT_EQ(lines_in(plain / "steps.csv"), steps + 1);
}

TEST_F(CAnalyze, MissingInputIsNotFound) {
  const fs::path out = root() / "never";
  EXPECT_EQ(sf_analyze((root() / "no-such-dir").c_str(), out.c_str()), SF_ERROR_NOT_FOUND);
  EXPECT_NE(std::string(sf_last_error_message()).find("no-such-dir"), std::string::npos) << sf_last_error_message();
  const fs::path empty = root() / "empty";
  fs::create_directories(empty);
  EXPECT_EQ(sf_analyze(empty.c_str(), out.c_str()), SF_ERROR_NOT_FOUND);
  EXPECT_NE(std::string(sf_last_error_message()).find("pelvis.csv"), std::string::npos) << sf_last_error_message();
  EXPECT_FALSE(fs::exists(out));
}

TEST_F(CAnalyze, InconsistentOrMalformedInputsAreNamed) {
  EXPECT_EQ(sf_analyze(nullptr, "x"), SF_ERROR_NULL_ARGUMENT);
  EXPECT_EQ(sf_analyze(recording().c_str(), nullptr), SF_ERROR_NULL_ARGUMENT);
  const fs::path out = (root() / "never").string();
  EXPECT_EQ(sf_analyze_with(recording().c_str(), out.c_str(), -1.0, 0.0, nullptr), SF_ERROR_INVALID_ARGUMENT);

  // An insole without its layout.
  const fs::path no_layout = root() / "no_layout";
  fs::create_directories(no_layout);
  fs::copy_file(recording() / "pelvis.csv", no_layout / "pelvis.csv");
  fs::copy_file(recording() / "left.csv", no_layout / "left.csv");
  EXPECT_EQ(sf_analyze(no_layout.c_str(), out.c_str()), SF_ERROR_INVALID_ARGUMENT) << sf_last_error_message();

  // A pelvis file that is not a CSV of numbers.
  const fs::path malformed = root() / "malformed";
  fs::create_directories(malformed);
  std::ofstream(malformed / "pelvis.csv") << "t,ax,ay,az,gx,gy,gz\n0,1,2,three,4,5,6\n";
  EXPECT_EQ(sf_analyze(malformed.c_str(), out.c_str()), SF_ERROR_IO);
  EXPECT_NE(std::string(sf_last_error_message()).find("pelvis.csv"), std::string::npos) << sf_last_error_message();
}

}  // namespace
