#include "spilled_recording.hpp"

#include "sensor_scan.hpp"
#include "stridefuse/fusion/insole_loading.hpp"

namespace stridefuse::offline {
namespace {

// Scans the file into its copies: every row (t, channels...) and, for the
// alignment, (t, signal...) with `signal_values` values that signal_of
// computes from the channels (none: no signal copy).
template <class Signal>
SpilledRecording spill(CsvRowReader& csv, SensorColumns columns, std::size_t signal_values, Signal&& signal_of) {
  const std::size_t channels = columns.channel_columns.size();
  SpilledRecording out;
  out.rows = std::make_unique<RowSpill>(1 + channels);
  if (signal_values > 0) out.signal = std::make_unique<RowSpill>(1 + signal_values);
  std::vector<double> row(1 + channels), signal(1 + signal_values);
  out.stream = scan_sensor_csv(csv, std::move(columns), [&](double t, const double* values) {
    if (out.rows->rows() == 0) out.first_t_s = t;
    out.last_t_s = t;
    row[0] = t;
    std::copy(values, values + channels, row.begin() + 1);
    out.rows->append(row.data());
    if (!out.signal) return;
    signal[0] = t;
    signal_of(values, signal.data() + 1);
    out.signal->append(signal.data());
  });
  return out;
}

}  // namespace

SpilledRecording spill_pelvis_csv(const std::filesystem::path& path) {
  CsvRowReader csv(path);
  UpAccumulator up;
  auto r = spill(csv, pelvis_columns(csv), 3, [&](const double* values, double* accel) {
    up.add(values);  // ax, ay, az are the first channels
    std::copy(values, values + 3, accel);
  });
  r.up = up.up();
  return r;
}

SpilledRecording spill_insole_csv(const std::filesystem::path& path, const InsoleLayout& layout) {
  CsvRowReader csv(path);
  const std::size_t sensors = layout.sensors.size();  // the first channels, once the columns are right
  return spill(csv, insole_columns(csv, layout), 1, [&](const double* values, double* force) {
    force[0] = fusion::insole_force_n(layout, std::span<const double>(values, sensors));
  });
}

SpilledRecording spill_speed_csv(const std::filesystem::path& path) {
  CsvRowReader csv(path);
  return spill(csv, speed_columns(csv), 0, [](const double*, double*) {});
}

std::vector<SpilledRecording> spill_opengo_export(const std::filesystem::path& path, const OpenGoFeet& feet) {
  std::array<SpilledRecording, 2> out;
  std::vector<double> row, signal(2);
  auto scan = scan_opengo_export(path, feet, [&](int f, double t, std::span<const double> channels) {
    auto& r = out[f];
    if (!r.rows) {
      r.rows = std::make_unique<RowSpill>(1 + channels.size());
      r.signal = std::make_unique<RowSpill>(2);
      r.first_t_s = t;
    }
    r.last_t_s = t;
    row.assign(1, t);
    row.insert(row.end(), channels.begin(), channels.end());
    r.rows->append(row.data());
    signal[0] = t;
    signal[1] = fusion::insole_force_n(*feet[f], channels);
    r.signal->append(signal.data());
  });
  std::vector<SpilledRecording> recordings;
  for (int f = 0; f < 2; ++f)
    if (scan.streams[f]) {
      out[f].stream = *scan.streams[f];
      recordings.push_back(std::move(out[f]));
    }
  return recordings;
}

SpilledSignalRows::SpilledSignalRows(SpilledRecording& r) : SignalRows(r.signal->width(), 1), recording_(r) {}

}  // namespace stridefuse::offline
