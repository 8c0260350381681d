#include "publish/late_joiner_snapshot.hpp"

#include <algorithm>

namespace stridefuse::publish_detail {

void LateJoinerSnapshot::keep(SnapshotRole role, const std::string& stream_id, const std::string& topic,
                              std::span<const std::uint8_t> payload) {
  auto copy = [&] { return SentMessage{topic, {payload.begin(), payload.end()}}; };
  switch (role) {
    case SnapshotRole::none: return;
    case SnapshotRole::session_start:
      // A new session: the previous one's end and streams are history.
      session_start_ = copy();
      session_end_.reset();
      statuses_.clear();
      latest_.clear();
      overflowing_ = false;
      return;
    case SnapshotRole::session_end: session_end_ = copy(); return;
    case SnapshotRole::device_status: break;
  }
  const std::uint64_t number = next_number_++;
  latest_[stream_id] = number;
  statuses_.push_back({stream_id, number, copy()});
  // Superseded statuses before the oldest current one are no longer needed for a gap-free run.
  while (!statuses_.empty() && !current(statuses_.front())) {
    statuses_.pop_front();
    overflowing_ = false;  // the stream that held the run open spoke again
  }
  // A stream long silent holds the run open: past the bound, give up its
  // gaplessness and keep the current statuses only, until that stream speaks.
  if (overflowing_ || statuses_.size() > max_statuses) {
    overflowing_ = true;
    statuses_.erase(std::remove_if(statuses_.begin(), statuses_.end(), [this](const Status& s) { return !current(s); }),
                    statuses_.end());
  }
}

}  // namespace stridefuse::publish_detail
