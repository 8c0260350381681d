#pragma once
// Issue 12's fault soak: a simulated run through the bridge emulator on its
// own clock (VirtualBridgeTransport) and the live path in device time
// (run_in_device_time: bridge driver, device reader, clock sync, merge,
// engine), with the emulator's faults (soak_fault_plan) and the steps scored
// against the simulator's truth. Shared by the benchmark (30 minutes) and the
// test (a short run under AddressSanitizer).
//
// Scoring. A step is scored when the sensors it needs (its foot's insole,
// which times it, and the pelvis IMU) had their links up, as the bridge saw
// them, from `needed_before_s` before its initial contact to
// `needed_after_s` after its toe-off: recall and precision then measure a
// session that keeps its steps through the faults around them. 3 s before:
// a link the bridge has made is the host's after at most one lost answer
// (CONNECT's 2 s, PROTOCOL.md 3.1, when the status that tells of it is lost too) and its subscription. How fast a
// session recovers is the other figure: from each link's return (the bridge's
// new connection) to the first step event that uses that sensor's data (an
// insole: a step of its foot timed by it; the pelvis: a step with pelvic
// metrics), both with initial contact after the return, on the session clock.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "bridge/emulator/fault_plan.hpp"
#include "bridge/emulator/runner_sensors.hpp"
#include "emulated_bridge_session.hpp"
#include "stridefuse/sim/runner_simulation.hpp"

namespace stridefuse::soak {

struct SoakOptions {
  double duration_s = 1800.0;
  bridge::SoakFaults faults;  ///< its duration_s and sensors are set from the run
  std::uint64_t runner_seed = 1;
  std::vector<double> rss_at_s{60.0, 600.0, 1800.0};  ///< session times to read resident memory at
  double needed_before_s = 3.0, needed_after_s = 0.5;
  double match_window_s = 0.05;  ///< |initial contact - truth| for a step to be the true one
};

struct SoakStep {  // what scoring needs of a StepEvent (a few bytes, so the log itself does not grow memory much)
  Side side;
  StepSource detected_by;
  bool pelvic_metrics;
  double t_ic_s, t_to_s, produced_s;
};

struct LinkReturn {
  std::string stream;
  double up_s = 0.0;
  double to_step_s = NAN;  ///< NaN: no such step before the end
  /// The other sensors' links were up from 1 s to 5 s after it: the delay is
  /// this link's own recovery (with the insoles away too, a returning pelvis
  /// waits for the steps the pelvis times itself, decided seconds late by design).
  bool alone = false;
};

struct SoakReport {
  std::size_t truth_steps = 0, scored_truth = 0, matched = 0, detected = 0, scored_detected = 0, scored_matched = 0;
  double recall = NAN, precision = NAN;
  std::vector<LinkReturn> returns;
  double return_p50_s = NAN, return_p95_s = NAN, return_max_s = NAN;
  std::size_t returns_over_2_s = 0;
  /// The same over the returns of one link while the others were up (LinkReturn::alone).
  double alone_p50_s = NAN, alone_p95_s = NAN, alone_max_s = NAN;
  std::size_t alone_returns = 0, alone_over_2_s = 0;
  double running_start_s = 0.0;  ///< returns before the runner's first step are not counted: no step can follow them
  /// Steps of the restarted sensor's foot from its clock restart to 30 s after
  /// it came back: whether the new counter was taken as a new epoch and mapped right.
  std::size_t after_restart_truth = 0, after_restart_matched = 0;
  /// Scored true steps without their step: (initial contact, side, the nearest
  /// step of that side's contact - truth, NaN without one). The first 20.
  std::vector<std::tuple<double, Side, double>> misses;
  std::vector<std::pair<double, long>> rss_kb;  ///< (session time, VmRSS kB)
  int crashes = 0;
  std::string crash;
  bridge::FaultJournal journal;
  std::vector<std::string> streams;
  std::vector<std::uint64_t> clock_resets;  ///< per stream, the last device status's epochs after the first
  DeviceTimeReport run;
  double wall_s = 0.0;
};

inline long resident_kb() {
  std::ifstream status("/proc/self/status");
  std::string key;
  long kb = -1;
  while (status >> key)
    if (key == "VmRSS:") {
      status >> kb;
      break;
    }
  return kb;
}

// Nearest-rank quantile; NaN when empty, infinity when a value is NaN (a return without a step).
inline double quantile(std::vector<double> v, double q) {
  if (v.empty()) return NAN;
  for (auto& x : v)
    if (std::isnan(x)) x = INFINITY;
  std::sort(v.begin(), v.end());
  const auto k = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size())));
  return v[k == 0 ? 0 : k - 1];
}

