// Running contacts from the pelvis alone (pelvis_contacts.hpp): between two
// flights, timed where the loading and unloading edges of the vertical force
// leave and reach the flight level.

#include <algorithm>
#include <cmath>
#include <optional>

#include "pelvis_contacts.hpp"
#include "stridefuse/core/units.hpp"

namespace stridefuse::fusion::pelvis_gait {
namespace {

// The edge is measured between these fractions of the way from the flight
// level to the stance peak and extrapolated back to the flight level: at the
// flight level itself noise, the sensor's rotation about the centre of mass
// and the skin's wobble decide a threshold crossing.
constexpr double edge_low = 0.1;
constexpr double edge_high = 0.4;
constexpr double braking_fraction = 0.4;  // early (braking) and late (propulsion) stance for the running direction

struct Run {
  std::size_t begin = 0, end = 0;  // [begin, end)
};

double specific_force(const MotionWindow& w, std::size_t i) { return w.vertical_mps2[i] + standard_gravity_mps2; }

// Time where the specific force crosses `level` between samples i - 1 and i.
double crossing(const MotionWindow& w, std::size_t i, double level) {
  const double a = specific_force(w, i - 1), b = specific_force(w, i);
  const double f = b != a ? (level - a) / (b - a) : 0.0;
  return w.t_s[i - 1] + std::clamp(f, 0.0, 1.0) * (w.t_s[i] - w.t_s[i - 1]);
}

double mean_force(const MotionWindow& w, const Run& r) {
  // The samples next to the edges belong partly to the contact.
  const std::size_t b = r.end - r.begin > 4 ? r.begin + 1 : r.begin, e = r.end - r.begin > 4 ? r.end - 1 : r.end;
  double sum = 0.0;
  for (std::size_t i = b; i < e; ++i) sum += specific_force(w, i);
  return sum / static_cast<double>(e - b);
}

// The running direction in the window's earth frame: the body brakes early in
// each stance and propels late (the ground force points from the centre of
// pressure to the centre of mass), so early minus late horizontal
// acceleration points backward; left/right sway cancels over the steps.
std::optional<Eigen::Vector2d> running_forward(const MotionWindow& w, const std::vector<FoundContact>& contacts) {
  Eigen::Vector2d backward = Eigen::Vector2d::Zero();
  int n = 0;
  for (const auto& c : contacts) {
    const double contact = c.t_to_s - c.t_ic_s;
    const double early_to = c.t_ic_s + braking_fraction * contact, late_from = c.t_to_s - braking_fraction * contact;
    Eigen::Vector2d early = Eigen::Vector2d::Zero(), late = Eigen::Vector2d::Zero();
    for (int axis = 0; axis < 2; ++axis) {
      early[axis] = w.mean_over(c.t_ic_s, early_to, [&](std::size_t i) { return w.horizontal_mps2[i][axis]; });
      late[axis] = w.mean_over(late_from, c.t_to_s, [&](std::size_t i) { return w.horizontal_mps2[i][axis]; });
    }
    if (!early.allFinite() || !late.allFinite()) continue;
    backward += early - late;
    ++n;
  }
  if (n < 4 || !(backward.norm() > 0.0)) return std::nullopt;
  return Eigen::Vector2d(-backward.normalized());
}

}  // namespace

double MotionWindow::vertical_at(double t) const {
  const auto it = std::lower_bound(t_s.begin(), t_s.end(), t);
  if (it == t_s.begin()) return vertical_mps2.front();
  if (it == t_s.end()) return vertical_mps2.back();
  const auto i = static_cast<std::size_t>(it - t_s.begin());
  const double f = (t - t_s[i - 1]) / (t_s[i] - t_s[i - 1]);
  return vertical_mps2[i - 1] + f * (vertical_mps2[i] - vertical_mps2[i - 1]);
}

std::vector<FoundContact> running_contacts(const MotionWindow& w, const PelvisStepDetectorConfig& c) {
  const std::size_t n = w.size();
  std::vector<Run> flights;
  for (std::size_t i = 0; i < n;) {
    if (!(specific_force(w, i) < c.flight_level_mps2)) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < n && specific_force(w, j) < c.flight_level_mps2) ++j;
    if (w.t_s[j - 1] - w.t_s[i] >= c.min_flight_s && i > 0 && j < n) flights.push_back({i, j});
    i = j;
  }
  std::vector<FoundContact> out;
  for (std::size_t k = 0; k + 1 < flights.size(); ++k) {
    const Run& before = flights[k];
    const Run& after = flights[k + 1];
    const std::size_t first = before.end, last = after.begin;  // the contact's samples: [first, last)
    const double duration = w.t_s[last] - w.t_s[first - 1];
    if (duration < c.min_contact_s || duration > c.max_contact_s) continue;
    if (std::any_of(w.ok.begin() + static_cast<std::ptrdiff_t>(before.begin),
                    w.ok.begin() + static_cast<std::ptrdiff_t>(after.end), [](bool ok) { return !ok; }))
      continue;
    const double f0 = mean_force(w, before), f1 = mean_force(w, after);
    double peak = f0;
    for (std::size_t i = first; i < last; ++i) peak = std::max(peak, specific_force(w, i));
    if (peak - std::max(f0, f1) < c.min_loading_mps2) continue;
    // Loading edge: the first crossings of the low and high levels.
    const double l1 = f0 + edge_low * (peak - f0), l2 = f0 + edge_high * (peak - f0);
    std::size_t i = first;
    while (i < last && specific_force(w, i) < l1) ++i;
    const double t1 = crossing(w, i, l1);
    while (i < last && specific_force(w, i) < l2) ++i;
    const double t2 = crossing(w, i, l2);
    // Unloading edge: the last crossings, going back from the next flight.
    const double u1 = f1 + edge_low * (peak - f1), u2 = f1 + edge_high * (peak - f1);
    std::size_t j = last;
    while (j > first && specific_force(w, j - 1) < u1) --j;
    const double t4 = crossing(w, j, u1);
    while (j > first && specific_force(w, j - 1) < u2) --j;
    const double t3 = crossing(w, j, u2);
    FoundContact found;
    found.t_ic_s = t1 - (t2 - t1) * edge_low / (edge_high - edge_low);
    found.t_to_s = t4 + (t4 - t3) * edge_low / (edge_high - edge_low);
    found.mode = GaitMode::running;
    if (found.t_to_s > found.t_ic_s) out.push_back(found);
  }
  // Side cue: the obliquity rate (about the running direction, left side up
  // positive) over the first half of the stance; a left stance drops the
  // right side.
  if (const auto forward = running_forward(w, out)) {
    const Eigen::Vector3d axis((*forward)[0], (*forward)[1], 0.0);
    for (auto& f : out) {
      const double cue = w.mean_over(f.t_ic_s, 0.5 * (f.t_ic_s + f.t_to_s),
                                     [&](std::size_t i) { return w.rate_radps[i].dot(axis); });
      if (std::isfinite(cue)) f.cue = cue;
    }
  }
  return out;
}

}  // namespace stridefuse::fusion::pelvis_gait
