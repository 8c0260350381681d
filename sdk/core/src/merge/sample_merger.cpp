#include "stridefuse/core/sample_merger.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace stridefuse {

bool SampleMerger::Later::operator()(const Key& a, const Key& b) const {
  if (a.t_s != b.t_s) return a.t_s > b.t_s;
  if (a.stream != b.stream) return a.stream > b.stream;
  return a.sequence > b.sequence;
}

SampleMerger::SampleMerger(SampleMergerConfig config)
    : config_(config), frontier_s_(-std::numeric_limits<double>::infinity()) {
  if (config_.stream_count == 0 || config_.stream_count > 65536)
    throw std::invalid_argument("SampleMergerConfig: stream_count must be in 1..65536, got " +
                                std::to_string(config_.stream_count));
  if (!std::isfinite(config_.max_wait_s) || config_.max_wait_s < 0.0 || config_.max_wait_s > 60.0)
    throw std::invalid_argument("SampleMergerConfig: max_wait_s must be in [0, 60], got " +
                                std::to_string(config_.max_wait_s));
  if (config_.max_buffered == 0)
    throw std::invalid_argument("SampleMergerConfig: max_buffered must be positive");
  if (config_.late_policy != LateSamplePolicy::release_flagged && config_.late_policy != LateSamplePolicy::drop)
    throw std::invalid_argument("SampleMergerConfig: unknown late_policy");
  newest_s_.assign(config_.stream_count, -std::numeric_limits<double>::infinity());
}

void SampleMerger::push(const Sample& sample) {
  if (sample.stream >= config_.stream_count)
    throw std::invalid_argument("SampleMerger::push: stream " + std::to_string(sample.stream) +
                                " out of range (stream_count " + std::to_string(config_.stream_count) + ")");
  if (!std::isfinite(sample.t_s))
    throw std::invalid_argument("SampleMerger::push: t_s of stream " + std::to_string(sample.stream) +
                                " is not finite");
  ++counters_.pushed;
  newest_s_[sample.stream] = std::max(newest_s_[sample.stream], sample.t_s);
  if (sample.t_s < frontier_s_) {
    ++counters_.late;
    if (config_.late_policy == LateSamplePolicy::drop) {
      ++counters_.late_dropped;
      return;
    }
    if (buffered() >= config_.max_buffered) {
      ++counters_.overflow_dropped;
      return;
    }
    late_.push_back(sample);
    return;
  }
  if (buffered() >= config_.max_buffered) {
    ++counters_.overflow_dropped;
    return;
  }
  std::uint32_t slot;
  if (free_slots_.empty()) {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.push_back(sample);
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
    slots_[slot] = sample;
  }
  heap_.push_back({sample.t_s, sample.stream, sequence_++, slot});
  std::push_heap(heap_.begin(), heap_.end(), Later{});
}

std::size_t SampleMerger::release_late(const Callback& on_sample) {
  // Late samples go out as soon as possible, in their own time order.
  std::stable_sort(late_.begin(), late_.end(), [](const Sample& a, const Sample& b) { return a.t_s < b.t_s; });
  const std::size_t n = late_.size();
  counters_.late_released += n;
  std::vector<Sample> out;
  out.swap(late_);
  for (const Sample& s : out) on_sample(s, true);
  return n;
}

void SampleMerger::release_top(const Callback& on_sample) {
  std::pop_heap(heap_.begin(), heap_.end(), Later{});
  const Key top = heap_.back();
  heap_.pop_back();
  frontier_s_ = std::max(frontier_s_, top.t_s);
  ++counters_.released;
  on_sample(slots_[top.slot], false);
  free_slots_.push_back(top.slot);
}

double SampleMerger::caught_up_s() const {
  // Every stream has delivered up to here: nothing earlier can still come in order.
  return *std::min_element(newest_s_.begin(), newest_s_.end());
}

bool SampleMerger::release_due(double now_s) const {
  if (!late_.empty()) return true;
  if (heap_.empty()) return false;
  const double t = heap_.front().t_s;
  return t <= caught_up_s() || t <= now_s - config_.max_wait_s;
}

double SampleMerger::next_due_s() const {
  if (!late_.empty()) return -std::numeric_limits<double>::infinity();
  if (heap_.empty()) return std::numeric_limits<double>::infinity();
  const double t = heap_.front().t_s;
  if (t <= caught_up_s()) return -std::numeric_limits<double>::infinity();
  return t + config_.max_wait_s;  // release_due: t <= now_s - max_wait_s
}

std::size_t SampleMerger::release(double now_s, const Callback& on_sample) {
  if (!std::isfinite(now_s)) throw std::invalid_argument("SampleMerger::release: now_s is not finite");
  std::size_t n = release_late(on_sample);
  const double caught_up = caught_up_s();
  const double waited_out_s = now_s - config_.max_wait_s;
  while (!heap_.empty()) {
    const double t = heap_.front().t_s;
    if (t <= caught_up) {
      release_top(on_sample);
    } else if (t <= waited_out_s) {
      ++counters_.released_by_timeout;
      release_top(on_sample);
    } else {
      break;
    }
    ++n;
  }
  return n;
}

std::size_t SampleMerger::flush(const Callback& on_sample) {
  std::size_t n = release_late(on_sample);
  while (!heap_.empty()) {
    release_top(on_sample);
    ++n;
  }
  return n;
}

}  // namespace stridefuse
