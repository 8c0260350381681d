#include "stridefuse/sim/recording_writer.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <functional>
#include <limits>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include "stridefuse/sim/drill_simulation.hpp"
#include "stridefuse/sim/runner_simulation.hpp"
#include "stridefuse/sim/simulated_device_clock.hpp"

namespace stridefuse::sim {
namespace {

// A CSV file written through a large buffer; numbers in their shortest exact form.
class CsvFile {
 public:
  CsvFile(const std::filesystem::path& path, const std::string& header) : path_(path) {
    out_.rdbuf()->pubsetbuf(buffer_.get(), buffer_size);  // before open(), or libstdc++ ignores it
    out_.open(path, std::ios::binary);
    if (!out_) throw std::runtime_error("cannot write " + path.string());
    out_ << header << '\n';
  }
  CsvFile& number(double v) {
    if (!first_) line_ += ',';
    first_ = false;
    char text[32];
    const auto r = std::to_chars(text, text + sizeof text, v);
    line_.append(text, r.ptr);
    return *this;
  }
  CsvFile& empty_or(double v) {
    if (std::isfinite(v)) return number(v);
    if (!first_) line_ += ',';
    first_ = false;
    return *this;
  }
  CsvFile& text(const char* s) {
    if (!first_) line_ += ',';
    first_ = false;
    line_ += s;
    return *this;
  }
  void end_row() {
    line_ += '\n';
    out_.write(line_.data(), static_cast<std::streamsize>(line_.size()));
    line_.clear();
    first_ = true;
  }
  void close() {
    out_.flush();
    out_.close();
    if (!out_) throw std::runtime_error("failed writing " + path_.string());
  }

 private:
  static constexpr std::size_t buffer_size = 1 << 16;
  std::filesystem::path path_;
  std::unique_ptr<char[]> buffer_ = std::make_unique<char[]>(buffer_size);
  std::ofstream out_;
  std::string line_;
  bool first_ = true;
};

std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  char text[32];
  const auto r = std::to_chars(text, text + sizeof text, v);
  return std::string(text, r.ptr);
}

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string layout_json(const InsoleLayout& layout) {
  std::ostringstream s;
  s << "{\"side\": \"" << to_string(layout.side) << "\", \"length_mm\": " << json_number(layout.length_mm)
    << ", \"sensors\": [";
  for (std::size_t i = 0; i < layout.sensors.size(); ++i) {
    const auto& site = layout.sensors[i];
    s << (i ? ", " : "") << "{\"x_mm\": " << json_number(site.x_mm) << ", \"y_mm\": " << json_number(site.y_mm)
      << ", \"area_mm2\": " << json_number(site.area_mm2) << "}";
  }
  s << "]}\n";
  return s.str();
}

std::string header_of(const char* first, const StreamDescriptor& stream) {
  std::string h = first;
  for (const auto& c : stream.channels) h += "," + c.name;
  return h;
}

const char* file_of(const StreamDescriptor& s) {
  if (s.kind == StreamKind::imu) return "pelvis.csv";
  if (s.kind == StreamKind::speed) return "speed.csv";
  return s.insole->side == Side::left ? "left.csv" : "right.csv";
}

const char* speed_source_name(SpeedSource s) {
  switch (s) {
    case SpeedSource::none: return "none";
    case SpeedSource::treadmill: return "treadmill";
    case SpeedSource::stream: return "stream";
  }
  return "?";
}

std::string sensor_names(const SensorSet& sensors) {
  std::string out;
  for (const auto& [on, name] : {std::pair{sensors.pelvis, "\"pelvis\""}, std::pair{sensors.left_insole, "\"left\""},
                                 std::pair{sensors.right_insole, "\"right\""}})
    if (on) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

void make_output_directory(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir))
    throw std::runtime_error("cannot create output directory " + dir.string() + (ec ? ": " + ec.message() : ""));
}

// Every delivered stream's samples up to `until_s` into its CSV, each in its
// device clock, and the insoles' layouts; `also` sees each sample too.
template <class Simulation>
void write_sensor_files(Simulation& sim, double until_s, const std::filesystem::path& dir, RecordingSummary& summary,
                        const std::function<void(const SimulatedSample&)>& also) {
  const auto streams = sim.streams();
  std::vector<std::unique_ptr<CsvFile>> files;
  for (const auto& s : streams) {
    files.push_back(std::make_unique<CsvFile>(dir / file_of(s), header_of("t", s)));
    summary.files.emplace_back(file_of(s));
  }
  sim.advance_to(until_s, [&](const SimulatedSample& s) {
    CsvFile& f = *files[s.stream];
    f.number(s.device_time_s);
    for (double v : s.channels()) f.number(v);
    f.end_row();
    if (streams[s.stream].kind == StreamKind::imu) ++summary.pelvis_samples;
    also(s);
  });
  for (auto& f : files) f->close();
  for (const auto& s : streams) {
    if (!s.insole) continue;
    const char* name = s.insole->side == Side::left ? "left_layout.json" : "right_layout.json";
    write_text(dir / name, layout_json(*s.insole));
    summary.files.emplace_back(name);
  }
}

