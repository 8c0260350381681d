#pragma once
// The C struct view of the SDK's events (sf_event of stridefuse.h).

#include <cstddef>
#include <string_view>

#include "stridefuse/core/events.hpp"
#include "stridefuse/stridefuse.h"

namespace stridefuse::c_api {

/// A C enum value from the SDK's enum: the same number (checked in event_view.cpp).
template <class Enum>
int to_c(Enum value) noexcept {
  return static_cast<int>(value);
}

/// A metric as C sees it: value (NaN when absent), present, absent_reason.
sf_metric to_c(const Metric& m) noexcept;

/// Fills `out` (every byte: unused text is zero) from `event`.
void to_c_event(const Event& event, sf_event& out) noexcept;

/// Fills `out` (every byte) from a finding and its state.
void to_c_finding(const FormFinding& finding, FindingState state, sf_finding_event& out) noexcept;

/// Copies `text` into a C array of `size` bytes, cut to fit, NUL-terminated.
void copy_text(std::string_view text, char* out, std::size_t size) noexcept;

}  // namespace stridefuse::c_api
