#pragma once
// Small statistics the finding rules and the relation share: a window's mean
// and spread, Student t quantiles (Boost.Math), one-sided confidence bounds.

#include <cstddef>
#include <span>
#include <vector>

namespace stridefuse::fusion::findings {

/// Mean and sample standard deviation of a set of values.
struct Summary {
  std::size_t n = 0;
  double mean = 0.0;
  double sd = 0.0;  ///< 0 for fewer than 2 values

  /// Standard error of the mean (infinite for fewer than 2 values: no evidence).
  double standard_error() const;
};

Summary summarize(std::span<const double> values);

/// Quantile p of Student's t with `dof` degrees of freedom (dof >= 1).
double t_quantile(double p, double dof);

/// The one-sided 95 % confidence bound of a mean: the lower bound when
/// `lower`, else the upper. Infinite (toward the side that proves nothing)
/// for fewer than 2 values.
double mean_bound(const Summary& s, bool lower);

/// The one-sided 95 % lower bound of |mean(a) - mean(b)| (Welch's standard
/// error, the smaller sample's degrees of freedom: conservative). May be
/// negative: no evidence of a difference.
double difference_lower_bound(const Summary& a, const Summary& b);

/// Median of a non-empty set (of a copy: the engine's median_of reorders its argument).
double median(std::span<const double> values);

}  // namespace stridefuse::fusion::findings
