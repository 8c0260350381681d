#pragma once
// The one table of a step's fields (fusion/METRICS.md, sdk/runtime/src/offline/FILES.md). Everything that
// writes or reads a StepEvent iterates it: the Cap'n Proto encoder and
// decoder (fields found by name in events.capnp), the JSON rendering,
// steps.csv, the HTML report, the C API (its struct is generated from this
// table at build time) and the Python module. A new per-step metric is: its
// field in events.capnp (appended), its Metric member in StepEvent, one row
// here (appended), its computation and its test; then its row in EVENTS.md
// (a test compares the two) and its value in the sample step of the codec
// tests (tests/sdk: event_samples.hpp, the step's golden bytes and JSON).
//
// Rows are in wire order: row i is field @i of events.capnp's Step (a test
// checks it), which is also the order of the steps.csv columns and JSON keys.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <type_traits>

#include "stridefuse/core/events.hpp"
#include "stridefuse/core/metric.hpp"

namespace stridefuse {

/// What a step field holds; each writer knows how to render each kind.
enum class StepFieldKind : std::uint8_t {
  side,            ///< StepEvent::side
  index,           ///< StepEvent::index; not a steps.csv column (sdk/runtime/src/offline/FILES.md)
  time,            ///< a session time in s: StepField::time
  metric,          ///< a value or absent with a reason: StepField::metric
  category,        ///< one of a few named values (an enum): StepField::category
};

/// A field that holds one of a few named values (strike pattern, gait mode,
/// the sensor that timed the step): its value as the enum's ordinal, which
/// the schema's enum shares, and the names. Ordinal 0 of an enum with
/// `zero_is_unknown` means "not known": steps.csv leaves it empty.
struct StepCategory {
  int (*get)(const StepEvent&);
  void (*set)(StepEvent&, int ordinal);  ///< ordinal in [0, count)
  const char* (*name)(int ordinal);      ///< ordinal in [0, count)
  int count;
  bool zero_is_unknown;
  const char* c_enum;                    ///< the C API's enum of it, e.g. "sf_strike_pattern"
};

/// A set of AbsentReasons: the reasons a metric can be absent with.
class AbsentReasonSet {
 public:
  constexpr AbsentReasonSet() = default;
  constexpr AbsentReasonSet(std::initializer_list<AbsentReason> reasons) {
    for (const AbsentReason r : reasons) bits_ = static_cast<std::uint16_t>(bits_ | bit(r));
  }
  constexpr bool contains(AbsentReason r) const { return (bits_ & bit(r)) != 0; }
  constexpr bool empty() const { return bits_ == 0; }

 private:
  static constexpr std::uint16_t bit(AbsentReason r) {
    return static_cast<std::uint16_t>(1u << static_cast<unsigned>(r));
  }
  std::uint16_t bits_ = 0;
};

/// One field of a step.
struct StepField {
  /// snake_case: the steps.csv column, JSON key, Python key and C field;
  /// the events.capnp field is its camelCase (contact_time_s: contactTimeS).
  const char* name = "";
  StepFieldKind kind = StepFieldKind::metric;
  const char* unit = "";     ///< as the report prints it; "" for none
  const char* meaning = "";  ///< one line, ASCII (it goes into the C header's comments)
  /// kind metric: every reason the engine may give for it being absent (Metric::of
  /// gives degraded_input for a non-finite value, so every metric has that one).
  AbsentReasonSet absent_when;
  Metric StepEvent::*metric = nullptr;  ///< kind metric
  double StepEvent::*time = nullptr;    ///< kind time
  const StepCategory* category = nullptr;  ///< kind category

