#pragma once
// The offline analysis's second pass: every spilled recording, its times put
// on the pelvis clock, through SampleMerger (the live session's merge) into
// the fusion engine.

#include <vector>

#include "spilled_recording.hpp"
#include "stridefuse/fusion/engine.hpp"
#include "stridefuse/runtime/recording_alignment.hpp"

namespace stridefuse::offline {

struct AlignedRecording {
  SpilledRecording* recording;
  ClockAlignment alignment;  ///< file clock to pelvis clock
};

/// Pushes every row of every recording into `engine` in time order (the
/// engine's streams are the recordings, in this order), then finishes it.
/// Throws std::runtime_error when a temporary copy cannot be read.
void feed_engine(const std::vector<AlignedRecording>& recordings, fusion::Engine& engine);

}  // namespace stridefuse::offline