class SoakPublisher final : public EventPublisher {
 public:
  SoakPublisher(SoakReport& report, std::vector<SoakStep>& steps, std::vector<double> rss_at_s)
      : report_(report), steps_(steps), rss_at_s_(std::move(rss_at_s)) {}
  void publish(const Event& event) override { publish_traced(event, {}); }
  void publish_traced(const Event& event, const EventProvenance& provenance) override {
    const double now_s = provenance.produced_s;
    while (next_rss_ < rss_at_s_.size() && now_s >= rss_at_s_[next_rss_])
      report_.rss_kb.emplace_back(rss_at_s_[next_rss_++], resident_kb());
    if (const auto* s = std::get_if<StepEvent>(&event))
      steps_.push_back({s->side, s->detected_by, s->tilt_ic_deg.present(), s->t_ic_s, s->t_to_s, now_s});
    if (const auto* d = std::get_if<DeviceStatusEvent>(&event); d && d->clock)
      for (std::size_t i = 0; i < report_.streams.size(); ++i)
        if (report_.streams[i] == d->stream_id) report_.clock_resets[i] = d->clock->resets;
  }
  std::uint64_t dropped() const override { return 0; }

 private:
  SoakReport& report_;
  std::vector<SoakStep>& steps_;
  std::vector<double> rss_at_s_;
  std::size_t next_rss_ = 0;
};

// Per sensor, the intervals its link was down ([from, to), to = infinity when it never came back).
inline std::vector<std::vector<std::pair<double, double>>> down_intervals(const std::vector<bridge::LinkChange>& links,
                                                                          std::size_t sensors) {
  std::vector<std::vector<std::pair<double, double>>> down(sensors);
  std::vector<double> down_since(sensors, 0.0);  // every link is down until its first connection
  std::vector<bool> up(sensors, false);
  for (const auto& c : links) {
    if (c.sensor >= sensors || c.up == up[c.sensor]) continue;
    up[c.sensor] = c.up;
    if (c.up) down[c.sensor].emplace_back(down_since[c.sensor], c.t_s);
    else down_since[c.sensor] = c.t_s;
  }
  for (std::size_t s = 0; s < sensors; ++s)
    if (!up[s]) down[s].emplace_back(down_since[s], INFINITY);
  return down;
}

inline bool up_throughout(const std::vector<std::pair<double, double>>& down, double from_s, double to_s) {
  return std::none_of(down.begin(), down.end(), [&](const auto& d) { return d.first < to_s && d.second > from_s; });
}

