#include "stridefuse/runtime/recording_alignment.hpp"

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
#include <Eigen/Core>
#include <unsupported/Eigen/FFT>

namespace stridefuse {
using namespace fusion;  // the cross-sensor calibration: StrikeLagEstimator, SignalGrid, insole_force_n
namespace {

// Grid of the envelope correlation: the 1 s envelope changes little in 0.1 s,
// and the coarse lag need only be a fraction of a step right (the first
// window searches +-0.6 s around it); a finer grid made this FFT most of the
// alignment's cost for an hour.
constexpr double coarse_dt_s = 0.1;
constexpr double envelope_window_s = 1.0;  // activity envelope: moving RMS over this
constexpr double first_search_s = 0.6;     // around the coarse lag: wider than a step, less than a stride

// Offline: 10 s windows, drift fitted (each file has its own crystal).
StrikeLagConfig offline_config() {
  StrikeLagConfig c;
  c.window_s = 10.0;
  c.search_radius_s = 0.05;
  c.fit_drift = true;
  return c;
}

std::array<double, 3> accel_of(const SensorRecording& r, std::size_t i) {
  const std::size_t stride = r.stream.channels.size();
  return {r.values[i * stride], r.values[i * stride + 1], r.values[i * stride + 2]};
}

// Over a recording the centre of mass does not accelerate on average, so the
// mean specific force points up whatever the mounting.
std::array<double, 3> mean_up(const SensorRecording& r) {
  Eigen::Vector3d mean = Eigen::Vector3d::Zero();
  for (std::size_t i = 0; i < r.t_s.size(); ++i) {
    const auto a = accel_of(r, i);
    const Eigen::Vector3d f(a[0], a[1], a[2]);
    if (f.allFinite()) mean += f;
  }
  const Eigen::Vector3d up = mean.norm() > 0.0 ? mean.normalized() : Eigen::Vector3d::UnitZ();
  return {up.x(), up.y(), up.z()};
}

double insole_force_at(const SensorRecording& r, std::size_t i) {
  const std::size_t stride = r.stream.channels.size();
  return insole_force_n(*r.stream.insole, std::span<const double>(r.values).subspan(i * stride, stride));
}

// Each file's matched signal, computed once per sample: the coarse grid, the
// fine grid and the estimator all read it (an hour is ~2 million samples).
std::vector<double> pelvis_vertical(const SensorRecording& r, const std::array<double, 3>& up) {
  std::vector<double> v(r.t_s.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    const auto a = accel_of(r, i);
    v[i] = up[0] * a[0] + up[1] * a[1] + up[2] * a[2];
  }
  return v;
}

std::vector<double> insole_force(const SensorRecording& r) {
  std::vector<double> f(r.t_s.size());
  for (std::size_t i = 0; i < f.size(); ++i) f[i] = insole_force_at(r, i);
  return f;
}

SignalGrid grid_of(const std::vector<double>& t_s, const std::vector<double>& v, double dt_s, double max_gap_s) {
  SignalGrid g(dt_s, max_gap_s);
  for (std::size_t i = 0; i < t_s.size(); ++i) g.add(t_s[i], v[i]);
  return g;
}

// Activity envelope: moving RMS of the signal about its moving mean, z-normalised.
std::vector<double> envelope(const SignalGrid& g) {
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
  const double mean = std::accumulate(e.begin(), e.end(), 0.0) / static_cast<double>(n);
  double var = 0.0;
  for (double v : e) var += (v - mean) * (v - mean);
  const double sd = std::sqrt(var / static_cast<double>(n));
  for (double& v : e) v = sd > 0.0 ? (v - mean) / sd : 0.0;
  return e;
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
  for (std::size_t begin = 0; begin + window / 2 < pelvis.size(); begin += window) {
    const std::size_t end = std::min(pelvis.size(), begin + window);
    if (!whole) {
      // The slope at end - 1 reads the point at end; an insole shift s reads points up to end - s.
      bool covered = end + 1 < pelvis.size() && end == begin + window;
      for (std::size_t k = 0; k < fine.size(); ++k) {
        const long lowest_shift = shift_of_lag(coarse[k], pelvis, fine[k]) - radius - 1;
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
      auto c = correlation_peaks(pelvis, fine[k], shift_of_lag(coarse[k], pelvis, fine[k]), radius, begin, end);
      if (c.size() > 3) c.resize(3);
      usable = !c.empty() && c.front().correlation > config.min_correlation;
      candidates.push_back(std::move(c));
    }
    if (!usable) continue;  // standing or no signal in this window
    std::vector<std::size_t> pick(fine.size(), 0), best_pick = pick;
    double best = -2.0;
    while (true) {
      std::vector<long> shifts;
      for (std::size_t k = 0; k < fine.size(); ++k) shifts.push_back(std::lround(candidates[k][pick[k]].shift));
      const double c = strike_correlation(pelvis, grids, shifts, begin, end);
      if (c > best) best = c, best_pick = pick;
      std::size_t k = 0;
      while (k < pick.size() && ++pick[k] == candidates[k].size()) pick[k++] = 0;
      if (k == pick.size()) break;
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

std::vector<ClockAlignment> align_insoles_to_pelvis(const SensorRecording& pelvis,
                                                    const std::vector<const SensorRecording*>& insoles) {
  std::vector<ClockAlignment> out;
  for (const auto* r : insoles) out.push_back(ClockAlignment{r->stream.id, 0.0, 0.0, 0.0, 0, false, ""});
  if (insoles.empty() || pelvis.t_s.size() < 2) {
    for (auto& a : out) a.note = "no pelvis data: clocks kept as recorded";
    return out;
  }
  const StrikeLagConfig config = offline_config();
  const auto up = mean_up(pelvis);

  const auto vertical = pelvis_vertical(pelvis, up);
  std::vector<std::vector<double>> forces;
  std::vector<double> coarse;
  const SignalGrid p_coarse = grid_of(pelvis.t_s, vertical, coarse_dt_s, config.max_gap_s);
  PelvisSpectrum p_spectrum;
  for (const auto* r : insoles) {
    if (r->t_s.size() < 2) {
      for (auto& a : out) a.note = "an insole file has fewer than two samples: clocks kept as recorded";
      return out;
    }
    forces.push_back(insole_force(*r));
    coarse.push_back(coarse_lag_s(p_coarse, p_spectrum, grid_of(r->t_s, forces.back(), coarse_dt_s, config.max_gap_s)));
  }
  // The first window of running is usually near the start: fine grids of the
  // files' first minute (then two, four, ...) rather than of the whole hour.
  std::optional<std::vector<double>> first;
  for (double span_s = 60.0;; span_s *= 2.0) {
    const double pelvis_end_s = pelvis.t_s.front() + span_s;
    const bool whole = pelvis_end_s >= pelvis.t_s.back() + first_search_s + 1.0;
    auto prefix_grid = [&](const std::vector<double>& t_s, const std::vector<double>& v, double end_s) {
      const auto n = static_cast<std::size_t>(std::upper_bound(t_s.begin(), t_s.end(), end_s) - t_s.begin());
      SignalGrid g(config.grid_dt_s, config.max_gap_s);
      for (std::size_t i = 0; i < (whole ? t_s.size() : n); ++i) g.add(t_s[i], v[i]);
      return g;
    };
    std::vector<SignalGrid> fine;
    for (std::size_t k = 0; k < insoles.size(); ++k)
      fine.push_back(prefix_grid(insoles[k]->t_s, forces[k], pelvis_end_s - coarse[k] + 2.0 * first_search_s));
    bool reached_end = false;
    first = first_lags(prefix_grid(pelvis.t_s, vertical, pelvis_end_s), fine, coarse, config, whole, reached_end);
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
  std::vector<std::size_t> next(insoles.size(), 0);
  const double lead_s = 2.0 * config.window_s;
  for (std::size_t i = 0; i <= pelvis.t_s.size(); ++i) {
    const double t_pelvis = i < pelvis.t_s.size() ? pelvis.t_s[i] : std::numeric_limits<double>::infinity();
    for (std::size_t k = 0; k < insoles.size(); ++k) {
      const auto& r = *insoles[k];
      for (; next[k] < r.t_s.size() && r.t_s[next[k]] + (*first)[k] <= t_pelvis + lead_s; ++next[k])
        estimator.add_insole(k, r.t_s[next[k]], forces[k][next[k]]);
    }
    if (i < pelvis.t_s.size()) estimator.add_pelvis(pelvis.t_s[i], accel_of(pelvis, i));
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
  }
  return out;
}

}  // namespace stridefuse
