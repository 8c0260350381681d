// A live session keeps its bridge's sensors (PROTOCOL.md 1.1, section 3.2):
// a sensor whose link is lost is reported disconnected, then reconnecting,
// then streaming again with its steps, in the same session; requests whose
// answer is lost are retried; a sensor the bridge refuses does not end the
// run; a 1.0 bridge gets the same; a serial bridge that disappears and
// returns is reopened. All over a pty, as a CDC-ACM bridge appears.

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>

#include "bridge/emulator/pty_bridge.hpp"
#include "bridge/emulator/runner_sensors.hpp"
#include "short_standing_runner.hpp"
#include "bridge/open_bridge.hpp"
#include "stridefuse/drivers/builtin_drivers.hpp"
#include "stridefuse/runtime/serial_transport.hpp"
#include "stridefuse/runtime/tcp_transport.hpp"
#include "stridefuse/runtime/session.hpp"

namespace {

using namespace stridefuse;
using namespace stridefuse::bridge;
using Clock = std::chrono::steady_clock;

BridgeEmulatorConfig bridge_config(std::uint8_t minor = protocol_minor, unsigned max_connections = 8) {
  BridgeEmulatorConfig c;
  c.minor = minor;
  c.max_connections = max_connections;
  return c;
}

const BridgeOpenOptions quick{std::chrono::milliseconds(200), std::chrono::milliseconds(500), {}};

// Every event with the host time it was published at.
struct EventLog {
  std::mutex mutex;
  std::vector<std::pair<Clock::time_point, Event>> events;

  std::shared_ptr<CallbackPublisher> publisher() {
    return std::make_shared<CallbackPublisher>([this](const Event& e) {
      std::lock_guard lock(mutex);
      events.emplace_back(Clock::now(), e);
    });
  }
  std::vector<std::pair<Clock::time_point, DeviceStatusEvent>> statuses(const std::string& stream) {
    std::lock_guard lock(mutex);
    std::vector<std::pair<Clock::time_point, DeviceStatusEvent>> out;
    for (const auto& [at, e] : events)
      if (const auto* s = std::get_if<DeviceStatusEvent>(&e); s && s->stream_id == stream) out.emplace_back(at, *s);
    return out;
  }
  std::vector<Clock::time_point> insole_steps(Side side) {
    std::lock_guard lock(mutex);
    std::vector<Clock::time_point> out;
    for (const auto& [at, e] : events)
      if (const auto* s = std::get_if<StepEvent>(&e); s && s->side == side && s->detected_by == StepSource::insole)
        out.push_back(at);
    return out;
  }
};

std::string describe(const std::vector<std::pair<Clock::time_point, DeviceStatusEvent>>& statuses) {
  std::string out;
  for (const auto& [at, s] : statuses)
    out += std::string(to_string(s.state)) + "/" + to_string(s.link_reason) + "/" + std::to_string(s.reconnects) +
           " '" + s.message + "'\n";
  return out;
}

// Where in `statuses` the states come in this order (each after the previous); npos when they do not.
std::size_t find_after(const std::vector<std::pair<Clock::time_point, DeviceStatusEvent>>& statuses, std::size_t from,
                       DeviceState state) {
  for (std::size_t i = from; i < statuses.size(); ++i)
    if (statuses[i].second.state == state) return i;
  return std::string::npos;
}

// A stream that delivers again. After a whole bridge came back it may say
// `degraded`: the new bridge's frame numbering and clock start over, which
// today's counters and clock checks count as lost frames and clock trouble.
bool receiving(DeviceState s) { return s == DeviceState::streaming || s == DeviceState::degraded; }

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// The left insole (the second sensor) loses its link, is out of range for
// `out_of_range_s`, and must come back streaming with its steps.
void link_lost_and_back(std::uint8_t bridge_minor, std::uint64_t seed) {
  PtyBridge pty(BridgeEmulator(std::make_unique<RunnerSensors>(short_standing(seed)), bridge_config(bridge_minor)));
  auto serial = std::make_unique<SerialTransport>(pty.path());
  DriverRegistry registry;
  register_builtin_drivers(registry);
  auto driver = open_bridge(*serial, registry, quick);
  ASSERT_EQ(driver->info().minor, bridge_minor);
  EventLog log;
  SessionConfig config;
  config.engine.treadmill_speed_mps = 3.5;
  Session session(config, log.publisher());
  session.add_device(std::move(serial), std::move(driver));
  session.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(3000));
  constexpr double out_of_range_s = 2.0;
  const auto lost_at = Clock::now();
  pty.with_emulator([](BridgeEmulator& e) { e.drop_link(e.connections().at(1), out_of_range_s); });
  const auto back_at = lost_at + std::chrono::milliseconds(static_cast<int>(out_of_range_s * 1000));
  std::this_thread::sleep_for(std::chrono::milliseconds(7000));
  session.stop();

