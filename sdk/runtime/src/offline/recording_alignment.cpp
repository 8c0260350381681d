#include "stridefuse/runtime/recording_alignment.hpp"

#include "alignment_rows.hpp"
#include "stridefuse/fusion/insole_loading.hpp"
#include "stridefuse/fusion/strike_lag_estimator.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <numeric>
#include <array>
#include <limits>
#include <optional>
#include <span>
#include <cstdio>
#include <Eigen/Core>
#include <unsupported/Eigen/FFT>

namespace stridefuse {
using namespace fusion;  // the cross-sensor calibration: StrikeLagEstimator, SignalGrid, insole_force_n
namespace offline {
namespace {

// Grid of the envelope correlation: the 1 s envelope changes little in 0.1 s,
// and the coarse lag need only be a fraction of a step right (the first
// window searches +-0.6 s around it); a finer grid made this FFT most of the
// alignment's cost for an hour.
constexpr double coarse_dt_s = 0.1;
constexpr double envelope_window_s = 1.0;  // activity envelope: moving RMS over this
constexpr double first_search_s = 0.6;     // around the coarse lag: wider than a step, less than a stride
constexpr double alternating_tie = 0.05;   // first_lags: pairs this close in correlation explain the pelvis alike
// A landmark in activity: this long below this fraction of the median. Walking
// between runs is about 0.3 (pelvis) to 0.45 (insole force) of running's
// activity; steady running's wander stays well above one half.
constexpr double landmark_s = 2.0;
constexpr double landmark_fraction = 0.5;
// The force-acceleration match's own bias: it puts the pelvis 6-10 ms behind
// the force on a real runner and 2.4-10.6 ms on the second runner model, on
// files that share a clock (the pelvis's specific force follows the ground
// force through the leg and soft tissue, the IMU's filter, the cells'
// multiplexing; README.md, "Putting the files on one clock"). A lag within
// this of no shift cannot be told from it.
constexpr double same_clock_bound_s = 0.012;

// Offline: 10 s windows, drift fitted (each file has its own crystal).
StrikeLagConfig offline_config() {
  StrikeLagConfig c;
  c.window_s = 10.0;
  c.search_radius_s = 0.05;
  c.fit_drift = true;
  return c;
}

// One pass over a recording's rows, from its first.
class RowCursor {
 public:
  explicit RowCursor(SignalRows& rows) : rows_(rows) {
    rows_.rewind();
    block_ = rows_.next();
  }
  bool done() const { return pos_ >= block_.size(); }
  double t() const { return block_[pos_]; }
  const double* signal() const { return block_.data() + pos_ + rows_.signal; }
  void advance() {
    pos_ += rows_.stride;
    if (pos_ >= block_.size()) {
      block_ = rows_.next();
      pos_ = 0;
    }
  }

