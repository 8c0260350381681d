// The sensor files of sdk/runtime/src/offline/FILES.md: columns found by name, rows checked
// (sensor_scan.hpp); read_*_csv collect the rows in memory.

#include <cmath>
#include <optional>

#include "sensor_scan.hpp"
#include "stridefuse/runtime/recording_files.hpp"

namespace stridefuse {
namespace offline {
namespace {

std::optional<std::size_t> column_of(const CsvRowReader& csv, const std::string& name) {
  const auto& columns = csv.columns();
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == name) return i;
  return std::nullopt;
}

bool has_columns(const CsvRowReader& csv, std::initializer_list<const char*> names) {
  for (const char* n : names)
    if (!column_of(csv, n)) return false;
  return true;
}

// The time and channel columns of `stream`, or the first one missing as the problem.
SensorColumns columns_of(const CsvRowReader& csv, StreamDescriptor stream) {
  SensorColumns out;
  const auto missing = [&](const std::string& name) {
    out.problem = csv.path().string() + ": no column '" + name + "' in the header";
  };
  if (const auto t = column_of(csv, "t")) out.t_column = *t;
  else missing("t");
  for (const auto& c : stream.channels) {
    if (!out.problem.empty()) break;
    if (const auto i = column_of(csv, c.name)) out.channel_columns.push_back(*i);
    else missing(c.name);
  }
  out.stream = std::move(stream);
  return out;
}

}  // namespace

SensorColumns pelvis_columns(const CsvRowReader& csv) {
  StreamDescriptor s;
  s.id = "pelvis";
  s.kind = StreamKind::imu;
  s.location = BodyLocation::pelvis;
  s.channels = imu_channels(has_columns(csv, {"mx", "my", "mz"}));
  return columns_of(csv, std::move(s));
}

SensorColumns insole_columns(const CsvRowReader& csv, const InsoleLayout& layout) {
  std::size_t pressures = 0;
  while (has_columns(csv, {("p" + std::to_string(pressures)).c_str()})) ++pressures;
  StreamDescriptor s;
  s.id = layout.side == Side::left ? "left_insole" : "right_insole";
  s.kind = StreamKind::insole_pressure;
  s.location = layout.side == Side::left ? BodyLocation::left_foot : BodyLocation::right_foot;
  s.channels = insole_channels(pressures, has_columns(csv, {"ax", "ay", "az", "gx", "gy", "gz"}));
  s.insole = layout;
  auto out = columns_of(csv, std::move(s));
  if (pressures == 0) {
    out.problem = csv.path().string() + ": no pressure columns p0, p1, ...";
  } else if (pressures != layout.sensors.size()) {
    out.problem = csv.path().string() + ": " + std::to_string(pressures) + " pressure columns but the layout has " +
                  std::to_string(layout.sensors.size()) + " sensors";
  }
  return out;
}

SensorColumns speed_columns(const CsvRowReader& csv) {
  StreamDescriptor s;
  s.id = "speed";
  s.kind = StreamKind::speed;
  s.channels = {{"speed_mps", "m/s"}};
  return columns_of(csv, std::move(s));
}

bool TimeCheck::add(double t) {
  const std::size_t row = rows_ + 1;
  if (!std::isfinite(t)) {
    problem_ = "data row " + std::to_string(row) + ": t is not finite";
    return false;
  }
  if (rows_ > 0 && !(t > last_s_)) {
    problem_ = "data row " + std::to_string(row) + ": time goes backwards or repeats (" + std::to_string(t) + " after " +
               std::to_string(last_s_) + ")";
    return false;
  }
  if (rows_ == 0) first_s_ = t;
  last_s_ = t;
  ++rows_;
  return true;
}

StreamDescriptor TimeCheck::finish(const std::filesystem::path& path, SensorColumns&& columns) const {
  if (!columns.problem.empty()) throw RecordingFileError(columns.problem);
  if (!problem_.empty()) throw RecordingFileError(path.string() + ": " + problem_);
  if (rows_ < 2) throw RecordingFileError(path.string() + ": needs at least two samples");
  StreamDescriptor stream = std::move(columns.stream);
  stream.nominal_rate_hz = static_cast<double>(rows_ - 1) / (last_s_ - first_s_);
  // Offline files carry seconds, not ticks: a microsecond counter keeps full resolution.
  stream.tick_rate_hz = 1e6;
  stream.tick_bits = 64;
  validate(stream);
  return stream;
}

}  // namespace offline

namespace {

template <class Columns>
SensorRecording read_recording(const std::filesystem::path& path, Columns&& columns_of) {
  offline::CsvRowReader csv(path);
  auto columns = columns_of(csv);
  const std::size_t width = columns.channel_columns.size();
  SensorRecording rec;
  rec.stream = offline::scan_sensor_csv(csv, std::move(columns), [&](double t, const double* channels) {
    rec.t_s.push_back(t);
    rec.values.insert(rec.values.end(), channels, channels + width);
  });
  return rec;
}

}  // namespace

SensorRecording read_pelvis_csv(const std::filesystem::path& path) {
  return read_recording(path, [](const offline::CsvRowReader& csv) { return offline::pelvis_columns(csv); });
}

SensorRecording read_insole_csv(const std::filesystem::path& path, const InsoleLayout& layout) {
  return read_recording(path, [&](const offline::CsvRowReader& csv) { return offline::insole_columns(csv, layout); });
}

SensorRecording read_speed_csv(const std::filesystem::path& path) {
  return read_recording(path, [](const offline::CsvRowReader& csv) { return offline::speed_columns(csv); });
}

}  // namespace stridefuse