  const auto statuses = log.statuses("left_insole");
  const auto down = find_after(statuses, 0, DeviceState::disconnected);
  ASSERT_NE(down, std::string::npos) << describe(statuses);
  EXPECT_EQ(statuses[down].second.link_reason, LinkReason::link_lost) << describe(statuses);
  EXPECT_LE(seconds(statuses[down].first - lost_at), 1.2) << "reported within 1 s\n" << describe(statuses);
  const auto retrying = find_after(statuses, down, DeviceState::reconnecting);
  ASSERT_NE(retrying, std::string::npos) << describe(statuses);
  EXPECT_EQ(statuses[retrying].second.link_reason, LinkReason::link_lost);
  std::size_t streaming = std::string::npos;
  for (std::size_t i = retrying; i < statuses.size() && streaming == std::string::npos; ++i)
    if (statuses[i].second.state == DeviceState::streaming && statuses[i].second.reconnects == 1) streaming = i;
  ASSERT_NE(streaming, std::string::npos) << describe(statuses);
  const double to_streaming_s = seconds(statuses[streaming].first - back_at);
  EXPECT_LE(to_streaming_s, 3.5) << "bounded backoff (2 s at most) + 1 s status\n" << describe(statuses);

  const auto left_steps = log.insole_steps(Side::left);
  const auto resumed = std::find_if(left_steps.begin(), left_steps.end(), [&](auto at) { return at > back_at; });
  ASSERT_NE(resumed, left_steps.end()) << "the left insole's steps resume in the same session";
  std::printf("link back -> streaming status %.2f s, -> next left insole step %.2f s\n", to_streaming_s,
              seconds(*resumed - back_at));
  const auto stats = session.device_stats().at(0);
  EXPECT_FALSE(stats.disconnected) << stats.error;
  ASSERT_EQ(stats.links.size(), 3u);
  EXPECT_EQ(stats.links[1].reconnects, 1u);
  EXPECT_EQ(stats.links[0].reconnects, 0u);
}

TEST(BridgeReconnect, ALostSensorIsReconnectedAndItsStepsResume) { link_lost_and_back(protocol_minor, 21); }

TEST(BridgeReconnect, A10BridgeStillWorksAndGetsItsSensorBack) { link_lost_and_back(0, 22); }

TEST(BridgeReconnect, LostHelloAndConnectRepliesAreRetried) {
  PtyBridge pty(BridgeEmulator(std::make_unique<RunnerSensors>(short_standing(23))));
  SerialTransport serial(pty.path());
  DriverRegistry registry;
  register_builtin_drivers(registry);
  pty.with_emulator([](BridgeEmulator& e) { e.lose_next(MessageType::hello_reply); });
  const auto scan = scan_bridge(serial, registry, quick);
  EXPECT_EQ(scan.adverts.size(), 3u);
  pty.with_emulator([](BridgeEmulator& e) { e.lose_next(MessageType::connected); });
  const auto driver = open_bridge(serial, registry, quick);
  EXPECT_EQ(driver->streams().size(), 3u);
  for (const auto& link : driver->stream_links()) EXPECT_EQ(link.state, LinkState::up) << link.message;
  pty.with_emulator([](BridgeEmulator& e) {
    EXPECT_EQ(e.connections().size(), 3u) << "a retried CONNECT (1.1) gives the same connection";
  });
}

TEST(BridgeReconnect, ABridgeThatNeverAnswersIsReportedWithWhatWasTried) {
  PtyBridge pty(BridgeEmulator(std::make_unique<RunnerSensors>(short_standing(24))));
  SerialTransport serial(pty.path());
  DriverRegistry registry;
  register_builtin_drivers(registry);
  pty.with_emulator([](BridgeEmulator& e) { e.lose_next(MessageType::hello_reply, 100); });
  try {
    open_bridge(serial, registry, {std::chrono::milliseconds(200), std::chrono::milliseconds(100), {}, 3});
    FAIL() << "a bridge that answers nothing cannot be opened";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("did not answer HELLO (3 attempts"), std::string::npos) << e.what();
  }
}