// truth_clocks.json: each stream's true clock and link (README.md).
void write_clock_truth(const std::filesystem::path& dir, const std::vector<StreamDescriptor>& streams,
                       const std::vector<ClockTruth>& truth, double duration_s, RecordingSummary& summary) {
  std::ostringstream clocks;
  clocks << "{\n  \"clock_model\": \"device_time_s = offset_s + (1 + drift_ppm * 1e-6) * session_time_s\",\n"
         << "  \"duration_s\": " << json_number(duration_s) << ",\n  \"streams\": [\n";
  for (std::size_t i = 0; i < truth.size(); ++i) {
    const auto& c = truth[i];
    clocks << "    {\"id\": \"" << c.stream_id << "\", \"file\": \"" << file_of(streams[i])
           << "\", \"offset_s\": " << json_number(c.offset_s) << ", \"drift_ppm\": " << json_number(c.drift_ppm)
           << ", \"tick_rate_hz\": " << json_number(c.tick_rate_hz) << ", \"tick_bits\": " << c.tick_bits
           << ", \"connection_interval_s\": " << json_number(c.connection_interval_s)
           << ", \"connection_phase_s\": " << json_number(c.connection_phase_s)
           << ", \"latency_s\": " << json_number(c.latency_s) << ", \"packet_loss\": " << json_number(c.packet_loss)
           << ", \"samples_generated\": " << c.samples_generated << ", \"samples_lost\": " << c.samples_lost
           << ", \"wraps\": " << c.wraps << "}" << (i + 1 < truth.size() ? "," : "") << "\n";
  }
  clocks << "  ]\n}\n";
  write_text(dir / "truth_clocks.json", clocks.str());
  summary.files.emplace_back("truth_clocks.json");
}

}  // namespace

