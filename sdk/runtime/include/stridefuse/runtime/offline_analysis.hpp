#pragma once
// Offline analysis of recorded files (sdk/runtime/src/offline/FILES.md): the same clock
// mapping, merge (SampleMerger) and fusion engine as a live session, fed from
// CSV files put on the pelvis file's clock.
//
// The analysis streams: its memory does not grow with the session's length
// (an hour peaks at 16-19 MB resident, most of it the program itself). It reads
// each file twice: a first pass parses and checks every row, keeps a binary
// copy in an unnamed temporary file (about half the CSV's size, in
// std::filesystem::temp_directory_path(), i.e. TMPDIR or /tmp; gone when the
// analysis ends) and gives the clock alignment what it needs from whole
// files; a second pass feeds the engine in time order and hands each output
// on as it comes. Only the steps (a few a second), the form alerts and the
// clock alignments are kept. Method and figures: sdk/runtime/src/offline/README.md.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "stridefuse/core/events.hpp"
#include "stridefuse/core/form_finding.hpp"
#include "stridefuse/fusion/engine.hpp"
#include "stridefuse/fusion/form_relation.hpp"
#include "stridefuse/runtime/recording_alignment.hpp"

namespace stridefuse {

/// Any set of sensor files (at least one of pelvis and insoles;
/// sdk/runtime/src/offline/FILES.md). Outputs are on the pelvis file's clock,
/// without one on the first insole file's (left, else right, else the export's).
struct AnalysisInputs {
  std::filesystem::path pelvis_csv;  ///< empty: no pelvis sensor
  /// An insole file per foot: our CSV (with its layout) or a Moticon OpenGo
  /// export (that foot's columns; a layout optional: without one, the
  /// insole's own force and centre of pressure are used).
  std::optional<std::filesystem::path> left_csv, left_layout;
  std::optional<std::filesystem::path> right_csv, right_layout;
  /// One OpenGo export for both feet (every foot it has); not with left_csv / right_csv.
  std::optional<std::filesystem::path> insoles_export;
  std::optional<std::filesystem::path> speed_csv;  ///< t,speed_mps
  std::optional<double> speed_mps;                 ///< a treadmill's constant speed
  std::optional<double> body_mass_kg;
  /// How the insole files' clocks relate to the pelvis file's. By default
  /// they are found from the data (recording_alignment.hpp), which needs a
  /// landmark in activity (standing, a stop) in every file. `same_clock`:
  /// the files were recorded on one clock (one logger, or aligned before) and
  /// are not re-aligned. Or the offset of each insole file, seconds added to
  /// its times to put them on the pelvis file's clock (every insole file's,
  /// as the feet are aligned together). Without a pelvis file the insoles are
  /// taken to share one clock whatever is given.
  bool same_clock = false;
  std::optional<double> left_offset_s, right_offset_s;
  /// The runner's leg length (centre of mass height standing), m: gives the
  /// landing angle the overstride finding reads (fusion/FINDINGS.md); without
  /// it that finding reads the foot-strike distance.
  std::optional<double> leg_length_m;
};

/// Receives an analysis's outputs as the engine produces them, in its order.
class AnalysisSink {
 public:
  virtual ~AnalysisSink() = default;
  /// Once, after every file has been read and checked and the clocks aligned,
  /// before any output: an input problem is thrown before this is called.
  virtual void start(const std::vector<ClockAlignment>& alignments) { (void)alignments; }
  /// One per pelvis sample (attitude.csv's rows), pelvis file clock.
  virtual void attitude(const AttitudeEvent& row) = 0;
  /// Every event as a live subscriber sees it (events.jsonl's lines): steps,
  /// alerts, status, and attitude at the live rate (50 Hz).
  virtual void event(const Event& event) = 0;
};

/// What a streamed analysis keeps: small whatever the session's length.
struct AnalysisSummary {
  std::vector<MetricSupport> metrics;       ///< what the files' streams can give (metrics.csv)
  std::vector<StepEvent> steps;             ///< pelvis file clock
  std::vector<FormAlertEvent> form_alerts;  ///< as in the events, in order
  std::vector<ClockAlignment> alignments;   ///< one per insole file
  std::uint64_t attitude_rows = 0;          ///< AnalysisSink::attitude calls
  std::uint64_t events = 0;                 ///< AnalysisSink::event calls
  double first_attitude_t_s = 0.0, last_attitude_t_s = 0.0;  ///< 0 without attitude rows
  std::uint64_t engine_late_samples = 0;
  /// The form findings of the steps (fusion/FINDINGS.md; findings.json).
  std::vector<FormFinding> findings;
  /// Foot-strike distance against the pelvis, per side and window of 30
  /// steps, and over the whole session per side (relations.csv).
  std::vector<fusion::FootStrikeRelation> relations, session_relations;
};

/// Where an analysis is; for timing its stages (analyze_hour_bench).
enum class AnalysisStage {
  reading,    ///< first pass: parsing and checking every file, the temporary copy
  aligning,   ///< the clock alignment
  fusing,     ///< second pass: merge, engine, outputs as they come
  finishing,  ///< analyze_to_directory only: what needs the whole session (steps.csv, report.html)
  done,       ///< analyze_to_directory only: all written
};
using AnalysisStageCallback = std::function<void(AnalysisStage)>;

/// Reads, aligns and analyses, handing the outputs to `sink` as they come.
/// Throws std::invalid_argument for inconsistent inputs (no sensor file, an
/// insole CSV without its layout, an insole export with a foot's file, two
/// speed sources, a non-positive speed, mass or leg length);
/// RecordingFileError for an unreadable or malformed input file, naming the
/// file, the line and the problem (recording_files.hpp: the same errors as
/// read_pelvis_csv, read_insole_csv, read_speed_csv, read_insole_layout, and
/// a layout for the wrong foot), always before sink.start(); std::runtime_error
/// when the temporary copy cannot be created, written or read (naming the
/// directory: e.g. the disk is full), or when a file changed between the two
/// passes. Exceptions from the sink pass through.
AnalysisSummary analyze_streaming(const AnalysisInputs& inputs, AnalysisSink& sink, fusion::EngineConfig config = {},
                                  const AnalysisStageCallback& on_stage = {});

/// analyze_streaming writing attitude.csv, steps.csv, events.jsonl,
/// metrics.csv, findings.json, relations.csv and report.html into `dir` (created when missing, after the inputs have been
/// read and checked). Throws what analyze_streaming throws, and
/// std::runtime_error naming the path it could not create or write.
AnalysisSummary analyze_to_directory(const AnalysisInputs& inputs, const std::filesystem::path& dir,
                                     fusion::EngineConfig config = {}, const AnalysisStageCallback& on_stage = {});

/// Everything an analysis produced, in memory: for callers that want the
/// whole tables (the Python module). Holds every attitude row (~100 B per
/// pelvis sample: ~70 MB for an hour at 200 Hz) and event; prefer
/// analyze_streaming or analyze_to_directory for long sessions.
struct AnalysisResult {
  std::vector<MetricSupport> metrics;   ///< what the files' streams can give
  std::vector<AttitudeEvent> attitude;  ///< one per pelvis sample, pelvis file clock
  std::vector<StepEvent> steps;         ///< pelvis file clock
  std::vector<Event> events;            ///< every event, attitude decimated to the live rate
  std::vector<ClockAlignment> alignments;
  std::uint64_t engine_late_samples = 0;
  std::vector<FormFinding> findings;  ///< as AnalysisSummary's
  std::vector<fusion::FootStrikeRelation> relations, session_relations;
};

/// analyze_streaming into an AnalysisResult. Throws what analyze_streaming throws.
AnalysisResult analyze_recording(const AnalysisInputs& inputs, fusion::EngineConfig config = {});

/// Writes an AnalysisResult as analyze_to_directory writes its outputs (the
/// same bytes; the findings and relations found again from its steps) into `dir` (created when missing). Throws std::runtime_error
/// naming the path it could not create or write.
void write_analysis(const AnalysisResult& result, const AnalysisInputs& inputs, const std::filesystem::path& dir);

}  // namespace stridefuse