TEST(BridgeReconnect, TooManyConnectionsForOneSensorDoesNotEndTheRun) {
  PtyBridge pty(BridgeEmulator(std::make_unique<RunnerSensors>(short_standing(25)), bridge_config(protocol_minor, 2)));
  auto serial = std::make_unique<SerialTransport>(pty.path());
  DriverRegistry registry;
  register_builtin_drivers(registry);
  auto driver = open_bridge(*serial, registry, quick);
  ASSERT_EQ(driver->streams().size(), 3u) << "the refused sensor stays in the session";
  EventLog log;
  SessionConfig config;
  config.engine.treadmill_speed_mps = 3.5;
  Session session(config, log.publisher());
  session.add_device(std::move(serial), std::move(driver));
  session.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  // A connection frees up: the refused sensor gets it at a later attempt.
  pty.with_emulator([](BridgeEmulator& e) { e.drop_link(e.connections().at(0), 60.0); });
  std::this_thread::sleep_for(std::chrono::milliseconds(4000));
  session.stop();

  const auto stats = session.device_stats().at(0);
  EXPECT_FALSE(stats.disconnected) << stats.error;
  const auto right = log.statuses("right_insole");
  const auto refused = find_after(right, 0, DeviceState::reconnecting);
  ASSERT_NE(refused, std::string::npos) << describe(right);
  EXPECT_EQ(right[refused].second.link_reason, LinkReason::refused) << describe(right);
  EXPECT_NE(right[refused].second.message.find("too many connections"), std::string::npos) << describe(right);
  EXPECT_NE(find_after(right, refused, DeviceState::streaming), std::string::npos) << describe(right);
  const auto pelvis = log.statuses("pelvis_imu");
  EXPECT_NE(find_after(pelvis, 0, DeviceState::reconnecting), std::string::npos) << describe(pelvis);
  EXPECT_FALSE(log.insole_steps(Side::left).empty());
}

TEST(BridgeReconnect, ASerialBridgeThatDisappearsAndReturnsIsReopened) {
  // The port's name stays (as a udev symlink does); the pty behind it changes.
  const auto link = std::filesystem::temp_directory_path() / ("stridefuse-bridge-" + std::to_string(getpid()));
  std::filesystem::remove(link);
  auto pty = std::make_unique<PtyBridge>(BridgeEmulator(std::make_unique<RunnerSensors>(short_standing(26))));
  std::filesystem::create_symlink(pty->path(), link);
  auto serial = std::make_unique<SerialTransport>(link.string());
  DriverRegistry registry;
  register_builtin_drivers(registry);
  auto driver = open_bridge(*serial, registry, quick);
  EventLog log;
  Session session(SessionConfig{}, log.publisher());
  session.add_device(std::move(serial), std::move(driver));
  session.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  pty.reset();  // unplugged
  std::filesystem::remove(link);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  const auto during = session.device_stats().at(0);
  pty = std::make_unique<PtyBridge>(BridgeEmulator(std::make_unique<RunnerSensors>(short_standing(27))));
  std::filesystem::create_symlink(pty->path(), link);
  const auto back_at = Clock::now();
  std::this_thread::sleep_for(std::chrono::milliseconds(3500));
  const auto samples_before_end = session.device_stats().at(0).samples;
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  session.stop();
  std::filesystem::remove(link);

  EXPECT_TRUE(during.disconnected);
  EXPECT_TRUE(during.reconnecting) << during.error;
  const auto stats = session.device_stats().at(0);
  EXPECT_FALSE(stats.disconnected) << stats.error;
  EXPECT_EQ(stats.reconnects, 1u);
  EXPECT_GT(stats.samples, samples_before_end) << "samples flow again";
  const auto statuses = log.statuses("pelvis_imu");
  std::size_t away = std::string::npos;  // 1.5 s away: at least one status sees it
  for (std::size_t i = 0; i < statuses.size() && away == std::string::npos; ++i)
    if (statuses[i].second.state == DeviceState::reconnecting) away = i;
  ASSERT_NE(away, std::string::npos) << describe(statuses);
  EXPECT_EQ(statuses[away].second.link_reason, LinkReason::transport_lost);
  std::size_t streaming = std::string::npos;
  for (std::size_t i = away; i < statuses.size() && streaming == std::string::npos; ++i)
    if (receiving(statuses[i].second.state) && statuses[i].second.reconnects > 0) streaming = i;
  ASSERT_NE(streaming, std::string::npos) << describe(statuses);
  std::printf("serial bridge back -> streaming status %.2f s\n", seconds(statuses[streaming].first - back_at));
}