inline SoakReport run_fault_soak(const SoakOptions& options) {
  SoakReport report;
  sim::RunnerConfig runner;
  runner.seed = options.runner_seed;
  auto sensors = std::make_unique<bridge::RunnerSensors>(runner);
  for (const auto& s : sensors->simulation().streams()) report.streams.push_back(s.id);
  report.clock_resets.assign(report.streams.size(), 0);
  const std::size_t pelvis = sim::RunnerSimulation::pelvis_stream;
  const std::size_t insole[2] = {sim::RunnerSimulation::left_insole_stream, sim::RunnerSimulation::right_insole_stream};

  bridge::SoakFaults faults = options.faults;
  faults.duration_s = options.duration_s;
  faults.sensors = report.streams.size();
  auto journal = std::make_shared<bridge::FaultJournal>();
  std::vector<SoakStep> steps;
  // ~3 steps/s. Reserving alone leaves the pages untouched, and filling them
  // would show as the session's growth: they are touched now, before the run.
  steps.resize(static_cast<std::size_t>(options.duration_s * 4.0));
  steps.clear();
  report.rss_kb.reserve(options.rss_at_s.size());

  const auto wall_start = std::chrono::steady_clock::now();
  try {
    report.run = run_emulated_bridge_session(bridge::BridgeEmulator(std::move(sensors)), bridge::soak_fault_plan(faults),
                                             journal, runner.speed_mps, options.duration_s,
                                             std::make_shared<SoakPublisher>(report, steps, options.rss_at_s));
  } catch (const std::exception& e) {
    report.crashes = 1;
    report.crash = e.what();
  }
  report.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  report.journal = *journal;

  // The truth: the same runner simulated again (it is deterministic), outside the measured run.
  sim::RunnerSimulation truth_sim(bridge::RunnerSensors::adapted(runner));
  truth_sim.advance_to(options.duration_s, [](const sim::SimulatedSample&) {});
  const auto truth = truth_sim.completed_steps();
  report.running_start_s = truth_sim.running_start_s();
  const auto down = down_intervals(report.journal.links, report.streams.size());
  const double last_to_s = options.duration_s - 2.0;  // a step at the very end may not be out yet
  auto scored = [&](Side side, double t_ic_s, double t_to_s) {
    if (!std::isfinite(t_to_s)) t_to_s = t_ic_s + 0.3;
    if (t_to_s > last_to_s) return false;
    const double from = t_ic_s - options.needed_before_s, to = t_to_s + options.needed_after_s;
    return up_throughout(down[pelvis], from, to) && up_throughout(down[insole[side == Side::right]], from, to);
  };

  // Events come in the order fusion finished them; scoring wants contact order.
  std::stable_sort(steps.begin(), steps.end(), [](const SoakStep& a, const SoakStep& b) { return a.t_ic_s < b.t_ic_s; });
  report.truth_steps = truth.size();
  report.detected = steps.size();
  std::vector<bool> used(steps.size(), false);
  std::vector<bool> truth_matched(truth.size(), false);
  for (std::size_t ti = 0; ti < truth.size(); ++ti) {
    const auto& t = truth[ti];
    const bool counts = scored(t.side, t.t_ic_s, t.t_to_s);
    report.scored_truth += counts;
    // Steps come in time order: search around the truth's contact only.
    auto it = std::lower_bound(steps.begin(), steps.end(), t.t_ic_s - options.match_window_s - 5.0,
                               [](const SoakStep& s, double v) { return s.t_ic_s < v; });
    std::ptrdiff_t best = -1;
    for (; it != steps.end() && it->t_ic_s <= t.t_ic_s + options.match_window_s + 5.0; ++it) {
      const auto i = it - steps.begin();
      if (used[static_cast<std::size_t>(i)] || it->side != t.side || std::abs(it->t_ic_s - t.t_ic_s) > options.match_window_s)
        continue;
      if (best < 0 || std::abs(it->t_ic_s - t.t_ic_s) < std::abs(steps[static_cast<std::size_t>(best)].t_ic_s - t.t_ic_s))
        best = i;
    }
    if (best < 0) {
      if (counts && report.misses.size() < 20) {
        double nearest = NAN;
        for (const auto& s : steps)
          if (s.side == t.side && !(std::abs(s.t_ic_s - t.t_ic_s) >= std::abs(nearest))) nearest = s.t_ic_s - t.t_ic_s;
        report.misses.emplace_back(t.t_ic_s, t.side, nearest);
      }
      continue;
    }
    used[static_cast<std::size_t>(best)] = true;
    truth_matched[ti] = true;
    ++report.matched;
    report.scored_matched += counts;
  }
  for (const auto& f : report.journal.applied) {
    if (f.kind != bridge::FaultKind::clock_restart) continue;
    const Side side = f.sensor == insole[1] ? Side::right : Side::left;
    double back_s = INFINITY;
    for (const auto& c : report.journal.links)
      if (c.sensor == f.sensor && c.up && c.t_s > f.at_s) {
        back_s = c.t_s;
        break;
      }
    for (std::size_t i = 0; i < truth.size(); ++i) {
      const auto& t = truth[i];
      if (t.side != side || t.t_ic_s < back_s || t.t_ic_s > back_s + 30.0 || !scored(t.side, t.t_ic_s, t.t_to_s)) continue;
      ++report.after_restart_truth;
      report.after_restart_matched += truth_matched[i];
    }
  }
  std::size_t scored_detected_matched = 0;
  for (std::size_t i = 0; i < steps.size(); ++i)
    if (scored(steps[i].side, steps[i].t_ic_s, steps[i].t_to_s)) {
      ++report.scored_detected;
      scored_detected_matched += used[i];
    }
  if (report.scored_truth) report.recall = static_cast<double>(report.scored_matched) / static_cast<double>(report.scored_truth);
  if (report.scored_detected)
    report.precision = static_cast<double>(scored_detected_matched) / static_cast<double>(report.scored_detected);

  // Each link's return (not its first connection) to the first step using it.
  std::vector<bool> seen_up(report.streams.size(), false);
  std::vector<double> to_step, alone_to_step;
  for (const auto& c : report.journal.links) {
    if (c.sensor >= report.streams.size() || !c.up) continue;
    if (!seen_up[c.sensor]) {
      seen_up[c.sensor] = true;
      // The refused sensor's first connection is a return too: it was meant to be there from the start.
      if (report.journal.counters.connects_refused == 0 || c.sensor != report.streams.size() - 1) continue;
    }
    if (c.t_s < report.running_start_s) continue;
    LinkReturn r{report.streams[c.sensor], c.t_s};
    r.alone = true;
    for (std::size_t other = 0; other < report.streams.size(); ++other)
      if (other != c.sensor && !up_throughout(down[other], c.t_s + 1.0, c.t_s + 5.0)) r.alone = false;
    for (const auto& s : steps) {
      if (s.t_ic_s < c.t_s || s.produced_s < c.t_s) continue;
      const bool uses = c.sensor == pelvis ? s.pelvic_metrics
                                           : s.detected_by == StepSource::insole &&
                                                 insole[s.side == Side::right] == c.sensor;
      if (uses && !(s.produced_s - c.t_s >= r.to_step_s)) r.to_step_s = s.produced_s - c.t_s;  // the earliest published
    }
    if (c.t_s > last_to_s - 5.0 && std::isnan(r.to_step_s)) continue;  // came back just before the end
    to_step.push_back(r.to_step_s);
    if (r.alone) alone_to_step.push_back(r.to_step_s);
    report.returns.push_back(r);
  }
  report.return_p50_s = quantile(to_step, 0.5);
  report.return_p95_s = quantile(to_step, 0.95);
  const auto over_2_s = [](const std::vector<double>& v) {
    return static_cast<std::size_t>(std::count_if(v.begin(), v.end(), [](double x) { return !(x <= 2.0); }));
  };
  report.returns_over_2_s = over_2_s(to_step);
  report.alone_returns = alone_to_step.size();
  report.alone_p50_s = quantile(alone_to_step, 0.5);
  report.alone_p95_s = quantile(alone_to_step, 0.95);
  report.alone_max_s = quantile(alone_to_step, 1.0);
  report.alone_over_2_s = over_2_s(alone_to_step);
  report.return_max_s = quantile(to_step, 1.0);
  return report;
}

