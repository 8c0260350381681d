#pragma once
// Time-ordered release of the samples of N streams. A sample is released once
// every stream has delivered something at least as late as it, or once it is
// max_wait_s old (session time), whichever comes first: a late or stalled
// stream delays the others by at most max_wait_s.
//
// A sample that arrives after later samples were already released ("late")
// cannot be put in order any more. It is never slipped in silently: by policy
// it is either released at the next release() flagged late, or dropped; both
// are counted.
//
// Single-threaded: owned by the session thread. Usage:
//   SampleMerger merger({.stream_count = 3});
//   merger.push(sample);                        // as samples come out of clock sync
//   merger.release(clock.now_s(), on_sample);   // regularly, e.g. every loop turn
//   merger.flush(on_sample);                    // at session end

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "stridefuse/core/sample.hpp"

namespace stridefuse {

enum class LateSamplePolicy : std::uint8_t {
  release_flagged,  ///< released at the next release()/flush() with late = true
  drop,             ///< discarded
};

struct SampleMergerConfig {
  std::size_t stream_count = 0;            ///< streams 0..stream_count-1, at least 1
  double max_wait_s = 0.050;               ///< longest wait for a late stream, [0, 60]
  LateSamplePolicy late_policy = LateSamplePolicy::release_flagged;
  std::size_t max_buffered = 1u << 16;     ///< samples held at most; beyond, pushes are dropped (counted)
};

struct SampleMergerCounters {
  std::uint64_t pushed = 0;
  std::uint64_t released = 0;        ///< in order, not late
  std::uint64_t late = 0;            ///< arrived behind the release frontier
  std::uint64_t late_released = 0;   ///< late and released flagged (policy release_flagged)
  std::uint64_t late_dropped = 0;    ///< late and dropped (policy drop)
  std::uint64_t overflow_dropped = 0;///< dropped because max_buffered samples were held
  std::uint64_t released_by_timeout = 0;  ///< released before every stream had caught up
};

class SampleMerger {
 public:
  /// late: the sample arrived after later samples had been released.
  using Callback = std::function<void(const Sample& sample, bool late)>;

  /// Throws std::invalid_argument naming the bad field.
  explicit SampleMerger(SampleMergerConfig config);

  /// Takes a sample (its stream and t_s set). Throws std::invalid_argument for
  /// a stream index out of range or a non-finite t_s.
  void push(const Sample& sample);

  /// Releases, in time order, every sample that is due at session time now_s;
  /// late samples first (flagged). Each is passed by reference, valid during
  /// the call (the callback must not push). Returns the number released.
  std::size_t release(double now_s, const Callback& on_sample);

  /// Whether release(now_s) would release anything.
  bool release_due(double now_s) const;

  /// The earliest session time at which release() releases something if
  /// nothing more is pushed: -infinity when something is due whatever the
  /// time, +infinity when nothing is held. Lets a caller sleep until then.
  double next_due_s() const;

  /// Releases everything held, in time order. Returns the number released.
  std::size_t flush(const Callback& on_sample);

  /// Time of the newest sample released in order (-infinity before any).
  double frontier_s() const { return frontier_s_; }
  std::size_t buffered() const { return heap_.size() + late_.size(); }
  const SampleMergerCounters& counters() const { return counters_; }
  const SampleMergerConfig& config() const { return config_; }

 private:
  // The heap orders small keys; each sample stays in its slot from push to
  // release (copied in once, passed out by reference), not moved at every sift.
  struct Key {
    double t_s;
    std::uint16_t stream;
    std::uint64_t sequence;  ///< push order, to release equal times deterministically
    std::uint32_t slot;      ///< in slots_
  };
  struct Later {
    bool operator()(const Key& a, const Key& b) const;
  };

  std::size_t release_late(const Callback& on_sample);
  void release_top(const Callback& on_sample);
  double caught_up_s() const;

  SampleMergerConfig config_;
  std::vector<Key> heap_;                // a heap by Later: its front is the earliest
  std::vector<Sample> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::vector<Sample> late_;
  std::vector<double> newest_s_;  ///< per stream: newest t_s pushed
  double frontier_s_;
  std::uint64_t sequence_ = 0;
  SampleMergerCounters counters_;
};

}  // namespace stridefuse
