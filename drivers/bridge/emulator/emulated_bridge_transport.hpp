#pragma once
// The bridge emulator reached in-process, as the URI `emu:bridge?...` opens
// it: the host's writes go to the emulator, its output comes back from read(),
// and emulator time follows the host clock (times a scale). A bridge without
// hardware or a pty: for trying the bridge and its sensors' drivers, and for
// their conformance suite. The parameters: drivers/WRITING_A_DRIVER.md,
// section 5.

#include <chrono>
#include <memory>
#include <vector>

#include "bridge_emulator.hpp"
#include "stridefuse/core/device_uri.hpp"
#include "stridefuse/core/transport.hpp"

namespace stridefuse::bridge {

class EmulatedBridgeTransport final : public Transport {
 public:
  /// Throws std::invalid_argument for a time scale outside (0, 1000].
  explicit EmulatedBridgeTransport(BridgeEmulator emulator, double time_scale = 1.0);

  std::string describe() const override { return "emulated bridge"; }
  std::size_t read(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) override;
  void write(std::span<const std::uint8_t> bytes) override;

 private:
  void pump();

  BridgeEmulator emulator_;
  double time_scale_;
  std::chrono::steady_clock::time_point start_;
  std::vector<std::uint8_t> out_;
  std::size_t out_read_ = 0;
};

/// Opens `emu:bridge?...`: the simulated runner's sensors (runner parameters as
/// for sim:runner, plus `sensors`, a comma-separated list of the stream ids
/// pelvis_imu, left_insole, right_insole, speed to switch on; all by default).
/// Throws std::invalid_argument naming a bad parameter or path.
std::unique_ptr<Transport> open_emulated_bridge(const DeviceUri& uri);

}  // namespace stridefuse::bridge
