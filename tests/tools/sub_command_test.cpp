// `stridefuse sub` as a user runs it, and an independent subscriber (Python,
// pyzmq and the `capnp decode` command line, none of our code) reading what
// our publisher sends. Each test publishes the sample events in a loop on a
// loopback port until the subscriber process exits.

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "../sdk/event_samples.hpp"
#include "stridefuse/runtime/event_codec.hpp"
#include "support/shell_command.hpp"
#include "stridefuse/runtime/zmq_publisher.hpp"
#include <zmq.hpp>

namespace stridefuse {
namespace {

using namespace std::chrono_literals;

using testing::run_shell;

/// Publishes the sample events of every kind, round after round, from its own
/// thread until destroyed.
class LoopingPublisher {
 public:
  LoopingPublisher() : publisher_(options()), thread_([this] { loop(); }) {}
  ~LoopingPublisher() {
    stop_ = true;
    thread_.join();
  }
  const std::string& endpoint() const { return publisher_.endpoint(); }

 private:
  static ZmqPublisherOptions options() {
    ZmqPublisherOptions o;
    o.endpoint = "tcp://127.0.0.1:*";
    o.athlete = "runner-7";
    o.linger = 0ms;
    return o;
  }
  void loop() {
    const auto events = test::sample_events();
    while (!stop_) {
      for (const auto& e : events) publisher_.publish(e);
      std::this_thread::sleep_for(5ms);
    }
  }

  ZmqPublisher publisher_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

/// The JSON line `sub` must print for a sample event with this sequence number.
std::string expected_line(const Event& sample, std::uint64_t sequence) {
  DecodedEvent d;
  d.envelope.athlete = "runner-7";
  d.envelope.sequence = sequence;
  d.envelope.session_time_s = event_time_s(sample);
  d.event = sample;
  return event_to_json(d);
}

const Event& sample_of_kind(const std::vector<Event>& samples, const std::string& kind) {
  for (const auto& e : samples)
    if (kind == event_kind(e)) return e;
  throw std::runtime_error("no sample of kind " + kind);
}

TEST(SubCommand, PrintsEachEventAsItsJsonLine) {
  LoopingPublisher pub;
  const auto r = run_shell(std::string(STRIDEFUSE_CLI) + " sub --endpoint " + pub.endpoint() +
                     " --topic runner-7/ --count 18 --timeout 30");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 18u) << r.out;
  const auto samples = test::sample_events();
  const std::regex kind_re(R"re("kind":"([a-z_]+)")re"), seq_re(R"re("sequence":([0-9]+))re");
  std::set<std::string> kinds;
  for (const auto& line : lines) {
    std::smatch kind, seq;
    ASSERT_TRUE(std::regex_search(line, kind, kind_re)) << line;
    ASSERT_TRUE(std::regex_search(line, seq, seq_re)) << line;
    EXPECT_EQ(line, expected_line(sample_of_kind(samples, kind[1]), std::stoull(seq[1])));
    kinds.insert(kind[1]);
  }
  EXPECT_EQ(kinds.size(), samples.size()) << "18 consecutive events cover all 6 kinds";
}

TEST(SubCommand, TopicPrefixSelectsOneKind) {
  LoopingPublisher pub;
  const auto r = run_shell(std::string(STRIDEFUSE_CLI) + " sub --endpoint " + pub.endpoint() +
                     " --topic runner-7/form_alert --count 3 --timeout 30");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 3u) << r.out;
  for (const auto& line : lines) EXPECT_EQ(line.rfind(R"({"kind":"form_alert",)", 0), 0u) << line;
}

TEST(SubCommand, StopsAtTheTimeoutAndFailsWhenTheCountWasNotReached) {
  std::string endpoint;
  {  // a port nobody listens on any more
    ZmqPublisherOptions o;
    o.endpoint = "tcp://127.0.0.1:*";
    o.linger = 0ms;
    endpoint = ZmqPublisher(o).endpoint();
  }
  const auto start = std::chrono::steady_clock::now();
  const auto r = run_shell(std::string(STRIDEFUSE_CLI) + " sub --endpoint " + endpoint + " --count 1 --timeout 0.3");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("timed out"), std::string::npos) << r.out;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
  const auto quiet = run_shell(std::string(STRIDEFUSE_CLI) + " sub --endpoint " + endpoint + " --timeout 0.2");
  EXPECT_EQ(quiet.exit_code, 0) << quiet.out;
  EXPECT_EQ(quiet.out, "");
}

TEST(SubCommand, BadEndpointIsAClearError) {
  const auto r = run_shell(std::string(STRIDEFUSE_CLI) + " sub --endpoint tcp://127.0.0.1 --timeout 1");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("'tcp://127.0.0.1'"), std::string::npos) << r.out;
  const auto bad_option = run_shell(std::string(STRIDEFUSE_CLI) + " sub --timeout -1");
  EXPECT_EQ(bad_option.exit_code, 2) << bad_option.out;
}

TEST(SubCommand, BadMessagesAreReportedOnStderrAndTheStreamGoesOn) {
  // A raw sender (not our publisher) that keeps sending a wrong-version and a
  // truncated message before each good one, until the subscriber process exits.
  zmq::context_t context;
  zmq::socket_t raw(context, zmq::socket_type::pub);
  raw.set(zmq::sockopt::linger, 0);
  raw.bind("tcp://127.0.0.1:*");
  const std::string endpoint = raw.get(zmq::sockopt::last_endpoint);
  auto good = encode_event(test::sample_session_end(), "runner-7", 3);
  auto newer = good;
  newer.at(16) = 2;  // schemaMajor: first UInt16 after the segment table and the root pointer
  const std::vector<std::uint8_t> truncated(good.begin(), good.begin() + 24);
  std::atomic<bool> stop{false};
  std::thread sender([&] {
    while (!stop) {
      for (const auto* payload : std::array<const std::vector<std::uint8_t>*, 3>{&newer, &truncated, &good}) {
        raw.send(zmq::buffer(std::string("runner-7/session_end")), zmq::send_flags::sndmore);
        raw.send(zmq::buffer(*payload), zmq::send_flags::none);
      }
      std::this_thread::sleep_for(5ms);
    }
  });
  const auto r = run_shell(std::string(STRIDEFUSE_CLI) + " sub --endpoint " + endpoint + " --count 1 --timeout 30");
  stop = true;
  sender.join();
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("skipping a message: event message has schema major version 2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("skipping a message: malformed event message"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(R"({"kind":"session_end","t_s":1800.25,)"), std::string::npos) << r.out;
}

TEST(IndependentSubscriber, PythonZmqAndCapnpDecodeReadWhatWePublish) {
  if (run_shell("command -v capnp").exit_code != 0) GTEST_SKIP() << "capnp command line tool not installed";
  LoopingPublisher pub;
  const std::string source = STRIDEFUSE_SOURCE_DIR;
  const auto r = run_shell("/usr/bin/python3 " + source + "/tests/tools/sub_capnp_decode_client.py --endpoint " +
                     pub.endpoint() + " --schema " + source + "/sdk/runtime/schema/events.capnp --timeout 60");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("OK: 6 event kinds"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace stridefuse
