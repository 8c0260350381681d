#include "window_stats.hpp"

#include <algorithm>
#include <array>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "stridefuse/fusion/form_drift.hpp"

namespace stridefuse::fusion::findings {

namespace {
constexpr double one_sided_95 = 0.95;
constexpr double infinity = std::numeric_limits<double>::infinity();
}  // namespace

double Summary::standard_error() const { return n < 2 ? infinity : sd / std::sqrt(static_cast<double>(n)); }

Summary summarize(std::span<const double> values) {
  Summary s;
  s.n = values.size();
  if (s.n == 0) return s;
  double sum = 0.0;
  for (const double v : values) sum += v;
  s.mean = sum / static_cast<double>(s.n);
  if (s.n < 2) return s;
  double ss = 0.0;
  for (const double v : values) ss += (v - s.mean) * (v - s.mean);
  s.sd = std::sqrt(ss / static_cast<double>(s.n - 1));
  return s;
}

double t_quantile(double p, double dof) {
  if (!(dof >= 1.0)) throw std::invalid_argument("t_quantile: degrees of freedom must be at least 1");
  // The rules ask for these two probabilities at whole degrees of freedom up
  // to two windows' steps, thousands of times a session, live and offline
  // (Boost's inverse was a third of an analysis's time): a table, computed once.
  constexpr std::size_t table_dof = 256;
  static const auto table = [] {
    std::array<std::array<double, 2>, table_dof> t{};
    for (std::size_t i = 0; i < table_dof; ++i) {
      const boost::math::students_t_distribution<double> d(static_cast<double>(i + 1));
      t[i] = {boost::math::quantile(d, 0.95), boost::math::quantile(d, 0.975)};
    }
    return t;
  }();
  if (dof == std::floor(dof) && dof <= static_cast<double>(table_dof) && (p == 0.95 || p == 0.975))
    return table[static_cast<std::size_t>(dof) - 1][p == 0.95 ? 0 : 1];
  return boost::math::quantile(boost::math::students_t_distribution<double>(dof), p);
}

double mean_bound(const Summary& s, bool lower) {
  if (s.n < 2) return lower ? -infinity : infinity;
  const double margin = t_quantile(one_sided_95, static_cast<double>(s.n - 1)) * s.standard_error();
  return lower ? s.mean - margin : s.mean + margin;
}

double difference_lower_bound(const Summary& a, const Summary& b) {
  if (a.n < 2 || b.n < 2) return -infinity;
  const double se = std::hypot(a.standard_error(), b.standard_error());
  const double dof = static_cast<double>(std::min(a.n, b.n) - 1);
  return std::abs(a.mean - b.mean) - t_quantile(one_sided_95, dof) * se;
}

double median(std::span<const double> values) {
  std::vector<double> v(values.begin(), values.end());
  return median_of(v);
}

}  // namespace stridefuse::fusion::findings
