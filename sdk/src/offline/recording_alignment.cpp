#include "stridefuse/recording_alignment.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <numeric>
#include <Eigen/Core>
#include <unsupported/Eigen/FFT>

namespace stridefuse {
namespace {

constexpr double fine_dt_s = 0.005;        // grid of the fine lag search
constexpr double coarse_dt_s = 0.02;       // grid of the envelope correlation
constexpr double envelope_window_s = 1.0;  // activity envelope: moving RMS over this
constexpr double window_s = 10.0;          // lags are measured per window of this length
constexpr double min_drift_span_s = 20.0;  // drift is fitted once the windows span this much
constexpr double first_search_s = 0.6;     // around the coarse lag: wider than a step, less than a stride
constexpr double track_search_s = 0.05;    // around the line predicted from the windows before
constexpr double min_correlation = 0.3;

// A signal on a uniform grid in its file's own time; NaN where there is no data.
struct Grid {
  double t0_s = 0.0;
  double dt_s = 0.0;
  std::vector<double> x;
  double time(std::size_t i) const { return t0_s + static_cast<double>(i) * dt_s; }
};

template <class ValueAt>
Grid resample(const std::vector<double>& t, ValueAt value_at, double dt_s) {
  Grid g{t.front(), dt_s, {}};
  const auto n = static_cast<std::size_t>((t.back() - t.front()) / dt_s) + 1;
  g.x.resize(n);
  std::size_t j = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double ti = g.time(i);
    while (j + 2 < t.size() && t[j + 1] < ti) ++j;
    const double span = t[j + 1] - t[j];
    // A gap of missing samples stays a gap: no interpolation across it.
    if (span > 0.25) {
      g.x[i] = std::numeric_limits<double>::quiet_NaN();
      continue;
    }
    const double f = std::clamp((ti - t[j]) / span, 0.0, 1.0);
    g.x[i] = (1.0 - f) * value_at(j) + f * value_at(j + 1);
  }
  return g;
}

// The pelvis sensor's specific force along the vertical. Over a recording the
// centre of mass does not accelerate on average, so the mean specific force
// points up whatever the mounting; its vertical part is the vertical ground
// force over body mass, which the insoles measure.
Grid pelvis_vertical_specific_force(const SensorRecording& r, double dt_s) {
  const std::size_t stride = r.stream.channels.size();
  Eigen::Vector3d mean = Eigen::Vector3d::Zero();
  for (std::size_t i = 0; i < r.t_s.size(); ++i) {
    const Eigen::Vector3d f(r.values[i * stride], r.values[i * stride + 1], r.values[i * stride + 2]);
    if (f.allFinite()) mean += f;
  }
  const Eigen::Vector3d up = mean.norm() > 0.0 ? mean.normalized() : Eigen::Vector3d::UnitZ();
  return resample(
      r.t_s,
      [&](std::size_t i) {
        return up.dot(Eigen::Vector3d(r.values[i * stride], r.values[i * stride + 1], r.values[i * stride + 2]));
      },
      dt_s);
}

Grid insole_force(const SensorRecording& r, double dt_s) {
  const std::size_t stride = r.stream.channels.size();
  const auto& sites = r.stream.insole->sensors;
  return resample(
      r.t_s,
      [&](std::size_t i) {
        double f = 0.0;  // kPa x mm^2 = mN
        for (std::size_t c = 0; c < sites.size(); ++c) {
          const double p = r.values[i * stride + c];
          if (std::isfinite(p)) f += std::max(p, 0.0) * sites[c].area_mm2 * 1e-3;
        }
        return f;
      },
      dt_s);
}

// Central difference: zero phase, so no lag bias; it weights the edges of
// contact (force onset and release) where ground force and pelvis
// acceleration change together, over the stance plateau.
Grid differenced(Grid g) {
  std::vector<double> d(g.x.size(), std::numeric_limits<double>::quiet_NaN());
  for (std::size_t i = 1; i + 1 < g.x.size(); ++i) d[i] = (g.x[i + 1] - g.x[i - 1]) / (2 * g.dt_s);
  g.x = std::move(d);
  return g;
}

// Activity envelope: moving RMS of the signal about its moving mean, z-normalised.
std::vector<double> envelope(const Grid& g) {
  const auto n = g.x.size();
  const auto half = static_cast<std::size_t>(envelope_window_s / g.dt_s / 2);
  std::vector<double> s1(n + 1, 0.0), s2(n + 1, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const double v = std::isfinite(g.x[i]) ? g.x[i] : 0.0;
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

// Lag L (t_pelvis = t_insole + L) that best lines up the activity envelopes,
// over every lag the two files allow, by FFT cross-correlation.
double coarse_lag_s(const Grid& pelvis, const Grid& insole) {
  const auto p = envelope(pelvis), q = envelope(insole);
  std::size_t size = 1;
  while (size < p.size() + q.size()) size <<= 1;
  std::vector<double> pp(size, 0.0), qq(size, 0.0);
  std::copy(p.begin(), p.end(), pp.begin());
  std::copy(q.begin(), q.end(), qq.begin());
  Eigen::FFT<double> fft;
  std::vector<std::complex<double>> fp, fq;
  fft.fwd(fp, pp);
  fft.fwd(fq, qq);
  for (std::size_t i = 0; i < fp.size(); ++i) fp[i] *= std::conj(fq[i]);
  std::vector<double> r;
  fft.inv(r, fp);
  // r[k] = sum_m p[m + k] q[m]; negative k wrap to the end.
  std::size_t best = 0;
  for (std::size_t k = 1; k < size; ++k)
    if (r[k] > r[best]) best = k;
  const double k = best < p.size() ? static_cast<double>(best) : static_cast<double>(best) - static_cast<double>(size);
  return pelvis.t0_s - insole.t0_s + k * pelvis.dt_s;
}

// Pearson correlation of the pelvis signal with the sum of shifted insole
// signals, over the pelvis samples [begin, end). Shifts are in grid steps:
// pelvis index n meets insole index n - shift.
double joint_correlation(const Grid& pelvis, const std::vector<const Grid*>& insoles, const std::vector<long>& shifts,
                         std::size_t begin, std::size_t end) {
  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, n = 0;
  for (std::size_t i = begin; i < end; ++i) {
    const double x = pelvis.x[i];
    if (!std::isfinite(x)) continue;
    double y = 0.0;
    bool ok = true;
    for (std::size_t k = 0; k < insoles.size() && ok; ++k) {
      const long j = static_cast<long>(i) - shifts[k];
      ok = j >= 0 && j < static_cast<long>(insoles[k]->x.size()) && std::isfinite(insoles[k]->x[static_cast<std::size_t>(j)]);
      if (ok) y += insoles[k]->x[static_cast<std::size_t>(j)];
    }
    if (!ok) continue;
    sx += x, sy += y, sxx += x * x, syy += y * y, sxy += x * y, n += 1;
  }
  if (n < 100) return -1.0;
  const double cov = sxy - sx * sy / n, vx = sxx - sx * sx / n, vy = syy - sy * sy / n;
  return vx > 0 && vy > 0 ? cov / std::sqrt(vx * vy) : -1.0;
}

// Grid shift equivalent to a lag: pelvis index n = insole index m + shift.
long shift_of(double lag_s, const Grid& pelvis, const Grid& insole) {
  return std::lround((insole.t0_s + lag_s - pelvis.t0_s) / pelvis.dt_s);
}
double lag_of(double shift, const Grid& pelvis, const Grid& insole) {
  return pelvis.t0_s + shift * pelvis.dt_s - insole.t0_s;
}

struct Peak {
  double shift;  // sub-grid, by a parabola through the peak and its neighbours
  double correlation;
};

// Local maxima of one insole's correlation with the pelvis over [centre - r, centre + r], best first.
std::vector<Peak> peaks(const Grid& pelvis, const Grid& insole, long centre, long radius, std::size_t begin,
                        std::size_t end) {
  std::vector<double> c;
  for (long s = centre - radius - 1; s <= centre + radius + 1; ++s)
    c.push_back(joint_correlation(pelvis, {&insole}, {s}, begin, end));
  std::vector<Peak> out;
  for (std::size_t i = 1; i + 1 < c.size(); ++i) {
    if (!(c[i] >= c[i - 1] && c[i] > c[i + 1])) continue;
    const double denom = c[i - 1] - 2 * c[i] + c[i + 1];
    const double delta = denom < 0 ? 0.5 * (c[i - 1] - c[i + 1]) / denom : 0.0;
    out.push_back({static_cast<double>(centre - radius - 1 + static_cast<long>(i)) + delta, c[i]});
  }
  std::sort(out.begin(), out.end(), [](const Peak& a, const Peak& b) { return a.correlation > b.correlation; });
  return out;
}

struct LineFit {
  double a = 0.0, b = 0.0, rms = 0.0;
};

LineFit fit_line(const std::vector<std::pair<double, double>>& pts) {
  LineFit f;
  const double n = static_cast<double>(pts.size());
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (auto [x, y] : pts) sx += x, sy += y, sxx += x * x, sxy += x * y;
  const double d = n * sxx - sx * sx;
  f.b = pts.size() > 1 && d > 1e-9 ? (n * sxy - sx * sy) / d : 0.0;
  f.a = (sy - f.b * sx) / n;
  double ss = 0;
  for (auto [x, y] : pts) ss += (y - f.a - f.b * x) * (y - f.a - f.b * x);
  f.rms = std::sqrt(ss / n);
  return f;
}

}  // namespace

std::vector<ClockAlignment> align_insoles_to_pelvis(const SensorRecording& pelvis,
                                                    const std::vector<const SensorRecording*>& insoles) {
  std::vector<ClockAlignment> out;
  for (const auto* r : insoles) out.push_back(ClockAlignment{r->stream.id, 0.0, 0.0, 0.0, 0, false, ""});
  if (insoles.empty()) return out;

  const Grid p_fine = differenced(pelvis_vertical_specific_force(pelvis, fine_dt_s));
  std::vector<Grid> fine;
  std::vector<double> coarse;
  const Grid p_coarse = pelvis_vertical_specific_force(pelvis, coarse_dt_s);
  for (const auto* r : insoles) {
    fine.push_back(differenced(insole_force(*r, fine_dt_s)));
    coarse.push_back(coarse_lag_s(p_coarse, insole_force(*r, coarse_dt_s)));
  }

  // Windows along the pelvis file; in each, an insole's lag is searched near
  // its prediction: the coarse lag at first, then the line through the lags so far.
  const auto window = static_cast<std::size_t>(window_s / fine_dt_s);
  std::vector<std::vector<std::pair<double, double>>> lags(insoles.size());  // (insole time, lag)
  bool first = true;
  for (std::size_t begin = 0; begin + window / 2 < p_fine.x.size(); begin += window) {
    const std::size_t end = std::min(p_fine.x.size(), begin + window);
    const double t_mid_pelvis = p_fine.time((begin + end) / 2);
    std::vector<long> centre(insoles.size());
    for (std::size_t k = 0; k < insoles.size(); ++k) {
      double lag = coarse[k];
      if (lags[k].size() >= 1) {
        const auto f = fit_line(lags[k]);
        lag = f.a + f.b * (t_mid_pelvis - f.a);
      }
      centre[k] = shift_of(lag, p_fine, fine[k]);
    }
    if (first) {
      // Joint search: each foot's candidates are a step apart; the pair whose
      // summed force best explains the pelvis has the feet alternating right.
      const long radius = std::lround(first_search_s / fine_dt_s);
      std::vector<std::vector<Peak>> candidates;
      bool usable = true;
      for (std::size_t k = 0; k < insoles.size(); ++k) {
        auto c = peaks(p_fine, fine[k], centre[k], radius, begin, end);
        if (c.size() > 3) c.resize(3);
        usable = usable && !c.empty() && c.front().correlation > min_correlation;
        candidates.push_back(std::move(c));
      }
      if (!usable) continue;  // standing or no signal in this window
      std::vector<std::size_t> pick(insoles.size(), 0), best_pick = pick;
      double best = -2.0;
      std::vector<const Grid*> grids;
      for (auto& g : fine) grids.push_back(&g);
      while (true) {
        std::vector<long> shifts;
        for (std::size_t k = 0; k < insoles.size(); ++k) shifts.push_back(std::lround(candidates[k][pick[k]].shift));
        const double c = joint_correlation(p_fine, grids, shifts, begin, end);
        if (c > best) best = c, best_pick = pick;
        std::size_t k = 0;
        while (k < pick.size() && ++pick[k] == candidates[k].size()) pick[k++] = 0;
        if (k == pick.size()) break;
      }
      for (std::size_t k = 0; k < insoles.size(); ++k)
        lags[k].push_back({t_mid_pelvis - lag_of(candidates[k][best_pick[k]].shift, p_fine, fine[k]),
                           lag_of(candidates[k][best_pick[k]].shift, p_fine, fine[k])});
      first = false;
      continue;
    }
    for (std::size_t k = 0; k < insoles.size(); ++k) {
      const auto c = peaks(p_fine, fine[k], centre[k], std::lround(track_search_s / fine_dt_s), begin, end);
      if (c.empty() || c.front().correlation < min_correlation) continue;
      const double lag = lag_of(c.front().shift, p_fine, fine[k]);
      lags[k].push_back({t_mid_pelvis - lag, lag});
    }
  }

  for (std::size_t k = 0; k < insoles.size(); ++k) {
    auto& a = out[k];
    if (lags[k].empty()) {
      a.note = "no window of running with a clear force-acceleration match: clocks kept as recorded";
      continue;
    }
    auto f = fit_line(lags[k]);
    // One robust pass: drop windows far off the line (a slip by a step), refit.
    if (lags[k].size() >= 4) {
      std::vector<std::pair<double, double>> kept;
      for (auto pt : lags[k])
        if (std::abs(pt.second - f.a - f.b * pt.first) <= std::max(3.0 * f.rms, 0.002)) kept.push_back(pt);
      if (kept.size() >= 2) {
        lags[k] = kept;
        f = fit_line(kept);
      }
    }
    a.from_data = true;
    a.windows = lags[k].size();
    a.offset_s = f.a;
    const double span_s = lags[k].back().first - lags[k].front().first;
    a.drift_ppm = span_s >= min_drift_span_s ? f.b * 1e6 : 0.0;
    if (span_s < min_drift_span_s) a.offset_s = f.a + f.b * 0.5 * (lags[k].front().first + lags[k].back().first);
    a.residual_s = f.rms;
    a.note = "insole force matched to pelvis specific force in " + std::to_string(a.windows) + " windows";
  }
  return out;
}

}  // namespace stridefuse