  /// steps.csv has every field but the step index.
  constexpr bool in_steps_csv() const { return kind != StepFieldKind::index; }
};

namespace step_fields_detail {
using enum AbsentReason;
using K = StepFieldKind;
// The pelvis metrics need the pelvis IMU, its neutral posture and pelvis
// samples without gaps around the step; those closed by the next contact
// also need that contact: the other foot's insole, or the pelvis timing that
// foot (no_left_insole / no_right_insole when neither delivers).
inline constexpr AbsentReasonSet pelvis{no_pelvis_sensor, not_calibrated, degraded_input};
inline constexpr AbsentReasonSet pelvis_to_next_ic{no_pelvis_sensor, not_calibrated, degraded_input, no_insole,
                                                   not_detected, no_left_insole, no_right_insole};
inline constexpr AbsentReasonSet to_next_ic{no_insole, not_detected, degraded_input, no_left_insole, no_right_insole};

template <auto Member>
constexpr StepCategory category_of(int count, bool zero_is_unknown, const char* c_enum) {
  using Enum = std::remove_cvref_t<decltype(StepEvent{}.*Member)>;
  return {[](const StepEvent& e) { return static_cast<int>(e.*Member); },
          [](StepEvent& e, int ordinal) { e.*Member = static_cast<Enum>(ordinal); },
          [](int ordinal) { return to_string(static_cast<Enum>(ordinal)); }, count, zero_is_unknown, c_enum};
}
inline constexpr StepCategory strike_pattern = category_of<&StepEvent::strike_pattern>(4, true, "sf_strike_pattern");
inline constexpr StepCategory gait_mode = category_of<&StepEvent::gait_mode>(3, true, "sf_gait_mode");
inline constexpr StepCategory detected_by = category_of<&StepEvent::detected_by>(2, false, "sf_step_source");

// clang-format off
inline constexpr StepField table[] = {
    {"side", K::side, "", "foot of this step: left / right", {}},
    {"index", K::index, "", "step number in the session, both feet counted", {}},
    {"t_ic_s", K::time, "s", "initial contact, session time", {}, nullptr, &StepEvent::t_ic_s},
    {"t_to_s", K::time, "s", "toe-off, session time", {}, nullptr, &StepEvent::t_to_s},
    {"contact_time_s", K::metric, "s", "TO - IC", {degraded_input}, &StepEvent::contact_time_s},
    {"flight_time_s", K::metric, "s", "IC of the next step - TO", to_next_ic, &StepEvent::flight_time_s},
    {"cadence_spm", K::metric, "steps/min", "60 / time between consecutive ICs of opposite feet", to_next_ic,
     &StepEvent::cadence_spm},
    {"strike_index_pct", K::metric, "% foot length", "centre of pressure at IC, % of foot length from the heel",
     {no_insole, not_detected, degraded_input}, &StepEvent::strike_index_pct},
    {"strike_pattern", K::category, "", "rearfoot (< 33.3 %), midfoot, forefoot (> 66.7 %), unknown", {},
     nullptr, nullptr, &strike_pattern},
    {"foot_strike_distance_m", K::metric, "m",
     "along X from the centre of mass to the centre of pressure at IC; positive: foot lands ahead of the body",
     {no_pelvis_sensor, not_calibrated, degraded_input, no_insole, not_detected, no_speed_source, not_for_walking,
      no_insole_geometry, no_left_insole, no_right_insole},
     &StepEvent::foot_strike_distance_m},
    {"braking_time_s", K::metric, "s", "IC to the turn from braking to propulsion", pelvis_to_next_ic,
     &StepEvent::braking_time_s},
    {"step_length_m", K::metric, "m", "forward distance between consecutive ICs",
     {no_speed_source, no_insole, not_detected, degraded_input, no_left_insole, no_right_insole},
     &StepEvent::step_length_m},
    {"tilt_ic_deg", K::metric, "deg", "pelvic tilt at IC, anterior positive", pelvis, &StepEvent::tilt_ic_deg},
    {"obliquity_ic_deg", K::metric, "deg", "pelvic obliquity at IC, left side up positive", pelvis,
     &StepEvent::obliquity_ic_deg},
    {"rotation_ic_deg", K::metric, "deg", "pelvic rotation at IC, right side forward positive", pelvis,
     &StepEvent::rotation_ic_deg},
    {"pelvic_drop_deg", K::metric, "deg", "largest drop of the swing side during this stance; positive: dropped",
     pelvis, &StepEvent::pelvic_drop_deg},
    {"vertical_oscillation_m", K::metric, "m", "pelvis vertical peak-to-peak over the step", pelvis_to_next_ic,
     &StepEvent::vertical_oscillation_m},
    {"gait_mode", K::category, "",
     "since 1.3: walking (double support, no flight), running (flight), unknown; unknown from older writers", {},
     nullptr, nullptr, &gait_mode},
    {"detected_by", K::category, "",
     "since 1.3: the sensor that timed IC and TO: insole (this foot's) or pelvis (no usable insole for this foot; "
     "then tToS may be NaN, JSON null: a walking step's final contact not found); insole from older writers",
     {}, nullptr, nullptr, &detected_by},
    {"foot_strike_distance_uncertainty_m", K::metric, "m",
     "since 1.7: standard uncertainty (one SD) of foot_strike_distance_m; present exactly when it is",
     {no_pelvis_sensor, not_calibrated, degraded_input, no_insole, not_detected, no_speed_source, not_for_walking,
      no_insole_geometry, no_left_insole, no_right_insole},
     &StepEvent::foot_strike_distance_uncertainty_m},
};
// clang-format on

}  // namespace step_fields_detail

/// Every field of a step, in events.capnp's order.
inline constexpr auto& step_fields = step_fields_detail::table;

/// Number of metric rows.
inline constexpr std::size_t step_metric_count = static_cast<std::size_t>(
    std::ranges::count(step_fields, StepFieldKind::metric, &StepField::kind));

/// The metric rows alone, in table order (the report's metrics, the C API's metric ids).
inline constexpr std::array<StepField, step_metric_count> step_metrics = [] {
  std::array<StepField, step_metric_count> out{};
  std::size_t i = 0;
  for (const auto& f : step_fields)
    if (f.kind == StepFieldKind::metric) out[i++] = f;
  return out;
}();

namespace step_fields_detail {

constexpr bool snake_case(std::string_view s) {
  return !s.empty() && s.front() >= 'a' && s.front() <= 'z' &&
         std::ranges::all_of(s, [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }) &&
         s.back() != '_' && s.find("__") == std::string_view::npos;
}

constexpr bool ascii(std::string_view s) {
  return std::ranges::all_of(s, [](char c) { return c >= 0x20 && c < 0x7f; }) &&
         s.find("*/") == std::string_view::npos;  // it becomes a C comment
}

// What the consumers rely on: names usable verbatim as JSON keys, CSV
// columns and C identifiers, unique; each row's member set for its kind.
constexpr bool table_is_consistent() {
  for (std::size_t i = 0; i < std::size(step_fields); ++i) {
    const auto& f = step_fields[i];
    if (!snake_case(f.name) || !ascii(f.meaning) || !ascii(f.unit)) return false;
    for (std::size_t j = 0; j < i; ++j)
      if (std::string_view(step_fields[j].name) == f.name) return false;
    const bool metric = f.kind == StepFieldKind::metric;
    if (metric != (f.metric != nullptr) || (f.kind == StepFieldKind::time) != (f.time != nullptr)) return false;
    // A category row reads its category (a null one fails to compile here);
    // comparing a variable's address with null is no constant expression
    // under GCC's sanitizers.
    if (f.kind == StepFieldKind::category ? f.category->count < 2 : f.category != nullptr) return false;
    if (metric == f.absent_when.empty()) return false;
  }
  return true;
}

}  // namespace step_fields_detail

static_assert(step_fields_detail::table_is_consistent(),
              "step_fields: a name is not snake_case or repeats, a text is not one line of ASCII, or a row's "
              "members do not fit its kind (a metric needs its member and its absent reasons)");

}  // namespace stridefuse
