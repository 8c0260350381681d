#pragma once
// A sensor CSV of sdk/runtime/src/offline/FILES.md read row by row: the stream its header
// describes, each row's time and its channels in the descriptor's order, and
// the checks of read_pelvis_csv / read_insole_csv / read_speed_csv. The
// readers of recording_files.hpp collect the rows; the offline analysis
// passes them on.
//
// Problems are reported in the order the readers always reported them: a
// malformed row anywhere in the file first (the reader meets it), then a
// missing column, then the first row whose time is not finite or not
// increasing, then too few rows. So the rows are read to the end even after
// a header or time problem.

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "csv_row_reader.hpp"
#include "stridefuse/core/stream.hpp"

namespace stridefuse::offline {

/// How a sensor file's header maps to its stream.
struct SensorColumns {
  StreamDescriptor stream;                   ///< rate and tick fields are set by scan_sensor_csv
  std::size_t t_column = 0;
  std::vector<std::size_t> channel_columns;  ///< one per channel, in descriptor order
  std::string problem;                       ///< a header problem (RecordingFileError text), reported after the rows
};

SensorColumns pelvis_columns(const CsvRowReader& csv);
SensorColumns insole_columns(const CsvRowReader& csv, const InsoleLayout& layout);
SensorColumns speed_columns(const CsvRowReader& csv);

/// The time column's checks: finite and strictly increasing.
class TimeCheck {
 public:
  /// False (and the problem kept) for a time that is not finite or not after the previous one.
  bool add(double t_s);
  bool failed() const { return !problem_.empty(); }
  std::size_t rows() const { return rows_; }
  /// Sets the stream's rate (from the first and last times) and tick fields,
  /// after throwing the problems of the file in order: the header's, the
  /// first time's, fewer than two rows, an inconsistent descriptor.
  StreamDescriptor finish(const std::filesystem::path& path, SensorColumns&& columns) const;

 private:
  std::string problem_;
  std::size_t rows_ = 0;
  double first_s_ = 0.0, last_s_ = 0.0;
};

/// Reads the rest of `csv`, calling on_row(t_s, channels) for every row in
/// order (channels: one value per descriptor channel) until a problem is
/// found; returns the stream descriptor. Throws RecordingFileError as the
/// readers of recording_files.hpp do, std::invalid_argument for a descriptor
/// validate() rejects.
template <class OnRow>
StreamDescriptor scan_sensor_csv(CsvRowReader& csv, SensorColumns columns, OnRow&& on_row) {
  TimeCheck check;
  const std::size_t width = csv.columns().size();
  std::vector<double> channels(columns.channel_columns.size());
  for (auto rows = csv.next_rows(); !rows.empty(); rows = csv.next_rows()) {
    if (!columns.problem.empty() || check.failed()) continue;  // read on: a malformed row is reported first
    for (std::size_t r = 0; r < rows.size(); r += width) {
      const double* row = rows.data() + r;
      const double t = row[columns.t_column];
      if (!check.add(t)) break;
      for (std::size_t c = 0; c < channels.size(); ++c) channels[c] = row[columns.channel_columns[c]];
      on_row(t, channels.data());
    }
  }
  return check.finish(csv.path(), std::move(columns));
}

}  // namespace stridefuse::offline
