#include "stridefuse/core/form_finding.hpp"

namespace stridefuse {

const char* to_string(FindingCode code) {
  switch (code) {
    case FindingCode::overstride: return "overstride";
    case FindingCode::backseat: return "backseat";
    case FindingCode::anterior_tilt: return "anterior_tilt";
    case FindingCode::hip_drop: return "hip_drop";
    case FindingCode::asymmetry: return "asymmetry";
    case FindingCode::fatigue_drift: return "fatigue_drift";
    case FindingCode::cadence_low: return "cadence_low";
  }
  return "?";
}

const char* to_string(FindingSide side) {
  switch (side) {
    case FindingSide::left: return "left";
    case FindingSide::right: return "right";
    case FindingSide::both: return "both";
  }
  return "?";
}

std::optional<FindingCode> finding_code_from(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(last_finding_code); ++i) {
    const auto code = static_cast<FindingCode>(i);
    if (name == to_string(code)) return code;
  }
  return std::nullopt;
}

}  // namespace stridefuse