 private:
  SignalRows& rows_;
  std::span<const double> block_;
  std::size_t pos_ = 0;
};

double vertical(const std::array<double, 3>& up, const double* a) { return up[0] * a[0] + up[1] * a[1] + up[2] * a[2]; }

// The matched signal on a grid: the pelvis's vertical specific force (`up`
// given) or an insole's force, of the rows up to end_s.
SignalGrid grid_of(SignalRows& rows, const std::array<double, 3>* up, double dt_s, double max_gap_s,
                   double end_s = std::numeric_limits<double>::infinity()) {
  SignalGrid g(dt_s, max_gap_s);
  for (RowCursor c(rows); !c.done() && c.t() <= end_s; c.advance()) g.add(c.t(), up ? vertical(*up, c.signal()) : *c.signal());
  return g;
}

// Activity: moving RMS of the signal about its moving mean (a gap counts as none).
std::vector<double> activity(const SignalGrid& g) {
  const auto n = g.size();
  const auto half = static_cast<std::size_t>(envelope_window_s / g.dt_s() / 2);
  std::vector<double> s1(n + 1, 0.0), s2(n + 1, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const double x = g.value(static_cast<long>(i));
    const double v = std::isfinite(x) ? x : 0.0;
    s1[i + 1] = s1[i] + v;
    s2[i + 1] = s2[i] + v * v;
  }
  std::vector<double> e(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t a = i > half ? i - half : 0, b = std::min(n, i + half + 1);
    const double m = static_cast<double>(b - a);
    const double mean = (s1[b] - s1[a]) / m;
    e[i] = std::sqrt(std::max(0.0, (s2[b] - s2[a]) / m - mean * mean));
  }
  return e;
}

// Activity envelope: the activity z-normalised.
std::vector<double> envelope(const SignalGrid& g) {
  auto e = activity(g);
  const auto n = e.size();
  const double mean = std::accumulate(e.begin(), e.end(), 0.0) / static_cast<double>(n);
  double var = 0.0;
  for (double v : e) var += (v - mean) * (v - mean);
  const double sd = std::sqrt(var / static_cast<double>(n));
  for (double& v : e) v = sd > 0.0 ? (v - mean) / sd : 0.0;
  return e;
}

// Whether a file's activity has a landmark the envelope correlation can lock
// on: a stretch of landmark_s or longer below half the file's median
// activity (standing, a stop, walking between runs, a gap). Steady running
// throughout repeats every stride, and its slow wander is not shared between
// a pelvis and a foot: the lag could then be any whole number of strides.
bool has_activity_landmark(const SignalGrid& g) {
  const auto e = activity(g);
  if (e.empty()) return false;
  auto sorted = e;
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<long>(sorted.size() / 2), sorted.end());
  const double low = landmark_fraction * sorted[sorted.size() / 2];
  const auto needed = static_cast<std::size_t>(std::lround(landmark_s / g.dt_s()));
  std::size_t run = 0;
  for (double v : e) {
    run = v < low ? run + 1 : 0;
    if (run >= needed) return true;
  }
  return false;
}

// The pelvis envelope's spectrum, computed once for all insoles, and the FFT
// whose plans (twiddle tables of the transform's size) serve every transform:
// a new Eigen::FFT per transform rebuilt them each time.
struct PelvisSpectrum {
  std::size_t envelope_size = 0, fft_size = 0;
  std::vector<std::complex<double>> spectrum;
  Eigen::FFT<double> fft;
};

std::size_t coarse_fft_size(std::size_t pelvis_points, std::size_t insole_points) {
  std::size_t size = 1;
  while (size < pelvis_points + insole_points) size <<= 1;
  return size;
}

std::vector<std::complex<double>> envelope_spectrum(Eigen::FFT<double>& fft, const SignalGrid& g, std::size_t fft_size) {
  const auto e = envelope(g);
  std::vector<double> padded(fft_size, 0.0);
  std::copy(e.begin(), e.end(), padded.begin());
  std::vector<std::complex<double>> spectrum;
  fft.fwd(spectrum, padded);
  return spectrum;
}

// Lag L (t_pelvis = t_insole + L) that best lines up the activity envelopes,
// over every lag the two files allow, by FFT cross-correlation.
double coarse_lag_s(const SignalGrid& pelvis, PelvisSpectrum& p, const SignalGrid& insole) {
  const std::size_t size = coarse_fft_size(pelvis.size(), insole.size());
  if (size != p.fft_size) {
    p.envelope_size = pelvis.size();
    p.fft_size = size;
    p.spectrum = envelope_spectrum(p.fft, pelvis, size);
  }
  auto fq = envelope_spectrum(p.fft, insole, size);
  for (std::size_t i = 0; i < fq.size(); ++i) fq[i] = p.spectrum[i] * std::conj(fq[i]);
  std::vector<double> r;
  p.fft.inv(r, fq);
  // r[k] = sum_m p[m + k] q[m]; negative k wrap to the end.
  std::size_t best = 0;
  for (std::size_t k = 1; k < size; ++k)
    if (r[k] > r[best]) best = k;
  const double k = best < p.envelope_size ? static_cast<double>(best) : static_cast<double>(best) - static_cast<double>(size);
  return pelvis.t0_s() - insole.t0_s() + k * pelvis.dt_s();
}

// The lag of each insole in the first window of running. One foot's force
// repeats every stride while the pelvis repeats every step, so alone each
// insole could slip by a step: each foot's candidates are a step apart, and
// the pair whose summed force best explains the pelvis has the feet
// alternating right. Empty when no window has a clear match.
//
// The grids may hold only the start of the files (`whole` false): then a
// window counts only when every point its correlations read is there, so
// the answer is the one the whole files' grids give, or "not yet" (nullopt
// with `reached_end` set) to try again with longer grids.
std::optional<std::vector<double>> first_lags(const SignalGrid& pelvis, const std::vector<SignalGrid>& fine,
                                              const std::vector<double>& coarse, const StrikeLagConfig& config,
                                              bool whole, bool& reached_end) {
  reached_end = false;
  const auto window = static_cast<std::size_t>(config.window_s / config.grid_dt_s);
  const long radius = std::lround(first_search_s / config.grid_dt_s);
  std::vector<const SignalGrid*> grids;
  for (const auto& g : fine) grids.push_back(&g);
  std::vector<long> centre;  // each insole's coarse lag as a shift of its fine grid
  for (std::size_t k = 0; k < fine.size(); ++k) centre.push_back(shift_of_lag(coarse[k], pelvis, fine[k]));
  for (std::size_t begin = 0; begin + window / 2 < pelvis.size(); begin += window) {
    const std::size_t end = std::min(pelvis.size(), begin + window);
    if (!whole) {
      // The slope at end - 1 reads the point at end; an insole shift s reads points up to end - s.
      bool covered = end + 1 < pelvis.size() && end == begin + window;
      for (std::size_t k = 0; k < fine.size(); ++k) {
        const long lowest_shift = centre[k] - radius - 1;
        covered = covered && static_cast<long>(end) - lowest_shift + 1 < static_cast<long>(fine[k].size());
      }
      if (!covered) {
        reached_end = true;
        return std::nullopt;
      }
    }
    std::vector<std::vector<CorrelationPeak>> candidates;
    bool usable = true;
    for (std::size_t k = 0; k < fine.size() && usable; ++k) {
      auto c = correlation_peaks(pelvis, fine[k], centre[k], radius, begin, end);
      if (c.size() > 3) c.resize(3);
      usable = !c.empty() && c.front().correlation > config.min_correlation;
      candidates.push_back(std::move(c));
    }
    if (!usable) continue;  // standing or no signal in this window
    // Every pair with the feet alternating explains the pelvis alike: for a
    // symmetric runner the left foot a step late and the right a step early
    // sum to the same force as the truth (the feet swapped). The pairs that
    // do (within alternating_tie of the best) are told apart by the activity
    // landmark instead: the one nearest the coarse lags. A pair that breaks
    // the alternation reads some 0.2 lower.
    std::vector<std::size_t> pick(fine.size(), 0);
    std::vector<std::pair<std::vector<std::size_t>, double>> pairs;
    double best = -2.0;
    while (true) {
      std::vector<long> shifts;
      for (std::size_t k = 0; k < fine.size(); ++k) shifts.push_back(std::lround(candidates[k][pick[k]].shift));
      const double c = strike_correlation(pelvis, grids, shifts, begin, end);
      pairs.emplace_back(pick, c);
      best = std::max(best, c);
      std::size_t k = 0;
      while (k < pick.size() && ++pick[k] == candidates[k].size()) pick[k++] = 0;
      if (k == pick.size()) break;
    }
    std::vector<std::size_t> best_pick;
    double nearest = std::numeric_limits<double>::infinity();
    for (const auto& [p, c] : pairs) {
      if (c < best - alternating_tie) continue;
      double distance = 0.0;
      for (std::size_t k = 0; k < fine.size(); ++k)
        distance += std::abs(candidates[k][p[k]].shift - static_cast<double>(centre[k]));
      if (distance < nearest) nearest = distance, best_pick = p;
    }
    std::vector<double> lags;
    for (std::size_t k = 0; k < fine.size(); ++k)
      lags.push_back(lag_of_shift(candidates[k][best_pick[k]].shift, pelvis, fine[k]));
    return lags;
  }
  reached_end = !whole;  // the grids ended before a window of running
  return std::nullopt;
}

}  // namespace

std::vector<ClockAlignment> align_insoles(const PelvisRows& pelvis, const std::vector<InsoleRows>& insoles) {
  std::vector<ClockAlignment> out;
  for (const auto& r : insoles) out.push_back(ClockAlignment{r.stream_id, 0.0, 0.0, 0.0, 0, false, ""});
  if (insoles.empty() || pelvis.samples < 2) {
    for (auto& a : out) a.note = "no pelvis data: clocks kept as recorded";
    return out;
  }
  const StrikeLagConfig config = offline_config();
  const auto& up = pelvis.up;

  std::vector<double> coarse;
  const SignalGrid p_coarse = grid_of(*pelvis.rows, &up, coarse_dt_s, config.max_gap_s);
  PelvisSpectrum p_spectrum;
  // Never a lag a whole number of strides off: without a landmark in both
  // files the data cannot say which stride is which. The pelvis file's is
  // looked for once, for every insole.
  const bool pelvis_has_landmark = has_activity_landmark(p_coarse);
  const auto refuse = [](const std::string& insole, const std::string& steady_file) {
    return ClockAlignmentError(
        "cannot put the " + insole + " file on the pelvis file's clock: the " + steady_file +
        " file is steady activity throughout (no standing, stop, walk or gap of " + std::to_string(int(landmark_s)) +
        " s), so its steps could be matched a whole number of strides off. If the files were recorded on one clock "
        "say so (--same-clock); otherwise give each insole file's offset (--left-offset, --right-offset: seconds "
        "added to its times to put them on the pelvis file's clock)");
  };
  for (const auto& r : insoles) {
    if (r.samples < 2) {
      for (auto& a : out) a.note = "an insole file has fewer than two samples: clocks kept as recorded";
      return out;
    }
    const SignalGrid insole_coarse = grid_of(*r.rows, nullptr, coarse_dt_s, config.max_gap_s);
    if (!pelvis_has_landmark) throw refuse(r.stream_id, "pelvis");
    if (!has_activity_landmark(insole_coarse)) throw refuse(r.stream_id, r.stream_id);
    coarse.push_back(coarse_lag_s(p_coarse, p_spectrum, insole_coarse));
  }
  // The first window of running is usually near the start: fine grids of the
  // files' first minute (then two, four, ...) rather than of the whole hour.
  std::optional<std::vector<double>> first;
  for (double span_s = 60.0;; span_s *= 2.0) {
    const double pelvis_end_s = pelvis.first_t_s + span_s;
    const bool whole = pelvis_end_s >= pelvis.last_t_s + first_search_s + 1.0;
    const double no_end = std::numeric_limits<double>::infinity();
    std::vector<SignalGrid> fine;
    for (std::size_t k = 0; k < insoles.size(); ++k)
      fine.push_back(grid_of(*insoles[k].rows, nullptr, config.grid_dt_s, config.max_gap_s,
                             whole ? no_end : pelvis_end_s - coarse[k] + 2.0 * first_search_s));
    bool reached_end = false;
    first = first_lags(grid_of(*pelvis.rows, &up, config.grid_dt_s, config.max_gap_s, whole ? no_end : pelvis_end_s),
                       fine, coarse, config, whole, reached_end);
    if (first || !reached_end || whole) break;
  }
  if (!first) {
    for (auto& a : out) a.note = "no window of running with a clear force-acceleration match: clocks kept as recorded";
    return out;
  }

  // The same estimator as the live session, seeded with the first window's
  // lags; the files are fed interleaved in (predicted) pelvis time so that it
  // keeps only a few windows of each in memory.
  StrikeLagEstimator estimator(config, *first);
  estimator.set_pelvis_up(up);
  std::vector<RowCursor> feeds;
  for (const auto& r : insoles) feeds.emplace_back(*r.rows);
  const double lead_s = 2.0 * config.window_s;
  for (RowCursor p(*pelvis.rows);; p.advance()) {
    const double t_pelvis = p.done() ? std::numeric_limits<double>::infinity() : p.t();
    for (std::size_t k = 0; k < feeds.size(); ++k)
      for (auto& f = feeds[k]; !f.done() && f.t() + (*first)[k] <= t_pelvis + lead_s; f.advance())
        estimator.add_insole(k, f.t(), *f.signal());
    if (p.done()) break;
    const double* a = p.signal();
    estimator.add_pelvis(p.t(), {a[0], a[1], a[2]});
  }

  for (std::size_t k = 0; k < insoles.size(); ++k) {
    auto& a = out[k];
    const auto e = estimator.estimate(k);
    if (!e) {
      a.note = "no window of running with a clear force-acceleration match: clocks kept as recorded";
      continue;
    }
    a.from_data = true;
    a.windows = e->windows;
    a.offset_s = e->offset_s;
    a.drift_ppm = e->drift_ppm;
    a.residual_s = e->residual_s;
    a.note = "insole force matched to pelvis specific force in " + std::to_string(a.windows) + " windows";
    // Within the match's own bias of no shift over the whole run: the files
    // share a clock, and the match's lag is the body's, not the clocks'
    // (README.md, "Putting the files on one clock").
    const auto shift_s = [&](double t) { return a.to_pelvis_s(t) - t; };
    if (std::abs(shift_s(pelvis.first_t_s)) <= same_clock_bound_s &&
        std::abs(shift_s(pelvis.last_t_s)) <= same_clock_bound_s) {
      char within[160];
      std::snprintf(within, sizeof within,
                    "; its lag (%+.1f ms) is within the match's own bias (up to %.0f ms): kept on one clock",
                    1e3 * shift_s(0.5 * (pelvis.first_t_s + pelvis.last_t_s)), 1e3 * same_clock_bound_s);
      a.note += within;
      a.offset_s = 0.0;
      a.drift_ppm = 0.0;
    }
  }
  return out;
}

}  // namespace offline

