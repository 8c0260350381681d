#include "stridefuse/fusion/form_drift.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace stridefuse::fusion {

double median_of(std::vector<double>& v) {
  if (v.empty()) throw std::invalid_argument("median_of: no values");
  const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  if (v.size() % 2 == 1) return *mid;
  return 0.5 * (*mid + *std::max_element(v.begin(), mid));
}

FormDriftMonitor::FormDriftMonitor(std::string metric, double threshold, std::size_t baseline_steps,
                                   std::size_t window_steps)
    : metric_(std::move(metric)), threshold_(threshold), baseline_steps_(baseline_steps), window_(window_steps) {
  if (!(threshold_ > 0.0) || !std::isfinite(threshold_))
    throw std::invalid_argument("form drift threshold for " + metric_ + " must be positive");
  if (baseline_steps_ == 0 || window_steps == 0)
    throw std::invalid_argument("form drift baseline and window must hold at least one step");
  baseline_values_.reserve(baseline_steps_);
}

std::optional<FormAlertEvent> FormDriftMonitor::add(double t_s, double value) {
  if (!std::isfinite(value)) return std::nullopt;
  if (!baseline_) {
    baseline_values_.push_back(value);
    if (baseline_values_.size() == baseline_steps_) {
      baseline_ = median_of(baseline_values_);
      baseline_values_ = {};
    }
    return std::nullopt;
  }
  window_.push_back(value);
  ++steps_since_alert_;
  if (!window_.full()) return std::nullopt;
  std::vector<double> values(window_.begin(), window_.end());
  const double current = median_of(values);
  // At most one alert per window of steps, also when the median hovers
  // around the threshold.
  if (current - *baseline_ <= threshold_) return std::nullopt;
  if (alerted_ && steps_since_alert_ < window_.capacity()) return std::nullopt;
  alerted_ = true;
  steps_since_alert_ = 0;
  return FormAlertEvent{t_s, metric_, *baseline_, current, threshold_};
}

}  // namespace stridefuse::fusion
