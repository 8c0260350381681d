#pragma once
// The offline input files (sdk/runtime/src/offline/FILES.md): one CSV per sensor (header
// row, comma separated, `t` in seconds of that file's own clock) and the
// insole layout JSON. Every reader checks what it reads and throws
// RecordingFileError naming the file, the line and the problem.

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "stridefuse/core/stream.hpp"

namespace stridefuse {

struct RecordingFileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// A numeric table: column names from the header, values row-major.
struct NumericTable {
  std::filesystem::path path;
  std::vector<std::string> columns;
  std::vector<double> values;  ///< rows() x columns.size()

  std::size_t rows() const { return columns.empty() ? 0 : values.size() / columns.size(); }
  double at(std::size_t row, std::size_t column) const { return values[row * columns.size() + column]; }
  /// Index of a column; throws RecordingFileError naming the file when absent.
  std::size_t column(const std::string& name) const;
};

/// Reads a CSV whose every field is a number ("nan", "inf" accepted as such),
/// whole, into memory. Throws RecordingFileError for a missing/unreadable
/// file, an empty file, an empty column name, a row with the wrong field
/// count, a field that is not a number (naming the line and the field), or a
/// header without data rows.
NumericTable read_numeric_csv(const std::filesystem::path& path);

/// Reads an insole layout JSON ({"side", "length_mm", "sensors": [{"x_mm", "y_mm", "area_mm2"}]}).
InsoleLayout read_insole_layout(const std::filesystem::path& path);

/// Writes a layout in the same JSON form.
void write_insole_layout(const InsoleLayout& layout, const std::filesystem::path& path);

/// One sensor file with its stream descriptor, whole, in memory (the offline
/// analysis reads the same files as a stream instead: offline_analysis.hpp).
///
/// Each read_*_csv below throws RecordingFileError naming the file for, in
/// this order: what read_numeric_csv throws; a missing column (or for an
/// insole: no pressure columns, or not as many as the layout's sensors); the
/// first row whose t is not finite or not after the previous one; fewer than
/// two rows. std::invalid_argument when the stream is inconsistent (e.g. more
/// channels than a Sample holds).
struct SensorRecording {
  StreamDescriptor stream;
  std::vector<double> t_s;     ///< the file's own clock
  std::vector<double> values;  ///< t_s.size() x stream.channels.size(), channel order of the descriptor
};

/// Pelvis IMU CSV: t,ax,ay,az,gx,gy,gz[,mx,my,mz], in any column order.
SensorRecording read_pelvis_csv(const std::filesystem::path& path);

/// Insole CSV: t,p0..pN[,ax,ay,az,gx,gy,gz] with its layout (one sensor per pressure column).
SensorRecording read_insole_csv(const std::filesystem::path& path, const InsoleLayout& layout);

/// Speed CSV: t,speed_mps.
SensorRecording read_speed_csv(const std::filesystem::path& path);

/// A step event Moticon's software marked in an OpenGo export.
struct OpenGoStepMark {
  Side side = Side::left;
  bool initial_contact = true;  ///< false: toe-off
  double t_s = 0.0;             ///< the export's clock
};

/// A Moticon OpenGo text export (sdk/runtime/src/offline/FILES.md, "Moticon
/// OpenGo exports"): one insole stream per foot in the file, in SI units, and
/// the step events the software marked.
struct OpenGoRecording {
  std::vector<SensorRecording> insoles;  ///< left first
  std::vector<OpenGoStepMark> marks;
  std::string insole_size;               ///< the header's "Size", as written
};

/// Reads an OpenGo export. A foot without a layout here gives its insole's
/// own total force and centre of pressure (force_n, cop_x_pct, cop_y_pct:
/// the export has no cell positions) and an unknown length; with a layout of
/// 16 sites its pressures. The insole's IMU follows when the file has it.
/// Throws RecordingFileError naming the file, the line and the problem (not an
/// export, a missing column, a unit it does not know, a truncated row, a
/// field that is not a number, a time that does not increase, a step event
/// code it does not know, a foot with fewer than two samples).
OpenGoRecording read_opengo_export(const std::filesystem::path& path,
                                   const std::optional<InsoleLayout>& left_layout = std::nullopt,
                                   const std::optional<InsoleLayout>& right_layout = std::nullopt);

}  // namespace stridefuse