inline void print(const SoakReport& r, std::FILE* out = stdout) {
  std::fprintf(out, "faults applied:");
  for (const auto kind : {bridge::FaultKind::link_lost, bridge::FaultKind::refuse_connect,
                          bridge::FaultKind::clock_restart, bridge::FaultKind::unplug}) {
    const auto n = std::count_if(r.journal.applied.begin(), r.journal.applied.end(),
                                 [&](const bridge::Fault& f) { return f.kind == kind; });
    std::fprintf(out, " %s %zd", bridge::to_string(kind), static_cast<std::ptrdiff_t>(n));
  }
  std::fprintf(out, " (skipped, sensor not connected then: %zu)\n", r.journal.skipped.size());
  const auto& c = r.journal.counters;
  std::fprintf(out,
               "link damage: %llu frames lost of %llu notifications + requests, %llu bytes corrupted; %llu power "
               "cycles, %llu connections refused\n",
               static_cast<unsigned long long>(c.frames_lost),
               static_cast<unsigned long long>(c.notifications_sent + c.requests),
               static_cast<unsigned long long>(c.bytes_corrupted), static_cast<unsigned long long>(c.power_cycles),
               static_cast<unsigned long long>(c.connects_refused));
  std::fprintf(out, "session: %.0f s of session time in %.1f s wall (%.0fx real time), %llu samples, %u steps\n",
               r.run.session_s, r.wall_s, r.wall_s > 0 ? r.run.session_s / r.wall_s : 0.0,
               static_cast<unsigned long long>(r.run.samples), r.run.steps);
  std::fprintf(out, "clock epochs after the first, per stream:");
  for (std::size_t i = 0; i < r.streams.size(); ++i)
    std::fprintf(out, " %s %llu", r.streams[i].c_str(), static_cast<unsigned long long>(r.clock_resets[i]));
  std::fprintf(out, "\nsteps: truth %zu (scored %zu), detected %zu (scored %zu), matched %zu (scored %zu)\n",
               r.truth_steps, r.scored_truth, r.detected, r.scored_detected, r.matched, r.scored_matched);
  std::fprintf(out, "recall %.4f, precision %.4f (target >= 0.995)\n", r.recall, r.precision);
  for (const auto& [t_s, side, nearest_s] : r.misses)
    std::fprintf(out, "  missed: %s step at %.3f s (nearest step of that side %+.3f s)\n", to_string(side), t_s,
                 nearest_s);
  std::fprintf(out, "restarted sensor clock: %zu of %zu scored steps of its foot matched in the 30 s after it came back\n",
               r.after_restart_matched, r.after_restart_truth);
  std::fprintf(out,
               "link return -> next step using it: %zu returns after the run started (%.1f s), p50 %.2f s, p95 %.2f s, "
               "max %.2f s, %zu over 2 s (target p95 <= 2 s); CONNECTs the bridge got again for a connected sensor "
               "(the host missed its CONNECTED): %llu\n",
               r.returns.size(), r.running_start_s, r.return_p50_s, r.return_p95_s, r.return_max_s, r.returns_over_2_s,
               static_cast<unsigned long long>(c.connects_repeated));
  std::fprintf(out, "  of which %zu returns of one link while the others were up: p50 %.2f s, p95 %.2f s, max %.2f s, %zu over 2 s\n",
               r.alone_returns, r.alone_p50_s, r.alone_p95_s, r.alone_max_s, r.alone_over_2_s);
  for (const auto& ret : r.returns)
    std::fprintf(out, "  %s back at %.2f s: step using it after %.2f s%s\n", ret.stream.c_str(), ret.up_s, ret.to_step_s,
                 ret.alone ? "" : " (another link away)");
  for (const auto& [t_s, kb] : r.rss_kb) std::fprintf(out, "resident memory at %5.0f s: %ld kB\n", t_s, kb);
  std::fprintf(out, "crashes: %d%s%s\n", r.crashes, r.crash.empty() ? "" : " ", r.crash.c_str());
}

}  // namespace stridefuse::soak
