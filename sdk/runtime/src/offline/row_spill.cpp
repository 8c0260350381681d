#include "row_spill.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

namespace stridefuse::offline {
namespace {

// 128 KiB blocks: few system calls, and small enough to stay in the cache.
constexpr std::size_t block_bytes = std::size_t{1} << 17;

std::runtime_error failure(const std::filesystem::path& dir, const char* what) {
  return std::runtime_error(dir.string() + ": " + what + " the offline analysis's temporary file: " + std::strerror(errno));
}

std::size_t rows_per_block(std::size_t width) { return std::max<std::size_t>(1, block_bytes / (width * sizeof(double))); }

}  // namespace

RowSpill::RowSpill(std::size_t width) : width_(width) {
  if (width == 0) throw std::invalid_argument("RowSpill: rows need at least one value");
  std::error_code ec;
  dir_ = std::filesystem::temp_directory_path(ec);
  if (ec) {
    const char* tmpdir = std::getenv("TMPDIR");
    throw std::runtime_error(std::string(tmpdir ? tmpdir : "the temporary directory") +
                             ": cannot hold the offline analysis's temporary file: " + ec.message());
  }
  // Unnamed (O_TMPFILE) where the file system allows it; otherwise named and unlinked at once.
  fd_ = ::open(dir_.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd_ < 0) {
    std::string name = (dir_ / "stridefuse-analysis-XXXXXX").string();
    fd_ = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd_ < 0) throw failure(dir_, "cannot create");
    ::unlink(name.c_str());
  }
  buffer_.resize(rows_per_block(width) * width);
}

RowSpill::~RowSpill() { ::close(fd_); }

void RowSpill::write_buffer() {
  const char* p = reinterpret_cast<const char*>(buffer_.data());
  std::size_t left = used_ * sizeof(double);
  while (left > 0) {
    const ssize_t n = ::write(fd_, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw failure(dir_, "cannot write");
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  used_ = 0;
}

RowSpill::Reader RowSpill::reader() {
  write_buffer();
  return Reader(*this);
}

RowSpill::Reader::Reader(const RowSpill& spill) : spill_(&spill), block_(rows_per_block(spill.width_) * spill.width_) {}

std::span<const double> RowSpill::Reader::next() {
  const std::size_t width = spill_->width_;
  const std::size_t rows = std::min(block_.size() / width, spill_->rows_ - next_row_);
  char* p = reinterpret_cast<char*>(block_.data());
  const std::size_t bytes = rows * width * sizeof(double);
  auto offset = static_cast<off_t>(next_row_ * width * sizeof(double));
  for (std::size_t got = 0; got < bytes;) {
    const ssize_t n = ::pread(spill_->fd_, p + got, bytes - got, offset + static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = EIO;  // shorter than written: someone truncated it
      throw failure(spill_->dir_, "cannot read");
    }
    got += static_cast<std::size_t>(n);
  }
  next_row_ += rows;
  return {block_.data(), rows * width};
}

}  // namespace stridefuse::offline
