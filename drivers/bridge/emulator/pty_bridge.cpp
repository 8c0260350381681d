#include "pty_bridge.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>

namespace stridefuse::bridge {
namespace {
// Beyond this the host is not reading; a real bridge's buffer would overflow too.
constexpr std::size_t max_pending_bytes = 1 << 20;
}  // namespace

PtyBridge::PtyBridge(BridgeEmulator emulator, double time_scale)
    : emulator_(std::move(emulator)), time_scale_(time_scale) {
  if (!(time_scale > 0.0)) throw std::invalid_argument("pty bridge: time scale must be positive");
  char name[256] = {};
  if (openpty(&master_, &slave_, name, nullptr, nullptr) != 0)
    throw std::runtime_error(std::string("cannot open a pty: ") + std::strerror(errno));
  termios raw{};
  tcgetattr(slave_, &raw);
  cfmakeraw(&raw);  // no echo, no line editing: the bytes are binary frames
  tcsetattr(slave_, TCSANOW, &raw);
  fcntl(master_, F_SETFL, fcntl(master_, F_GETFL) | O_NONBLOCK);
  path_ = name;
  thread_ = std::thread([this] { run(); });
}

PtyBridge::~PtyBridge() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  close(master_);
  close(slave_);
}

void PtyBridge::with_emulator(const std::function<void(BridgeEmulator&)>& f) {
  std::lock_guard lock(mutex_);
  f(emulator_);
}

void PtyBridge::run() {
  const auto start = std::chrono::steady_clock::now();
  std::array<std::uint8_t, 4096> buffer{};
  std::vector<std::uint8_t> pending;
  while (!stop_.load()) {
    pollfd p{master_, POLLIN, 0};
    poll(&p, 1, 2);
    std::lock_guard lock(mutex_);
    for (;;) {
      const ssize_t n = read(master_, buffer.data(), buffer.size());
      if (n <= 0) break;
      emulator_.receive({buffer.data(), static_cast<std::size_t>(n)});
    }
    const double now_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() * time_scale_;
    emulator_.advance(now_s);
    const auto out = emulator_.take_output();
    if (pending.size() + out.size() <= max_pending_bytes) pending.insert(pending.end(), out.begin(), out.end());
    while (!pending.empty()) {
      const ssize_t n = write(master_, pending.data(), pending.size());
      if (n <= 0) break;
      pending.erase(pending.begin(), pending.begin() + n);
    }
  }
}

}  // namespace stridefuse::bridge
