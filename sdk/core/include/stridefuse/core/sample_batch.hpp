#pragma once
// The samples a driver decodes from one read of its device, in decode order.
// Drivers append a sample and write its channels in place (written once); the
// device reader then hands the whole batch to the fusion thread, where clock
// sync stamps each sample in place. A batch keeps its storage across clear(),
// so a reader that reuses its batches allocates nothing once warmed up.

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "stridefuse/core/sample.hpp"

namespace stridefuse {

class SampleBatch {
 public:
  /// Appends a sample of `stream` (the driver's index) taken at the device's
  /// raw tick, with `channel_count` channels for the driver to fill: their
  /// values are not cleared. Throws std::invalid_argument for more than
  /// Sample::max_channels channels.
  Sample& add(std::uint16_t stream, std::uint64_t device_tick, std::size_t channel_count) {
    if (channel_count > Sample::max_channels)
      throw std::invalid_argument("a sample of " + std::to_string(channel_count) + " channels (at most " +
                                  std::to_string(Sample::max_channels) + ")");
    if (size_ == samples_.size()) samples_.emplace_back();
    Sample& s = samples_[size_++];
    s.stream = stream;
    s.channel_count = static_cast<std::uint8_t>(channel_count);
    s.has_bridge_tick = false;
    s.device_tick = device_tick;
    s.bridge_tick = 0;
    s.t_s = 0.0;
    s.t_error_s = 0.0;
    s.arrival_s = 0.0;
    return s;
  }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  Sample& operator[](std::size_t i) { return samples_[i]; }
  const Sample& operator[](std::size_t i) const { return samples_[i]; }
  Sample* begin() { return samples_.data(); }
  Sample* end() { return samples_.data() + size_; }
  const Sample* begin() const { return samples_.data(); }
  const Sample* end() const { return samples_.data() + size_; }

  /// Forgets the samples from index `size` on (a payload found malformed
  /// after some of its samples were added). Sizes beyond size() do nothing.
  void truncate(std::size_t size) {
    if (size < size_) size_ = size;
  }
  void clear() { size_ = 0; }

 private:
  std::vector<Sample> samples_;  // storage; only the first size_ are samples
  std::size_t size_ = 0;
};

}  // namespace stridefuse
