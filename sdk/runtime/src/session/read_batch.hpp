#pragma once
// What one read of a device produced, handed whole from its reader thread to
// the fusion thread: the samples the driver decoded (with the session's
// stream numbers, not yet on the session clock), when the bytes arrived, and
// the reader step that committed it. The batches circulate between the two
// threads and are reused, so a warmed-up session allocates nothing per read.

#include <cstdint>

#include "stridefuse/core/sample_batch.hpp"

namespace stridefuse::detail {

struct ReadBatch {
  SampleBatch samples;
  double arrival_s = 0.0;  ///< session time at which the read returned the bytes
  std::uint64_t step = 0;  ///< the reader step (DeviceReader::step) that committed it
};

}  // namespace stridefuse::detail
