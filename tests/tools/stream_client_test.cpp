// The event stream checked from the client's side (issue 14): a live
// `stridefuse run` read by tests/tools/stream_client.py, which knows only
// the documents, the schema, pyzmq and `capnp decode`; and `stridefuse sub`'s
// files, latency report and refusals, as a lab user meets them.

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "../sdk/event_samples.hpp"
#include "stridefuse/runtime/curve_keys.hpp"
#include "stridefuse/runtime/session_recording.hpp"
#include "stridefuse/runtime/zmq_publisher.hpp"
#include "support/shell_command.hpp"
#include "support/cli_under_test.hpp"

namespace stridefuse {
namespace {

using namespace std::chrono_literals;
using testing::run_shell;

using stridefuse::testing::cli;
std::string source(const std::string& path) { return std::string(STRIDEFUSE_SOURCE_DIR) + "/" + path; }
std::string client() { return "/usr/bin/python3 " + source("tests/tools/stream_client.py"); }
std::string schema() { return source("sdk/runtime/schema/events.capnp"); }
std::string endpoint(int salt) { return "tcp://127.0.0.1:" + std::to_string(30000 + (getpid() * 13 + salt) % 9000); }

std::filesystem::path temp_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("stream_client_" + std::to_string(getpid()) + "_" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

/// `stridefuse run` on the simulated runner in the background, `after_s` later `command`, then both end.
std::string with_live_session(const std::string& e, double duration_s, double after_s, const std::string& command) {
  return "(" + cli() + " run --simulate --standing 0.5 --quiet --duration " + std::to_string(duration_s) +
         " --endpoint " + e + " 2>/dev/null & sleep " + std::to_string(after_s) + "; " + command + "; s=$?; wait; exit $s)";
}

bool have_capnp() { return run_shell("command -v capnp").exit_code == 0; }

/// Runs stream_client.py's `client_case` (with --endpoint and --schema) against a live session it joins `after_s` in.
void expect_client_case_ok(const std::string& client_case, int salt, double duration_s, double after_s,
                           const std::string& extra = "") {
  const auto e = endpoint(salt);
  const auto r = run_shell(with_live_session(
      e, duration_s, after_s, client() + " " + client_case + " --endpoint " + e + " --schema " + schema() + extra));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("OK: " + client_case), std::string::npos) << r.out;
}

TEST(StreamClient, ALateJoinerFollowingEventsMdHasEveryStreamsStateBeforeTheFirstLiveEvent) {
  if (!have_capnp()) GTEST_SKIP() << "capnp command line tool not installed";
  expect_client_case_ok("late-joiner", 1, 9, 2.3, " --streams 3");  // after two status rounds, three times
}

TEST(StreamClient, EveryEventCarriesItsProvenanceAndItsLatencyFollowsFromIt) {
  if (!have_capnp()) GTEST_SKIP() << "capnp command line tool not installed";
  expect_client_case_ok("provenance", 2, 6, 0.8);
}

TEST(StreamClient, SubPrintsJsonAStrictReaderTakes) {
  const auto e = endpoint(3);
  const auto r = run_shell(with_live_session(
      e, 4, 0.8, cli() + " sub --endpoint " + e + " --timeout 1.5 | " + client() + " strict-json"));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("OK: strict-json"), std::string::npos) << r.out;
}

TEST(SubFiles, CsvTablesPerKindRolledOverAreReadByPythonsCsvModule) {
  const auto dir = temp_dir("csv");
  const auto prefix = (dir / "run7").string();
  const auto e = endpoint(4);
  const auto r = run_shell(with_live_session(
      e, 5, 0.8,
      cli() + " sub --endpoint " + e + " --timeout 3 --format csv --output " + prefix + " --roll-mb 0.02 && " +
          client() + " csv-files --prefix " + prefix));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("OK: csv-files"), std::string::npos) << r.out;
  std::filesystem::remove_all(dir);
}

std::size_t lines_in(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) ++n;
  return n;
}

// The files are flushed at least twice a second: a subscriber killed with
// SIGKILL a second after the last event it received has it on disk.
TEST(SubFiles, ASubscriberKilledASecondAfterItsLastEventHasEveryEventInItsFiles) {
  const auto dir = temp_dir("killed");
  ZmqPublisherOptions o;
  o.endpoint = "tcp://127.0.0.1:*";
  o.athlete = "runner-7";
  ZmqPublisher pub(o);
  const auto pid_file = dir / "pid";
  const auto prefix = (dir / "lab").string();
  run_shell(cli() + " sub --endpoint " + pub.endpoint() + " --timeout 30 --format jsonl --output " + prefix +
            " >/dev/null 2>&1 & echo $! > " + pid_file.string());
  std::string pid;
  std::ifstream(pid_file) >> pid;
  ASSERT_FALSE(pid.empty());
  // Connected once a probe step reaches its file... which it writes only on a flush: wait for the subscription.
  for (int i = 0; i < 500 && pub.subscriptions() == 0; ++i) std::this_thread::sleep_for(10ms);
  ASSERT_GT(pub.subscriptions(), 0u);
  constexpr int steps = 250;
  for (int i = 0; i < steps; ++i) {
    pub.publish(test::sample_step());
    std::this_thread::sleep_for(1ms);
  }
  pub.flush();
  std::this_thread::sleep_for(1100ms);
  EXPECT_EQ(run_shell("kill -KILL " + pid).exit_code, 0);
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(lines_in(prefix + ".step.0001.jsonl"), static_cast<std::size_t>(steps));
  std::filesystem::remove_all(dir);
}

