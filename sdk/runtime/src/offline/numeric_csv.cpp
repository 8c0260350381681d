#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>

#include "huge_pages.hpp"
#include "stridefuse/runtime/recording_files.hpp"

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
std::size_t rows_estimate(std::string_view text, std::size_t pos, std::size_t remaining_bytes) {
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
  return static_cast<std::size_t>(1.1 * static_cast<double>(remaining_bytes) / bytes_per_line) + lines;
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

// The file read in blocks, handed out as whole lines: an hour of insole
// data is ~100 MB, and mapping it (a page table entry per 4 KiB, costly under
// virtualisation) cost twice the CPU of copying it through one reused buffer.
// The block is small enough to stay in the CPU's cache between the copy and
// the parsing, and to cost few first-touch page faults (a 4 MB block cost
// 1024 per file); a longer line grows it.
class LineBlockReader {
 public:
  explicit LineBlockReader(const std::filesystem::path& path) : path_(path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    if (fd_ < 0 || ::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
      if (fd_ >= 0) ::close(fd_);
      throw RecordingFileError(path.string() + ": cannot open file");
    }
    size_ = static_cast<std::size_t>(st.st_size);
    (void)::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
    buffer_.resize(block_bytes);
  }
  LineBlockReader(const LineBlockReader&) = delete;
  LineBlockReader& operator=(const LineBlockReader&) = delete;
  ~LineBlockReader() { ::close(fd_); }

  /// The next run of whole lines (the last one may lack its newline at the end
  /// of the file); empty at the end. Valid until the next call.
  std::string_view next() {
    std::memmove(buffer_.data(), buffer_.data() + handed_, filled_ - handed_);
    filled_ -= handed_;
    consumed_ += handed_;
    handed_ = 0;
    while (true) {
      if (!eof_) {
        if (filled_ == buffer_.size()) buffer_.resize(2 * buffer_.size());  // a line longer than a block
        const ssize_t n = ::read(fd_, buffer_.data() + filled_, buffer_.size() - filled_);
        if (n < 0) {
          if (errno == EINTR) continue;
          throw RecordingFileError(path_.string() + ": read failed: " + std::strerror(errno));
        }
        eof_ = n == 0;
        filled_ += static_cast<std::size_t>(n);
      }
      const std::string_view text(buffer_.data(), filled_);
      if (eof_) {
        handed_ = filled_;
        return text;
      }
      const auto last_newline = text.rfind('\n');
      if (last_newline != std::string_view::npos) {
        handed_ = last_newline + 1;
        return text.substr(0, handed_);
      }
    }
  }
  /// Bytes of the file after the start of the text last handed out.
  std::size_t remaining_from_last() const { return size_ > consumed_ ? size_ - consumed_ : 0; }

 private:
  static constexpr std::size_t block_bytes = std::size_t{1} << 18;
  std::filesystem::path path_;
  int fd_ = -1;
  std::size_t size_ = 0;
  std::vector<char> buffer_;
  std::size_t filled_ = 0, handed_ = 0, consumed_ = 0;
  bool eof_ = false;
};

}  // namespace

std::size_t NumericTable::column(const std::string& name) const {
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == name) return i;
  throw RecordingFileError(path.string() + ": no column '" + name + "' in the header");
}

NumericTable read_numeric_csv(const std::filesystem::path& path) {
  LineBlockReader file(path);

  NumericTable table;
  table.path = path;
  std::size_t line_no = 0;
  bool have_header = false;
  for (std::string_view text = file.next(); !text.empty(); text = file.next()) {
    std::size_t pos = 0;
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
        const std::size_t remaining = file.remaining_from_last();
        table.values.reserve(rows_estimate(text, pos, remaining > pos ? remaining - pos : 0) * table.columns.size());
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
  }
  if (!have_header) throw RecordingFileError(path.string() + ": file is empty (no header row)");
  if (table.rows() == 0) throw RecordingFileError(path.string() + ": header but no data rows");
  return table;
}

}  // namespace stridefuse
