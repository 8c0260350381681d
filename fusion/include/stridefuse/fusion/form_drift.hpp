#pragma once
// Form drift (fusion/METRICS.md): a per-step metric's rolling median compared
// with the athlete's own baseline (the median of its first steps). An alert
// is raised when the rolling median has risen by more than the threshold.

#include <boost/circular_buffer.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "stridefuse/core/events.hpp"

namespace stridefuse::fusion {

class FormDriftMonitor {
 public:
  /// `metric`: the steps.csv column name reported in alerts; `threshold`:
  /// allowed increase, the metric's unit. Throws std::invalid_argument for a
  /// non-positive threshold or window.
  FormDriftMonitor(std::string metric, double threshold, std::size_t baseline_steps, std::size_t window_steps);

  /// One step's value (non-finite values are ignored). Returns an alert when
  /// the rolling median exceeds baseline + threshold; at most one alert per
  /// window of steps while the drift lasts.
  std::optional<FormAlertEvent> add(double t_s, double value);

  std::optional<double> baseline() const { return baseline_; }

 private:
  std::string metric_;
  double threshold_;
  std::size_t baseline_steps_;
  std::vector<double> baseline_values_;
  std::optional<double> baseline_;
  boost::circular_buffer<double> window_;
  std::size_t steps_since_alert_ = 0;
  bool alerted_ = false;
};

/// Median of a non-empty set of values (the argument is reordered).
double median_of(std::vector<double>& values);

}  // namespace stridefuse::fusion
