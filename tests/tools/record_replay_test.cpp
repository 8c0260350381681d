// `stridefuse record` then `stridefuse replay`, as a user runs them: the
// replay says the events are identical; bad files and bad flags are answered
// with a message and exit code 1 or 2.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>

#include "stridefuse/runtime/session_recording.hpp"
#include "support/shell_command.hpp"
#include "support/cli_under_test.hpp"

namespace {

using stridefuse::testing::run_shell;
using stridefuse::testing::cli;

std::string endpoint(int salt) { return "tcp://127.0.0.1:" + std::to_string(42000 + (getpid() * 11 + salt) % 9000); }

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("sfrec_cli_" + std::to_string(getpid()) + "_" + name)).string();
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class RecordReplayCommands : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const auto r = run_shell(cli() + " record --simulate --duration 3 --standing 0.5 --seed 5 --quiet --endpoint " +
                             endpoint(1) + " --output " + recording());
    ASSERT_EQ(r.exit_code, 0) << r.out;
  }
  static void TearDownTestSuite() { std::filesystem::remove(recording()); }
  static std::string recording() { return temp_path("live.sfrec"); }
};

TEST_F(RecordReplayCommands, ReplayAsFastAsPossibleIsIdenticalToTheLiveSession) {
  const auto r = run_shell(cli() + " replay " + recording() + " --speed 0 --endpoint " + endpoint(2));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("identical: all "), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("cut at byte"), std::string::npos) << r.out;
}

// At the recorded pace: the subscriber can only connect once replay has bound
// the endpoint, and as fast as possible the steps would be gone by then.
TEST_F(RecordReplayCommands, ReplayPublishesTheEventsOnItsEndpoint) {
  const auto e = endpoint(3);
  const auto r = run_shell("(" + cli() + " sub --endpoint " + e + " --topic athlete/step --count 2 --timeout 20 & " +
                           "sleep 1; " + cli() + " replay " + recording() + " --speed 1 --endpoint " + e +
                           " >/dev/null; wait)");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("\"kind\":\"step\""), std::string::npos) << r.out;
}

TEST_F(RecordReplayCommands, ATruncatedRecordingReplaysUpToItsCutAndSaysWhere) {
  const auto whole = read_bytes(recording());
  const auto path = temp_path("cut.sfrec");
  // Inside a frame's header two thirds in (a cut on a frame's boundary would leave a whole file):
  // frames after the 8-byte magic are type u8, length u32 LE, crc u32, payload.
  std::size_t frame = 8;
  while (frame < whole.size() * 2 / 3) {
    const auto* p = reinterpret_cast<const unsigned char*>(whole.data()) + frame + 1;
    frame += 9 + (std::size_t{p[0]} | std::size_t{p[1]} << 8 | std::size_t{p[2]} << 16 | std::size_t{p[3]} << 24);
  }
  ASSERT_LT(frame + 3, whole.size());
  const std::size_t cut = frame + 3;
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(whole.data(), static_cast<std::streamsize>(cut));
  const auto r = run_shell(cli() + " replay " + path + " --speed 0 --endpoint " + endpoint(4));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("is cut at byte "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("of " + std::to_string(cut)), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("identical: the "), std::string::npos) << r.out;
  std::filesystem::remove(path);
}

TEST(RecordReplayCrash, ARecorderKilledMidSessionLeavesAFileThatReplaysUpToTheKill) {
  const auto path = temp_path("killed.sfrec");
  const auto killed = run_shell("timeout -s KILL 2.5 " + cli() + " record --simulate --duration 30 --standing 0.5 " +
                                "--quiet --endpoint " + endpoint(7) + " --output " + path);
  EXPECT_NE(killed.exit_code, 0) << "the recorder should have been killed\n" << killed.out;
  const auto r = run_shell(cli() + " replay " + path + " --speed 0 --endpoint " + endpoint(8));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("the recording ends before the session did"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("identical: the "), std::string::npos) << r.out;
  std::filesystem::remove(path);
}