namespace {

// A recording in memory as alignment rows: (t, ax, ay, az) for the pelvis,
// (t, force) for an insole, a block at a time.
class RecordingRows : public offline::SignalRows {
 public:
  explicit RecordingRows(const SensorRecording& r)
      : SignalRows(r.stream.kind == StreamKind::insole_pressure ? 2 : 4, 1), recording_(r) {}
  void rewind() override { next_ = 0; }
  std::span<const double> next() override {
    const std::size_t channels = recording_.stream.channels.size();
    const std::size_t rows = std::min<std::size_t>(1024, recording_.t_s.size() - next_);
    block_.clear();
    for (std::size_t i = next_; i < next_ + rows; ++i) {
      const std::span<const double> values(recording_.values.data() + i * channels, channels);
      block_.push_back(recording_.t_s[i]);
      if (recording_.stream.insole) block_.push_back(insole_force_n(*recording_.stream.insole, values));
      else block_.insert(block_.end(), values.begin(), values.begin() + 3);
    }
    next_ += rows;
    return block_;
  }

 private:
  const SensorRecording& recording_;
  std::size_t next_ = 0;
  std::vector<double> block_;
};

}  // namespace

std::vector<ClockAlignment> align_insoles_to_pelvis(const SensorRecording& pelvis,
                                                    const std::vector<const SensorRecording*>& insoles) {
  RecordingRows pelvis_rows(pelvis);
  offline::UpAccumulator up;
  for (std::size_t i = 0; i < pelvis.t_s.size(); ++i) up.add(pelvis.values.data() + i * pelvis.stream.channels.size());
  const offline::PelvisRows p{&pelvis_rows, pelvis.t_s.size(), pelvis.t_s.empty() ? 0.0 : pelvis.t_s.front(),
                              pelvis.t_s.empty() ? 0.0 : pelvis.t_s.back(), up.up()};
  std::vector<RecordingRows> rows;
  rows.reserve(insoles.size());
  std::vector<offline::InsoleRows> in;
  for (const auto* r : insoles) {
    rows.emplace_back(*r);
    in.push_back({r->stream.id, &rows.back(), r->t_s.size()});
  }
  return offline::align_insoles(p, in);
}

}  // namespace stridefuse
