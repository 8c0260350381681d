#include "session/device_timeline.hpp"

#include <limits>

namespace stridefuse::detail {
namespace {

// A sample whose tick its clock refused keeps this stream number: next() skips it.
constexpr std::uint16_t rejected_stream = std::numeric_limits<std::uint16_t>::max();

// A counter at `tick_rate_hz` reached over a link whose known minimum latency
// is `min_delay_s`: one-way sync cannot see that latency (it looks like an
// offset), so it is subtracted from every arrival.
DeviceClockConfig counter_config(double tick_rate_hz, unsigned tick_bits, double min_delay_s) {
  DeviceClockConfig c;
  c.tick_rate_hz = tick_rate_hz;
  c.tick_bits = tick_bits;
  c.min_delay_s = min_delay_s;
  return c;
}

}  // namespace

DeviceTimeline::DeviceTimeline(DeviceReader& reader, double min_delay_s) : reader_(reader) {
  const auto bridge = reader.bridge_clock();
  for (const auto& s : reader.streams()) {
    if (bridge)
      // Behind a bridge the transport's latency is the bridge -> host link's; the
      // sensor -> bridge link (BLE) states none, so its floor is taken as zero.
      clocks_.emplace_back(std::in_place_type<BridgedClock>, counter_config(s.tick_rate_hz, s.tick_bits, 0.0),
                           counter_config(bridge->tick_rate_hz, bridge->tick_bits, min_delay_s));
    else
      clocks_.emplace_back(std::in_place_type<DeviceClock>, counter_config(s.tick_rate_hz, s.tick_bits, min_delay_s));
    clock_reports_.emplace_back(s.tick_rate_hz, bridge.has_value() && s.bridge_ticks);
  }
  error_bounds_s_.assign(clocks_.size(), 0.0);
  rejected_per_stream_ = std::make_unique<std::atomic<std::uint64_t>[]>(clocks_.size());
}

void DeviceTimeline::map(ReadBatch& batch) {
  std::uint64_t rejected = 0;
  for (Sample& s : batch.samples) {
    const std::size_t local = s.stream - reader_.first_stream();
    ClockMapping mapping;
    if (auto* bridged = std::get_if<BridgedClock>(&clocks_[local]))
      mapping = bridged->observe(s.device_tick, s.bridge_tick, batch.arrival_s);
    else
      mapping = std::get<DeviceClock>(clocks_[local]).observe(s.device_tick, batch.arrival_s);
    clock_reports_[local].observe(mapping);
    if (mapping.status == ClockMapping::Status::duplicate || mapping.status == ClockMapping::Status::rejected) {
      // A repeated or impossible tick carries no new measurement; the clock counted it.
      s.stream = rejected_stream;
      ++rejected;
      rejected_per_stream_[local].fetch_add(1, std::memory_order_relaxed);
      continue;
    }
    s.device_tick = mapping.unwrapped_tick;
    s.t_s = mapping.t_s;
    s.t_error_s = mapping.error_bound_s;
    s.arrival_s = batch.arrival_s;  // where the event's provenance learns when its samples came
    error_bounds_s_[local] = mapping.error_bound_s;
  }
  rejected_.fetch_add(rejected, std::memory_order_relaxed);
}

bool DeviceTimeline::map_one() {
  ReadBatch* batch = reader_.take();
  if (!batch) return false;
  map(*batch);
  mapped_.push_back(batch);
  return true;
}

void DeviceTimeline::map_through(std::optional<std::uint64_t> step) {
  // A batch is queued before its step is published (DeviceReader::step), so
  // every batch of a step the caller has seen is there to take.
  while (true) {
    const auto next = reader_.next_step();
    if (!next || (step && *next > *step)) return;
    map_one();
  }
}

Sample* DeviceTimeline::next() {
  while (true) {
    if (mapped_.empty() && !map_one()) return nullptr;
    ReadBatch* front = mapped_.front();
    while (cursor_ < front->samples.size()) {
      Sample& s = front->samples[cursor_++];
      if (s.stream != rejected_stream) return &s;
    }
    mapped_.pop_front();
    cursor_ = 0;
    reader_.recycle(front);
  }
}

std::vector<StreamClockStatus> DeviceTimeline::clock_status() const {
  std::vector<StreamClockStatus> out;
  out.reserve(clocks_.size());
  for (std::size_t i = 0; i < clocks_.size(); ++i) out.push_back(clock_reports_[i].status(clocks_[i]));
  return out;
}

}  // namespace stridefuse::detail
