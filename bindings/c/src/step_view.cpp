#include "step_view.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "call_guard.hpp"
#include "event_view.hpp"
#include "stridefuse/core/step_fields.hpp"

namespace stridefuse::c_api {
namespace {

// Where each step table row lives in sf_step_event, in table order: generated
// with the struct itself (generator/generate_step_header.cpp).
struct CField {
  std::size_t offset, size;
};
constexpr CField step_c_fields[] = {
#include "step_field_offsets.inc"
};
static_assert(std::size(step_c_fields) == std::size(step_fields), "step_field_offsets.inc is not the step table's");

// The C type of each kind, as the generator declares it; checked against every member's size.
constexpr std::size_t c_size(StepFieldKind kind) {
  switch (kind) {
    case StepFieldKind::side: return sizeof(int);
    case StepFieldKind::index: return sizeof(std::uint32_t);
    case StepFieldKind::time: return sizeof(double);
    case StepFieldKind::metric: return sizeof(sf_metric);
    case StepFieldKind::category: return sizeof(int);
  }
  return 0;
}
static_assert(std::ranges::equal(
                  step_fields, step_c_fields, {}, [](const StepField& f) { return c_size(f.kind); }, &CField::size),
              "a member of sf_step_event does not have the C type of its row's kind");
static_assert(step_metric_count == SF_STEP_METRIC_COUNT);

// The offset of each metric, by sf_step_metric_id.
constexpr auto step_metric_offsets = [] {
  std::array<std::size_t, step_metric_count> out{};
  std::size_t id = 0;
  for (std::size_t i = 0; i < std::size(step_fields); ++i)
    if (step_fields[i].kind == StepFieldKind::metric) out[id++] = step_c_fields[i].offset;
  return out;
}();

// Byte copies: the member's type is the kind's (checked above), its name is only known to the generator.
template <class T>
void store(sf_step_event& step, std::size_t offset, const T& value) {
  std::memcpy(reinterpret_cast<unsigned char*>(&step) + offset, &value, sizeof value);
}

bool valid_metric_id(int id) { return id >= 0 && id < SF_STEP_METRIC_COUNT; }

}  // namespace

void to_c_step(const StepEvent& e, sf_step_event& out) noexcept {
  for (std::size_t i = 0; i < std::size(step_fields); ++i) {
    const StepField& f = step_fields[i];
    const std::size_t at = step_c_fields[i].offset;
    switch (f.kind) {
      case StepFieldKind::side: store(out, at, to_c(e.side)); break;
      case StepFieldKind::index: store(out, at, e.index); break;
      case StepFieldKind::time: store(out, at, e.*f.time); break;
      case StepFieldKind::metric: store(out, at, to_c(e.*f.metric)); break;
      case StepFieldKind::category: store(out, at, f.category->get(e)); break;
    }
  }
}

}  // namespace stridefuse::c_api

extern "C" {

int sf_step_metric(const sf_step_event* step, int id, sf_metric* metric) {
  using namespace stridefuse::c_api;
  return guarded([&] {
    require(step, "step");
    require(metric, "metric");
    if (!valid_metric_id(id))
      throw CallError{SF_ERROR_NOT_FOUND, "no step metric " + std::to_string(id) + " (ids 0 to " +
                                              std::to_string(SF_STEP_METRIC_COUNT - 1) + ")"};
    std::memcpy(metric, reinterpret_cast<const unsigned char*>(step) + step_metric_offsets[static_cast<std::size_t>(id)],
                sizeof *metric);
    return SF_OK;
  });
}

const char* sf_step_metric_name(int id) {
  if (!stridefuse::c_api::valid_metric_id(id)) return "unknown";
  return stridefuse::step_metrics[static_cast<std::size_t>(id)].name;
}

const char* sf_step_metric_unit(int id) {
  if (!stridefuse::c_api::valid_metric_id(id)) return "unknown";
  return stridefuse::step_metrics[static_cast<std::size_t>(id)].unit;
}

}  // extern "C"
