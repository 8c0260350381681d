// `stridefuse proxy` as a user runs it: two publishers of different athletes
// connect to its XSUB side, one subscriber to its XPUB side gets both, and
// SIGTERM or SIGINT stops it cleanly (exit 0).

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <regex>
#include <set>
#include <string>

#include "../sdk/event_samples.hpp"
#include "stridefuse/runtime/event_codec.hpp"
#include "stridefuse/runtime/zmq_publisher.hpp"
#include "stridefuse/runtime/zmq_subscriber.hpp"

namespace stridefuse {
namespace {

using namespace std::chrono_literals;

/// `stridefuse proxy` on free loopback ports, as a child process whose
/// standard error we read.
class ProxyProcess {
 public:
  ProxyProcess() {
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(fds[1], STDERR_FILENO);
      close(fds[0]);
      close(fds[1]);
      execl(STRIDEFUSE_CLI, STRIDEFUSE_CLI, "proxy", "--xsub", "tcp://127.0.0.1:*", "--xpub", "tcp://127.0.0.1:*",
            static_cast<char*>(nullptr));
      _exit(127);
    }
    close(fds[1]);
    err_ = fdopen(fds[0], "r");
    const std::string first = line();
    std::smatch m;
    if (!std::regex_search(first, m, std::regex("connect to (tcp://[0-9.:]+), subscribers to (tcp://[0-9.:]+)")))
      throw std::runtime_error("unexpected first line from stridefuse proxy: " + first);
    xsub = m[1];
    xpub = m[2];
  }
  ~ProxyProcess() {
    if (pid_ > 0 && !reaped_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (err_) fclose(err_);
  }
  std::string line() {
    char buf[512];
    return fgets(buf, sizeof buf, err_) ? std::string(buf) : std::string();
  }
  /// Sends `sig` and waits for the exit; returns the exit code, -1 if it did not exit normally.
  int stop_with(int sig) {
    kill(pid_, sig);
    int status = 0;
    waitpid(pid_, &status, 0);
    reaped_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  std::string xsub, xpub;

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  FILE* err_ = nullptr;
};

ZmqPublisherOptions into(const std::string& endpoint, const std::string& athlete) {
  ZmqPublisherOptions o;
  o.endpoint = endpoint;
  o.connect = true;
  o.athlete = athlete;
  o.linger = 0ms;
  return o;
}

TEST(ProxyCommand, TwoAthletesThroughOneProxyToOneSubscriberThenSigterm) {
  ProxyProcess proxy;
  std::set<std::string> topics;
  {
    ZmqPublisher a(into(proxy.xsub, "runner-a")), b(into(proxy.xsub, "runner-b"));
    ZmqSubscriber sub(proxy.xpub, "");
    for (int i = 0; i < 2000 && topics.size() < 2; ++i) {
      a.publish(test::sample_step());
      b.publish(test::sample_step());
      while (auto msg = sub.receive(5ms)) {
        if (msg->topic.ends_with("/heartbeat")) continue;
        const auto decoded = decode_event(msg->payload);
        EXPECT_EQ(msg->topic, decoded.envelope.athlete + "/step");
        topics.insert(msg->topic);
      }
    }
  }
  EXPECT_EQ(topics, (std::set<std::string>{"runner-a/step", "runner-b/step"}));
  EXPECT_EQ(proxy.stop_with(SIGTERM), 0);
  EXPECT_NE(proxy.line().find("stopped on"), std::string::npos);
}

TEST(ProxyCommand, SigintStopsItToo) {
  ProxyProcess proxy;
  EXPECT_EQ(proxy.stop_with(SIGINT), 0);
}

TEST(ProxyCommand, MissingEndpointIsAUsageError) {
  const std::string cli = STRIDEFUSE_CLI;
  EXPECT_EQ(WEXITSTATUS(std::system((cli + " proxy --xsub 'tcp://127.0.0.1:*' >/dev/null 2>&1").c_str())), 2);
  EXPECT_EQ(WEXITSTATUS(std::system((cli + " proxy --xsub nonsense --xpub 'tcp://127.0.0.1:*' >/dev/null 2>&1").c_str())),
            1);
}

}  // namespace
}  // namespace stridefuse
