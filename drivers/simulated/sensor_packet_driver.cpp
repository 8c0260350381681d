#include "sensor_packet_driver.hpp"

#include <stdexcept>

namespace stridefuse::simulated {

SensorPacketDriver::SensorPacketDriver(std::string name, std::vector<StreamDescriptor> streams)
    : name_(std::move(name)), streams_(std::move(streams)), next_sequence_(streams_.size(), -1) {
  if (streams_.empty() || streams_.size() > 255)
    throw std::invalid_argument("driver '" + name_ + "' needs 1 to 255 streams");
  for (const auto& s : streams_) validate(s);
}

void SensorPacketDriver::decode(std::span<const std::uint8_t> bytes, SampleBatch& out) {
  decoder_.feed(bytes, [&](const SensorPacketView& packet) {
    if (packet.stream >= streams_.size() || packet.channel_count != streams_[packet.stream].channels.size()) {
      ++counters_.malformed;
      return;
    }
    // Sequence numbers are 16-bit per stream: a jump means packets were lost on the way.
    int& expected = next_sequence_[packet.stream];
    if (expected >= 0 && packet.sequence != expected)
      counters_.sequence_gaps += static_cast<std::uint16_t>(packet.sequence - expected);
    expected = static_cast<std::uint16_t>(packet.sequence + 1);
    for (std::size_t i = 0; i < packet.sample_count; ++i) {
      Sample& s = out.add(packet.stream, packet.tick(i), packet.channel_count);
      packet.values(i, s.values.data());
      ++counters_.frames;
    }
  });
}

DecodeCounters SensorPacketDriver::counters() const {
  DecodeCounters c = counters_;
  c.malformed += decoder_.malformed();
  c.bytes_skipped = decoder_.bytes_skipped();
  return c;
}

}  // namespace stridefuse::simulated
