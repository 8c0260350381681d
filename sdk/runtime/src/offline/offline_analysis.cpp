// The offline analysis pipeline: inputs checked, every file read once into a
// temporary copy (spilled_recording.hpp), the clocks aligned from those
// copies, then the copies fed through the merge into the engine
// (engine_pass.hpp) with the outputs handed on as they come.

#include "stridefuse/runtime/offline_analysis.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "engine_pass.hpp"
#include "findings_files.hpp"
#include "spilled_recording.hpp"
#include "stridefuse/fusion/metric_support.hpp"
#include "stridefuse/runtime/recording_files.hpp"

namespace stridefuse {
namespace {

// The live stream's attitude rate: events.jsonl carries what a subscriber would have seen.
constexpr double live_attitude_rate_hz = 50.0;

bool is_export(const std::optional<std::filesystem::path>& file) { return file && offline::is_opengo_export(*file); }

void check(const AnalysisInputs& in) {
  if (in.pelvis_csv.empty() && !in.left_csv && !in.right_csv && !in.insoles_export)
    throw std::invalid_argument("no sensor file: give --pelvis, an insole file (--left, --right) or --insoles");
  if (in.insoles_export && (in.left_csv || in.right_csv))
    throw std::invalid_argument("--insoles reads both feet from one export: not with --left or --right");
  // Our CSV needs its layout (the sensor positions); an OpenGo export has
  // its own force and centre of pressure.
  if (in.left_csv && !in.left_layout && !is_export(in.left_csv))
    throw std::invalid_argument("--left " + in.left_csv->string() + " is an insole CSV: it needs --left-layout");
  if (in.right_csv && !in.right_layout && !is_export(in.right_csv))
    throw std::invalid_argument("--right " + in.right_csv->string() + " is an insole CSV: it needs --right-layout");
  if (in.left_layout && !in.left_csv && !in.insoles_export)
    throw std::invalid_argument("--left-layout goes with --left (or --insoles)");
  if (in.right_layout && !in.right_csv && !in.insoles_export)
    throw std::invalid_argument("--right-layout goes with --right (or --insoles)");
  if (in.speed_csv && in.speed_mps) throw std::invalid_argument("give --speed or --speed-csv, not both");
  if (in.speed_mps && !(*in.speed_mps > 0.0 && std::isfinite(*in.speed_mps)))
    throw std::invalid_argument("--speed must be a positive number of m/s");
  if (in.body_mass_kg && !(*in.body_mass_kg > 0.0 && std::isfinite(*in.body_mass_kg)))
    throw std::invalid_argument("--body-mass must be a positive number of kg");
  const bool offsets = in.left_offset_s || in.right_offset_s;
  if (offsets && in.same_clock) throw std::invalid_argument("give --same-clock or insole offsets, not both");
  for (const auto* o : {&in.left_offset_s, &in.right_offset_s})
    if (*o && !std::isfinite(**o)) throw std::invalid_argument("an insole offset must be a finite number of seconds");
  if (offsets && in.insoles_export)
    throw std::invalid_argument("--left-offset and --right-offset go with --left and --right files, not with --insoles "
                                "(for an export on the pelvis file's clock give --same-clock)");
  if (offsets && (bool(in.left_csv) != bool(in.left_offset_s) || bool(in.right_csv) != bool(in.right_offset_s)))
    throw std::invalid_argument(
        "insole offsets go one per insole file given (the feet are aligned together): give --left-offset with --left "
        "and --right-offset with --right, or neither");
  if ((offsets || in.same_clock) && in.pelvis_csv.empty())
    throw std::invalid_argument("--same-clock and insole offsets relate insole files to the pelvis file: give --pelvis");
  if (in.leg_length_m && !(*in.leg_length_m > 0.0 && std::isfinite(*in.leg_length_m)))
    throw std::invalid_argument("--leg-length must be a positive number of m");
}

std::optional<InsoleLayout> layout_for(const std::optional<std::filesystem::path>& layout_path, Side side) {
  if (!layout_path) return std::nullopt;
  const auto layout = read_insole_layout(*layout_path);
  if (layout.side != side)
    throw RecordingFileError(layout_path->string() + ": layout is for the " + (side == Side::left ? "right" : "left") +
                             " foot");
  return layout;
}

// An insole file: our CSV with its layout, or the foot's columns of an OpenGo export.
offline::SpilledRecording spill_insole(const std::filesystem::path& file,
                                       const std::optional<std::filesystem::path>& layout_path, Side side) {
  const auto layout = layout_for(layout_path, side);
  if (!offline::is_opengo_export(file)) return offline::spill_insole_csv(file, *layout);
  offline::OpenGoFeet feet;
  feet[side == Side::left ? 0 : 1] = layout ? *layout : InsoleLayout{side, 0.0, {}};
  auto spilled = offline::spill_opengo_export(file, feet);
  return std::move(spilled.front());
}

// The files in the engine's stream order: pelvis, left, right, speed.
std::vector<offline::SpilledRecording> read_all(const AnalysisInputs& in) {
  std::vector<offline::SpilledRecording> recordings;
  if (!in.pelvis_csv.empty()) recordings.push_back(offline::spill_pelvis_csv(in.pelvis_csv));
  if (in.left_csv) recordings.push_back(spill_insole(*in.left_csv, in.left_layout, Side::left));
  if (in.right_csv) recordings.push_back(spill_insole(*in.right_csv, in.right_layout, Side::right));
  if (in.insoles_export) {
    if (!offline::is_opengo_export(*in.insoles_export))
      throw RecordingFileError(in.insoles_export->string() +
                               ": --insoles takes a Moticon OpenGo text export (no '#' header ending in a '# time' column line)");
    // Every foot the export has.
    const auto has = offline::opengo_feet(*in.insoles_export);
    offline::OpenGoFeet feet;
    for (int f = 0; f < 2; ++f) {
      const Side side = f == 0 ? Side::left : Side::right;
      if (!has[f]) continue;
      const auto layout = layout_for(f == 0 ? in.left_layout : in.right_layout, side);
      feet[f] = layout ? *layout : InsoleLayout{side, 0.0, {}};
    }
    if (!feet[0] && !feet[1])
      throw RecordingFileError(in.insoles_export->string() + ": the export has no left or right insole columns");
    for (auto& r : offline::spill_opengo_export(*in.insoles_export, feet)) recordings.push_back(std::move(r));
  }
  if (in.speed_csv) recordings.push_back(offline::spill_speed_csv(*in.speed_csv));
  return recordings;
}

// The insole files' clocks as the user gave them: one clock, or an offset per foot.
std::optional<std::vector<ClockAlignment>> given_clocks(const AnalysisInputs& in,
                                                        const std::vector<offline::SpilledRecording>& recordings) {
  if (!in.same_clock && !in.left_offset_s && !in.right_offset_s) return std::nullopt;
  std::vector<ClockAlignment> out;
  for (const auto& r : recordings) {
    if (r.stream.kind != StreamKind::insole_pressure) continue;
    const bool left = r.stream.location == BodyLocation::left_foot;
    const auto& offset = left ? in.left_offset_s : in.right_offset_s;
    out.push_back(ClockAlignment{r.stream.id, offset.value_or(0.0), 0.0, 0.0, 0, false,
                                 in.same_clock ? "declared on the pelvis file's clock: not re-aligned"
                                               : "offset given: not re-aligned"});
  }
  return out;
}

std::vector<ClockAlignment> align(std::vector<offline::SpilledRecording>& recordings) {
  auto& reference = recordings.front();
  if (reference.stream.kind != StreamKind::imu) {
    // Without a pelvis file nothing ties the insoles' clocks together: they
    // are taken to share the first insole file's (one export holds both feet).
    std::vector<ClockAlignment> out;
    for (std::size_t i = 1; i < recordings.size(); ++i)
      if (recordings[i].stream.kind == StreamKind::insole_pressure)
        out.push_back(ClockAlignment{recordings[i].stream.id, 0.0, 0.0, 0.0, 0, false,
                                     "no pelvis file: taken to share the " + reference.stream.id + " file's clock"});
    return out;
  }
  offline::SpilledSignalRows pelvis_rows(reference);
  std::vector<std::unique_ptr<offline::SpilledSignalRows>> rows;
  std::vector<offline::InsoleRows> insoles;
  for (auto& r : recordings) {
    if (r.stream.kind != StreamKind::insole_pressure) continue;
    rows.push_back(std::make_unique<offline::SpilledSignalRows>(r));
    insoles.push_back({r.stream.id, rows.back().get(), r.rows->rows()});
  }
  return offline::align_insoles(
      {&pelvis_rows, reference.rows->rows(), reference.first_t_s, reference.last_t_s, reference.up}, insoles);
}

}  // namespace

AnalysisSummary analyze_streaming(const AnalysisInputs& in, AnalysisSink& sink, fusion::EngineConfig config,
                                  const AnalysisStageCallback& on_stage) {
  const auto stage = [&](AnalysisStage s) {
    if (on_stage) on_stage(s);
  };
  check(in);
  stage(AnalysisStage::reading);
  auto recordings = read_all(in);
  stage(AnalysisStage::aligning);
  AnalysisSummary summary;
  auto given = given_clocks(in, recordings);
  summary.alignments = given ? std::move(*given) : align(recordings);

  std::vector<offline::AlignedRecording> aligned;
  std::vector<StreamDescriptor> streams;
  for (auto& r : recordings) {
    ClockAlignment a{r.stream.id, 0.0, 0.0, 0.0, 0, false, "the reference clock"};
    for (const auto& found : summary.alignments)
      if (found.stream_id == r.stream.id) a = found;
    aligned.push_back({&r, a});
    streams.push_back(r.stream);
  }

  if (in.speed_mps) config.treadmill_speed_mps = in.speed_mps;
  if (in.body_mass_kg) config.body_mass_kg = in.body_mass_kg;
  config.attitude_event_rate_hz = 0.0;  // attitude rows for every pelvis sample; events decimated below
  double last_live_attitude_s = -std::numeric_limits<double>::infinity();
  fusion::Engine engine(streams, config, [&](const Event& e) {
    if (const auto* a = std::get_if<AttitudeEvent>(&e)) {
      if (summary.attitude_rows++ == 0) summary.first_attitude_t_s = a->t_s;
      summary.last_attitude_t_s = a->t_s;
      sink.attitude(*a);
      if (a->t_s - last_live_attitude_s < 1.0 / live_attitude_rate_hz - 1e-9) return;
      last_live_attitude_s = a->t_s;
    } else if (const auto* s = std::get_if<StepEvent>(&e)) {
      summary.steps.push_back(*s);
    } else if (const auto* f = std::get_if<FormAlertEvent>(&e)) {
      summary.form_alerts.push_back(*f);
    }
    ++summary.events;
    sink.event(e);
  });

  summary.metrics = fusion::metric_support(streams, config);
  sink.start(summary.alignments);
  stage(AnalysisStage::fusing);
  offline::feed_engine(aligned, engine);
  summary.engine_late_samples = engine.late_samples();
  offline::add_findings(summary, in);
  return summary;
}

AnalysisResult analyze_recording(const AnalysisInputs& in, fusion::EngineConfig config) {
  struct Collect : AnalysisSink {
    AnalysisResult& result;
    explicit Collect(AnalysisResult& r) : result(r) {}
    void attitude(const AttitudeEvent& row) override { result.attitude.push_back(row); }
    void event(const Event& e) override { result.events.push_back(e); }
  };
  AnalysisResult result;
  Collect collect(result);
  auto summary = analyze_streaming(in, collect, config);
  result.metrics = std::move(summary.metrics);
  result.steps = std::move(summary.steps);
  result.alignments = std::move(summary.alignments);
  result.engine_late_samples = summary.engine_late_samples;
  result.findings = std::move(summary.findings);
  result.relations = std::move(summary.relations);
  result.session_relations = std::move(summary.session_relations);
  return result;
}

}  // namespace stridefuse
