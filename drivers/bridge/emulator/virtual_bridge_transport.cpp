#include "virtual_bridge_transport.hpp"

#include <algorithm>
#include <stdexcept>

namespace stridefuse::bridge {

VirtualBridgeTransport::VirtualBridgeTransport(BridgeEmulator emulator, FaultPlan plan,
                                               std::shared_ptr<FaultJournal> journal, double poll_s)
    : emulator_(std::move(emulator)), plan_(std::move(plan)), journal_(std::move(journal)), poll_s_(poll_s) {
  if (!(poll_s > 0.0 && poll_s <= 0.1)) throw std::invalid_argument("virtual bridge: poll interval must be in (0, 0.1] s");
  emulator_.damage_link(plan_.damage);
  // Faults at time 0 (a sensor refusing its first connection) apply before the host opens the bridge.
  while (next_fault_ < plan_.faults.size() && plan_.faults[next_fault_].at_s <= 0.0) apply(plan_.faults[next_fault_++]);
}

VirtualBridgeTransport::~VirtualBridgeTransport() { record(); }

void VirtualBridgeTransport::record() {
  if (!journal_) return;
  journal_->links = emulator_.link_changes();
  journal_->counters = emulator_.counters();
}

void VirtualBridgeTransport::apply(const Fault& fault) {
  bool applied = true;
  switch (fault.kind) {
    case FaultKind::link_lost:
      if (const auto handle = emulator_.handle_of(fault.sensor)) emulator_.drop_link(*handle, fault.duration_s);
      else applied = false;
      break;
    case FaultKind::clock_restart:
      // A reboot: the link goes with it, if the sensor had one then.
      if (const auto handle = emulator_.handle_of(fault.sensor)) emulator_.drop_link(*handle, fault.duration_s);
      emulator_.restart_sensor_clock(fault.sensor);
      break;
    case FaultKind::refuse_connect:
      emulator_.refuse_next_connect(fault.sensor);
      break;
    case FaultKind::unplug:
      // A USB bridge is powered by its host: unplugged, it forgets everything.
      emulator_.power_cycle();
      unplugged_until_s_ = now_s_ + fault.duration_s;
      out_.clear();
      out_read_ = 0;
      break;
    case FaultKind::connected_lost:
      emulator_.lose_next(MessageType::connected);
      break;
  }
  if (journal_) (applied ? journal_->applied : journal_->skipped).push_back(fault);
}

void VirtualBridgeTransport::tick() {
  now_s_ += poll_s_;
  while (next_fault_ < plan_.faults.size() && plan_.faults[next_fault_].at_s <= now_s_) apply(plan_.faults[next_fault_++]);
  emulator_.advance(now_s_);
  auto bytes = emulator_.take_output();
  if (unplugged()) return;  // sent into a cable that is not there
  if (out_.empty()) out_.swap(bytes);
  else out_.insert(out_.end(), bytes.begin(), bytes.end());
}

std::size_t VirtualBridgeTransport::read(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) {
  if (out_read_ == out_.size()) {
    out_.clear();
    out_read_ = 0;
    const double until_s = now_s_ + std::max(std::chrono::duration<double>(timeout).count(), poll_s_);
    while (out_.empty() && now_s_ < until_s) {
      tick();
      if (unplugged()) throw TransportError("emulated bridge unplugged");
    }
    if (out_.empty()) return 0;
  }
  if (unplugged()) throw TransportError("emulated bridge unplugged");
  const std::size_t n = std::min(buffer.size(), out_.size() - out_read_);
  std::copy_n(out_.begin() + static_cast<std::ptrdiff_t>(out_read_), n, buffer.begin());
  out_read_ += n;
  return n;
}

void VirtualBridgeTransport::write(std::span<const std::uint8_t> bytes) {
  if (unplugged()) {
    // The host tries while the cable is out: its attempts take time too (one poll each).
    tick();
    throw TransportError("emulated bridge unplugged");
  }
  emulator_.receive(bytes);
}

}  // namespace stridefuse::bridge
