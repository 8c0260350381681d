// The files `stridefuse analyze` writes (DESIGN section 6): attitude.csv,
// steps.csv and events.jsonl; the report is in analysis_report.cpp.

#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>
#include <fstream>
#include <stdexcept>
#include <utility>
#include <vector>

#include "analysis_report.hpp"
#include "fixed_decimal.hpp"
#include "stridefuse/core/step_fields.hpp"
#include "stridefuse/runtime/event_codec.hpp"
#include "stridefuse/runtime/offline_analysis.hpp"

namespace stridefuse {
namespace {

std::string number(double v, const char* format = "%.6g") {
  if (!std::isfinite(v)) return "";
  char buf[40];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::string field(const Metric& m) { return m.present() ? number(m.value) : ""; }

std::ofstream open_for_writing(const std::filesystem::path& path) {
  std::ofstream out(path);
  if (!out) throw std::runtime_error(path.string() + ": cannot open for writing");
  return out;
}

void finish(std::ofstream& out, const std::filesystem::path& path) {
  out.flush();
  if (!out) throw std::runtime_error(path.string() + ": write failed (disk full?)");
}

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

void write_attitude(const AnalysisResult& r, const std::filesystem::path& path) {
  auto out = open_for_writing(path);
  out << "t,qw,qx,qy,qz,tilt_deg,obliquity_deg,rotation_deg\n";
  CsvBlockWriter rows(out);
  for (const auto& a : r.attitude) {
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
  rows.flush();
  finish(out, path);
}

// One column per field of the step table but the index (DESIGN section 6),
// in its order; an absent metric and an unknown strike pattern are empty.
void write_steps(const AnalysisResult& r, const std::filesystem::path& path) {
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
        case StepFieldKind::strike_pattern:
          if (s.strike_pattern != StrikePattern::unknown) out << to_string(s.strike_pattern);
          break;
      }
    }
    out << '\n';
  }
  finish(out, path);
}

void write_events(const AnalysisResult& r, const std::filesystem::path& path) {
  auto out = open_for_writing(path);
  std::string block;
  block.reserve((1 << 16) + 4096);
  for (const auto& e : r.events) {
    block += event_to_json(e);
    block += '\n';
    if (block.size() >= (1 << 16)) {
      out.write(block.data(), static_cast<std::streamsize>(block.size()));
      block.clear();
    }
  }
  out.write(block.data(), static_cast<std::streamsize>(block.size()));
  finish(out, path);
}

}  // namespace

void write_analysis(const AnalysisResult& result, const AnalysisInputs& inputs, const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir))
    throw std::runtime_error(dir.string() + ": cannot create the output directory" + (ec ? ": " + ec.message() : ""));
  write_attitude(result, dir / "attitude.csv");
  write_steps(result, dir / "steps.csv");
  write_events(result, dir / "events.jsonl");
  auto out = open_for_writing(dir / "report.html");
  write_analysis_report(result, inputs, out);
  finish(out, dir / "report.html");
}

}  // namespace stridefuse
