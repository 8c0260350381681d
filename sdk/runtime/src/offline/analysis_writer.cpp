// The files `stridefuse analyze` writes (sdk/runtime/src/offline/FILES.md): attitude.csv and
// events.jsonl as the analysis goes, steps.csv at the end; the report is in
// analysis_report.cpp.

#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>
#include <fstream>
#include <stdexcept>
#include <utility>
#include <vector>

#include "analysis_report.hpp"
#include "analysis_writer.hpp"
#include "findings_files.hpp"
#include "fixed_decimal.hpp"
#include "output_files.hpp"
#include "stridefuse/core/step_fields.hpp"
#include "stridefuse/runtime/event_codec.hpp"
#include "stridefuse/runtime/offline_analysis.hpp"

namespace stridefuse {
namespace offline {
namespace {

std::string number(double v, const char* format = "%.6g") {
  if (!std::isfinite(v)) return "";
  char buf[40];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::string field(const Metric& m) { return m.present() ? number(m.value) : ""; }

}  // namespace

// attitude.csv has a row per pelvis sample (~720k for an hour): the rows are
// formatted with std::to_chars (the same digits as printf's %.Nf, without its
// locale and format parsing), or its fast path, straight into a buffer
// written in large blocks.
class CsvBlockWriter {
 public:
  explicit CsvBlockWriter(std::ofstream& out) : out_(out), buffer_(block_bytes + row_room) {}
  ~CsvBlockWriter() = default;
  CsvBlockWriter(const CsvBlockWriter&) = delete;
  CsvBlockWriter& operator=(const CsvBlockWriter&) = delete;
  /// v with `precision` decimals; nothing for a non-finite v. A row holds at most row_room / number_room numbers.
  void fixed(double v, int precision) {
    if (!std::isfinite(v)) return;
    char* const at = buffer_.data() + used_;
    if (char* end = offline::fixed_decimal(at, v, precision)) {
      used_ = static_cast<std::size_t>(end - buffer_.data());
      return;
    }
    const auto r = std::to_chars(at, at + number_room, v, std::chars_format::fixed, precision);
    if (r.ec != std::errc()) {
      const auto text = number(v, precision_format(precision));  // beyond number_room digits: leave it to printf
      out_.write(buffer_.data(), static_cast<std::streamsize>(used_));
      out_.write(text.data(), static_cast<std::streamsize>(text.size()));
      used_ = 0;
      return;
    }
    used_ = static_cast<std::size_t>(r.ptr - buffer_.data());
  }
  void put(char c) { buffer_[used_++] = c; }
  void end_row() {
    buffer_[used_++] = '\n';
    if (used_ >= block_bytes) flush();
  }
  void flush() {
    out_.write(buffer_.data(), static_cast<std::streamsize>(used_));
    used_ = 0;
  }

