#pragma once
// What the publisher repeats to a late joiner (EVENTS.md section 1.3): the
// session start, the device statuses and, once ended, the session end, as
// first sent (same bytes, same sequence numbers), in the order they were sent.
//
// Device statuses all share one topic, so a late joiner's sequence rule
// ("not newer than one seen: a repeat") must see them in sequence order; and
// so that it sees no gap it must not take for a loss, every status from the
// oldest still-current one on is kept, superseded ones included: with every
// stream reporting each status interval that is about the last round or two.
// Only if that run grows past max_statuses (one stream long silent) are the
// superseded statuses dropped, until that stream reports again: a late joiner
// then sees a gap of superseded statuses.
//
// The publisher's socket thread only.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace stridefuse::publish_detail {

/// One message kept as it was sent.
struct SentMessage {
  std::string topic;
  std::vector<std::uint8_t> payload;
};

/// Which part of a late joiner's state a published event is.
enum class SnapshotRole : std::uint8_t { none, session_start, session_end, device_status };

class LateJoinerSnapshot {
 public:
  static constexpr std::size_t max_statuses = 256;

  /// Keeps a message just sent, if its role makes it state. `stream_id`: a device status's stream.
  void keep(SnapshotRole role, const std::string& stream_id, const std::string& topic,
            std::span<const std::uint8_t> payload);

  /// Calls f(const SentMessage&) for each kept message in the order they were sent.
  template <class F>
  void for_each(F&& f) const {
    if (session_start_) f(*session_start_);
    for (const auto& s : statuses_) f(s.message);
    if (session_end_) f(*session_end_);
  }

  std::size_t size() const { return statuses_.size() + (session_start_ ? 1 : 0) + (session_end_ ? 1 : 0); }

 private:
  struct Status {
    std::string stream_id;
    std::uint64_t number;  // counts statuses kept, from 0
    SentMessage message;
  };
  bool current(const Status& s) const { return latest_.at(s.stream_id) == s.number; }

  std::optional<SentMessage> session_start_;
  std::optional<SentMessage> session_end_;
  std::deque<Status> statuses_;
  std::map<std::string, std::uint64_t> latest_;  // per stream: number of its latest status
  std::uint64_t next_number_ = 0;
  bool overflowing_ = false;  // the run grew past max_statuses: only current statuses are kept
};

}  // namespace stridefuse::publish_detail
