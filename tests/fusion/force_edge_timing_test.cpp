// Sub-sample timing of force edges: the rank of the first sample past the
// level among recent edges places the edge, whatever the shape of the rise.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include <boost/circular_buffer.hpp>

#include "stridefuse/fusion/force_edge_timing.hpp"

namespace stridefuse::fusion {
namespace {

constexpr double sample_period_s = 0.01;

// A concave rise (impact-like) that reaches the level 0.02 some time after the edge.
double rise(double since_edge_s) { return 1.0 - std::exp(-since_edge_s / 0.008); }

TEST(ForceEdgeTiming, PlacesEdgesOfAnUnknownConcaveRiseWithinAFractionOfASample) {
  ForceEdgeTiming timing;
  std::mt19937 random(3);
  std::uniform_real_distribution<double> phase(0.0, sample_period_s);
  const double level = 0.02;
  const double to_level = -0.008 * std::log(1.0 - level);  // time from the edge to the level
  double worst = 0.0, worst_crossing = 0.0;
  for (int i = 0; i < 400; ++i) {
    // The first sample at or past the level comes to_level + [0, sample_period_s) after the edge.
    const double since = to_level + phase(random);
    const double excess = rise(since);
    const double before = rise(since - sample_period_s > 0.0 ? since - sample_period_s : 0.0);
    // Steady edges (0.7 s apart), each sampled at its own phase.
    const double t_edge = 10.0 + i * 0.7, t_sample = t_edge + since;
    const double t_crossing = t_sample - sample_period_s + (level - before) / (excess - before) * sample_period_s;
    std::optional<double> refined;
    if (const auto s = timing.time_since_edge_s(excess, sample_period_s)) refined = t_sample - *s;
    if (i >= 100) {
      ASSERT_TRUE(refined.has_value());
      worst = std::max(worst, std::abs(*refined - t_edge));
      worst_crossing = std::max(worst_crossing, std::abs(t_crossing - t_edge));
      EXPECT_TRUE(timing.refined_is_steadier());
    }
    timing.add(excess, t_crossing, refined);
  }
  EXPECT_LT(worst, 0.002);           // within 2 ms at 100 Hz
  EXPECT_GT(worst_crossing, 0.004);  // where the linear crossing is several ms off
}

TEST(ForceEdgeTiming, SaysNothingUntilItHasSeenEnoughEdges) {
  ForceEdgeTiming timing(32, 16);
  for (int i = 0; i < 15; ++i) timing.add(0.1 * i, i, std::nullopt);
  EXPECT_FALSE(timing.time_since_edge_s(0.5, sample_period_s).has_value());
  timing.add(0.2, 16.0, std::nullopt);
  EXPECT_TRUE(timing.time_since_edge_s(0.5, sample_period_s).has_value());
  EXPECT_FALSE(timing.time_since_edge_s(std::nan(""), sample_period_s).has_value());
  EXPECT_FALSE(timing.time_since_edge_s(0.5, 0.0).has_value());
  EXPECT_THROW(ForceEdgeTiming(10, 4), std::invalid_argument);
}

TEST(ForceEdgeTiming, PhaseLockedEdgesKeepTheLinearCrossing) {
  // Every edge at the same phase: the crossing's error is constant (its
  // intervals steady), the rank spreads the edges, so the crossing is kept.
  ForceEdgeTiming timing;
  std::mt19937 random(5);
  std::normal_distribution<double> noise(0.0, 0.002);
  for (int i = 0; i < 200; ++i) {
    const double t_sample = i * 0.8;
    const double excess = 0.3 + noise(random);
    std::optional<double> refined;
    if (const auto s = timing.time_since_edge_s(excess, sample_period_s)) refined = t_sample - *s;
    timing.add(excess, t_sample - 0.004, refined);
  }
  EXPECT_FALSE(timing.refined_is_steadier());
  EXPECT_DOUBLE_EQ(timing.choose(1.0, 1.003), 1.0);
}

// A history whose phases all fell in one tenth of the period (a locked
// stride): its lowest quantiles rise by a tenth of what the force does over
// their span, so the time from the edge to the level, extrapolated over that
// slope, comes out most of a period. A rise the force is known to reach
// floors the slope and keeps that time to what it is.
TEST(ForceEdgeTiming, AKnownRiseFloorsTheSlopeOfALockedHistory) {
  constexpr double rise_per_s = 10.0;  // excess per second near the level
  constexpr double edge = 0.02, level_s = 0.001;  // the level, 1 ms after the edge
  ForceEdgeTiming timing;
  for (int k = 0; k < 40; ++k) {
    const double phase_s = level_s + 0.1 * sample_period_s * (k % 10) / 10.0;
    timing.add(edge + rise_per_s * phase_s, 0.0, std::nullopt);
  }
  const double probe = edge + rise_per_s * (level_s + 0.05 * sample_period_s);
  const auto unfloored = timing.time_since_edge_s(probe, sample_period_s, edge);
  const auto floored = timing.time_since_edge_s(probe, sample_period_s, edge, rise_per_s);
  ASSERT_TRUE(unfloored && floored);
  EXPECT_GT(*unfloored, 0.5 * sample_period_s);  // the collapsed slope
  // The level's 1 ms is found again (within the quantiles' 0.1 dt offset); the rank adds its half period.
  EXPECT_NEAR(*floored - 0.5 * sample_period_s, level_s, 0.1 * sample_period_s);
}

// The timing selects the ranks it needs instead of sorting the history (a
// speed-up of `analyze`): its answer must be, to the last bit, the one the
// sorted history gives, including ties, a full history that wraps, and
// histories of every length past the minimum.
double time_since_edge_by_sorting(const boost::circular_buffer<double>& recent, double excess, double dt_s) {
  std::vector<double> sorted(recent.begin(), recent.end());
  std::sort(sorted.begin(), sorted.end());
  const auto quantile = [&](double q) {
    const double position = q * static_cast<double>(sorted.size() - 1);
    const auto below = static_cast<std::size_t>(position);
    if (below + 1 >= sorted.size()) return sorted.back();
    const double w = position - static_cast<double>(below);
    return sorted[below] + w * (sorted[below + 1] - sorted[below]);
  };
  const auto less = static_cast<double>(std::lower_bound(sorted.begin(), sorted.end(), excess) - sorted.begin());
  const auto equal = static_cast<double>(std::upper_bound(sorted.begin(), sorted.end(), excess) - sorted.begin()) - less;
  const double fraction = (less + 0.5 * equal + 0.5) / static_cast<double>(sorted.size() + 1);
  const double q_low = quantile(0.1), q_high = quantile(0.3);
  const double slope_per_s = (q_high - q_low) / ((0.3 - 0.1) * dt_s);
  double to_level_s = 0.0;
  if (slope_per_s > 0.0) to_level_s = std::clamp(q_low / slope_per_s - 0.1 * dt_s, 0.0, dt_s);
  return to_level_s + fraction * dt_s;
}

TEST(ForceEdgeTiming, SelectedRanksGiveExactlyWhatTheSortedHistoryGives) {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> excess(0.0, 1.0);
  std::uniform_int_distribution<int> coarse(0, 9);  // few distinct values: many ties
  for (const std::size_t history : {std::size_t{12}, std::size_t{13}, std::size_t{40}, std::size_t{128}}) {
    ForceEdgeTiming timing(history, 12);
    boost::circular_buffer<double> recent(history);
    for (int edge = 0; edge < 400; ++edge) {
      const bool tied = edge % 3 == 0;
      const double e = tied ? 0.1 * coarse(rng) : excess(rng);
      if (recent.size() >= 12) {
        for (const double probe : {e, 0.1 * coarse(rng), -1.0, 2.0}) {
          const auto got = timing.time_since_edge_s(probe, sample_period_s);
          ASSERT_TRUE(got.has_value());
          ASSERT_EQ(*got, time_since_edge_by_sorting(recent, probe, sample_period_s))
              << "history " << history << ", edge " << edge << ", probe " << probe;
        }
      }
      timing.add(e, 0.0, std::nullopt);
      recent.push_back(e);
    }
  }
}

}  // namespace
}  // namespace stridefuse::fusion
