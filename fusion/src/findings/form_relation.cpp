#include "stridefuse/fusion/form_relation.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "window_stats.hpp"

namespace stridefuse::fusion {

std::optional<LinearFit> fit_line(std::span<const double> x, std::span<const double> y) {
  if (x.size() != y.size()) throw std::invalid_argument("fit_line: x and y differ in length");
  std::size_t n = 0;
  double mx = 0.0, my = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (std::isfinite(x[i]) && std::isfinite(y[i])) ++n, mx += x[i], my += y[i];
  if (n < 3) return std::nullopt;
  mx /= static_cast<double>(n);
  my /= static_cast<double>(n);
  double sxx = 0.0, syy = 0.0, sxy = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (std::isfinite(x[i]) && std::isfinite(y[i])) {
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
      sxy += (x[i] - mx) * (y[i] - my);
    }
  if (!(sxx > 0.0)) return std::nullopt;
  LinearFit f;
  f.n = n;
  f.slope = sxy / sxx;
  f.intercept = my - f.slope * mx;
  // Residual variance with n - 2 degrees of freedom; the slope's standard
  // error from it; the two-sided 95 % interval from Student's t.
  const double residual_ss = std::max(0.0, syy - f.slope * sxy);
  const double dof = static_cast<double>(n - 2);
  const double se = std::sqrt(residual_ss / dof / sxx);
  const double half = findings::t_quantile(0.975, dof) * se;
  f.slope_ci_low = f.slope - half;
  f.slope_ci_high = f.slope + half;
  f.r = syy > 0.0 ? sxy / std::sqrt(sxx * syy) : 0.0;
  return f;
}

const char* to_string(PelvisPredictor predictor) {
  return predictor == PelvisPredictor::tilt_ic_deg ? "tilt_ic_deg" : "pelvic_drop_deg";
}

std::string FootStrikeRelation::sentence() const {
  const bool tilt = predictor == PelvisPredictor::tilt_ic_deg;
  const bool longer = fit.slope >= 0.0;
  char b[400];
  std::snprintf(b, sizeof b,
                "%s, %.0f-%.0f s: each degree more %s came with %.1f cm %s reach (95 %% CI %.1f to %.1f cm/deg, "
                "r = %.2f, %zu steps)",
                side == Side::left ? "left" : "right", t_start_s, t_end_s, tilt ? "anterior tilt" : "pelvic drop",
                std::abs(fit.slope), longer ? "longer" : "shorter", fit.slope_ci_low, fit.slope_ci_high, fit.r, fit.n);
  return b;
}

std::vector<FootStrikeRelation> foot_strike_relations(std::span<const StepEvent> steps, std::size_t window_steps,
                                                      std::size_t min_pairs, bool whole_session) {
  if (window_steps < 3 || min_pairs < 3)
    throw std::invalid_argument("foot_strike_relations: window_steps and min_pairs must be at least 3");
  std::vector<FootStrikeRelation> out;
  for (const Side side : {Side::left, Side::right}) {
    std::vector<const StepEvent*> own;
    for (const StepEvent& s : steps)
      if (s.side == side && s.gait_mode != GaitMode::walking) own.push_back(&s);
    std::stable_sort(own.begin(), own.end(), [](const StepEvent* a, const StepEvent* b) { return a->t_ic_s < b->t_ic_s; });
    const std::size_t block = whole_session ? std::max<std::size_t>(own.size(), 1) : window_steps;
    for (std::size_t first = 0; first < own.size(); first += block) {
      const std::size_t last = std::min(own.size(), first + block);
      for (const PelvisPredictor predictor : {PelvisPredictor::tilt_ic_deg, PelvisPredictor::pelvic_drop_deg}) {
        std::vector<double> x, y;
        for (std::size_t i = first; i < last; ++i) {
          const Metric& p = predictor == PelvisPredictor::tilt_ic_deg ? own[i]->tilt_ic_deg : own[i]->pelvic_drop_deg;
          if (!p.present() || !own[i]->foot_strike_distance_m.present()) continue;
          x.push_back(p.value);
          y.push_back(own[i]->foot_strike_distance_m.value * 100.0);
        }
        if (x.size() < min_pairs) continue;
        const auto fit = fit_line(x, y);
        if (!fit) continue;
        out.push_back({side, predictor, own[first]->t_ic_s, own[last - 1]->t_ic_s, *fit});
      }
    }
  }
  return out;
}

}  // namespace stridefuse::fusion
