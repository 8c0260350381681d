#pragma once
// The bridge emulator behind a pseudo-terminal, as a CDC-ACM bridge appears
// on a host: open path() with the serial transport (or any serial program).
// A thread carries bytes both ways and advances emulator time.

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "bridge_emulator.hpp"

namespace stridefuse::bridge {

class PtyBridge {
 public:
  /// Opens the pty and starts the emulator's thread. `time_scale` makes
  /// emulator time run that many times as fast as the host clock. Throws
  /// std::runtime_error when no pty can be opened.
  explicit PtyBridge(BridgeEmulator emulator, double time_scale = 1.0);
  ~PtyBridge();  ///< stops the thread and closes the pty
  PtyBridge(const PtyBridge&) = delete;
  PtyBridge& operator=(const PtyBridge&) = delete;

  /// The device path the host opens, e.g. /dev/pts/7.
  const std::string& path() const { return path_; }

  /// Runs `f` on the emulator with the carrier thread held off (fault injection, counters).
  void with_emulator(const std::function<void(BridgeEmulator&)>& f);

 private:
  void run();

  BridgeEmulator emulator_;
  double time_scale_;
  int master_ = -1;
  int slave_ = -1;  // kept open so the master never sees EIO when the host closes its end
  std::string path_;
  std::mutex mutex_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace stridefuse::bridge
