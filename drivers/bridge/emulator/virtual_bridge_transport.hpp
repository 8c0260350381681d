#pragma once
// The bridge emulator on a clock of its own: emulator time moves only as the
// host reads, so a session in device time (run_in_device_time) runs a bridge
// session through the live path (bridge driver, device reader, clock sync,
// merge, engine) as fast as the CPU allows, and the same on every run. It
// applies a FaultPlan as its time passes (links lost, refusals, a sensor's
// clock restarting, the bridge unplugged: reads and writes fail meanwhile and
// the session reopens it, as a replugged USB or serial bridge).

#include <memory>
#include <vector>

#include "bridge_emulator.hpp"
#include "fault_plan.hpp"
#include "stridefuse/core/transport.hpp"

namespace stridefuse::bridge {

class VirtualBridgeTransport final : public StampedTransport {
 public:
  /// `poll_s`: how far emulator time moves per poll while nothing is due.
  /// `journal` (may be null) receives what the plan did. Throws
  /// std::invalid_argument for a poll interval outside (0, 0.1].
  VirtualBridgeTransport(BridgeEmulator emulator, FaultPlan plan = {}, std::shared_ptr<FaultJournal> journal = {},
                         double poll_s = 0.001);
  ~VirtualBridgeTransport() override;

  std::string describe() const override { return "emulated bridge (own clock)"; }
  /// Moves emulator time by `poll_s` until bytes are due or `timeout` of
  /// emulator time has passed (then 0). Throws TransportError while unplugged.
  std::size_t read(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) override;
  /// Throws TransportError while unplugged.
  void write(std::span<const std::uint8_t> bytes) override;
  bool reconnects() const override { return true; }
  bool keeps_own_time() const override { return true; }
  double last_arrival_s() const override { return now_s_; }

  const BridgeEmulator& emulator() const { return emulator_; }

 private:
  void tick();  // one poll: time moves, due faults apply, the emulator advances
  void apply(const Fault& fault);
  bool unplugged() const { return now_s_ < unplugged_until_s_; }
  void record();

  BridgeEmulator emulator_;
  FaultPlan plan_;
  std::size_t next_fault_ = 0;
  std::shared_ptr<FaultJournal> journal_;
  double poll_s_;
  double now_s_ = 0.0;
  double unplugged_until_s_ = -1.0;
  std::vector<std::uint8_t> out_;
  std::size_t out_read_ = 0;
};

}  // namespace stridefuse::bridge
