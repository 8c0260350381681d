// The Python module as a user meets it: /usr/bin/python3 imports it from the
// build tree (PYTHONPATH) and runs the check scripts next to this file, and
// the two Python examples run end to end, the subscriber against a real
// `stridefuse run --simulate`. Each script prints "OK:" when all its checks hold.

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "support/shell_command.hpp"

namespace {

namespace fs = std::filesystem;
using stridefuse::testing::run_shell;
using stridefuse::testing::ShellResult;

const std::string test_dir = std::string(STRIDEFUSE_SOURCE_DIR) + "/tests/bindings_python";
const std::string examples_dir = std::string(STRIDEFUSE_SOURCE_DIR) + "/examples";

ShellResult python(const std::string& args) {
  return run_shell(std::string("PYTHONPATH=") + STRIDEFUSE_PYTHON_MODULE_DIR + " " + STRIDEFUSE_PYTHON + " " + args);
}

/// A directory of its own per test process, removed at the end.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& name)
      : path_(fs::temp_directory_path() / (name + "_" + std::to_string(getpid()))) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~ScratchDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

/// A loopback TCP port nobody listens on now (the kernel's choice for port 0).
int free_loopback_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  int port = -1;
  if (fd >= 0 && bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0)
    port = ntohs(address.sin_port);
  if (fd >= 0) close(fd);
  return port;
}

/// Runs a check script of this folder; it prints "OK:" when all its checks held.
void expect_checks_pass(const std::string& script_and_args) {
  const auto r = python(test_dir + "/" + script_and_args);
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("OK:"), std::string::npos) << r.out;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

TEST(PythonModule, ImportsFromTheBuildTreeWithItsApi) {
  const auto r = python(
      "-c \"import stridefuse as s; print(s.__file__); "
      "print(all(hasattr(s, n) for n in ('Session', 'Subscriber', 'analyze', 'simulate', 'decode_event', "
      "'DecodeError', 'RecordingFileError')), issubclass(s.DecodeError, ValueError))\"");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find(STRIDEFUSE_PYTHON_MODULE_DIR), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("True True"), std::string::npos) << r.out;
}

TEST(PythonModule, DecodesMessagesWrittenByCapnpEncodeAndRejectsBadBytes) {
  if (run_shell("command -v capnp").exit_code != 0) GTEST_SKIP() << "capnp command line tool not installed";
  expect_checks_pass(std::string("decode_checks.py ") + STRIDEFUSE_SOURCE_DIR + "/sdk/runtime/schema/events.capnp");
}

TEST(PythonModule, SimulatedSessionIteratesStartStepsAndEnd) { expect_checks_pass("session_checks.py iterate"); }

TEST(PythonModule, CallbackEventsEqualTheSameEventsDecodedFromZeroMq) { expect_checks_pass("session_checks.py wire"); }

TEST(PythonModule, BadArgumentsAndCallbackErrorsBecomePythonExceptions) { expect_checks_pass("session_checks.py errors"); }

TEST(PythonModule, AnalyzeReturnsNumpyTablesMatchingTheFilesItWrites) {
  const ScratchDir work("stridefuse_python_analysis");
  expect_checks_pass("analysis_checks.py " + work.path().string());
}

TEST(PythonModule, ADrillSessionGivesRepsPelvisMovedAndTheSet) { expect_checks_pass("drill_checks.py live"); }

TEST(PythonModule, DrillArgumentsAreCheckedByName) { expect_checks_pass("drill_checks.py errors"); }

TEST(PythonModule, AnalyzeDrillFindsTheRepsOfRecordedFiles) {
  const ScratchDir work("stridefuse_python_drill");
  const auto rec = work.path() / "rec";
  const auto sim = run_shell(std::string(STRIDEFUSE_CLI) + " simulate --drill pigeon --side left --reps 5 --seed 3 --out " +
                             rec.string());
  ASSERT_EQ(sim.exit_code, 0) << sim.out;
  expect_checks_pass("drill_checks.py files " + rec.string() + " " + (work.path() / "out").string());
}

