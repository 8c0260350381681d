#pragma once
// A subscriber's view of the per-topic sequence numbers (EVENTS.md): which
// messages are new, which repeat one already seen (the publisher's snapshot
// for late joiners), and how many were lost on the way (a slow subscriber's
// own queue overflowing, or the publisher failing to send).

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace stridefuse {

class SequenceTracker {
 public:
  struct Verdict {
    bool repeat = false;      ///< sequence not newer than one already seen on this topic: ignore the message
    std::uint64_t lost = 0;   ///< messages of this topic missing just before this one
  };

  /// Records `sequence` on `topic`. The first message of a topic starts its count (nothing lost before it).
  Verdict observe(std::string_view topic, std::uint64_t sequence);

  /// Messages found missing so far, all topics.
  std::uint64_t lost() const { return lost_; }
  /// Repeats seen so far, all topics.
  std::uint64_t repeats() const { return repeats_; }

 private:
  std::map<std::string, std::uint64_t, std::less<>> last_;
  std::uint64_t lost_ = 0;
  std::uint64_t repeats_ = 0;
};

}  // namespace stridefuse
