// stridefuse.step_metrics: the SDK's table of per-step metrics
// (stridefuse/core/step_fields.hpp), so Python code can treat every metric
// alike (units for labels, the reasons it may be absent with) without a list
// of its own.

#include <pybind11/pybind11.h>

#include "stridefuse/core/step_fields.hpp"

namespace py = pybind11;

namespace stridefuse::python {

void bind_step_metrics(py::module_& m) {
  py::list metrics;
  for (const StepField& f : step_metrics) {
    py::list reasons;
    for (auto r = static_cast<unsigned>(AbsentReason::none) + 1; r <= static_cast<unsigned>(last_absent_reason);
         ++r)
      if (f.absent_when.contains(static_cast<AbsentReason>(r))) reasons.append(to_string(static_cast<AbsentReason>(r)));
    py::dict d;
    d["name"] = f.name;
    d["unit"] = f.unit;
    d["meaning"] = f.meaning;
    d["absent_when"] = py::tuple(reasons);
    metrics.append(d);
  }
  m.attr("step_metrics") = py::tuple(metrics);
}

}  // namespace stridefuse::python
