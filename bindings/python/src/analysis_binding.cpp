// stridefuse.analyze() and stridefuse.simulate(): offline analysis of a
// recordings directory (sdk/runtime/src/offline/FILES.md) with its tables as numpy arrays.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <filesystem>
#include <optional>
#include <stdexcept>

#include "stridefuse/core/step_fields.hpp"
#include "stridefuse/sim/recording_writer.hpp"
#include "stridefuse/runtime/event_codec.hpp"
#include "stridefuse/runtime/drill_analysis.hpp"
#include "stridefuse/runtime/offline_analysis.hpp"
#include "stridefuse/fusion/drill_tracker.hpp"

namespace py = pybind11;
using namespace pybind11::literals;
namespace fs = std::filesystem;

namespace stridefuse::python {
namespace {

/// The recordings directory's files by the names `stridefuse simulate` gives them.
AnalysisInputs inputs_in(const fs::path& dir, std::optional<double> speed_mps, std::optional<double> body_mass_kg,
                         std::optional<double> leg_length_m) {
  // Named as Python callers know them (the SDK's messages name the CLI options).
  if (speed_mps && !(*speed_mps > 0.0)) throw std::invalid_argument("speed_mps must be more than 0");
  if (body_mass_kg && !(*body_mass_kg > 0.0)) throw std::invalid_argument("body_mass_kg must be more than 0");
  if (leg_length_m && !(*leg_length_m > 0.0)) throw std::invalid_argument("leg_length_m must be more than 0");
  if (!fs::is_directory(dir)) throw std::invalid_argument(dir.string() + ": not a directory");
  AnalysisInputs in;
  if (fs::exists(dir / "pelvis.csv")) in.pelvis_csv = dir / "pelvis.csv";  // any set of sensor files
  const auto if_present = [&](const char* name) -> std::optional<fs::path> {
    if (fs::exists(dir / name)) return dir / name;
    return std::nullopt;
  };
  in.left_csv = if_present("left.csv");
  in.left_layout = if_present("left_layout.json");
  in.right_csv = if_present("right.csv");
  in.right_layout = if_present("right_layout.json");
  in.speed_csv = if_present("speed.csv");
  if (in.pelvis_csv.empty() && !in.left_csv && !in.right_csv)
    throw std::invalid_argument(dir.string() + ": no pelvis.csv, left.csv or right.csv");
  in.speed_mps = speed_mps;
  in.body_mass_kg = body_mass_kg;
  in.leg_length_m = leg_length_m;
  return in;
}

template <class Row, class Get>
py::array_t<double> column(const std::vector<Row>& rows, Get get) {
  py::array_t<double> out(static_cast<py::ssize_t>(rows.size()));
  auto view = out.mutable_unchecked<1>();
  for (std::size_t i = 0; i < rows.size(); ++i) view(static_cast<py::ssize_t>(i)) = get(rows[i]);
  return out;
}

template <class Get>
py::array text_column(const std::vector<StepEvent>& steps, Get get) {
  py::list names;
  for (const auto& s : steps) names.append(get(s));
  return py::module_::import("numpy").attr("array")(names, "dtype"_a = "U");
}

py::array_t<double> metric_column(const std::vector<StepEvent>& steps, Metric StepEvent::*metric) {
  // An absent metric is NaN here (an empty field in steps.csv).
  return column(steps, [metric](const StepEvent& s) { return (s.*metric).value; });
}

/// The columns of steps.csv, in its order: the step table's fields but the index.
py::dict steps_table(const std::vector<StepEvent>& steps) {
  py::dict t;
  for (const StepField& f : step_fields) {
    if (!f.in_steps_csv()) continue;
    switch (f.kind) {
      case StepFieldKind::side:
        t[f.name] = text_column(steps, [](const StepEvent& s) { return to_string(s.side); });
        break;
      case StepFieldKind::index: break;
      case StepFieldKind::time:
        t[f.name] = column(steps, [time = f.time](const StepEvent& s) { return s.*time; });
        break;
      case StepFieldKind::metric: t[f.name] = metric_column(steps, f.metric); break;
      case StepFieldKind::category:
        t[f.name] = text_column(steps, [c = f.category](const StepEvent& s) { return c->name(c->get(s)); });
        break;
    }
  }
  return t;
}

/// The columns of attitude.csv, in its order.
py::dict attitude_table(const std::vector<AttitudeEvent>& rows) {
  py::dict t;
  t["t"] = column(rows, [](const AttitudeEvent& a) { return a.t_s; });
  t["qw"] = column(rows, [](const AttitudeEvent& a) { return a.orientation.w; });
  t["qx"] = column(rows, [](const AttitudeEvent& a) { return a.orientation.x; });
  t["qy"] = column(rows, [](const AttitudeEvent& a) { return a.orientation.y; });
  t["qz"] = column(rows, [](const AttitudeEvent& a) { return a.orientation.z; });
  t["tilt_deg"] = column(rows, [](const AttitudeEvent& a) { return a.angles.tilt_deg; });
  t["obliquity_deg"] = column(rows, [](const AttitudeEvent& a) { return a.angles.obliquity_deg; });
  t["rotation_deg"] = column(rows, [](const AttitudeEvent& a) { return a.angles.rotation_deg; });
  return t;
}

py::list alignments_list(const std::vector<ClockAlignment>& alignments) {
  py::list out;
  for (const auto& a : alignments) {
    py::dict d;
    d["stream_id"] = a.stream_id;
    d["offset_s"] = a.offset_s;
    d["drift_ppm"] = a.drift_ppm;
    d["residual_s"] = a.residual_s;
    d["from_data"] = a.from_data;
    d["note"] = a.note;
    out.append(d);
  }
  return out;
}

// findings.json's objects (finding_to_json), read by Python's json module as a user's script would.
py::list findings_list(const std::vector<FormFinding>& findings) {
  py::list out;
  const auto loads = py::module_::import("json").attr("loads");
  for (const auto& f : findings) out.append(loads(py::str(finding_to_json(f))));
  return out;
}

// relations.csv's rows (sdk/runtime/src/offline/FILES.md) as dicts.
py::list relations_list(const std::vector<fusion::FootStrikeRelation>& relations, const char* scope) {
  py::list out;
  for (const auto& r : relations) {
    py::dict d;
    d["side"] = r.side == Side::left ? "left" : "right";
    d["predictor"] = fusion::to_string(r.predictor);
    d["scope"] = scope;
    d["t_start_s"] = r.t_start_s;
    d["t_end_s"] = r.t_end_s;
    d["steps"] = r.fit.n;
    d["slope_cm_per_deg"] = r.fit.slope;
    d["slope_ci_low_cm_per_deg"] = r.fit.slope_ci_low;
    d["slope_ci_high_cm_per_deg"] = r.fit.slope_ci_high;
    d["r"] = r.fit.r;
    d["intercept_cm"] = r.fit.intercept;
    d["sentence"] = r.sentence();
    out.append(d);
  }
  return out;
}

py::dict analyze(const fs::path& input_dir, std::optional<fs::path> output_dir, std::optional<double> speed_mps,
                 std::optional<double> body_mass_kg, std::optional<double> leg_length_m, bool same_clock) {
  auto in = inputs_in(input_dir, speed_mps, body_mass_kg, leg_length_m);
  in.same_clock = same_clock;
  AnalysisResult result;
  {
    py::gil_scoped_release release;
    result = analyze_recording(in);
    if (output_dir) write_analysis(result, in, *output_dir);
  }
  py::dict out;
  out["steps"] = steps_table(result.steps);
  out["attitude"] = attitude_table(result.attitude);
  out["alignments"] = alignments_list(result.alignments);
  out["engine_late_samples"] = result.engine_late_samples;
  out["findings"] = findings_list(result.findings);
  py::list relations = relations_list(result.relations, "window");
  for (const auto& r : relations_list(result.session_relations, "session")) relations.append(r);
  out["relations"] = relations;
  return out;
}

// Drill mode over a recordings directory: the drill's events as the dicts of their JSON rendering.
py::dict analyze_drill(const fs::path& input_dir, std::optional<fs::path> output_dir, const std::string& exercise,
                       std::optional<std::string> side, std::optional<double> tolerance_deg, bool same_clock,
                       std::optional<double> left_offset_s, std::optional<double> right_offset_s,
                       bool calibration_hinge) {
  const DrillConfig drill = fusion::drill_config_from(exercise, side, tolerance_deg, calibration_hinge);  // DrillSetupError: ValueError
  auto in = inputs_in(input_dir, std::nullopt, std::nullopt, std::nullopt);
  in.speed_csv.reset();
  in.same_clock = same_clock;
  in.left_offset_s = left_offset_s;
  in.right_offset_s = right_offset_s;
  DrillAnalysis result;
  {
    py::gil_scoped_release release;
    result = output_dir ? analyze_drill_to_directory(in, drill, *output_dir) : stridefuse::analyze_drill(in, drill);
  }
  const auto loads = py::module_::import("json").attr("loads");
  const auto dicts = [&](const auto& events) {
    py::list out;
    for (const auto& e : events) out.append(loads(py::str(event_to_json(Event{e}))));
    return out;
  };
  py::dict out;
  out["reps"] = dicts(result.reps);
  out["pelvis_moved"] = dicts(result.pelvis_moved);
  out["set"] = result.set ? loads(py::str(event_to_json(Event{*result.set}))) : py::none();
  out["alignments"] = alignments_list(result.alignments);
  return out;
}

py::dict simulate(const fs::path& out_dir, double duration_s, std::uint64_t seed, double speed_mps,
                  double cadence_spm, double standing_s) {
  sim::RunnerConfig c;
  c.seed = seed;
  c.speed_mps = speed_mps;
  c.cadence_spm = cadence_spm;
  c.standing_s = standing_s;
  sim::validate(c);
  sim::RecordingSummary summary;
  {
    py::gil_scoped_release release;
    summary = sim::write_simulated_recording(c, duration_s, out_dir);
  }
  py::dict d;
  d["files"] = summary.files;
  d["steps"] = summary.steps;
  d["pelvis_samples"] = summary.pelvis_samples;
  return d;
}

}  // namespace

void bind_analysis(py::module_& m) {
  m.def("analyze", &analyze, py::arg("input_dir"), py::arg("output_dir") = py::none(), py::kw_only(),
        py::arg("speed_mps") = py::none(), py::arg("body_mass_kg") = py::none(), py::arg("leg_length_m") = py::none(),
        py::arg("same_clock") = false,
        R"(Offline analysis of a recordings directory (the files of sdk/runtime/src/offline/FILES.md, as
`stridefuse simulate` names them: pelvis.csv, and when present left.csv +
left_layout.json, right.csv + right_layout.json, speed.csv). speed_mps: a
treadmill's constant speed; leg_length_m: the runner's leg length (the
overstride finding then reads the landing angle). same_clock: the insole
files were recorded on the pelvis file's clock and are not re-aligned
(without it the clocks are found from the data, and a recording of steady
running throughout, which cannot tell one stride from the next, raises
RuntimeError saying so). With output_dir, also writes attitude.csv,
steps.csv, events.jsonl, findings.json, relations.csv and report.html there,
as `stridefuse analyze` does.

Returns {"steps": {column: numpy array}, "attitude": {column: numpy array},
"alignments": [dict per insole clock], "engine_late_samples": int,
"findings": [dict per finding, findings.json's keys], "relations": [dict per
relations.csv row, with its "sentence"]} (fusion/FINDINGS.md). The steps
and attitude columns are those of steps.csv and attitude.csv, in their order;
side and strike_pattern are string arrays, an absent metric is NaN.
ValueError for inconsistent inputs, stridefuse.RecordingFileError for an
unreadable or malformed file (naming file and problem).)");
  m.def("analyze_drill", &analyze_drill, py::arg("input_dir"), py::arg("output_dir") = py::none(), py::kw_only(),
        py::arg("exercise"), py::arg("side") = py::none(), py::arg("tolerance_deg") = py::none(),
        py::arg("same_clock") = false, py::arg("left_offset_s") = py::none(), py::arg("right_offset_s") = py::none(),
        py::arg("calibration_hinge") = false,
        R"(Drill mode (fusion/DRILLS.md) over a recordings directory (pelvis.csv and
the insole files, as analyze() reads them): exercise "bridge", "single-leg-rdl",
"donkey-kick", "banded-hip-extension", "running-man" or "pigeon"; side
"left", "right" or "both" (a one-sided exercise needs one); tolerance_deg
over the exercise's; calibration_hinge=True (bridge, single-leg-rdl): the
set opens with one hinge on both feet that calibrates the pelvis clip, not a
rep. A drill has no running to put the files on one clock
by: give same_clock=True for files of one clock, or each insole file's
offset (left_offset_s, right_offset_s: seconds added to its times). With
output_dir, also writes reps.csv, events.jsonl, drill_set.json and
report.html, as `stridefuse drill --out` does.

Returns {"reps": [rep event dicts], "pelvis_moved": [dicts], "set": the
drill_set dict, "alignments": [dict per insole clock]}, the dicts those of
the events' JSON rendering (sdk/runtime/schema/EVENTS.md). ValueError for an
unknown exercise, a missing side, a sensor the exercise needs that the files
lack; RuntimeError when the clocks cannot be aligned.)");
  m.def("simulate", &simulate, py::arg("out_dir"), py::kw_only(), py::arg("duration_s") = 60.0,
        py::arg("seed") = 1, py::arg("speed_mps") = 3.5, py::arg("cadence_spm") = 170.0, py::arg("standing_s") = 5.0,
        R"(Writes a synthetic recording of the simulated runner into out_dir, as
`stridefuse simulate` does (each sensor file on its own device clock, plus the
ground truth truth_*.csv). Returns {"files", "steps", "pelvis_samples"}.
ValueError for a parameter out of range.)");
}

}  // namespace stridefuse::python