// The bridge emulator on a loopback TCP port, one host at a time. drop()
// closes the host's connection, as a network bridge that restarts does: the
// next host connection gets a bridge that remembers nothing (a new emulator).
class TcpBridge {
 public:
  explicit TcpBridge(std::uint64_t seed) : seed_(seed) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || listen(listener_, 1) != 0)
      throw std::runtime_error("cannot listen on loopback");
    socklen_t len = sizeof a;
    getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { run(); });
  }
  ~TcpBridge() {
    stop_ = true;
    thread_.join();
    close(listener_);
  }
  std::uint16_t port() const { return port_; }
  void drop() { drop_ = true; }
  int connections() const { return accepted_.load(); }

 private:
  void run() {
    int host = -1;
    std::unique_ptr<BridgeEmulator> emulator;
    auto start = Clock::now();
    std::array<std::uint8_t, 4096> buffer{};
    while (!stop_) {
      if (host < 0) {
        pollfd p{listener_, POLLIN, 0};
        if (poll(&p, 1, 5) <= 0) continue;
        host = accept(listener_, nullptr, nullptr);
        if (host < 0) continue;
        fcntl(host, F_SETFL, fcntl(host, F_GETFL) | O_NONBLOCK);
        emulator = std::make_unique<BridgeEmulator>(std::make_unique<RunnerSensors>(short_standing(seed_++)));
        start = Clock::now();
        ++accepted_;
      }
      if (drop_.exchange(false)) {
        close(host);
        host = -1;
        continue;
      }
      pollfd p{host, POLLIN, 0};
      poll(&p, 1, 2);
      const ssize_t n = read(host, buffer.data(), buffer.size());
      if (n == 0) {
        close(host);  // the host went away
        host = -1;
        continue;
      }
      if (n > 0) emulator->receive({buffer.data(), static_cast<std::size_t>(n)});
      emulator->advance(seconds(Clock::now() - start));
      const auto out = emulator->take_output();
      std::size_t sent = 0;
      while (sent < out.size() && !stop_) {
        const ssize_t w = write(host, out.data() + sent, out.size() - sent);
        if (w > 0) sent += static_cast<std::size_t>(w);
        else std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    }
    if (host >= 0) close(host);
  }

  std::uint64_t seed_;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<bool> drop_{false};
  std::atomic<int> accepted_{0};
  std::thread thread_;
};

TEST(BridgeReconnect, ATcpBridgeThatDropsIsConnectedToAgain) {
  TcpBridge bridge(28);
  auto tcp = std::make_unique<TcpTransport>("127.0.0.1", bridge.port());
  DriverRegistry registry;
  register_builtin_drivers(registry);
  auto driver = open_bridge(*tcp, registry, quick);
  EventLog log;
  Session session(SessionConfig{}, log.publisher());
  session.add_device(std::move(tcp), std::move(driver));
  session.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  const auto dropped_at = Clock::now();
  bridge.drop();
  std::this_thread::sleep_for(std::chrono::milliseconds(3500));
  const auto samples_before_end = session.device_stats().at(0).samples;
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  session.stop();

  EXPECT_EQ(bridge.connections(), 2);
  const auto stats = session.device_stats().at(0);
  EXPECT_FALSE(stats.disconnected) << stats.error;
  EXPECT_EQ(stats.reconnects, 1u);
  EXPECT_GT(stats.samples, samples_before_end) << "samples flow again";
  const auto statuses = log.statuses("left_insole");
  std::size_t back = std::string::npos;
  for (std::size_t i = 0; i < statuses.size() && back == std::string::npos; ++i)
    if (statuses[i].first > dropped_at && receiving(statuses[i].second.state) && statuses[i].second.reconnects > 0)
      back = i;
  ASSERT_NE(back, std::string::npos) << describe(statuses);
  EXPECT_EQ(statuses[back].second.link_reason, LinkReason::transport_lost) << describe(statuses);
  std::printf("tcp bridge dropped -> streaming status %.2f s\n", seconds(statuses[back].first - dropped_at));
}

}  // namespace
