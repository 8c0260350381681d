#pragma once
// The session's time base: the host's monotonic clock, zero at session start.

#include <chrono>

namespace stridefuse {

class SessionClock {
 public:
  using host_clock = std::chrono::steady_clock;

  /// Starts the session now.
  SessionClock() : start_(host_clock::now()) {}
  explicit SessionClock(host_clock::time_point start) : start_(start) {}

  /// Seconds since the session started.
  double now_s() const { return to_session_s(host_clock::now()); }

  double to_session_s(host_clock::time_point t) const {
    return std::chrono::duration<double>(t - start_).count();
  }

  host_clock::time_point start() const { return start_; }

 private:
  host_clock::time_point start_;
};

}  // namespace stridefuse
