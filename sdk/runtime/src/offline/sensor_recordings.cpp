#include <algorithm>
#include <cmath>

#include "stridefuse/runtime/recording_files.hpp"

namespace stridefuse {
namespace {

// Moves the named columns (in descriptor order) out of the table and checks
// the time column: finite and strictly increasing, as sdk/runtime/src/offline/FILES.md requires.
// The values are compacted in place (a row never grows, so writes stay behind
// reads) to spare a second copy of an hour of data.
SensorRecording extract(NumericTable&& table, StreamDescriptor stream) {
  SensorRecording rec;
  const std::size_t t_col = table.column("t");
  std::vector<std::size_t> cols;
  for (const auto& c : stream.channels) cols.push_back(table.column(c.name));
  const std::size_t rows = table.rows();
  const std::size_t width = table.columns.size();
  const std::size_t kept = cols.size();
  rec.t_s.reserve(rows);
  std::vector<double> row(kept);
  double* values = table.values.data();
  for (std::size_t r = 0; r < rows; ++r) {
    const double* in = values + r * width;
    const double t = in[t_col];
    if (!std::isfinite(t))
      throw RecordingFileError(table.path.string() + ": data row " + std::to_string(r + 1) + ": t is not finite");
    if (!rec.t_s.empty() && !(t > rec.t_s.back()))
      throw RecordingFileError(table.path.string() + ": data row " + std::to_string(r + 1) + ": time goes backwards or repeats (" +
                               std::to_string(t) + " after " + std::to_string(rec.t_s.back()) + ")");
    rec.t_s.push_back(t);
    for (std::size_t c = 0; c < kept; ++c) row[c] = in[cols[c]];
    std::copy(row.begin(), row.end(), values + r * kept);
  }
  table.values.resize(rows * kept);
  rec.values = std::move(table.values);
  if (rec.t_s.size() >= 2) {
    stream.nominal_rate_hz = static_cast<double>(rec.t_s.size() - 1) / (rec.t_s.back() - rec.t_s.front());
  } else {
    throw RecordingFileError(table.path.string() + ": needs at least two samples");
  }
  // Offline files carry seconds, not ticks: a microsecond counter keeps full resolution.
  stream.tick_rate_hz = 1e6;
  stream.tick_bits = 64;
  rec.stream = std::move(stream);
  validate(rec.stream);
  return rec;
}

bool has_columns(const NumericTable& t, std::initializer_list<const char*> names) {
  for (const char* n : names) {
    bool found = false;
    for (const auto& c : t.columns) found = found || c == n;
    if (!found) return false;
  }
  return true;
}

}  // namespace

SensorRecording read_pelvis_csv(const std::filesystem::path& path) {
  auto table = read_numeric_csv(path);
  StreamDescriptor s;
  s.id = "pelvis";
  s.kind = StreamKind::imu;
  s.location = BodyLocation::pelvis;
  s.channels = imu_channels(has_columns(table, {"mx", "my", "mz"}));
  return extract(std::move(table), std::move(s));
}

SensorRecording read_insole_csv(const std::filesystem::path& path, const InsoleLayout& layout) {
  auto table = read_numeric_csv(path);
  std::size_t pressures = 0;
  while (has_columns(table, {("p" + std::to_string(pressures)).c_str()})) ++pressures;
  if (pressures == 0) throw RecordingFileError(path.string() + ": no pressure columns p0, p1, ...");
  if (pressures != layout.sensors.size())
    throw RecordingFileError(path.string() + ": " + std::to_string(pressures) + " pressure columns but the layout has " +
                             std::to_string(layout.sensors.size()) + " sensors");
  StreamDescriptor s;
  s.id = layout.side == Side::left ? "left_insole" : "right_insole";
  s.kind = StreamKind::insole_pressure;
  s.location = layout.side == Side::left ? BodyLocation::left_foot : BodyLocation::right_foot;
  s.channels = insole_channels(pressures, has_columns(table, {"ax", "ay", "az", "gx", "gy", "gz"}));
  s.insole = layout;
  return extract(std::move(table), std::move(s));
}

SensorRecording read_speed_csv(const std::filesystem::path& path) {
  auto table = read_numeric_csv(path);
  StreamDescriptor s;
  s.id = "speed";
  s.kind = StreamKind::speed;
  s.channels = {{"speed_mps", "m/s"}};
  return extract(std::move(table), std::move(s));
}

}  // namespace stridefuse
