#pragma once
// Moticon OpenGo text exports (sdk/runtime/src/offline/FILES.md, "Moticon
// OpenGo exports") read row by row: each foot's samples as an insole stream
// and the step events Moticon's software marked. read_opengo_export
// (recording_files.hpp) collects them; the offline analysis copies them into
// its temporary files.

#include <array>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "stridefuse/core/stream.hpp"
#include "stridefuse/runtime/recording_files.hpp"

namespace stridefuse::offline {

/// What to read of each foot: nothing, or its stream with this layout (a
/// layout without sites: the insole's own force and centre of pressure;
/// with sites: its pressures, one site per pressure cell).
using OpenGoFeet = std::array<std::optional<InsoleLayout>, 2>;  // [0] left, [1] right

struct OpenGoScan {
  std::array<std::optional<StreamDescriptor>, 2> streams;  ///< per foot asked for
  std::vector<OpenGoStepMark> marks;
  std::string insole_size;  ///< the header's "Size", as written
};

/// True when the file begins with an OpenGo export's '#' header ending in its column line ("# time<TAB>...").
/// Throws RecordingFileError when the file cannot be opened.
bool is_opengo_export(const std::filesystem::path& path);

/// Which feet the export has columns of ([0] left, [1] right), from its
/// column line. Throws RecordingFileError when the file cannot be opened.
std::array<bool, 2> opengo_feet(const std::filesystem::path& path);

/// Reads the export, calling on_row(foot, t_s, channels) for every row in
/// which that foot delivered (0 left, 1 right; channels in its descriptor's
/// order, in SI units). Throws RecordingFileError naming the file, the line
/// and the problem: not an export, a missing or unknown column for what is
/// asked, a unit it does not know, a truncated row, a field that is not a
/// number, a time not after the previous one, an unknown step event code, a
/// foot asked for that the file does not have or that has fewer than two samples.
OpenGoScan scan_opengo_export(const std::filesystem::path& path, const OpenGoFeet& feet,
                              const std::function<void(int foot, double t_s, std::span<const double> channels)>& on_row);

}  // namespace stridefuse::offline