TEST(SubLatency, PrintsEachStagesDistributionFromTheProvenance) {
  const auto e = endpoint(5);
  const auto r = run_shell(with_live_session(e, 4, 0.8, cli() + " sub --endpoint " + e + " --timeout 2 --latency"));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  for (const auto* row : {"last sample's arrival -> fusion turn", "fusion turn -> published",
                          "last sample's arrival -> received here", "largest clock error bound of its streams"})
    EXPECT_NE(r.out.find(row), std::string::npos) << row << "\n" << r.out;
  EXPECT_EQ(r.out.find("\"kind\""), std::string::npos) << "--latency prints no events\n" << r.out;
  EXPECT_NE(r.out.find(" events, 0 without provenance"), std::string::npos) << "every live event has one\n" << r.out;
}

TEST(SubCurve, ARefusedKeyIsAnErrorSayingSoNotATimeout) {
  if (!curve_available()) GTEST_SKIP() << "libzmq without CURVE";
  const auto dir = temp_dir("curve");
  const auto server = make_curve_keypair(), allowed = make_curve_keypair(), stranger = make_curve_keypair();
  std::ofstream(dir / "server.secret") << server.secret_key << "\n";
  std::ofstream(dir / "allowed.pub") << allowed.public_key << "\n";
  std::ofstream(dir / "stranger.secret") << stranger.secret_key << "\n";
  const auto e = endpoint(6);
  const std::string publisher = cli() + " run --simulate --quiet --duration 6 --endpoint " + e +
                                " --curve-secret-file " + (dir / "server.secret").string() + " --allow-key-file " +
                                (dir / "allowed.pub").string();
  const auto refused = run_shell("(" + publisher + " 2>" + (dir / "pub.log").string() + " & sleep 0.5; " + cli() +
                                 " sub --endpoint " + e + " --count 1 --timeout 4 --curve-server-key '" +
                                 server.public_key + "' --curve-secret-file " + (dir / "stranger.secret").string() +
                                 "; s=$?; " + cli() + " sub --endpoint " + e + " --count 1 --timeout 4; t=$?; wait; " +
                                 "echo exits $s $t)");
  EXPECT_NE(refused.out.find("not on the publisher's allow-list"), std::string::npos) << refused.out;
  EXPECT_NE(refused.out.find("uses CURVE encryption"), std::string::npos) << refused.out;
  EXPECT_NE(refused.out.find("exits 1 1"), std::string::npos) << refused.out;
  EXPECT_EQ(refused.out.find("timed out"), std::string::npos) << refused.out;
  std::ifstream log(dir / "pub.log");
  const std::string logged((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  EXPECT_NE(logged.find("refused a CURVE subscriber from 127.0.0.1"), std::string::npos) << logged;
  EXPECT_NE(logged.find("refused a subscriber from 127.0.0.1:"), std::string::npos) << "the plaintext one\n" << logged;
  std::filesystem::remove_all(dir);
}

// The case: a subscriber connected before `replay --speed 0` missed
// its first events. With --wait-subscribers it gets every one.
TEST(ReplayWait, ASubscriberStartedFirstGetsEveryEventOfAReplayAsFastAsPossible) {
  const auto dir = temp_dir("replay");
  const auto recording = (dir / "live.sfrec").string();
  const auto e = endpoint(7);
  ASSERT_EQ(run_shell(cli() + " record --simulate --duration 3 --standing 0.5 --quiet --endpoint " + endpoint(8) +
                      " --output " + recording)
                .exit_code,
            0);
  const auto events = read_session_recording(recording).events.size();
  for (int run = 0; run < 3; ++run) {
    const auto r = run_shell("(" + cli() + " sub --endpoint " + e + " --count " + std::to_string(events) +
                             " --timeout 30 > " + (dir / "sub.jsonl").string() + " & sleep 0.3; " + cli() +
                             " replay " + recording + " --speed 0 --wait-subscribers 1 --endpoint " + e +
                             "; s=$?; wait $!; echo exits $s $?)");
    EXPECT_NE(r.out.find("exits 0 0"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("lost"), std::string::npos) << r.out;
    EXPECT_EQ(lines_in(dir / "sub.jsonl"), events) << r.out;
  }
  const auto usage = run_shell(cli() + " replay --help");
  EXPECT_NE(usage.out.find("[--speed X]"), std::string::npos) << usage.out;
  const auto nobody = run_shell(cli() + " replay " + recording + " --speed 0 --wait-subscribers 1 --wait-timeout 0.3 "
                                "--endpoint " + e);
  EXPECT_EQ(nobody.exit_code, 1) << nobody.out;
  EXPECT_NE(nobody.out.find("0 of 1 subscribers came"), std::string::npos) << nobody.out;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace stridefuse
