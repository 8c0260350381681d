#pragma once
// The offline analysis's first pass over a sensor file: parsed and checked
// once (sensor_scan.hpp), kept as binary copies in temporary files
// (row_spill.hpp) with what the clock alignment needs from the whole file:
// every row (t, the stream's channels in descriptor order) for the engine,
// and the alignment's signal alone (pelvis: t, ax, ay, az; insole: t, total
// force), which the alignment reads three times: a sixth of the data.

#include <array>
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "alignment_rows.hpp"
#include "opengo_export.hpp"
#include "row_spill.hpp"
#include "stridefuse/core/stream.hpp"

namespace stridefuse::offline {

struct SpilledRecording {
  StreamDescriptor stream;
  std::unique_ptr<RowSpill> rows;    ///< t, channels
  std::unique_ptr<RowSpill> signal;  ///< pelvis and insoles: t, the alignment's signal
  double first_t_s = 0.0, last_t_s = 0.0;
  std::array<double, 3> up{0.0, 0.0, 1.0};  ///< pelvis: the mean specific force's direction (UpAccumulator)
};

/// Each throws what read_pelvis_csv / read_insole_csv / read_speed_csv throw
/// for the file, and std::runtime_error when the temporary copy cannot be written.
SpilledRecording spill_pelvis_csv(const std::filesystem::path& path);
SpilledRecording spill_insole_csv(const std::filesystem::path& path, const InsoleLayout& layout);
SpilledRecording spill_speed_csv(const std::filesystem::path& path);

/// The feet asked for in a Moticon OpenGo export (opengo_export.hpp), one
/// recording each, left first. Throws what scan_opengo_export throws.
std::vector<SpilledRecording> spill_opengo_export(const std::filesystem::path& path, const OpenGoFeet& feet);

/// A spilled pelvis or insole recording's signal copy as the clock alignment reads it.
class SpilledSignalRows : public SignalRows {
 public:
  explicit SpilledSignalRows(SpilledRecording& r);
  void rewind() override { reader_.emplace(recording_.signal->reader()); }
  std::span<const double> next() override { return reader_->next(); }

 private:
  SpilledRecording& recording_;
  std::optional<RowSpill::Reader> reader_;
};

}  // namespace stridefuse::offline
