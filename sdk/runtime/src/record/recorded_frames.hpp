#pragma once
// What replay needs from a recording besides devices, configuration and events.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stridefuse/runtime/session_recording.hpp"

namespace stridefuse {

struct SessionRecording::Frames {
  struct Read {
    enum class Outcome { bytes, timeout, error } outcome = Outcome::timeout;
    double arrival_s = 0.0;
    std::vector<std::uint8_t> bytes;
    std::string error;
  };
  struct Turn {
    double now_s = 0.0;
    std::vector<std::uint32_t> popped;       ///< per device
    std::optional<std::vector<std::uint64_t>> reader_steps;  ///< per device, when status was published
  };
  struct End {
    double end_s = 0.0;
    std::vector<std::uint64_t> reader_steps;
  };

  std::vector<std::vector<Read>> reads;  ///< per device, in order
  std::optional<std::uint64_t> host_start_unix_ns;
  std::vector<Turn> turns;
  std::optional<End> end;
};

}  // namespace stridefuse
