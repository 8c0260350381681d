#pragma once
// Opening and checking the files an analysis writes: every failure names the
// path (a directory that cannot be made, a file that cannot be opened, a
// write that failed, e.g. on a full disk).

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <system_error>

namespace stridefuse::offline {

/// Creates `dir` (and its parents) when missing. Throws std::runtime_error naming it.
inline void create_output_directory(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir))
    throw std::runtime_error(dir.string() + ": cannot create the output directory" + (ec ? ": " + ec.message() : ""));
}

/// Throws std::runtime_error naming the path when it cannot be opened.
inline std::ofstream open_for_writing(const std::filesystem::path& path) {
  std::ofstream out(path);
  if (!out) throw std::runtime_error(path.string() + ": cannot open for writing");
  return out;
}

/// Flushes; throws std::runtime_error naming the path when a write failed.
inline void check_written(std::ofstream& out, const std::filesystem::path& path) {
  out.flush();
  if (!out) throw std::runtime_error(path.string() + ": write failed (disk full?)");
}

}  // namespace stridefuse::offline
