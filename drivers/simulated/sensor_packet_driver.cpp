#include "sensor_packet_driver.hpp"

#include <stdexcept>

namespace stridefuse::simulated {

SensorPacketDriver::SensorPacketDriver(std::string name, std::vector<StreamDescriptor> streams)
    : name_(std::move(name)), streams_(std::move(streams)), next_sequence_(streams_.size(), -1) {
  if (streams_.empty() || streams_.size() > 255)
    throw std::invalid_argument("driver '" + name_ + "' needs 1 to 255 streams");
  for (const auto& s : streams_) validate(s);
}

void SensorPacketDriver::decode(std::span<const std::uint8_t> bytes, const FrameCallback& emit) {
  decoder_.feed(bytes, [&](const SensorPacket& packet) {
    if (packet.stream >= streams_.size() || packet.channel_count != streams_[packet.stream].channels.size()) {
      ++counters_.malformed;
      return;
    }
    // Sequence numbers are 16-bit per stream: a jump means packets were lost on the way.
    int& expected = next_sequence_[packet.stream];
    if (expected >= 0 && packet.sequence != expected)
      counters_.sequence_gaps += static_cast<std::uint16_t>(packet.sequence - expected);
    expected = static_cast<std::uint16_t>(packet.sequence + 1);

    Frame frame;
    frame.stream = packet.stream;
    frame.channel_count = packet.channel_count;
    for (std::size_t i = 0; i < packet.ticks.size(); ++i) {
      frame.raw_tick = packet.ticks[i];
      for (std::size_t c = 0; c < packet.channel_count; ++c)
        frame.values[c] = packet.values[i * packet.channel_count + c];
      ++counters_.frames;
      emit(frame);
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
