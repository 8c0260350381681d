// The files `stridefuse analyze` writes (DESIGN section 6): attitude.csv,
// steps.csv and events.jsonl; the report is in analysis_report.cpp.

#include <cstdio>
#include <fstream>
#include <stdexcept>

#include "analysis_report.hpp"
#include "stridefuse/event_codec.hpp"
#include "stridefuse/offline_analysis.hpp"

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

void write_attitude(const AnalysisResult& r, const std::filesystem::path& path) {
  auto out = open_for_writing(path);
  out << "t,qw,qx,qy,qz,tilt_deg,obliquity_deg,rotation_deg\n";
  for (const auto& a : r.attitude) {
    const bool calibrated = a.calibration != CalibrationSource::none;
    out << number(a.t_s, "%.6f") << ',' << number(a.orientation.w, "%.7f") << ',' << number(a.orientation.x, "%.7f")
        << ',' << number(a.orientation.y, "%.7f") << ',' << number(a.orientation.z, "%.7f") << ','
        << (calibrated ? number(a.angles.tilt_deg, "%.3f") : "") << ','
        << (calibrated ? number(a.angles.obliquity_deg, "%.3f") : "") << ','
        << (calibrated ? number(a.angles.rotation_deg, "%.3f") : "") << '\n';
  }
  finish(out, path);
}

void write_steps(const AnalysisResult& r, const std::filesystem::path& path) {
  auto out = open_for_writing(path);
  out << "side,t_ic_s,t_to_s,contact_time_s,flight_time_s,cadence_spm,strike_index_pct,strike_pattern,"
         "foot_strike_distance_m,braking_time_s,step_length_m,tilt_ic_deg,obliquity_ic_deg,rotation_ic_deg,"
         "pelvic_drop_deg,vertical_oscillation_m\n";
  for (const auto& s : r.steps) {
    out << to_string(s.side) << ',' << number(s.t_ic_s, "%.6f") << ',' << number(s.t_to_s, "%.6f") << ','
        << field(s.contact_time_s) << ',' << field(s.flight_time_s) << ',' << field(s.cadence_spm) << ','
        << field(s.strike_index_pct) << ','
        << (s.strike_pattern == StrikePattern::unknown ? "" : to_string(s.strike_pattern)) << ','
        << field(s.foot_strike_distance_m) << ',' << field(s.braking_time_s) << ',' << field(s.step_length_m) << ','
        << field(s.tilt_ic_deg) << ',' << field(s.obliquity_ic_deg) << ',' << field(s.rotation_ic_deg) << ','
        << field(s.pelvic_drop_deg) << ',' << field(s.vertical_oscillation_m) << '\n';
  }
  finish(out, path);
}

void write_events(const AnalysisResult& r, const std::filesystem::path& path) {
  auto out = open_for_writing(path);
  for (const auto& e : r.events) out << event_to_json(e) << '\n';
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
