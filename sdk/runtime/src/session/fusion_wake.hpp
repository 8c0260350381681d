#pragma once
// Wakes a live session's fusion thread when a device reader has queued
// samples, so that it sleeps between them instead of polling (a polling
// period adds up to its length to every event's latency, and more when the
// host is loaded: the timer's wake-up is late then). The samples themselves go
// through the reader's lock-free queue; this only carries "look now".

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace stridefuse::detail {

class FusionWake {
 public:
  /// Any thread: the next (or current) wait_until() returns at once.
  void notify() {
    {
      std::lock_guard lock(mutex_);
      pending_ = true;
    }
    ready_.notify_one();
  }

  /// The fusion thread: returns when notified since the previous return, or at `deadline`.
  void wait_until(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    ready_.wait_until(lock, deadline, [this] { return pending_; });
    pending_ = false;
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  bool pending_ = false;
};

}  // namespace stridefuse::detail
