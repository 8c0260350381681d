#include "engine_pass.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "stridefuse/core/sample_merger.hpp"

namespace stridefuse::offline {
namespace {

// Samples are pushed a slice of pelvis time at a time, then released: the
// merger then holds a slice's samples (~20 at 200 + 2 x 100 Hz) and releases
// exactly what every stream has passed, as in a live session.
constexpr double slice_s = 0.05;

// One recording read back, its rows as samples on the pelvis clock.
class Feed {
 public:
  Feed(const AlignedRecording& r, std::uint16_t stream)
      : alignment_(r.alignment), reader_(r.recording->rows->reader()), width_(r.recording->rows->width()) {
    sample_.stream = stream;
    sample_.t_error_s = alignment_.residual_s;
    sample_.channel_count = static_cast<std::uint8_t>(r.recording->stream.channels.size());
    load();
  }
  /// Pelvis-clock time of the next row; infinity at the end.
  double next_t_s() const { return next_t_s_; }
  const Sample& sample() {
    const double* row = block_.data() + pos_;
    sample_.t_s = next_t_s_;
    sample_.device_tick = static_cast<std::uint64_t>(std::llround(row[0] * 1e6));
    std::copy(row + 1, row + 1 + sample_.channel_count, sample_.values.begin());
    return sample_;
  }
  void advance() {
    pos_ += width_;
    if (pos_ >= block_.size()) load();
    else next_t_s_ = alignment_.to_pelvis_s(block_[pos_]);
  }

 private:
  void load() {
    block_ = reader_.next();
    pos_ = 0;
    next_t_s_ = block_.empty() ? std::numeric_limits<double>::infinity() : alignment_.to_pelvis_s(block_[0]);
  }

  ClockAlignment alignment_;
  RowSpill::Reader reader_;
  std::size_t width_;
  std::span<const double> block_;
  std::size_t pos_ = 0;
  double next_t_s_ = 0.0;
  Sample sample_;
};

}  // namespace

void feed_engine(const std::vector<AlignedRecording>& recordings, fusion::Engine& engine) {
  std::vector<Feed> feeds;
  feeds.reserve(recordings.size());
  for (std::size_t i = 0; i < recordings.size(); ++i) feeds.emplace_back(recordings[i], static_cast<std::uint16_t>(i));
  SampleMerger merger({.stream_count = feeds.size()});
  // Every sample is pushed before any later one is released, so none is ever late.
  const SampleMerger::Callback to_engine = [&](const Sample& s, bool) { engine.push(s); };
  const auto earliest = [&] {
    double t = std::numeric_limits<double>::infinity();
    for (const auto& f : feeds) t = std::min(t, f.next_t_s());
    return t;
  };
  double horizon_s = -std::numeric_limits<double>::infinity();
  for (double next_s = earliest(); std::isfinite(next_s); next_s = earliest()) {
    // A gap where no file has data is skipped, not walked through a slice at a time.
    horizon_s = std::max(next_s, horizon_s + slice_s);
    for (auto& f : feeds)
      for (; f.next_t_s() <= horizon_s; f.advance()) merger.push(f.sample());
    merger.release(horizon_s, to_engine);
  }
  merger.flush(to_engine);
  engine.finish();
}

}  // namespace stridefuse::offline
