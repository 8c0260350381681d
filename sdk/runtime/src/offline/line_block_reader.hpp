#pragma once
// A file read in blocks, handed out as whole lines: an hour of insole data is
// ~100 MB, and mapping it (a page table entry per 4 KiB, costly under
// virtualisation) cost twice the CPU of copying it through one reused buffer.
// The block is small enough to stay in the CPU's cache between the copy and
// the parsing, and to cost few first-touch page faults (a 4 MB block cost
// 1024 per file); a longer line grows it.

#include <filesystem>
#include <string_view>
#include <vector>

namespace stridefuse::offline {

class LineBlockReader {
 public:
  /// Throws RecordingFileError "cannot open file" for a missing, unreadable or non-regular file.
  explicit LineBlockReader(const std::filesystem::path& path);
  ~LineBlockReader();
  LineBlockReader(const LineBlockReader&) = delete;
  LineBlockReader& operator=(const LineBlockReader&) = delete;

  /// The next run of whole lines (the last one may lack its newline at the end
  /// of the file); empty at the end. Valid until the next call. Throws
  /// RecordingFileError when a read fails.
  std::string_view next();

 private:
  static constexpr std::size_t block_bytes = std::size_t{1} << 18;
  std::filesystem::path path_;
  int fd_ = -1;
  std::vector<char> buffer_;
  std::size_t filled_ = 0, handed_ = 0;
  bool eof_ = false;
};

}  // namespace stridefuse::offline
