#pragma once
// The simulator's truth_clocks.json (drivers/simulated/runner/README.md):
// each device's true clock offset, for tests that give the insole files'
// offsets to an analysis of files without a landmark to align them by.

#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

namespace stridefuse::testing {

/// The `offset_s` of stream `id` in DIR/truth_clocks.json. Throws std::runtime_error when it is not there.
inline double truth_clock_offset_s(const std::filesystem::path& dir, const std::string& id) {
  std::ifstream in(dir / "truth_clocks.json");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto stream = text.find("\"id\": \"" + id + "\"");
  const auto at = stream == std::string::npos ? stream : text.find("\"offset_s\": ", stream);
  if (at == std::string::npos) throw std::runtime_error("no offset of " + id + " in " + (dir / "truth_clocks.json").string());
  return std::stod(text.substr(at + 12));
}

/// The --left-offset and --right-offset that put a simulated recording's insole files on its pelvis file's clock.
inline std::string insole_offset_flags(const std::filesystem::path& dir) {
  const double pelvis = truth_clock_offset_s(dir, "pelvis_imu");
  return " --left-offset " + std::to_string(pelvis - truth_clock_offset_s(dir, "left_insole")) + " --right-offset " +
         std::to_string(pelvis - truth_clock_offset_s(dir, "right_insole"));
}

}  // namespace stridefuse::testing
