#include "stridefuse/fusion/gait_event_detector.hpp"
#include "stridefuse/core/units.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace stridefuse::fusion {
namespace {

// A trapezoid contact: force rises linearly from the baseline at t_ic over
// `ramp_s`, holds, and falls linearly to the baseline at t_to. With
// `touch_n` > 0 the ramp starts with a gentle segment (touch_n over touch_s)
// so that the detector's timing level is crossed on a straight segment, where
// linear interpolation between samples is exact and the detected instant can
// be compared with the analytic crossing to rounding accuracy.
struct Trapezoid {
  double t_ic, t_to, peak_n, ramp_s = 0.05, touch_n = 0.0, touch_s = 0.0;
  double rise(double tau) const {
    if (tau <= 0.0) return 0.0;
    if (tau < touch_s) return touch_n * tau / touch_s;
    return std::min(peak_n, touch_n + (peak_n - touch_n) * (tau - touch_s) / ramp_s);
  }
  double above_baseline(double t) const {
    if (t <= t_ic || t >= t_to) return 0.0;
    return std::min(rise(t - t_ic), rise(t_to - t));
  }
  /// Time after IC (or before TO) at which the force is `level` above the baseline.
  double time_to(double level) const {
    if (level <= touch_n) return level / touch_n * touch_s;
    return touch_s + (level - touch_n) / (peak_n - touch_n) * ramp_s;
  }
};

struct Run {
  std::vector<GroundContact> contacts;
  std::vector<double> timing_levels_at_confirm;
  int rejected = 0;
};

template <class Force>
Run run_detector(GaitEventDetector& d, double t_end, double rate_hz, Force force, double t_start = 0.0) {
  Run run;
  for (double t = t_start; t < t_end; t += 1.0 / rate_hz) {
    const auto tr = d.update(t, force(t));
    if (tr == GaitEventDetector::Transition::contact_confirmed) run.timing_levels_at_confirm.push_back(d.timing_level_n());
    if (tr == GaitEventDetector::Transition::contact_ended) run.contacts.push_back(d.last_contact());
    if (tr == GaitEventDetector::Transition::contact_rejected) ++run.rejected;
  }
  return run;
}

std::vector<Trapezoid> running_contacts(double first_ic, int count, double step_s, double contact_s, double peak_n) {
  std::vector<Trapezoid> c;
  // One foot: one contact per stride (two steps).
  for (int i = 0; i < count; ++i) c.push_back({first_ic + i * 2.0 * step_s, first_ic + i * 2.0 * step_s + contact_s, peak_n});
  return c;
}

// A smooth contact, as a real force rises and tails off: sin^2, quadratic near zero.
struct Hump {
  double t_ic, duration_s, peak_n;
  double at(double t) const {
    if (t <= t_ic || t >= t_ic + duration_s) return 0.0;
    const double s = std::sin(pi * (t - t_ic) / duration_s);
    return peak_n * s * s;
  }
  // The time after the start at which the force is `level_n`, and before the end.
  double time_to(double level_n) const { return duration_s / pi * std::asin(std::sqrt(level_n / peak_n)); }
};

// The contacts a fresh detector reports for `shapes` (anything with at(t),
// N above the baseline) on a 30 N baseline with 1 N of noise, sampled every
// `period_s` from 0 until `end_s`.
template <class Shape>
std::vector<GroundContact> contacts_found(const std::vector<Shape>& shapes, double period_s, double end_s,
                                          std::mt19937& rng) {
  GaitEventDetector d;
  std::normal_distribution<double> noise_n(0.0, 1.0);
  std::vector<GroundContact> found;
  for (int i = 0; i * period_s < end_s; ++i) {
    const double t = i * period_s;
    double f = 30.0 + noise_n(rng);
    for (const auto& c : shapes) f += c.at(t);
    if (d.update(t, f) == GaitEventDetector::Transition::contact_ended) found.push_back(d.last_contact());
  }
  return found;
}

double force_of(const std::vector<Trapezoid>& contacts, double baseline, double t) {
  double f = baseline;
  for (const auto& c : contacts) f += c.above_baseline(t);
  return f;
}

TEST(GaitEventDetector, InterpolatesCrossingsBetweenSamplesExactly) {
  GaitEventDetector d;
  auto contacts = running_contacts(0.3137, 12, 0.3571, 0.2413, 1200.0);
  for (auto& c : contacts) {
    c.touch_n = 150.0;  // 1000 N/s for 150 ms: the timing level falls inside, far from the kinks
    c.touch_s = 0.15;
    c.t_to += 0.3;
  }
  const double baseline = 35.0;
  const auto run = run_detector(d, 10.0, 100.0, [&](double t) { return force_of(contacts, baseline, t); });
  // The first contact teaches the detector what loaded looks like; every one after it is reported.
  ASSERT_EQ(run.contacts.size(), contacts.size() - 1);
  for (std::size_t k = 0; k < run.contacts.size(); ++k) {
    const auto& got = run.contacts[k];
    const auto& truth = contacts[k + 1];
    const double level_above = run.timing_levels_at_confirm[k] - baseline;
    ASSERT_LT(level_above, truth.touch_n * 0.8);
    EXPECT_NEAR(got.t_ic_s, truth.t_ic + truth.time_to(level_above), 1e-9);
    EXPECT_NEAR(got.t_to_s, truth.t_to - truth.time_to(level_above), 1e-9);
    EXPECT_FALSE(got.ic_timing_degraded);
    EXPECT_FALSE(got.to_timing_degraded);
  }
}

// A steep force (1200 N in 10 ms) on a 50 Hz insole, before any edge timing
// has been learnt (the first 8 contacts): the edge falls at a uniform phase
// after the last sample at rest, so the line from that sample puts IC early
// (and TO late) by half a period on average. Taking the period's middle
// where the line is farther leaves no bias.
TEST(GaitEventDetector, TimesTheFirstSteepEdgesWithoutHalfAPeriodBias) {
  GaitEventDetector d;
  auto contacts = running_contacts(0.3137, 8, 0.3571, 0.2413, 1200.0);
  for (auto& c : contacts) c.ramp_s = 0.01;
  const auto run = run_detector(d, 6.0, 50.0, [&](double t) { return force_of(contacts, 35.0, t); });
  ASSERT_EQ(run.contacts.size(), contacts.size() - 1);
  double ic_sum = 0.0, to_sum = 0.0;
  for (std::size_t k = 0; k < run.contacts.size(); ++k) {
    const auto& truth = contacts[k + 1];
    const double level = run.timing_levels_at_confirm[k] - 35.0;
    const double ic_error = run.contacts[k].t_ic_s - (truth.t_ic + truth.time_to(level));
    const double to_error = run.contacts[k].t_to_s - (truth.t_to - truth.time_to(level));
    EXPECT_LE(std::abs(ic_error), 0.0101) << k;
    EXPECT_LE(std::abs(to_error), 0.0101) << k;
    ic_sum += ic_error;
    to_sum += to_error;
  }
  const double n = static_cast<double>(run.contacts.size());
  EXPECT_NEAR(ic_sum / n, 0.0, 0.003);
  EXPECT_NEAR(to_sum / n, 0.0, 0.003);
}

TEST(GaitEventDetector, TimesRealisticContactsWithinMilliseconds) {
  GaitEventDetector d;
  const auto contacts = running_contacts(0.3137, 12, 0.3571, 0.2413, 1200.0);
  const auto run = run_detector(d, 10.0, 100.0, [&](double t) { return force_of(contacts, 35.0, t); });
  ASSERT_EQ(run.contacts.size(), contacts.size() - 1);
  for (std::size_t k = 0; k < run.contacts.size(); ++k) {
    // Within 5 ms of where the force leaves / returns to the baseline, at a 10 ms sample period.
    EXPECT_NEAR(run.contacts[k].t_ic_s, contacts[k + 1].t_ic, 0.005);
    EXPECT_NEAR(run.contacts[k].t_to_s, contacts[k + 1].t_to, 0.005);
  }
}

// A real force rises and tails off smoothly (here sin^2: quadratic near
// zero), and a force plate marks the contact where it passes about 20 N
// (fusion/METRICS.md). Once the edge timing has seen enough edges, IC and TO
// come within a millisecond of the 20 N crossings on average at 100 Hz. A
// straight line from there down to zero force would put IC 4.4 ms early and
// TO as late; the straight line between the samples around the level, IC
// 1 ms early and TO 1 ms late.
TEST(GaitEventDetector, TimesSmoothEdgesWhereTheForcePassesTheContactForce) {
  // One foot at about 168 steps/min with 1.4 % stride-to-stride variability.
  std::mt19937 rng(3);
  std::normal_distribution<double> noise_n(0.0, 1.0), stride_s(0.7142, 0.01);
  std::vector<Hump> contacts;
  for (double t = 0.4137; contacts.size() < 80; t += stride_s(rng)) contacts.push_back({t, 0.24, 1500.0});
  GaitEventDetector d;
  std::vector<GroundContact> found;
  for (double t = 0.0; t < contacts.back().t_ic + 0.5; t += 0.01) {
    double f = 30.0 + noise_n(rng);
    for (const auto& c : contacts) f += c.at(t);
    if (d.update(t, f) == GaitEventDetector::Transition::contact_ended) found.push_back(d.last_contact());
  }
  ASSERT_EQ(found.size(), contacts.size() - 1);
  EXPECT_NEAR(d.timing_level_n() - d.baseline_n(), 20.0, 1e-9);  // 5 noise sigmas are less
  const double contact_n = GaitEventDetectorConfig{}.contact_force_n;
  // The last 40, once the edge timing has seen 12 edges and compared 8 (and more).
  double ic_sum = 0.0, ic_sq = 0.0, to_sum = 0.0, to_sq = 0.0;
  const std::size_t n = 40;
  for (std::size_t k = found.size() - n; k < found.size(); ++k) {
    const Hump& truth = contacts[k + 1];
    const double ic = found[k].t_ic_s - (truth.t_ic + truth.time_to(contact_n));
    const double to = found[k].t_to_s - (truth.t_ic + truth.duration_s - truth.time_to(contact_n));
    ic_sum += ic, ic_sq += ic * ic, to_sum += to, to_sq += to * to;
  }
  EXPECT_LT(std::abs(ic_sum / n), 1e-3);
  EXPECT_LT(std::abs(to_sum / n), 1e-3);
  EXPECT_LT(std::sqrt(ic_sq / n), 1.5e-3);
  EXPECT_LT(std::sqrt(to_sq / n), 1.5e-3);
}

// A runner whose stride settles on a whole number of sample periods (RBDS's
// right foot at 50 Hz: 38 periods, within a few ms): after 20 strides at
// varied phases, 30 strides fall at one phase, just after a sample. The
// lowest quantiles of the edges' first samples then sit in that one cluster,
// and extrapolating their slope down to the contact force put the ICs 10-27
// ms early and the TOs 19-30 ms late (means -16 and +23 ms). Floored at the
// median rise between the first two samples past the level (at TO the fall
// between the last two above it), they stay within 12 ms, means -5 and +4
// ms: what is left is the rank within the cluster, which spreads edges that
// fell at one phase over the period (fusion/README.md, "Gait events").
// sin^2 humps as above, 50 Hz.
TEST(GaitEventDetector, APhaseLockedStrideDoesNotStretchTheEdgesBeyondTheLevel) {
  std::mt19937 rng(5);
  std::normal_distribution<double> stride_s(0.7631, 0.008);
  std::vector<Hump> contacts;
  double t_ic = 0.4137;
  for (int k = 0; k < 20; ++k, t_ic += stride_s(rng)) contacts.push_back({t_ic, 0.24, 1500.0});
  // Locked: the 20 N crossing 1 ms before a sample, every stride 38 samples.
  const double to_level = Hump{0.0, 0.24, 1500.0}.time_to(20.0);
  t_ic = std::ceil(t_ic / 0.02) * 0.02 - 0.001 - to_level;
  for (int k = 0; k < 30; ++k, t_ic += 0.76) contacts.push_back({t_ic, 0.24, 1500.0});
  const auto found = contacts_found(contacts, 0.02, contacts.back().t_ic + 0.5, rng);
  ASSERT_EQ(found.size(), contacts.size() - 1);
  // The last 20 locked strides.
  double ic_sum = 0.0, to_sum = 0.0;
  const std::size_t n = 20;
  for (std::size_t k = found.size() - n; k < found.size(); ++k) {
    const Hump& truth = contacts[k + 1];
    const double ic = found[k].t_ic_s - (truth.t_ic + truth.time_to(20.0));
    const double to = found[k].t_to_s - (truth.t_ic + truth.duration_s - truth.time_to(20.0));
    EXPECT_LT(std::abs(ic), 0.012) << k;
    EXPECT_LT(std::abs(to), 0.012) << k;
    ic_sum += ic, to_sum += to;
  }
  EXPECT_LT(std::abs(ic_sum / n), 0.006);
  EXPECT_LT(std::abs(to_sum / n), 0.006);
}

// A landing whose force rises steeply and levels off within one sample
// period (the second runner model's midfoot strike at 50 Hz: 100-600 N in the
// first sample, then a plateau). Between the first two samples past the
// level the force hardly rises, so that rise put the edge at the sample
// before, at rest: ICs up to a period early (mean -7 ms there) until the
// refined timing took over, some 20 edges later. The secant from the level
// to the first samples' 90th percentile over one period is a lower bound of
// the rise at the level for such a force (a rise that slows as it goes), and
// keeps these ICs later.
struct Saturating {
  double t_ic, t_to, peak_n, tau_s;
  double at(double t) const {
    if (t <= t_ic || t >= t_to) return 0.0;
    return std::min(peak_n * (1.0 - std::exp(-(t - t_ic) / tau_s)), peak_n * (t_to - t) / 0.03);
  }
  double time_to(double level_n) const { return -tau_s * std::log(1.0 - level_n / peak_n); }
};

TEST(GaitEventDetector, ARiseThatLevelsOffWithinASampleIsNotPlacedAtTheSampleBefore) {
  std::mt19937 rng(7);
  std::normal_distribution<double> stride_s(0.7142, 0.01);
  std::uniform_real_distribution<double> peak_n(550.0, 700.0);
  std::vector<Saturating> contacts;
  for (double t = 0.4137; contacts.size() < 24; t += stride_s(rng)) contacts.push_back({t, t + 0.21, peak_n(rng), 0.006});
  const auto found = contacts_found(contacts, 0.02, contacts.back().t_to + 0.5, rng);
  ASSERT_EQ(found.size(), contacts.size() - 1);
  // Contacts 9-20: the rise of 8 clean contacts is known, the refined timing not yet chosen.
  double sum = 0.0;
  for (std::size_t k = 8; k < 20; ++k) {
    const auto& truth = contacts[k + 1];
    const double ic = found[k].t_ic_s - (truth.t_ic + truth.time_to(20.0));
    EXPECT_LT(std::abs(ic), 0.009) << k;
    sum += ic;
  }
  // Measured: worst -7.7 ms, mean -3.5 ms (the rise between the first two
  // samples alone: worst -15.8 ms, mean -8.0 ms).
  EXPECT_LT(std::abs(sum / 12.0), 0.005);
}

// Samples lost around a contact (a lost frame): its rising edge falls in a
// 60 ms gap. A straight line across the gap would put the edge 25 ms early;
// the rise of the clean contacts before it places it within 5 ms, flagged.
TEST(GaitEventDetector, AnEdgeLostInAGapIsPlacedByTheRiseOfCleanContacts) {
  GaitEventDetector d;
  const auto contacts = running_contacts(0.3137, 14, 0.3571, 0.2413, 1200.0);
  const auto gapped = [&](double t) {
    for (std::size_t k = 11; k < contacts.size(); ++k)
      if (std::abs(t - contacts[k].t_ic) < 0.03) return true;
    return false;
  };
  std::vector<GroundContact> found;
  for (double t = 0.0; t < 11.0; t += 0.01) {
    if (gapped(t)) continue;
    if (d.update(t, force_of(contacts, 35.0, t)) == GaitEventDetector::Transition::contact_ended)
      found.push_back(d.last_contact());
  }
  ASSERT_EQ(found.size(), contacts.size() - 1);
  for (std::size_t k = 0; k < found.size(); ++k) {
    SCOPED_TRACE("contact " + std::to_string(k + 1));
    EXPECT_NEAR(found[k].t_ic_s, contacts[k + 1].t_ic, 0.005);
    EXPECT_EQ(found[k].ic_timing_degraded, k + 1 >= 11);
  }
}

TEST(GaitEventDetector, StartsStandingThenRuns) {
  // Loaded from the first sample (quiet standing): no contact can be reported
  // until the foot has been seen unloaded, then every contact is.
  GaitEventDetector d;
  const auto contacts = running_contacts(3.0, 10, 0.35, 0.24, 1500.0);
  auto force = [&](double t) { return t < 2.6 ? 500.0 : force_of(contacts, 20.0, t); };
  const auto run = run_detector(d, 10.0, 200.0, force);
  ASSERT_EQ(run.contacts.size(), contacts.size());
  for (std::size_t k = 0; k < contacts.size(); ++k) EXPECT_NEAR(run.contacts[k].t_ic_s, contacts[k].t_ic, 0.003);
  EXPECT_NEAR(d.baseline_n(), 20.0, 1.0);
}

TEST(GaitEventDetector, AdaptsToAnOffsetAndDriftingBaseline) {
  // Sensor offsets add 300 N when unloaded and creep by 60 N over the run: a
  // fixed threshold would mis-time or miss contacts, the adaptive one follows.
  GaitEventDetector d;
  const auto contacts = running_contacts(0.5, 40, 0.35, 0.24, 1000.0);
  auto force = [&](double t) { return force_of(contacts, 300.0 + 2.0 * t, t); };
  const auto run = run_detector(d, 29.0, 100.0, force);
  ASSERT_GE(run.contacts.size(), contacts.size() - 1);
  for (std::size_t k = 1; k < run.contacts.size(); ++k) {
    const auto& truth = contacts[contacts.size() - run.contacts.size() + k];
    EXPECT_NEAR(run.contacts[k].t_to_s - run.contacts[k].t_ic_s, truth.t_to - truth.t_ic, 0.006);
  }
  EXPECT_NEAR(d.baseline_n(), 300.0 + 2.0 * 29.0, 6.0);
}

TEST(GaitEventDetector, HysteresisRejectsNoiseAroundTheLevel) {
  GaitEventDetector d;
  std::mt19937 rng(7);
  std::normal_distribution<double> noise(0.0, 12.0);
  const auto contacts = running_contacts(0.4, 30, 0.33, 0.22, 900.0);
  const auto run = run_detector(d, 20.0, 200.0, [&](double t) { return force_of(contacts, 50.0, t) + noise(rng); });
  ASSERT_GE(run.contacts.size(), contacts.size() - 1);
  ASSERT_LE(run.contacts.size(), contacts.size());
  EXPECT_EQ(run.rejected, 0);
  for (std::size_t k = 0; k < run.contacts.size(); ++k) {
    const auto& truth = contacts[contacts.size() - run.contacts.size() + k];
    EXPECT_NEAR(run.contacts[k].t_ic_s, truth.t_ic, 0.006);
    EXPECT_NEAR(run.contacts[k].t_to_s, truth.t_to, 0.006);
  }
  EXPECT_NEAR(d.noise_sigma_n(), 12.0, 4.0);
}

TEST(GaitEventDetector, DitherBetweenTheLevelsIsNotAContact) {
  GaitEventDetector d;
  const auto contacts = running_contacts(0.4, 4, 0.35, 0.24, 1000.0);
  run_detector(d, 3.0, 100.0, [&](double t) { return force_of(contacts, 0.0, t); });
  ASSERT_EQ(d.phase(), GaitEventDetector::Phase::swing);
  const double between = 0.5 * (d.timing_level_n() + d.confirm_level_n());
  // Crosses the timing level up and down every sample but never reaches confirmation.
  const auto run = run_detector(d, 5.0, 100.0, [&](double t) {
    return static_cast<long>(std::lround(t * 100.0)) % 2 ? between : 0.0;
  }, 3.0);
  EXPECT_TRUE(run.contacts.empty());
  EXPECT_EQ(d.phase(), GaitEventDetector::Phase::swing);
}

TEST(GaitEventDetector, NonFiniteSamplesAreSkippedAndFlagTheCrossing) {
  GaitEventDetector d;
  const auto contacts = running_contacts(0.4, 8, 0.35, 0.24, 1000.0);
  const double bad_ic = contacts[5].t_ic;
  const auto run = run_detector(d, 6.0, 100.0, [&](double t) {
    // Drop the samples just around one IC.
    if (std::abs(t - bad_ic - 0.005) < 0.012) return std::numeric_limits<double>::quiet_NaN();
    return force_of(contacts, 0.0, t);
  });
  ASSERT_GE(run.contacts.size(), 7u);
  int degraded = 0;
  for (const auto& c : run.contacts) {
    if (std::abs(c.t_ic_s - bad_ic) < 0.05) {
      EXPECT_TRUE(c.ic_timing_degraded);
      ++degraded;
    } else {
      EXPECT_FALSE(c.ic_timing_degraded);
    }
  }
  EXPECT_EQ(degraded, 1);
}

TEST(GaitEventDetector, AGapLosesTheContactInProgress) {
  GaitEventDetector d;
  const auto contacts = running_contacts(0.4, 8, 0.35, 0.24, 1000.0);
  bool lost = false;
  int ended = 0;
  for (double t = 0.0; t < 6.0; t += 0.01) {
    if (t > contacts[4].t_ic + 0.1 && t < contacts[4].t_ic + 0.5) continue;  // 0.4 s of nothing mid-stance
    const auto tr = d.update(t, force_of(contacts, 0.0, t));
    lost = lost || tr == GaitEventDetector::Transition::phase_lost;
    ended += tr == GaitEventDetector::Transition::contact_ended;
  }
  EXPECT_TRUE(lost);
  EXPECT_EQ(ended, 6);  // all but the first (learning) and the interrupted one
}

TEST(GaitEventDetector, ShortSpikesAreRejected) {
  GaitEventDetector d;
  auto contacts = running_contacts(0.4, 6, 0.35, 0.24, 1000.0);
  contacts.push_back({2.95, 2.99, 1000.0, 0.01});  // a 40 ms knock
  const auto run = run_detector(d, 5.0, 200.0, [&](double t) { return force_of(contacts, 0.0, t); });
  EXPECT_EQ(run.rejected, 1);
  EXPECT_EQ(run.contacts.size(), 5u);  // all but the first (learning)
}

TEST(GaitEventDetector, MinimumLevelScalesWithSensingArea) {
  EXPECT_NEAR(minimum_level_for_area(8 * 300.0), 2.0 * 2400.0 * 1e-3, 1e-12);
  EXPECT_GT(minimum_level_for_area(24 * 300.0), minimum_level_for_area(8 * 300.0));
  EXPECT_THROW(minimum_level_for_area(0.0), std::invalid_argument);
}

TEST(GaitEventDetector, RejectsInconsistentConfiguration) {
  GaitEventDetectorConfig c;
  c.confirm_fraction = 1.0;
  EXPECT_THROW(GaitEventDetector{c}, std::invalid_argument);
  c = {};
  c.contact_force_n = 0.0;
  EXPECT_THROW(GaitEventDetector{c}, std::invalid_argument);
  c = {};
  c.minimum_level_n = 0.0;
  EXPECT_THROW(GaitEventDetector{c}, std::invalid_argument);
  c = {};
  c.max_gap_s = -1.0;
  EXPECT_THROW(GaitEventDetector{c}, std::invalid_argument);
}

}  // namespace
}  // namespace stridefuse::fusion
