// examples/c_live_session, the C program on the C API, runs and prints one
// well-formed line per step and a closing line whose count matches.

#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <string>

#include "support/shell_command.hpp"

namespace {

TEST(CExample, PrintsOneWellFormedLinePerStep) {
  const auto r = stridefuse::testing::run_shell(std::string(STRIDEFUSE_C_EXAMPLE) + " 4");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const std::regex step_line(
      R"(step (\d+) (left|right) t_ic=\d+\.\d{3} s contact=(\d+\.\d{3} s|absent\([a-z_]+\)) )"
      R"(cadence=(\d+\.\d{3} spm|absent\([a-z_]+\)))");
  const std::regex end_line(R"(session ended after (\d+) steps \((\d+) events dropped\))");
  std::istringstream lines(r.out);
  std::size_t steps = 0, contacts = 0;
  bool ended = false;
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_match(line, m, step_line)) {
      ASSERT_FALSE(ended) << "step after the end line: " << line;
      EXPECT_EQ(std::stoul(m[1]), steps) << line;
      ++steps;
      if (m[3].str().rfind("absent", 0) != 0) ++contacts;
    } else if (std::regex_match(line, m, end_line)) {
      ended = true;
      EXPECT_EQ(std::stoul(m[1]), steps) << r.out;
      EXPECT_EQ(m[2], "0") << r.out;
    } else {
      ADD_FAILURE() << "unexpected line: '" << line << "'";
    }
  }
  EXPECT_TRUE(ended) << r.out;
  EXPECT_GT(steps, 0u) << r.out;
  EXPECT_GT(contacts, 0u) << r.out;
}

TEST(CExample, RejectsABadDuration) {
  const auto r = stridefuse::testing::run_shell(std::string(STRIDEFUSE_C_EXAMPLE) + " -1");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("usage"), std::string::npos) << r.out;
}

}  // namespace