RecordingSummary write_simulated_recording(const RunnerConfig& config, double duration_s,
                                           const std::filesystem::path& dir) {
  if (!(duration_s > 0.0 && duration_s <= 24.0 * 3600.0))
    throw std::invalid_argument("duration must be more than 0 s and at most 24 h");
  RunnerSimulation sim(config);
  make_output_directory(dir);

  RecordingSummary summary;
  const auto streams = sim.streams();
  CsvFile attitude(dir / "truth_attitude.csv", "t,qw,qx,qy,qz,tilt_deg,obliquity_deg,rotation_deg");
  write_sensor_files(sim, duration_s, dir, summary, [&](const SimulatedSample& s) {
    if (streams[s.stream].kind == StreamKind::imu) {
      const auto& q = s.truth.sensor_orientation;
      const auto& a = s.truth.pelvis_angles;
      attitude.number(s.device_time_s).number(q.w).number(q.x).number(q.y).number(q.z);
      attitude.number(a.tilt_deg).number(a.obliquity_deg).number(a.rotation_deg).end_row();
    }
  });
  attitude.close();
  summary.files.emplace_back("truth_attitude.csv");

  // Steps, in the pelvis file's clock (without a pelvis, the first insole
  // file's: the clock `stridefuse analyze` then puts every file on).
  const SimulatedDeviceClock& pelvis_clock = sim.device_clock(0);
  const bool has_speed = config.speed_source != SpeedSource::none;
  CsvFile steps(dir / "truth_steps.csv",
                "side,t_ic_s,t_to_s,contact_time_s,flight_time_s,cadence_spm,strike_index_pct,strike_pattern,"
                "foot_strike_distance_m,braking_time_s,step_length_m,tilt_ic_deg,obliquity_ic_deg,rotation_ic_deg,"
                "pelvic_drop_deg,vertical_oscillation_m,gait_mode");
  for (const auto& st : sim.completed_steps()) {
    steps.text(to_string(st.side))
        .number(pelvis_clock.device_time_s(st.t_ic_s))
        .number(pelvis_clock.device_time_s(st.t_to_s))
        .number(st.contact_time_s)
        .number(st.flight_time_s)
        .number(st.cadence_spm)
        .number(st.strike_index_pct)
        .text(to_string(st.strike_pattern))
        .number(st.foot_strike_distance_m)
        .number(st.braking_time_s)
        .empty_or(has_speed ? st.step_length_m : std::numeric_limits<double>::quiet_NaN())
        .number(st.tilt_ic_deg)
        .number(st.obliquity_ic_deg)
        .number(st.rotation_ic_deg)
        .number(st.pelvic_drop_deg)
        .number(st.vertical_oscillation_m)
        .text(to_string(st.gait_mode));
    steps.end_row();
    ++summary.steps;
  }
  steps.close();
  summary.files.emplace_back("truth_steps.csv");

  write_clock_truth(dir, streams, sim.clock_truth(), duration_s, summary);

  const auto mount = sim.pelvis_mounting();
  const auto bias = sim.pelvis_gyro_bias_radps();
  std::ostringstream meta;
  meta << "{\n  \"seed\": " << config.seed << ",\n  \"duration_s\": " << json_number(duration_s)
       << ",\n  \"standing_s\": " << json_number(config.standing_s)
       << ",\n  \"walking_s\": " << (std::isfinite(config.walking_s) ? json_number(config.walking_s) : "\"inf\"")
       << ",\n  \"walking_speed_mps\": " << json_number(config.walking.speed_mps)
       << ",\n  \"walking_cadence_spm\": " << json_number(config.walking.cadence_spm)
       << ",\n  \"sensors\": [" << sensor_names(config.sensors) << "]"
       << ",\n  \"speed_source\": \"" << speed_source_name(config.speed_source) << "\""
       << ",\n  \"treadmill_speed_mps\": "
       << (config.speed_source == SpeedSource::treadmill ? json_number(config.speed_mps) : "null")
       << ",\n  \"speed_mps\": " << json_number(config.speed_mps)
       << ",\n  \"cadence_spm\": " << json_number(config.cadence_spm)
       << ",\n  \"foot_strike_distance_m\": " << json_number(config.foot_strike_distance_m)
       << ",\n  \"strike_pattern\": \"" << to_string(config.strike_pattern) << "\""
       << ",\n  \"body_mass_kg\": " << json_number(config.body_mass_kg)
       << ",\n  \"leg_length_m\": " << json_number(config.leg_length_m)
       << ",\n  \"pelvis_mounting_sensor_to_pelvis\": {\"qw\": " << json_number(mount.w())
       << ", \"qx\": " << json_number(mount.x()) << ", \"qy\": " << json_number(mount.y())
       << ", \"qz\": " << json_number(mount.z()) << "}"
       << ",\n  \"pelvis_gyro_bias_radps\": [" << json_number(bias.x()) << ", " << json_number(bias.y()) << ", "
       << json_number(bias.z()) << "]\n}\n";
  write_text(dir / "simulation.json", meta.str());
  summary.files.emplace_back("simulation.json");
  return summary;
}

RecordingSummary write_simulated_drill_recording(const DrillSimConfig& config, const std::filesystem::path& dir) {
  DrillSimulation sim(config);
  make_output_directory(dir);
  RecordingSummary summary;
  write_sensor_files(sim, sim.end_s(), dir, summary, [](const SimulatedSample&) {});
  write_clock_truth(dir, sim.streams(), sim.clock_truth(), sim.end_s(), summary);

  // The reps on the pelvis file's clock (without a pelvis, the first insole
  // file's: the clock `stridefuse drill` then puts every file on).
  const ClockTruth reference = sim.clock_truth().front();
  const auto device_time_s = [&](double t) { return reference.offset_s + (1.0 + reference.drift_ppm * 1e-6) * t; };
  CsvFile reps(dir / "truth_reps.csv",
               "rep,side,t_start_s,t_end_s,range_of_motion_deg,hold_s,tilt_deg,obliquity_deg,rotation_deg,faulty");
  for (const auto& r : sim.reps()) {
    reps.number(r.rep).text(to_string(r.side)).number(device_time_s(r.t_start_s)).number(device_time_s(r.t_end_s));
    reps.number(r.range_of_motion_deg).empty_or(r.hold_s.value_or(std::numeric_limits<double>::quiet_NaN()));
    reps.number(r.excursion.tilt_deg).number(r.excursion.obliquity_deg).number(r.excursion.rotation_deg);
    reps.text(r.faulty ? "true" : "false").end_row();
    ++summary.reps;
  }
  reps.close();
  summary.files.emplace_back("truth_reps.csv");
  return summary;
}

}  // namespace stridefuse::sim