 private:
  static constexpr std::size_t block_bytes = 1 << 16;
  static constexpr std::size_t number_room = 64;            // to_chars's text of a number up to 10^40 or so
  static constexpr std::size_t row_room = 16 * (number_room + 1);  // a row of up to 16 numbers and separators
  static const char* precision_format(int precision) {
    switch (precision) {
      case 3: return "%.3f";
      case 6: return "%.6f";
      default: return "%.7f";
    }
  }
  std::ofstream& out_;
  std::vector<char> buffer_;
  std::size_t used_ = 0;
};

namespace {

void write_attitude_row(CsvBlockWriter& rows, const AttitudeEvent& a) {
  const bool calibrated = a.calibration != CalibrationSource::none;
  rows.fixed(a.t_s, 6);
  for (double q : {a.orientation.w, a.orientation.x, a.orientation.y, a.orientation.z}) {
    rows.put(',');
    rows.fixed(q, 7);
  }
  for (double angle_deg : {a.angles.tilt_deg, a.angles.obliquity_deg, a.angles.rotation_deg}) {
    rows.put(',');
    if (calibrated) rows.fixed(angle_deg, 3);
  }
  rows.end_row();
}

// One column per field of the step table but the index (FILES.md, "steps.csv"),
// in its order; an absent metric and an unknown strike pattern are empty.
void write_steps(const AnalysisSummary& r, const std::filesystem::path& path) {
  auto out = open_for_writing(path);
  const char* separator = "";
  for (const StepField& f : step_fields)
    if (f.in_steps_csv()) out << std::exchange(separator, ",") << f.name;
  out << '\n';
  for (const auto& s : r.steps) {
    separator = "";
    for (const StepField& f : step_fields) {
      if (!f.in_steps_csv()) continue;
      out << std::exchange(separator, ",");
      switch (f.kind) {
        case StepFieldKind::side: out << to_string(s.side); break;
        case StepFieldKind::index: break;
        case StepFieldKind::time: out << number(s.*f.time, "%.6f"); break;
        case StepFieldKind::metric: out << field(s.*f.metric); break;
        case StepFieldKind::category: {
          const int ordinal = f.category->get(s);
          if (ordinal != 0 || !f.category->zero_is_unknown) out << f.category->name(ordinal);
          break;
        }
      }
    }
    out << '\n';
  }
  check_written(out, path);
}

// Per metric and foot: "none" when the streams give it, else the reason.
void write_metrics(const AnalysisSummary& r, const std::filesystem::path& path) {
  auto out = open_for_writing(path);
  out << "metric,left,right\n";
  for (const auto& m : r.metrics) out << m.metric << ',' << to_string(m.left) << ',' << to_string(m.right) << '\n';
  check_written(out, path);
}

}  // namespace

// The events' JSON lines gather in a block written out at 64 KB.
constexpr std::size_t events_block_bytes = std::size_t{1} << 16;

AnalysisDirectoryWriter::AnalysisDirectoryWriter(std::filesystem::path dir) : dir_(std::move(dir)) {}

AnalysisDirectoryWriter::~AnalysisDirectoryWriter() = default;

void AnalysisDirectoryWriter::start(const std::vector<ClockAlignment>&) {
  create_output_directory(dir_);
  attitude_file_ = open_for_writing(dir_ / "attitude.csv");
  attitude_file_ << "t,qw,qx,qy,qz,tilt_deg,obliquity_deg,rotation_deg\n";
  attitude_rows_ = std::make_unique<CsvBlockWriter>(attitude_file_);
  events_file_ = open_for_writing(dir_ / "events.jsonl");
  events_block_.reserve(events_block_bytes + 4096);
}

void AnalysisDirectoryWriter::attitude(const AttitudeEvent& row) { write_attitude_row(*attitude_rows_, row); }

void AnalysisDirectoryWriter::event(const Event& e) {
  events_block_ += event_to_json(e);
  events_block_ += '\n';
  if (events_block_.size() >= events_block_bytes) {
    events_file_.write(events_block_.data(), static_cast<std::streamsize>(events_block_.size()));
    events_block_.clear();
  }
}

void AnalysisDirectoryWriter::finish(const AnalysisSummary& summary, const AnalysisInputs& inputs) {
  attitude_rows_->flush();
  check_written(attitude_file_, dir_ / "attitude.csv");
  write_steps(summary, dir_ / "steps.csv");
  write_metrics(summary, dir_ / "metrics.csv");
  {
    auto findings = open_for_writing(dir_ / "findings.json");
    offline::write_findings_json(summary.findings, findings);
    check_written(findings, dir_ / "findings.json");
    auto relations = open_for_writing(dir_ / "relations.csv");
    offline::write_relations_csv(summary, relations);
    check_written(relations, dir_ / "relations.csv");
  }
  events_file_.write(events_block_.data(), static_cast<std::streamsize>(events_block_.size()));
  events_block_.clear();
  check_written(events_file_, dir_ / "events.jsonl");
  auto out = open_for_writing(dir_ / "report.html");
  write_analysis_report(summary, inputs, out);
  check_written(out, dir_ / "report.html");
}

}  // namespace offline

AnalysisSummary analyze_to_directory(const AnalysisInputs& inputs, const std::filesystem::path& dir,
                                     fusion::EngineConfig config, const AnalysisStageCallback& on_stage) {
  offline::AnalysisDirectoryWriter writer(dir);
  auto summary = analyze_streaming(inputs, writer, config, on_stage);
  if (on_stage) on_stage(AnalysisStage::finishing);
  writer.finish(summary, inputs);
  if (on_stage) on_stage(AnalysisStage::done);
  return summary;
}

void write_analysis(const AnalysisResult& result, const AnalysisInputs& inputs, const std::filesystem::path& dir) {
  offline::AnalysisDirectoryWriter writer(dir);
  writer.start(result.alignments);
  for (const auto& row : result.attitude) writer.attitude(row);
  AnalysisSummary summary;
  for (const auto& e : result.events) {
    if (const auto* f = std::get_if<FormAlertEvent>(&e)) summary.form_alerts.push_back(*f);
    writer.event(e);
  }
  summary.metrics = result.metrics;
  summary.steps = result.steps;
  summary.alignments = result.alignments;
  offline::add_findings(summary, inputs);  // from the steps, as analyze_streaming does
  writer.finish(summary, inputs);
}

}  // namespace stridefuse
