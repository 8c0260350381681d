#pragma once
// How where the foot lands goes with what the pelvis does (issue 15,
// fusion/FINDINGS.md, "The relation"): per side and per window of steps, the
// least-squares line of foot-strike distance on pelvic tilt at contact and on
// pelvic drop, with its 95 % confidence interval and the correlation, so a
// coach reads "each degree more anterior tilt came with 1.1 cm longer reach
// (r = 0.6)".

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "stridefuse/core/events.hpp"

namespace stridefuse::fusion {

/// Ordinary least squares of y on x.
struct LinearFit {
  std::size_t n = 0;
  double slope = 0.0;      ///< unit of y per unit of x
  double intercept = 0.0;  ///< y at x = 0
  double slope_ci_low = 0.0, slope_ci_high = 0.0;  ///< 95 % confidence interval of the slope (Student t, n - 2 dof)
  double r = 0.0;          ///< Pearson correlation
};

/// The fit of y on x over pairs with both finite, or nullopt when fewer than
/// 3 pairs remain or x does not vary (no line is defined). Throws
/// std::invalid_argument when x and y differ in length.
std::optional<LinearFit> fit_line(std::span<const double> x, std::span<const double> y);

/// The pelvis measure a relation is taken against.
enum class PelvisPredictor { tilt_ic_deg, pelvic_drop_deg };

/// "tilt_ic_deg" or "pelvic_drop_deg" (the steps.csv column).
const char* to_string(PelvisPredictor predictor);

/// Foot-strike distance against one pelvis measure over one window of one side's steps.
struct FootStrikeRelation {
  Side side = Side::left;
  PelvisPredictor predictor = PelvisPredictor::tilt_ic_deg;
  double t_start_s = 0.0, t_end_s = 0.0;  ///< initial contacts of the window's first and last step
  /// Foot-strike distance in cm on the predictor in deg: slope in cm/deg.
  LinearFit fit;

  /// One sentence for a person, e.g. "left, 12-40 s: each degree more anterior
  /// tilt came with 1.1 cm longer reach (95 % CI 0.4 to 1.8, r = 0.60, 28 steps)".
  std::string sentence() const;
};

/// The relations of every window of `window_steps` consecutive running steps
/// of each side (the windows do not overlap; a last, shorter window counts if
/// it has `min_pairs`), for both predictors; a window with fewer than
/// `min_pairs` steps having both values, or whose predictor does not vary, is
/// left out. `whole_session` instead gives one relation per side and
/// predictor over all its steps. Throws std::invalid_argument for
/// `window_steps` or `min_pairs` below 3.
std::vector<FootStrikeRelation> foot_strike_relations(std::span<const StepEvent> steps, std::size_t window_steps = 30,
                                                      std::size_t min_pairs = 20, bool whole_session = false);

}  // namespace stridefuse::fusion
