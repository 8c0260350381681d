// Numeric CSV reading: CsvRowReader streams row blocks, read_numeric_csv
// collects them. Every error names the file, the line and the field.

#include <charconv>
#include <utility>

#include "csv_row_reader.hpp"
#include "line_block_reader.hpp"
#include "stridefuse/runtime/recording_files.hpp"

namespace stridefuse {
namespace offline {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

template <class F>
void for_each_field(std::string_view line, F&& f) {
  std::size_t start = 0;
  while (true) {
    const auto comma = line.find(',', start);
    f(trim(line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start)));
    if (comma == std::string_view::npos) return;
    start = comma + 1;
  }
}

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// One well-formed row (exactly `width` numbers) starting at `text[pos]`,
// appended to `values` in a single pass without finding the line's end first.
// Returns the position after its newline, or npos, with `values` as it was,
// for anything else (blank line, malformed row): the caller then reads that
// line field by field.
std::size_t parse_row_fast(std::string_view text, std::size_t pos, std::size_t width, std::vector<double>& values) {
  const std::size_t start_size = values.size();
  const char* p = text.data() + pos;
  const char* const end = text.data() + text.size();
  for (std::size_t n = 0; n < width; ++n) {
    while (p != end && (*p == ' ' || *p == '\t')) ++p;
    double v = 0.0;
    const auto [ptr, ec] = std::from_chars(p, end, v);
    if (ec != std::errc() || ptr == p) break;
    p = ptr;
    while (p != end && is_blank(*p)) ++p;
    values.push_back(v);
    if (n + 1 == width) {
      if (p == end) return text.size();
      if (*p == '\n') return static_cast<std::size_t>(p - text.data()) + 1;
      break;
    }
    if (p == end || *p != ',') break;
    ++p;
  }
  values.resize(start_size);
  return std::string_view::npos;
}

}  // namespace

CsvRowReader::CsvRowReader(const std::filesystem::path& path)
    : path_(path), file_(std::make_unique<LineBlockReader>(path)) {
  for (std::string_view text = file_->next(); !text.empty(); text = file_->next()) {
    std::size_t pos = 0;
    while (pos < text.size()) {
      auto end = text.find('\n', pos);
      if (end == std::string_view::npos) end = text.size();
      const std::string_view line = trim(text.substr(pos, end - pos));
      pos = end + 1;
      ++line_no_;
      if (line.empty()) continue;
      for_each_field(line, [&](std::string_view f) { columns_.emplace_back(f); });
      for (const auto& c : columns_)
        if (c.empty()) throw RecordingFileError(path.string() + ": line 1: empty column name in the header");
      pending_ = pos < text.size() ? text.substr(pos) : std::string_view();
      return;
    }
  }
  throw RecordingFileError(path.string() + ": file is empty (no header row)");
}

CsvRowReader::~CsvRowReader() = default;

std::span<const double> CsvRowReader::next_rows() {
  values_.clear();
  const std::size_t width = columns_.size();
  while (values_.empty()) {
    const std::string_view text = pending_.empty() ? file_->next() : std::exchange(pending_, std::string_view());
    if (text.empty()) {
      if (rows_ == 0) throw RecordingFileError(path_.string() + ": header but no data rows");
      return {};
    }
    std::size_t pos = 0;
    while (pos < text.size()) {
      ++line_no_;
      const auto next = parse_row_fast(text, pos, width, values_);
      if (next != std::string_view::npos) {
        pos = next;
        ++rows_;
        continue;
      }
      pos = parse_irregular_line(text, pos);
    }
  }
  return values_;
}

// Anything parse_row_fast declined: a blank line is skipped; otherwise reading
// the line field by field finds and names the problem. Returns the position
// after the line.
std::size_t CsvRowReader::parse_irregular_line(std::string_view text, std::size_t pos) {
  auto end = text.find('\n', pos);
  if (end == std::string_view::npos) end = text.size();
  const std::string_view line = trim(text.substr(pos, end - pos));
  if (line.empty()) return end + 1;
  const std::size_t width = columns_.size();
  std::size_t fields = 0;
  for_each_field(line, [&](std::string_view f) {
    ++fields;
    if (fields > width) return;
    double v = 0.0;
    const auto [ptr, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
    if (f.empty() || ec != std::errc() || ptr != f.data() + f.size())
      throw RecordingFileError(path_.string() + ": line " + std::to_string(line_no_) + ": field " +
                               std::to_string(fields) + " ('" + std::string(f) + "') is not a number");
    values_.push_back(v);
  });
  if (fields != width)
    throw RecordingFileError(path_.string() + ": line " + std::to_string(line_no_) + ": " + std::to_string(fields) +
                             " fields, the header has " + std::to_string(width) + " (truncated or malformed row)");
  ++rows_;
  return end + 1;
}

}  // namespace offline

std::size_t NumericTable::column(const std::string& name) const {
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == name) return i;
  throw RecordingFileError(path.string() + ": no column '" + name + "' in the header");
}

NumericTable read_numeric_csv(const std::filesystem::path& path) {
  offline::CsvRowReader reader(path);
  NumericTable table;
  table.path = path;
  table.columns = reader.columns();
  for (auto rows = reader.next_rows(); !rows.empty(); rows = reader.next_rows())
    table.values.insert(table.values.end(), rows.begin(), rows.end());
  return table;
}

}  // namespace stridefuse
