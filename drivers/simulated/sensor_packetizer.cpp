#include "sensor_packetizer.hpp"

namespace stridefuse::simulated {

SensorPacketizer::SensorPacketizer(std::unique_ptr<SampleSource> source) : source_(std::move(source)) {
  open_.resize(source_->streams().size());
}

void SensorPacketizer::take(const sim::SimulatedSample& s) {
  OpenPacket& o = open_[s.stream];
  const std::size_t max_samples = (max_payload_bytes - payload_header_bytes) / (4 + 4 * s.channel_count);
  if (o.open && (s.host_arrival_s != o.arrival_s || o.packet.ticks.size() >= max_samples)) close(s.stream);
  if (!o.open) {
    // Samples missing since the last packet went down with a lost connection
    // event: the wire sequence skips one, as a real device's would.
    if (s.sequence != o.next_sample) ++o.next_packet;
    o.open = true;
    o.arrival_s = s.host_arrival_s;
    o.packet = SensorPacket{};
    o.packet.stream = static_cast<std::uint8_t>(s.stream);
    o.packet.sequence = o.next_packet++;
    o.packet.channel_count = s.channel_count;
  }
  o.next_sample = s.sequence + 1;
  o.packet.ticks.push_back(static_cast<std::uint32_t>(s.raw_tick));
  for (std::size_t c = 0; c < s.channel_count; ++c) o.packet.values.push_back(static_cast<float>(s.values[c]));
}

void SensorPacketizer::close(std::uint16_t stream) {
  OpenPacket& o = open_[stream];
  if (!o.open) return;
  due_.push(Pending{o.arrival_s, std::move(o.packet)});
  o.open = false;
}

void SensorPacketizer::pump(double now_s, std::vector<std::uint8_t>& out) {
  source_->advance_to(now_s, [this](const sim::SimulatedSample& s) { take(s); });
  // Every sample taken at or before now_s exists, and a sample arrives no
  // earlier than it was taken: a packet due by now_s can grow no more.
  for (std::uint16_t i = 0; i < open_.size(); ++i)
    if (open_[i].open && open_[i].arrival_s <= now_s) close(i);
  while (!due_.empty() && due_.top().arrival_s <= now_s) {
    append_frame(due_.top().packet, out);
    due_.pop();
  }
}

}  // namespace stridefuse::simulated
