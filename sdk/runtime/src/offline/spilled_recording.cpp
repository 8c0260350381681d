#include "spilled_recording.hpp"

#include "sensor_scan.hpp"
#include "stridefuse/fusion/strike_lag_estimator.hpp"

namespace stridefuse::offline {
namespace {

// Scans the file into a spill of rows (t, channels..., extra...), `extra`
// computing the appended values from the channels.
template <class Extra>
SpilledRecording spill(CsvRowReader& csv, SensorColumns columns, std::size_t extra_values, Extra&& extra) {
  const std::size_t channels = columns.channel_columns.size();
  SpilledRecording out;
  out.rows = std::make_unique<RowSpill>(1 + channels + extra_values);
  std::vector<double> row(1 + channels + extra_values);
  out.stream = scan_sensor_csv(csv, std::move(columns), [&](double t, const double* values) {
    if (out.rows->rows() == 0) out.first_t_s = t;
    out.last_t_s = t;
    row[0] = t;
    std::copy(values, values + channels, row.begin() + 1);
    extra(values, row.data() + 1 + channels);
    out.rows->append(row.data());
  });
  return out;
}

}  // namespace

SpilledRecording spill_pelvis_csv(const std::filesystem::path& path) {
  CsvRowReader csv(path);
  UpAccumulator up;  // ax, ay, az are the first channels
  auto r = spill(csv, pelvis_columns(csv), 0, [&](const double* values, double*) { up.add(values); });
  r.up = up.up();
  return r;
}

SpilledRecording spill_insole_csv(const std::filesystem::path& path, const InsoleLayout& layout) {
  CsvRowReader csv(path);
  const std::size_t sensors = layout.sensors.size();  // the first channels, once the columns are right
  return spill(csv, insole_columns(csv, layout), 1, [&](const double* values, double* force) {
    force[0] = insole_force_n(layout, std::span<const double>(values, sensors));
  });
}

SpilledRecording spill_speed_csv(const std::filesystem::path& path) {
  CsvRowReader csv(path);
  return spill(csv, speed_columns(csv), 0, [](const double*, double*) {});
}

SpilledSignalRows::SpilledSignalRows(SpilledRecording& r)
    : SignalRows(r.rows->width(), r.stream.kind == StreamKind::insole_pressure ? r.rows->width() - 1 : 1),
      recording_(r) {}

}  // namespace stridefuse::offline
