#include "line_block_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "stridefuse/runtime/recording_files.hpp"

namespace stridefuse::offline {

LineBlockReader::LineBlockReader(const std::filesystem::path& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st {};
  if (fd_ < 0 || ::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
    if (fd_ >= 0) ::close(fd_);
    throw RecordingFileError(path.string() + ": cannot open file");
  }
  (void)::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
  buffer_.resize(block_bytes);
}

LineBlockReader::~LineBlockReader() { ::close(fd_); }

std::string_view LineBlockReader::next() {
  std::memmove(buffer_.data(), buffer_.data() + handed_, filled_ - handed_);
  filled_ -= handed_;
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

}  // namespace stridefuse::offline
