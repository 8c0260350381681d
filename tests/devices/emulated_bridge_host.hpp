#pragma once
// A host talking to the reference bridge emulator frame by frame, without a
// transport or a driver: the protocol tests send requests and read the
// emulator's answers by type.

#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "bridge/bridge_protocol.hpp"
#include "bridge/emulator/bridge_emulator.hpp"
#include "bridge/emulator/runner_sensors.hpp"

namespace stridefuse::bridge {

struct EmulatedBridgeHost {
  explicit EmulatedBridgeHost(BridgeEmulatorConfig config = {})
      : emulator(std::make_unique<RunnerSensors>(sim::RunnerConfig{}), config) {}

  BridgeEmulator emulator;
  FrameWriter writer;
  FrameDecoder decoder;
  std::vector<BridgeFrame> received;

  /// Sends one request and collects what the emulator answers; returns the request's sequence number.
  std::uint8_t request(MessageType type, const std::vector<std::uint8_t>& body) {
    std::vector<std::uint8_t> bytes;
    const auto seq = writer.append(type, body, bytes);
    emulator.receive(bytes);
    pump();
    return seq;
  }
  void pump() {
    decoder.feed(emulator.take_output(), [&](const BridgeFrame& f) { received.push_back(f); });
  }
  /// The frames of one type received so far, removed from `received`.
  std::vector<BridgeFrame> take(MessageType type) {
    std::vector<BridgeFrame> out;
    for (const auto& f : received)
      if (f.type == type) out.push_back(f);
    std::erase_if(received, [&](const BridgeFrame& f) { return f.type == type; });
    return out;
  }
};

}  // namespace stridefuse::bridge
