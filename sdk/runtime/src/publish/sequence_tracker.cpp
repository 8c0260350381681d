#include "stridefuse/runtime/sequence_tracker.hpp"

namespace stridefuse {

SequenceTracker::Verdict SequenceTracker::observe(std::string_view topic, std::uint64_t sequence) {
  const auto it = last_.find(topic);
  if (it == last_.end()) {
    last_.emplace(std::string(topic), sequence);
    return {};
  }
  if (sequence <= it->second) {
    ++repeats_;
    return {true, 0};
  }
  const std::uint64_t lost = sequence - it->second - 1;
  it->second = sequence;
  lost_ += lost;
  return {false, lost};
}

}  // namespace stridefuse
