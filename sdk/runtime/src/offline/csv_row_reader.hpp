#pragma once
// A numeric CSV (sdk/runtime/src/offline/FILES.md) read as a stream of row blocks: a few
// hundred KB of the file at a time, whatever its length. read_numeric_csv
// (recording_files.hpp) collects these blocks into a table; the offline
// analysis passes them on and keeps none.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace stridefuse::offline {

class LineBlockReader;

class CsvRowReader {
 public:
  /// Opens the file and reads its header (the first non-blank line). Throws
  /// RecordingFileError for a missing or unreadable file, a file without a
  /// header row, or an empty column name in the header.
  explicit CsvRowReader(const std::filesystem::path& path);
  ~CsvRowReader();
  CsvRowReader(const CsvRowReader&) = delete;
  CsvRowReader& operator=(const CsvRowReader&) = delete;

  const std::filesystem::path& path() const { return path_; }
  const std::vector<std::string>& columns() const { return columns_; }

  /// The next rows, columns().size() numbers each, row-major; empty once the
  /// file is read (never empty before). Valid until the next call. Throws
  /// RecordingFileError naming the line and the field of a malformed row
  /// (wrong field count, a field that is not a number), or "header but no
  /// data rows" at the end of a file without any.
  std::span<const double> next_rows();

  /// Data rows handed out so far.
  std::size_t rows() const { return rows_; }

 private:
  std::size_t parse_irregular_line(std::string_view text, std::size_t pos);

  std::filesystem::path path_;
  std::unique_ptr<LineBlockReader> file_;
  std::vector<std::string> columns_;
  std::string_view pending_;  // text of the block that held the header, after it
  std::vector<double> values_;
  std::size_t line_no_ = 0, rows_ = 0;
};

}  // namespace stridefuse::offline
