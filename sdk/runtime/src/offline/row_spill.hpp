#pragma once
// Rows of doubles kept in an unnamed temporary file rather than in memory:
// the offline analysis parses each CSV once, into this binary copy (about
// half the text's size), and reads it back as often as the clock alignment
// and the engine need. Its pages are the kernel's page cache, which the
// kernel can drop or write out, not the process's memory; the file
// disappears when closed, also after a crash. Written and read in blocks
// through one small buffer each (copying from the page cache costs ~0.1 ms
// per MB here, parsing the text again ~20 times as much).

#include <cstddef>
#include <cstring>
#include <filesystem>
#include <span>
#include <vector>

namespace stridefuse::offline {

class RowSpill {
 public:
  /// Creates the file in std::filesystem::temp_directory_path() (TMPDIR).
  /// Throws std::runtime_error naming the directory when it cannot.
  explicit RowSpill(std::size_t width);
  ~RowSpill();
  RowSpill(const RowSpill&) = delete;
  RowSpill& operator=(const RowSpill&) = delete;

  std::size_t width() const { return width_; }
  std::size_t rows() const { return rows_; }

  /// Appends a row of width() values. Throws std::runtime_error naming the
  /// directory when writing fails (e.g. the disk is full).
  void append(const double* row) {
    if (buffer_.size() - used_ < width_) write_buffer();
    std::memcpy(buffer_.data() + used_, row, width_ * sizeof(double));
    used_ += width_;
    ++rows_;
  }

  /// Reads the rows from the first, in blocks; appending must be over.
  class Reader {
   public:
    /// The next rows, width() values each; empty at the end. Valid until the
    /// next call. Throws std::runtime_error when reading fails.
    std::span<const double> next();

   private:
    friend class RowSpill;
    explicit Reader(const RowSpill& spill);
    const RowSpill* spill_;
    std::size_t next_row_ = 0;
    std::vector<double> block_;
  };
  /// Writes out what is buffered, then reads from the first row.
  Reader reader();

 private:
  void write_buffer();

  std::filesystem::path dir_;
  int fd_ = -1;
  std::size_t width_;
  std::size_t rows_ = 0;
  std::vector<double> buffer_;
  std::size_t used_ = 0;
};

}  // namespace stridefuse::offline
