#pragma once
// The figures of issue 11 for a randomised scenario matrix: an analysis's
// steps against a runner model's true contacts, per scenario and pooled,
// printed as one table row each with '!' where a figure misses its target.
// Shared by the matrix benchmarks of both runner models
// (tests/benchmarks/second_model_bench.cpp, runner_matrix_bench.cpp).
//
// A truth is any type with what step_scoring.hpp needs (`side`, `ic_s`,
// `to_s` on the steps' clock) and `strike_pattern`, `strike_index_pct`,
// `foot_strike_distance_m`, `step_length_m`, `tilt_ic_deg`, `obliquity_ic_deg`.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "step_scoring.hpp"
#include "stridefuse/runtime/offline_analysis.hpp"

namespace stridefuse::scoring {

// The figures of one analysis (or of several pooled): errors detected - truth.
struct Figures {
  std::size_t true_steps = 0, detected = 0, matched = 0;
  std::vector<double> ic_s, contact_s, strike_index_pct, fsd_m, fsd_sd_m, step_length_m, tilt_deg, obliquity_deg, clock_s;
  std::size_t patterns = 0, patterns_agreeing = 0;

  void add(const Figures& o) {
    true_steps += o.true_steps, detected += o.detected, matched += o.matched;
    patterns += o.patterns, patterns_agreeing += o.patterns_agreeing;
    for (auto [to, from] : {std::pair{&ic_s, &o.ic_s}, {&contact_s, &o.contact_s}, {&strike_index_pct, &o.strike_index_pct},
                            {&fsd_m, &o.fsd_m}, {&fsd_sd_m, &o.fsd_sd_m},
                            {&step_length_m, &o.step_length_m}, {&tilt_deg, &o.tilt_deg},
                            {&obliquity_deg, &o.obliquity_deg}, {&clock_s, &o.clock_s}})
      to->insert(to->end(), from->begin(), from->end());
  }
};

// The angles' neutral postures differ (the engine's from the standing start
// as it finds it, the model's exactly): each scenario's mean difference is taken out.
inline void remove_mean(std::vector<double>& v) {
  const double m = Score::mean(v);
  for (double& x : v) x -= m;
}

template <class Truth>
Figures measure(const AnalysisResult& result, const std::vector<Truth>& truth) {
  Figures f;
  f.true_steps = truth.size();
  for (const auto& s : result.steps)
    if (s.t_ic_s > truth.front().ic_s - 0.1 && s.t_ic_s < truth.back().ic_s + 0.1) ++f.detected;
  const auto score = scoring::score(result.steps, truth);
  f.matched = score.matched;
  f.ic_s = score.ic_error_s;
  f.contact_s = score.contact_error_s;
  for (const auto& [c, s] : scoring::matched_steps(result.steps, truth)) {
    if (s->strike_index_pct.present()) f.strike_index_pct.push_back(s->strike_index_pct.value - c->strike_index_pct);
    if (s->strike_pattern != StrikePattern::unknown) {
      ++f.patterns;
      f.patterns_agreeing += s->strike_pattern == c->strike_pattern;
    }
    if (std::isfinite(s->foot_strike_distance_m.value)) {
      f.fsd_m.push_back(s->foot_strike_distance_m.value - c->foot_strike_distance_m);
      f.fsd_sd_m.push_back(s->foot_strike_distance_uncertainty_m.value);
    }
    if (std::isfinite(s->step_length_m.value)) f.step_length_m.push_back(s->step_length_m.value - c->step_length_m);
    if (std::isfinite(s->tilt_ic_deg.value)) f.tilt_deg.push_back(s->tilt_ic_deg.value - c->tilt_ic_deg);
    if (std::isfinite(s->obliquity_ic_deg.value)) f.obliquity_deg.push_back(s->obliquity_ic_deg.value - c->obliquity_ic_deg);
  }
  remove_mean(f.tilt_deg);
  remove_mean(f.obliquity_deg);
  return f;
}

/// How far each insole's found clock is from its true one at session time
/// `t_s`, s: `device_s(clock, t)` reads a model's device clock (`pelvis`,
/// `left`, `right`) at session time t.
template <class Clock, class DeviceTime>
std::vector<double> clock_errors(const std::vector<ClockAlignment>& alignments, double t_s, const Clock& pelvis,
                                 const Clock& left, const Clock& right, DeviceTime device_s) {
  std::vector<double> out;
  for (const auto& a : alignments) {
    const auto& clock = a.stream_id.find("right") != std::string::npos ? right : left;
    out.push_back(a.to_pelvis_s(device_s(clock, t_s)) - device_s(pelvis, t_s));
  }
  return out;
}

// A figure against its target: '!' when missed (or not measured).
inline std::string mark(double value, bool met, const char* format) {
  char text[32];
  std::snprintf(text, sizeof text, format, value);
  return std::string(text) + (std::isfinite(value) && met ? " " : "!");
}
inline std::string at_most(double value, double target, const char* format) { return mark(value, value <= target, format); }
inline std::string at_least(double value, double target, const char* format) { return mark(value, value >= target, format); }

// The strike index's error, pooled: how near a class boundary (33.3 and
// 66.7 % of the foot's length, fusion/METRICS.md) a step's pattern can still
// be told. Each model draws its strike indices away from the boundaries, so
// the pattern agreement of the table alone does not show it.
inline void print_strike_index(const char* name, const Figures& f) {
  const double mean = Score::mean(f.strike_index_pct);
  double var = 0.0;
  for (const double e : f.strike_index_pct) var += (e - mean) * (e - mean);
  const double sd = f.strike_index_pct.empty() ? NAN : std::sqrt(var / double(f.strike_index_pct.size()));
  std::printf("%s strike index error (%% of foot length): mean %+.1f, SD %.1f over %zu steps; a step whose index lies "
              "within %.1f of a boundary may be classed either side (2 SD about the mean)\n",
              name, mean, sd, f.strike_index_pct.size(), std::abs(mean) + 2.0 * sd);
}

inline void print_header() {
  std::printf("%-28s %6s %6s | %6s %6s %6s | %6s | %6s | %6s %6s %6s | %6s | %6s %6s | %7s\n", "", "recall", "precis", "IC|med|",
              "IC p95", "IC sgn", "CT rms", "strike", "FSD rms", "FSD bias", "in 2u", "SL rms", "tilt", "obliq", "clock");
  std::printf("%-28s %6s %6s | %6s %6s %6s | %6s | %6s | %6s %6s %6s | %6s | %6s %6s | %7s\n", "targets", "%", "%",
              "<=3ms", "<=8ms", "ms", "<=5ms", ">=98%", "<=2cm", "|<=2|cm", "~95%", "<=3cm", "<=1deg", "<=1deg", "<=1ms");
}

/// Prints one row of the table; returns the names of the targets it misses (its '!' cells).
inline std::vector<std::string> print_row(const char* name, const Figures& f) {
  const double recall = 100.0 * double(f.matched) / double(std::max<std::size_t>(1, f.true_steps));
  const double precision = 100.0 * double(f.matched) / double(std::max<std::size_t>(1, f.detected));
  const double agreement = f.patterns ? 100.0 * double(f.patterns_agreeing) / double(f.patterns) : NAN;
  const double bias_cm = 100.0 * Score::mean(f.fsd_m);
  const std::pair<const char*, std::string> cells[] = {
      {"IC median", at_most(1e3 * Score::median_abs(f.ic_s), 3.0, "%6.1f")},
      {"IC p95", at_most(1e3 * Score::percentile_abs(f.ic_s, 0.95), 8.0, "%6.1f")},
      {"contact time", at_most(1e3 * Score::rms(f.contact_s), 5.0, "%6.1f")},
      {"strike pattern", at_least(agreement, 98.0, "%6.1f")},
      {"FSD RMSE", at_most(100.0 * Score::rms(f.fsd_m), 2.0, "%6.1f")},
      {"FSD bias", mark(bias_cm, std::abs(bias_cm) <= 2.0, "%+6.1f")},
      {"step length", at_most(100.0 * Score::rms(f.step_length_m), 3.0, "%6.1f")},
      {"tilt", at_most(Score::rms(f.tilt_deg), 1.0, "%6.2f")},
      {"obliquity", at_most(Score::rms(f.obliquity_deg), 1.0, "%6.2f")},
      {"clock", f.clock_s.empty() ? "      -" : at_most(1e3 * Score::percentile_abs(f.clock_s, 1.0), 1.0, "%7.2f")}};
  std::printf("%-28s %6.1f %6.1f | %s %s %+6.1f  | %s | %s | %s %s %6.1f  | %s | %s %s | %s\n", name, recall, precision,
              cells[0].second.c_str(), cells[1].second.c_str(), 1e3 * Score::mean(f.ic_s), cells[2].second.c_str(),
              cells[3].second.c_str(), cells[4].second.c_str(), cells[5].second.c_str(),
              Score::within_pct(f.fsd_m, f.fsd_sd_m, 2.0), cells[6].second.c_str(), cells[7].second.c_str(),
              cells[8].second.c_str(), cells[9].second.c_str());
  std::vector<std::string> missed;
  for (const auto& [target, text] : cells)
    if (text.back() == '!') missed.emplace_back(target);
  return missed;
}

}  // namespace stridefuse::scoring
