#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "huge_pages.hpp"
#include "stridefuse/recording_files.hpp"

namespace stridefuse {
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

// About how many rows follow `pos`, from the length of the first few: counting
// the newlines of an hour of data cost a pass over ~100 MB per file. Only a
// capacity: a file whose later rows are longer still reads right (the vector grows).
std::size_t rows_estimate(std::string_view text, std::size_t pos) {
  constexpr std::size_t sample_lines = 64;
  std::size_t end = pos, lines = 0;
  while (lines < sample_lines && end < text.size()) {
    const auto newline = text.find('\n', end);
    end = newline == std::string_view::npos ? text.size() : newline + 1;
    ++lines;
  }
  if (lines == 0) return 0;
  const double bytes_per_line = static_cast<double>(end - pos) / static_cast<double>(lines);
  // 10 % spare for rows a little longer than the sampled ones.
  return static_cast<std::size_t>(1.1 * static_cast<double>(text.size() - pos) / bytes_per_line) + lines;
}

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// One well-formed row (exactly `width` numbers) starting at `text[pos]`,
// appended to `values` in a single pass without finding the line's end first.
// Returns the position after its newline, or npos, with `values` as it was,
// for anything else (blank line, header, malformed row): the caller then reads
// that line field by field.
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

// The file's bytes mapped read-only: an hour of insole data is ~100 MB, and
// copying it through a stream and a string cost more than parsing it.
class MappedFile {
 public:
  explicit MappedFile(const std::filesystem::path& path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    if (fd_ < 0 || ::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
      close_fd();
      throw RecordingFileError(path.string() + ": cannot open file");
    }
    size_ = static_cast<std::size_t>(st.st_size);
    if (size_ == 0) return;
    void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd_, 0);
    if (p == MAP_FAILED) {
      close_fd();
      throw RecordingFileError(path.string() + ": cannot open file");
    }
    data_ = static_cast<const char*>(p);
    ::madvise(p, size_, MADV_SEQUENTIAL);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile() {
    if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
    close_fd();
  }
  std::string_view text() const { return {data_ == nullptr ? "" : data_, size_}; }

 private:
  void close_fd() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  int fd_ = -1;
  const char* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace

std::size_t NumericTable::column(const std::string& name) const {
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == name) return i;
  throw RecordingFileError(path.string() + ": no column '" + name + "' in the header");
}

NumericTable read_numeric_csv(const std::filesystem::path& path) {
  const MappedFile file(path);
  const std::string_view text = file.text();

  NumericTable table;
  table.path = path;
  std::size_t pos = 0;
  std::size_t line_no = 0;
  bool have_header = false;
  while (pos < text.size()) {
    if (have_header) {
      const auto next = parse_row_fast(text, pos, table.columns.size(), table.values);
      if (next != std::string_view::npos) {
        pos = next;
        ++line_no;
        continue;
      }
    }
    // Anything irregular: the line-by-line, field-by-field reading below finds and names the problem.
    auto end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    const std::string_view line = trim(text.substr(pos, end - pos));
    pos = end + 1;
    ++line_no;
    if (line.empty()) continue;
    if (!have_header) {
      for_each_field(line, [&](std::string_view f) { table.columns.emplace_back(f); });
      for (const auto& c : table.columns)
        if (c.empty()) throw RecordingFileError(path.string() + ": line 1: empty column name in the header");
      have_header = true;
      // One allocation for the whole table in the usual case of rows of similar length.
      table.values.reserve(rows_estimate(text, pos) * table.columns.size());
      offline::advise_huge_pages(table.values);
      continue;
    }
    std::size_t fields = 0;
    for_each_field(line, [&](std::string_view f) {
      ++fields;
      if (fields > table.columns.size()) return;
      double v = 0.0;
      const auto [ptr, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
      if (f.empty() || ec != std::errc() || ptr != f.data() + f.size())
        throw RecordingFileError(path.string() + ": line " + std::to_string(line_no) + ": field " +
                                 std::to_string(fields) + " ('" + std::string(f) + "') is not a number");
      table.values.push_back(v);
    });
    if (fields != table.columns.size())
      throw RecordingFileError(path.string() + ": line " + std::to_string(line_no) + ": " + std::to_string(fields) +
                               " fields, the header has " + std::to_string(table.columns.size()) +
                               " (truncated or malformed row)");
  }
  if (!have_header) throw RecordingFileError(path.string() + ": file is empty (no header row)");
  if (table.rows() == 0) throw RecordingFileError(path.string() + ": header but no data rows");
  return table;
}

}  // namespace stridefuse
