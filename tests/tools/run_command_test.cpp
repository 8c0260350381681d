// `stridefuse run` as a user runs it: steps printed, events published, and
// every wrong command line answered with a message and a non-zero exit.

#include <gtest/gtest.h>
#include <unistd.h>

#include <zmq.hpp>

#include "support/shell_command.hpp"
#include "support/cli_under_test.hpp"

namespace {

using stridefuse::testing::run_shell;
using stridefuse::testing::cli;
using stridefuse::testing::any_port;

std::string free_endpoint(int salt) { return "tcp://127.0.0.1:" + std::to_string(41000 + (getpid() * 7 + salt) % 9000); }

TEST(RunCommand, PrintsOneLinePerStepAndEndsAfterTheDuration) {
  const auto r = run_shell(cli() + " run --simulate --duration 4 --standing 0.5 --seed 3 --endpoint " + any_port());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("step    0 L"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("step    1 R"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("contact 2"), std::string::npos) << "contact times of 200-299 ms\n" << r.out;
  EXPECT_NE(r.out.find("session ended:"), std::string::npos) << r.out;
}

TEST(RunCommand, ASimulatedRunnerWithoutInsolesIsTimedByThePelvis) {
  // The pelvis decides a contact 3 s after it: 8 s of running give steps.
  const auto r =
      run_shell(cli() + " run --simulate --sensor-set pelvis --duration 9 --standing 0.5 --seed 3 --endpoint " + any_port());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("running (pelvis)"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("(insole)"), std::string::npos) << r.out;
}

TEST(RunCommand, WrongCommandLinesGiveAMessageAndExitCodeTwo) {
  struct Case {
    std::string args;
    std::string message;
  };
  for (const auto& c : std::vector<Case>{
           {"run --bogus", "unrecognised option '--bogus'"},
           {"run --duration", "--duration"},
           {"run --simulate --duration abc", "duration"},
           {"run --simulate --duration -2", "--duration must not be negative"},
           {"run", "use --simulate"},
           {"run --device tcp:127.0.0.1:1 --sensor-set pelvis", "go with --simulate"},
           {"frobnicate", "unknown command 'frobnicate'"},
       }) {
    const auto r = run_shell(cli() + " " + c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.out;
    EXPECT_NE(r.out.find(c.message), std::string::npos) << c.args << "\n" << r.out;
  }
}

TEST(RunCommand, AnEndpointInUseIsAClearErrorNotAHang) {
  zmq::context_t context;
  zmq::socket_t holder(context, zmq::socket_type::pub);
  const auto endpoint = free_endpoint(2);
  holder.bind(endpoint);
  const auto r = run_shell("timeout 20 " + cli() + " run --simulate --duration 2 --endpoint " + endpoint);
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find(endpoint), std::string::npos) << r.out;
}

TEST(RunCommand, AnInvalidSimulatedRunnerParameterIsNamed) {
  const auto r = run_shell(cli() + " run --simulate --duration 1 --speed 50 --endpoint " + any_port());
  EXPECT_NE(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("speed"), std::string::npos) << r.out;
  const auto sensors = run_shell(cli() + " run --simulate --duration 1 --sensor-set foot --endpoint " + any_port());
  EXPECT_NE(sensors.exit_code, 0) << sensors.out;
  EXPECT_NE(sensors.out.find("'foot' is not pelvis, left or right"), std::string::npos) << sensors.out;
}

// A runner at 150 steps/min (below cadence_low's 166): the finding's start is
// printed among the steps, and its end when the session stops.
TEST(RunCommand, PrintsAFindingWhenItStartsAndEnds) {
  // It needs 10 windows of 60 steps: about 30 s of running, in real time.
  const auto r = run_shell(cli() + " run --device 'sim:runner?cadence_spm=150&standing_s=0.5&seed=3' --duration 36 --endpoint " +
                           any_port());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("finding started cadence_low (both) t="), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("finding ended cadence_low (both)"), std::string::npos) << r.out;
}

TEST(RunCommand, HelpDescribesTheOptions) {
  const auto r = run_shell(cli() + " run --help");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  for (const char* option : {"--simulate", "--duration", "--endpoint", "--athlete"})
    EXPECT_NE(r.out.find(option), std::string::npos) << option;
}

}  // namespace