TEST(PythonModule, InstallsWhereItsPythonImportsItFromThePrefix) {
  const ScratchDir prefix("stridefuse_python_install");
  const auto install = run_shell(std::string(STRIDEFUSE_CMAKE_COMMAND) + " --install " + STRIDEFUSE_BINARY_DIR +
                                 " --component python --prefix " + prefix.path().string());
  ASSERT_EQ(install.exit_code, 0) << install.out;
  const fs::path site = prefix.path() / STRIDEFUSE_PYTHON_INSTALL_DIR;
  // The installed module, not the build tree's: only the prefix on the path.
  const auto r = run_shell("cd " + prefix.path().string() + " && PYTHONPATH=" + site.string() + " " +
                           STRIDEFUSE_PYTHON + " " + examples_dir +
                           "/python_offline_analysis/analyze.py --simulate 15 && PYTHONPATH=" + site.string() + " " +
                           STRIDEFUSE_PYTHON + " -c 'import stridefuse; print(stridefuse.__file__)'");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find(" steps: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(site.string() + "/stridefuse."), std::string::npos) << r.out;
}

TEST(PythonExamples, SubscriberPrintsTheDecodedEventsOfALiveRun) {
  const int port = free_loopback_port();
  ASSERT_GT(port, 0);
  const std::string endpoint = "tcp://127.0.0.1:" + std::to_string(port);
  const ScratchDir work("stridefuse_python_subscriber");
  const fs::path run_log = work.path() / "run.log";
  const std::string subscriber = std::string("PYTHONPATH=") + STRIDEFUSE_PYTHON_MODULE_DIR + " " +
                                 STRIDEFUSE_PYTHON + " " + examples_dir +
                                 "/python_subscriber/subscriber.py --timeout 30 --topic lab-7/ --endpoint " + endpoint;
  const std::string runner = std::string(STRIDEFUSE_CLI) +
                             " run --simulate --duration 6 --standing 1 --quiet --athlete lab-7 --endpoint " +
                             endpoint + " > " + run_log.string() + " 2>&1";
  // The subscriber connects first; ZeroMQ reconnects until the publisher binds.
  const auto r = run_shell("( " + subscriber + " ) & sleep 1; " + runner + "; wait $!");
  std::ifstream log(run_log);
  const std::string run_output((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  ASSERT_EQ(r.exit_code, 0) << r.out << "\nstridefuse run:\n" << run_output;

  std::smatch end;
  ASSERT_TRUE(std::regex_search(r.out, end, std::regex(R"(session_end +#\d+ +t= *[0-9.]+s (\d+) steps)"))) << r.out;
  const std::size_t steps = count(r.out, "\nstep ");
  EXPECT_GE(steps, 5u) << r.out;
  EXPECT_EQ(std::to_string(steps), end[1].str()) << r.out;
  const std::regex step_line(R"(step +#\d+ +t= *[0-9.]+s step \d+ (left |right) contact (\d+)ms cadence (\d+)spm)");
  std::size_t checked = 0;
  for (std::sregex_iterator it(r.out.begin(), r.out.end(), step_line), stop; it != stop; ++it, ++checked) {
    EXPECT_GE(std::stoi((*it)[2]), 150) << it->str();
    EXPECT_LE(std::stoi((*it)[2]), 350) << it->str();
  }
  EXPECT_EQ(checked, steps) << r.out;
  EXPECT_NE(r.out.find("device_status"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(", 0 lost in transit"), std::string::npos) << r.out;
  // The run's own count, from the publisher's side.
  EXPECT_NE(run_output.find("session ended: " + end[1].str() + " steps"), std::string::npos) << run_output;
}

TEST(PythonExamples, OfflineAnalysisPrintsPerSideStatisticsOfASimulatedRun) {
  const auto r = python(examples_dir + "/python_offline_analysis/analyze.py --simulate 40 --speed 3.0");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex(R"((\d+) steps: (\d+) left, (\d+) right)"))) << r.out;
  EXPECT_GE(std::stoi(m[2]), 40) << r.out;
  EXPECT_LE(std::abs(std::stoi(m[2]) - std::stoi(m[3])), 1) << r.out;
  ASSERT_TRUE(std::regex_search(
      r.out, m, std::regex(R"(cadence_spm +([0-9.]+) \+- [0-9.e+-]+ spm \(\d+\) +([0-9.]+) \+- [0-9.e+-]+ spm)")))
      << r.out;
  EXPECT_NEAR(std::stod(m[1]), 170.0, 5.0) << r.out;
  EXPECT_NEAR(std::stod(m[2]), 170.0, 5.0) << r.out;
  EXPECT_NE(r.out.find("strike patterns: rearfoot"), std::string::npos) << r.out;
}

TEST(PythonExamples, OfflineAnalysisOfARecordingsDirAgreesWithTheCli) {
  const ScratchDir work("stridefuse_python_offline");
  const std::string rec = (work.path() / "rec").string();
  const auto sim = run_shell(std::string(STRIDEFUSE_CLI) + " simulate --duration 30 --seed 9 --out " + rec);
  ASSERT_EQ(sim.exit_code, 0) << sim.out;
  const auto cli = run_shell(std::string(STRIDEFUSE_CLI) + " analyze --pelvis " + rec + "/pelvis.csv --left " + rec +
                             "/left.csv --left-layout " + rec + "/left_layout.json --right " + rec +
                             "/right.csv --right-layout " + rec + "/right_layout.json --speed 3.5 --out " +
                             (work.path() / "cli").string());
  ASSERT_EQ(cli.exit_code, 0) << cli.out;
  const auto py = python(examples_dir + "/python_offline_analysis/analyze.py --recordings " + rec +
                         " --speed 3.5 --out " + (work.path() / "py").string());
  ASSERT_EQ(py.exit_code, 0) << py.out;
  std::smatch c, p;
  ASSERT_TRUE(std::regex_search(cli.out, c, std::regex(R"(analyzed (\d+) steps)"))) << cli.out;
  ASSERT_TRUE(std::regex_search(py.out, p, std::regex(R"((\d+) steps: )"))) << py.out;
  EXPECT_EQ(c[1].str(), p[1].str()) << cli.out << py.out;
  std::ifstream a(work.path() / "cli" / "steps.csv"), b(work.path() / "py" / "steps.csv");
  const std::string cli_steps((std::istreambuf_iterator<char>(a)), std::istreambuf_iterator<char>());
  const std::string py_steps((std::istreambuf_iterator<char>(b)), std::istreambuf_iterator<char>());
  EXPECT_FALSE(cli_steps.empty());
  EXPECT_EQ(cli_steps, py_steps);

  const auto bad = python(examples_dir + "/python_offline_analysis/analyze.py --recordings " +
                          (work.path() / "nothing").string());
  EXPECT_EQ(bad.exit_code, 1) << bad.out;
  EXPECT_NE(bad.out.find("not a directory"), std::string::npos) << bad.out;
}

}  // namespace