// A length field damaged so that it points past the end of the file is not a
// cut: the replay refuses the file (exit 1) and says how many intact frames follow.
TEST_F(RecordReplayCommands, ADamagedLengthIsCorruptionWithExitCodeOneNotACut) {
  auto bytes = read_bytes(recording());
  std::size_t at = 8, frames = 0;
  while (at + 9 <= bytes.size() && at < bytes.size() / 2) {  // the frame starting around the middle
    std::uint32_t length = 0;
    std::memcpy(&length, bytes.data() + at + 1, 4);
    at += 9 + length;
    ++frames;
  }
  const auto past_end = static_cast<std::uint32_t>(bytes.size() - at + 10);
  std::memcpy(bytes.data() + at + 1, &past_end, 4);
  const auto path = temp_path("damaged.sfrec");
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  const auto r = run_shell(cli() + " replay " + path + " --speed 0 --endpoint " + endpoint(9));
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("corrupt frame at byte " + std::to_string(at)), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("intact frames follow"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("is cut at byte"), std::string::npos) << r.out;
  std::filesystem::remove(path);
}

TEST_F(RecordReplayCommands, BadRecordingsAreErrorsWithExitCodeOne) {
  const auto path = temp_path("bad.sfrec");
  struct Case {
    std::string bytes;
    std::string message;
  };
  auto whole = read_bytes(recording());
  auto corrupt = whole;
  corrupt[corrupt.size() / 2] = static_cast<char>(corrupt[corrupt.size() / 2] ^ 0x01);
  for (const auto& c : std::vector<Case>{
           {"hello, world\n", "wrong magic"},
           {corrupt, "corrupt frame at byte "},
           {whole.substr(0, 20), "ends before the session's configuration"},
       }) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << c.bytes;
    const auto r = run_shell(cli() + " replay " + path + " --speed 0 --endpoint " + endpoint(5));
    EXPECT_EQ(r.exit_code, 1) << c.message << "\n" << r.out;
    EXPECT_NE(r.out.find(c.message), std::string::npos) << r.out;
  }
  std::filesystem::remove(path);
  const auto r = run_shell(cli() + " replay " + path);
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("cannot open recording " + path), std::string::npos) << r.out;
}

TEST_F(RecordReplayCommands, ARecordingWhoseDriverThisBuildLacksIsAnErrorNamingIt) {
  const auto path = temp_path("nodriver.sfrec");
  {
    stridefuse::SessionRecorder recorder(path);
    struct Silent final : stridefuse::Transport {
      std::string describe() const override { return "silent"; }
      std::size_t read(std::span<std::uint8_t>, std::chrono::milliseconds) override { return 0; }
      void write(std::span<const std::uint8_t>) override {}
    };
    recorder.record_device(std::make_unique<Silent>(), {"usb:1234:5678", "acme-insole", {}});
    stridefuse::Session session(stridefuse::SessionConfig{}, std::make_shared<stridefuse::EventFanout>());
    session.record_to(std::shared_ptr<stridefuse::SessionRecorder>(&recorder, [](auto*) {}));
  }
  const auto r = run_shell(cli() + " replay " + path + " --speed 0 --endpoint " + endpoint(6));
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("driver 'acme-insole'"), std::string::npos) << r.out;
  std::filesystem::remove(path);
}

TEST(RecordReplayCommandLine, WrongFlagsGiveAMessageAndExitCodeTwo) {
  struct Case {
    std::string args;
    std::string message;
  };
  for (const auto& c : std::vector<Case>{
           {"record --simulate", "--output FILE is required"},
           {"record --output x.sfrec", "use --simulate"},
           {"record --simulate --output x.sfrec --bogus", "unrecognised option '--bogus'"},
           {"replay", "no recording given"},
           {"replay x.sfrec --speed -1", "--speed must not be negative"},
           {"replay x.sfrec --speed fast", "speed"},
       }) {
    const auto r = run_shell(cli() + " " + c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.out;
    EXPECT_NE(r.out.find(c.message), std::string::npos) << c.args << "\n" << r.out;
  }
}

}  // namespace
