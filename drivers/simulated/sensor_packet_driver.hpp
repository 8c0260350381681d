#pragma once
// Driver for sensors speaking the sensor-packet wire format (sensor_packet.hpp):
// the simulated runner's pelvis IMU, insoles and speed source.

#include <string>
#include <vector>

#include "sensor_packet.hpp"
#include "stridefuse/core/driver.hpp"

namespace stridefuse::simulated {

class SensorPacketDriver final : public Driver {
 public:
  /// `streams` are the streams the device sends, indexed by the packet's stream byte.
  /// Throws std::invalid_argument when a descriptor is inconsistent.
  SensorPacketDriver(std::string name, std::vector<StreamDescriptor> streams);

  std::string name() const override { return name_; }
  std::vector<StreamDescriptor> streams() const override { return streams_; }
  void decode(std::span<const std::uint8_t> bytes, SampleBatch& out) override;
  DecodeCounters counters() const override;

 private:
  std::string name_;
  std::vector<StreamDescriptor> streams_;
  std::vector<int> next_sequence_;  ///< per stream; -1 until the first packet
  SensorPacketDecoder decoder_;
  DecodeCounters counters_;
};

}  // namespace stridefuse::simulated
