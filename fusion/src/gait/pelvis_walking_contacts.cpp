// Walking contacts from the pelvis alone (pelvis_contacts.hpp): the
// strongest loading edge of each step of a bout of regular steps.

#include <algorithm>
#include <cmath>

#include "pelvis_contacts.hpp"

namespace stridefuse::fusion::pelvis_gait {
namespace {

constexpr double context_s = 3.0;         // edges compared with the strongest within this
constexpr std::size_t context_top = 4;    // ... the median of the strongest this many
constexpr double flight_clearance_s = 0.6;  // no walking edge this close to a running contact
constexpr double regular_rise = 0.5;      // a re-chosen edge needs this fraction of the first one's rise
// Final contact: the next step's loading peak within this after its contact,
// then the fall back through zero within this.
constexpr double loading_peak_s = 0.25;
constexpr double final_contact_s = 0.5;
// Side cue: the yaw rate just around the contact, less its mean over about a
// stride around it (turning).
constexpr double cue_before_s = 0.1, cue_after_s = 0.15, cue_mean_s = 0.6;

struct Edge {
  double t_s = 0.0;
  double rise_mps2 = 0.0;
};

// Every local maximum of the vertical acceleration's slope (over +-10 ms,
// whatever the sample rate) with enough rise around it.
std::vector<Edge> loading_edges(const MotionWindow& w, const PelvisStepDetectorConfig& c,
                                const std::vector<FoundContact>& running) {
  const std::size_t n = w.size();
  std::vector<double> slope(n);
  for (std::size_t i = 0; i < n; ++i)
    slope[i] = (w.vertical_at(w.t_s[i] + c.slope_half_span_s) - w.vertical_at(w.t_s[i] - c.slope_half_span_s)) /
               (2.0 * c.slope_half_span_s);
  std::vector<Edge> out;
  for (std::size_t i = 1; i + 1 < n; ++i) {
    if (!(slope[i] > slope[i - 1] && slope[i] >= slope[i + 1] && slope[i] > 0.0)) continue;
    if (!w.ok[i - 1] || !w.ok[i] || !w.ok[i + 1]) continue;
    const double t = w.t_s[i];
    if (t - c.rise_half_span_s < w.t_s.front() || t + c.rise_half_span_s > w.t_s.back()) continue;
    const double rise = w.vertical_at(t + c.rise_half_span_s) - w.vertical_at(t - c.rise_half_span_s);
    if (rise < c.min_rise_mps2) continue;
    if (std::any_of(running.begin(), running.end(), [&](const FoundContact& r) {
          return t > r.t_ic_s - flight_clearance_s && t < r.t_to_s + flight_clearance_s;
        }))
      continue;
    // The peak between samples: a parabola through the three slopes.
    const double den = slope[i - 1] - 2.0 * slope[i] + slope[i + 1];
    const double shift = den < 0.0 ? std::clamp(0.5 * (slope[i - 1] - slope[i + 1]) / den, -0.5, 0.5) : 0.0;
    const double dt = shift >= 0.0 ? w.t_s[i + 1] - t : t - w.t_s[i - 1];
    out.push_back({t + shift * dt, rise});
  }
  return out;
}

// The step's edge: the strongest within the refractory time, and not weak
// against the strongest edges around it.
std::vector<Edge> step_edges(const std::vector<Edge>& edges, const PelvisStepDetectorConfig& c) {
  std::vector<Edge> out;
  std::vector<double> near;
  for (const auto& e : edges) {
    bool strongest = true;
    near.clear();
    for (const auto& o : edges) {
      if (std::abs(o.t_s - e.t_s) < c.refractory_s && o.rise_mps2 > e.rise_mps2) strongest = false;
      if (std::abs(o.t_s - e.t_s) < context_s) near.push_back(o.rise_mps2);
    }
    if (!strongest) continue;
    const std::size_t top = std::min(context_top, near.size());
    std::partial_sort(near.begin(), near.begin() + static_cast<std::ptrdiff_t>(top), near.end(), std::greater<>());
    const double median = top % 2 ? near[top / 2] : 0.5 * (near[top / 2 - 1] + near[top / 2]);
    if (e.rise_mps2 >= c.relative_rise * median) out.push_back(e);
  }
  return out;
}

// Bouts: runs of edges at plausible step times whose consecutive step times
// are alike; shorter runs (a single stamp, sitting down) are dropped.
std::vector<std::vector<Edge>> bouts_of(const std::vector<Edge>& edges, const PelvisStepDetectorConfig& c) {
  std::vector<std::vector<Edge>> out;
  std::vector<Edge> bout;
  auto close = [&] {
    if (bout.size() >= c.min_bout_steps) out.push_back(bout);
    bout.clear();
  };
  for (const auto& e : edges) {
    bool joins = false;
    if (!bout.empty()) {
      const double d = e.t_s - bout.back().t_s;
      joins = d >= c.min_step_s && d <= c.max_step_s;
      if (joins && bout.size() >= 2) {
        const double previous = bout.back().t_s - bout[bout.size() - 2].t_s;
        joins = d <= c.max_step_ratio * previous && previous <= c.max_step_ratio * d;
      }
    }
    if (!joins) close();
    bout.push_back(e);
  }
  close();
  return out;
}

// An edge far from the midpoint of its neighbours is replaced by a
// sufficiently strong edge closer to it: steps come at regular times.
void regularise(std::vector<Edge>& bout, const std::vector<Edge>& all, const PelvisStepDetectorConfig& c) {
  for (std::size_t k = 1; k + 1 < bout.size(); ++k) {
    const double mid = 0.5 * (bout[k - 1].t_s + bout[k + 1].t_s);
    const double half = 0.5 * (bout[k + 1].t_s - bout[k - 1].t_s);
    if (std::abs(bout[k].t_s - mid) <= c.regular_tolerance * half) continue;
    const Edge* best = nullptr;
    for (const auto& e : all)
      if (std::abs(e.t_s - mid) <= c.regular_tolerance * half && e.rise_mps2 >= regular_rise * bout[k].rise_mps2 &&
          (!best || std::abs(e.t_s - mid) < std::abs(best->t_s - mid)))
        best = &e;
    if (best) bout[k] = *best;
  }
}

// The trailing foot leaves once the leading foot's loading is over: the
// vertical acceleration falls back through zero after its peak.
double final_contact_after(const MotionWindow& w, double next_ic_s) {
  const auto begin = static_cast<std::size_t>(std::lower_bound(w.t_s.begin(), w.t_s.end(), next_ic_s) - w.t_s.begin());
  std::size_t peak = begin;
  for (std::size_t i = begin; i < w.size() && w.t_s[i] <= next_ic_s + loading_peak_s; ++i)
    if (w.vertical_mps2[i] > w.vertical_mps2[peak]) peak = i;
  for (std::size_t i = peak + 1; i < w.size() && w.t_s[i] <= next_ic_s + final_contact_s; ++i)
    if (w.vertical_mps2[i - 1] > 0.0 && w.vertical_mps2[i] <= 0.0) {
      const double a = w.vertical_mps2[i - 1], b = w.vertical_mps2[i];
      return w.t_s[i - 1] + a / (a - b) * (w.t_s[i] - w.t_s[i - 1]);
    }
  return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

std::vector<FoundContact> walking_contacts(const MotionWindow& w, const PelvisStepDetectorConfig& c,
                                           const std::vector<FoundContact>& running) {
  std::vector<FoundContact> out;
  if (w.size() < 3) return out;
  const auto edges = loading_edges(w, c, running);
  for (auto& bout : bouts_of(step_edges(edges, c), c)) {
    regularise(bout, edges, c);
    for (std::size_t k = 0; k < bout.size(); ++k) {
      FoundContact f;
      f.t_ic_s = bout[k].t_s;
      f.t_to_s = k + 1 < bout.size() ? final_contact_after(w, bout[k + 1].t_s) : std::numeric_limits<double>::quiet_NaN();
      f.mode = GaitMode::walking;
      const auto yaw = [&](std::size_t i) { return w.rate_radps[i].z(); };
      const double around = w.mean_over(f.t_ic_s - cue_before_s, f.t_ic_s + cue_after_s, yaw);
      const double stride = w.mean_over(f.t_ic_s - cue_mean_s, f.t_ic_s + cue_mean_s, yaw);
      // The landing side still turns forward: a left contact turns the pelvis clockwise seen from above.
      if (std::isfinite(around) && std::isfinite(stride)) f.cue = -(around - stride);
      out.push_back(f);
    }
  }
  return out;
}

}  // namespace stridefuse::fusion::pelvis_gait
