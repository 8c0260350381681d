// Clock sync against ground truth. For several simulated devices (drift up to
// +-200 ppm with a slow drift change, an offset, BLE bunching at connection
// intervals of 7.5-50 ms, random delays above a minimum, 5 % loss and a device
// reset mid-session) it prints, side by side in one run, the online error of
// the session time given to each sample by
//   (a) DeviceClock (windowed lower envelope),
//   (b) arrival-time stamping,
//   (c) a recursive least-squares line of arrival against tick with
//       exponential forgetting (half-life 90 s), as LSL's dejitter does,
// as RMS and max over samples taken >= 3 s after (re)connect, and the
// convergence time: from (re)connect until the error stays within 1 ms.
// The baselines are given the true unwrapped tick and the true reset (oracle
// help); all three subtract the known minimum delay.
//
// A second table: insole-to-pelvis latency calibration (InsoleLatencyCalibration)
// on the simulated runner, whose left insole's link has 8 ms more latency than
// stated (invisible to one-way sync): the residual offset between the insole's
// and the pelvis's session times against the simulator's truth, when the
// correction is applied (~20 strides) and at 20, 30, 60 and 90 s, next to the
// standard error the calibration reports; window lags as measured, then
// referred to the clocks' current mappings.
//
// Usage: clock_sync_bench [duration_s [window_s]]   (defaults 600, DeviceClockConfig's window)
//        clock_sync_bench latency [seed]           (the calibration table alone; seed 7)

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "../sdk/clock_sync_harness.hpp"
#include "stridefuse/sim/runner_simulation.hpp"
#include "stridefuse/core/device_clock.hpp"
#include "stridefuse/fusion/insole_latency_calibration.hpp"

namespace {

using stridefuse::ClockMapping;
using stridefuse::DeviceClock;
using stridefuse::DeviceClockConfig;
using stridefuse::testing::generate_frames;
using stridefuse::testing::HarnessConfig;
using stridefuse::testing::HarnessFrame;

constexpr double settle_s = 3.0;
constexpr double converged_within_s = 1e-3;

// Exponentially weighted least squares of y against x, in O(1) per sample.
class ForgettingLineFit {
 public:
  explicit ForgettingLineFit(double lambda) : lambda_(lambda) {}
  void reset() { w_ = sx_ = sy_ = sxx_ = sxy_ = 0.0; }
  void add(double x, double y) {
    w_ = lambda_ * w_ + 1.0;
    sx_ = lambda_ * sx_ + x;
    sy_ = lambda_ * sy_ + y;
    sxx_ = lambda_ * sxx_ + x * x;
    sxy_ = lambda_ * sxy_ + x * y;
  }
  double at(double x, double fallback_slope) const {
    const double mx = sx_ / w_, my = sy_ / w_;
    const double vxx = sxx_ / w_ - mx * mx;
    const double slope = vxx > 1e-9 ? (sxy_ / w_ - mx * my) / vxx : fallback_slope;
    return my + slope * (x - mx);
  }

 private:
  double lambda_;
  double w_ = 0, sx_ = 0, sy_ = 0, sxx_ = 0, sxy_ = 0;
};

struct Stats {
  double sum = 0.0, sum_sq = 0.0, max_abs = 0.0;
  std::size_t n = 0;
  std::vector<double> convergence_s;  // per epoch; infinity when it never converged
  std::size_t bound_checked = 0, bound_held = 0;
  std::vector<double> bounds_s;       // error bounds of samples >= settle_s after connect

  void add(double err, double since_connect_s) {
    if (since_connect_s < settle_s) return;
    sum += err;
    sum_sq += err * err;
    max_abs = std::max(max_abs, std::abs(err));
    ++n;
  }
  double rms() const { return n ? std::sqrt(sum_sq / static_cast<double>(n)) : 0.0; }
  double mean() const { return n ? sum / static_cast<double>(n) : 0.0; }
  double worst_convergence() const {
    return convergence_s.empty() ? 0.0 : *std::max_element(convergence_s.begin(), convergence_s.end());
  }
};

// Per epoch: time since connect of the last sample whose error exceeded the
// limit; infinity when that was the epoch's last sample (never converged).
struct ConvergenceTracker {
  std::vector<double> last_bad;
  std::vector<bool> bad_at_end;
  void add(std::uint32_t epoch, double err, double since_connect_s) {
    if (last_bad.size() <= epoch) {
      last_bad.resize(epoch + 1, 0.0);
      bad_at_end.resize(epoch + 1, false);
    }
    const bool bad = std::abs(err) > converged_within_s;
    if (bad) last_bad[epoch] = since_connect_s;
    bad_at_end[epoch] = bad;
  }
  std::vector<double> result() const {
    std::vector<double> r = last_bad;
    for (std::size_t i = 0; i < r.size(); ++i)
      if (bad_at_end[i]) r[i] = std::numeric_limits<double>::infinity();
    return r;
  }
};

struct Result {
  Stats ours, arrival, lsq;
  stridefuse::DeviceClockCounters counters;
};

Result run(const HarnessConfig& h, double window_s) {
  const std::vector<HarnessFrame> frames = generate_frames(h);
  DeviceClockConfig cfg;
  cfg.tick_rate_hz = h.tick_rate_hz;
  cfg.tick_bits = h.tick_bits;
  cfg.min_delay_s = h.min_delay_s;
  if (window_s > 0.0) cfg.window_s = window_s;
  DeviceClock clock(cfg);

  // LSL: smoothing half-time 90 s, forgetting per sample.
  const double lambda = std::pow(0.5, 1.0 / (90.0 * h.sample_rate_hz));
  ForgettingLineFit lsq(lambda);
  std::uint32_t lsq_epoch = 0;
  std::uint64_t lsq_base_tick = 0, lsq_prev_raw = 0, lsq_unwrapped = 0;
  bool lsq_started = false;
  const std::uint64_t modulus_mask =
      h.tick_bits == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << h.tick_bits) - 1;

  Result r;
  ConvergenceTracker conv_ours, conv_arrival, conv_lsq;
  for (const HarnessFrame& f : frames) {
    // (a)
    const ClockMapping m = clock.observe(f.raw_tick, f.arrival_s);
    double err = m.t_s - f.true_s;
    r.ours.add(err, f.since_connect_s);
    conv_ours.add(f.true_epoch, err, f.since_connect_s);
    if (m.status == ClockMapping::Status::fresh) {
      ++r.ours.bound_checked;
      if (std::abs(err) <= m.error_bound_s) ++r.ours.bound_held;
      if (f.since_connect_s >= settle_s) r.ours.bounds_s.push_back(m.error_bound_s);
    }
    // (b)
    err = f.arrival_s - h.min_delay_s - f.true_s;
    r.arrival.add(err, f.since_connect_s);
    conv_arrival.add(f.true_epoch, err, f.since_connect_s);
    // (c) with the true epoch and true unwrapping
    if (!lsq_started || f.true_epoch != lsq_epoch) {
      lsq.reset();
      lsq_epoch = f.true_epoch;
      lsq_started = true;
      lsq_base_tick = f.raw_tick;
      lsq_unwrapped = f.raw_tick;
    } else {
      lsq_unwrapped += (f.raw_tick - lsq_prev_raw) & modulus_mask;
    }
    lsq_prev_raw = f.raw_tick;
    const double x = static_cast<double>(lsq_unwrapped - lsq_base_tick) / h.tick_rate_hz;
    lsq.add(x, f.arrival_s);
    err = lsq.at(x, 1.0) - h.min_delay_s - f.true_s;
    r.lsq.add(err, f.since_connect_s);
    conv_lsq.add(f.true_epoch, err, f.since_connect_s);
  }
  r.ours.convergence_s = conv_ours.result();
  r.arrival.convergence_s = conv_arrival.result();
  r.lsq.convergence_s = conv_lsq.result();
  r.counters = clock.counters();
  return r;
}

void print_row(const char* method, const Stats& s) {
  const double c = s.worst_convergence();
  char conv[32];
  if (std::isinf(c))
    std::snprintf(conv, sizeof conv, "never");
  else
    std::snprintf(conv, sizeof conv, "%.2f s", c);
  std::printf("  %-26s RMS %8.3f ms   max %8.3f ms   mean %8.3f ms   converged (<=1 ms) after %s\n", method,
              s.rms() * 1e3, s.max_abs * 1e3, s.mean() * 1e3, conv);
}

double median(std::vector<double> v) {
  if (v.empty()) return 0.0;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
  return v[v.size() / 2];
}

// --- insole-to-pelvis latency -------------------------------------------

struct TimedError {
  double true_s;
  double error_s;
};

double mean_error_over(const std::vector<TimedError>& v, double from_s, double to_s) {
  double sum = 0.0;
  std::size_t n = 0;
  for (const auto& e : v)
    if (e.true_s >= from_s && e.true_s <= to_s) sum += e.error_s, ++n;
  return n ? sum / static_cast<double>(n) : std::numeric_limits<double>::quiet_NaN();
}

// The worst |true residual| of either insole when the correction is applied,
// and at the checkpoints from then on; infinite when it was never applied.
struct LatencyOutcome {
  bool met = true;
  double worst_at_application_s = 0.0, worst_after_s = 0.0;
};

LatencyOutcome run_latency_case(double duration_s, bool refer_to_current_mappings, std::uint32_t seed, bool print) {
  namespace sim = stridefuse::sim;
  constexpr double stated_min_delay_s = 0.002;  // what every transport says about itself
  constexpr double extra_latency_s = 0.008;     // the left insole's link, unknown to everything
  constexpr double evaluate_over_s = 2.0;
  sim::RunnerConfig rc;
  rc.seed = seed;
  rc.pelvis.clock.latency_s = stated_min_delay_s;
  rc.insoles.left_clock.latency_s = stated_min_delay_s + extra_latency_s;
  rc.insoles.right_clock.latency_s = stated_min_delay_s;
  // Connection intervals (multiples of 1.25 ms, as BLE has them) that are not
  // whole multiples of the sample periods: with the simulator's defaults
  // (15/30/45 ms at 5/10 ms periods) the delay floor locks to the host clock
  // and one-way sync is biased by up to a sample period (README, "Limits").
  rc.pelvis.clock.connection_interval_s = 0.01875;
  rc.insoles.left_clock.connection_interval_s = 0.03125;
  rc.insoles.right_clock.connection_interval_s = 0.04875;
  sim::RunnerSimulation simulation(rc);
  const auto streams = simulation.streams();
  std::vector<DeviceClock> clocks;
  for (const auto& s : streams) {
    DeviceClockConfig c;
    c.tick_rate_hz = s.tick_rate_hz;
    c.tick_bits = s.tick_bits;
    c.min_delay_s = stated_min_delay_s;
    clocks.emplace_back(c);
  }
  stridefuse::fusion::InsoleLatencyCalibration calibration(streams);
  // Each window's lag referred to the clocks' current mappings of its instant.
  if (refer_to_current_mappings)
    calibration.set_current_time([&](std::uint16_t stream, std::uint64_t tick) -> std::optional<double> {
      return clocks[stream].map_unwrapped(static_cast<double>(tick)).t_s;
    });
  std::vector<std::vector<TimedError>> errors(streams.size()), uncorrected(streams.size());
  // Per insole: the calibration's own account (estimate, its standard error,
  // strides) when the correction was first applied in full, and at fixed times.
  struct Snapshot {
    double t_s = std::numeric_limits<double>::quiet_NaN();
    double lag_s = 0.0, standard_error_s = 0.0;
    std::size_t strides = 0;
  };
  const std::vector<double> checkpoints_s{20.0, 30.0, 60.0, duration_s};
  std::vector<Snapshot> applied(streams.size());
  std::vector<std::vector<Snapshot>> at(streams.size(), std::vector<Snapshot>(checkpoints_s.size()));
  simulation.advance_to(duration_s, [&](const sim::SimulatedSample& ss) {
    const ClockMapping m = clocks[ss.stream].observe(ss.raw_tick, ss.host_arrival_s);
    if (m.status == ClockMapping::Status::duplicate || m.status == ClockMapping::Status::rejected) return;
    stridefuse::Sample s;
    s.stream = ss.stream;
    s.device_tick = m.unwrapped_tick;
    s.t_s = m.t_s;
    s.channel_count = ss.channel_count;
    s.values = ss.values;
    const double correction = calibration.correction_s(s);
    errors[ss.stream].push_back({ss.true_time_s, s.t_s + correction - ss.true_time_s});
    uncorrected[ss.stream].push_back({ss.true_time_s, s.t_s - ss.true_time_s});
    const auto status = calibration.status(ss.stream);
    if (!status || !status->estimate) return;
    const auto& e = *status->estimate;
    const Snapshot now{ss.true_time_s, e.lag_at_s(s.t_s), e.standard_error_at_s(s.t_s), e.strides};
    // Applied in full: the correction reached the estimate (to a microsecond).
    if (e.confident && std::isnan(applied[ss.stream].t_s) && std::abs(status->applied_s - now.lag_s) < 1e-6)
      applied[ss.stream] = now;
    for (std::size_t c = 0; c < checkpoints_s.size(); ++c)
      if (ss.true_time_s <= checkpoints_s[c]) at[ss.stream][c] = now;
  });
  const std::uint16_t pelvis = sim::RunnerSimulation::pelvis_stream;
  const double running_s = simulation.running_start_s();
  if (print) std::printf("insole-to-pelvis latency calibration (simulated runner, %.0f s, running from %.1f s; left insole link "
              "+%.0f ms beyond its stated minimum, right insole none), window lags %s\n",
              duration_s, running_s, extra_latency_s * 1e3,
              refer_to_current_mappings ? "referred to the clocks' current mappings (set_current_time)"
                                        : "as measured (no current-time source)");
  if (print) std::printf("true residual = mean session-time error of the insole minus that of the pelvis over %.0f s (from the "
              "moment of application; up to the other times), against the simulator's truth; estimate +- its "
              "standard error as the calibration reports it. Target: |true residual| <= 1 ms after 20 strides\n",
              evaluate_over_s);
  LatencyOutcome out;
  bool& met = out.met;
  for (std::uint16_t k : {sim::RunnerSimulation::left_insole_stream, sim::RunnerSimulation::right_insole_stream}) {
    auto residual_at = [&](const std::vector<std::vector<TimedError>>& e, double from_s) {
      return mean_error_over(e[k], from_s, from_s + evaluate_over_s) -
             mean_error_over(e[pelvis], from_s, from_s + evaluate_over_s);
    };
    const Snapshot& a = applied[k];
    const bool was_applied = !std::isnan(a.t_s);
    const double after = was_applied ? residual_at(errors, a.t_s) : std::numeric_limits<double>::quiet_NaN();
    if (print)
      std::printf("  %-12s before: %7.3f ms | applied after %5.1f s of running, %3zu strides: estimate %7.3f +- %.3f ms, "
                "true residual %7.3f ms\n",
                streams[k].id.c_str(), residual_at(uncorrected, running_s) * 1e3, a.t_s - running_s, a.strides,
                a.lag_s * 1e3, a.standard_error_s * 1e3, after * 1e3);
    met = met && was_applied && a.strides <= 30 && std::abs(after) <= 1e-3;
    out.worst_at_application_s = std::max(out.worst_at_application_s, was_applied ? std::abs(after) : std::numeric_limits<double>::infinity());
    for (std::size_t c = 0; c < checkpoints_s.size(); ++c) {
      const Snapshot& sn = at[k][c];
      const double residual = residual_at(errors, checkpoints_s[c] - evaluate_over_s);
      if (print)
        std::printf("  %-12s at %5.1f s: %3zu strides, estimate %7.3f +- %.3f ms, true residual %7.3f ms\n", "",
                  checkpoints_s[c], sn.strides, sn.lag_s * 1e3, sn.standard_error_s * 1e3, residual * 1e3);
      if (checkpoints_s[c] < a.t_s) continue;
      met = met && std::abs(residual) <= 1e-3;
      out.worst_after_s = std::max(out.worst_after_s, std::abs(residual));
    }
  }
  if (print) std::printf("  target %s\n\n", met ? "MET" : "NOT MET");
  return out;
}

// Both ways in one run, the same simulated runner: as measured, and referred
// to the clocks' current mappings. True when the latter meets the target.
bool run_latency_calibration(double duration_s, std::uint32_t seed) {
  run_latency_case(duration_s, false, seed, true);
  const bool met = run_latency_case(duration_s, true, seed, true).met;
  // The same on other runs of the simulator (another runner, other delays):
  // one seed says little when the figures are a fraction of a ms from the target.
  std::printf("other seeds, worst |true residual| of the two insoles at application / at the checkpoints after it "
              "(as measured | referred to the current mappings):\n");
  for (std::uint32_t other = 1; other <= 8; ++other) {
    const LatencyOutcome a = run_latency_case(duration_s, false, other, false);
    const LatencyOutcome b = run_latency_case(duration_s, true, other, false);
    std::printf("  seed %u: %6.3f / %6.3f ms %-7s | %6.3f / %6.3f ms %s\n", other, a.worst_at_application_s * 1e3,
                a.worst_after_s * 1e3, a.met ? "MET" : "NOT MET", b.worst_at_application_s * 1e3,
                b.worst_after_s * 1e3, b.met ? "MET" : "NOT MET");
  }
  std::printf("\n");
  return met;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "latency")
    return run_latency_calibration(90.0, argc > 2 ? static_cast<std::uint32_t>(std::atoi(argv[2])) : 7) ? 0 : 1;
  const double duration_s = argc > 1 ? std::atof(argv[1]) : 600.0;
  const double window_s = argc > 2 ? std::atof(argv[2]) : 0.0;
  if (!(duration_s >= 30.0) || (argc > 2 && !(window_s >= 1.0 && window_s <= 3600.0))) {
    std::fprintf(stderr, "usage: clock_sync_bench [duration_s >= 30 [window_s in 1..3600]]\n");
    return 2;
  }

  std::vector<HarnessConfig> scenarios;
  auto base = [&](const char* name) {
    HarnessConfig h;
    h.name = name;
    h.duration_s = duration_s;
    h.loss = 0.05;
    h.reset_at_s = duration_s / 2.0;
    h.min_delay_s = 0.003;
    h.jitter_mean_s = 0.0007;
    return h;
  };
  {
    HarnessConfig h = base("insole 100 Hz, 1 kHz 16-bit ticks, +200 ppm, BLE 48.75 ms");
    h.sample_rate_hz = 100.0; h.tick_rate_hz = 1000.0; h.tick_bits = 16; h.first_tick = 60000;
    h.drift_ppm = 200.0; h.drift_change_ppm = -20.0; h.conn_interval_s = 0.04875; h.seed = 11;
    scenarios.push_back(h);
  }
  {
    HarnessConfig h = base("IMU 104 Hz, 32768 Hz 32-bit ticks, -200 ppm, BLE 7.5 ms");
    h.sample_rate_hz = 104.0; h.tick_rate_hz = 32768.0; h.tick_bits = 32; h.first_tick = 123456789;
    h.drift_ppm = -200.0; h.drift_change_ppm = 20.0; h.conn_interval_s = 0.0075; h.seed = 12;
    scenarios.push_back(h);
  }
  {
    HarnessConfig h = base("IMU 208 Hz, 1 MHz 32-bit ticks (wraps), +60 ppm, BLE 30 ms");
    h.sample_rate_hz = 208.0; h.tick_rate_hz = 1e6; h.tick_bits = 32;
    h.first_tick = (std::uint64_t{1} << 32) - 20'000'000;  // wraps 20 s in
    h.drift_ppm = 60.0; h.drift_change_ppm = 20.0; h.conn_interval_s = 0.030; h.seed = 13;
    scenarios.push_back(h);
  }
  {
    HarnessConfig h = base("insole 100 Hz, 8-bit sample counter, -120 ppm, BLE 11.25 ms");
    h.sample_rate_hz = 100.0; h.tick_rate_hz = 100.0; h.tick_bits = 8; h.first_tick = 200;
    h.drift_ppm = -120.0; h.drift_change_ppm = -20.0; h.conn_interval_s = 0.01125; h.seed = 14;
    scenarios.push_back(h);
  }
  // Phase-locked, as the simulated runner's default links: the connection
  // interval is a whole or half multiple of the sample period, so the delay
  // floor is a sawtooth that wraps once per beat (period / drift: 42-143 s
  // here), and between wraps its lowest points lie on a line with the host's
  // rate rather than the device's (README.md, "Limits").
  auto phase_locked = [&](const char* name, double sample_hz, double interval_s, double drift_ppm,
                          std::uint32_t seed) {
    HarnessConfig h = base(name);
    h.sample_rate_hz = sample_hz;
    h.tick_rate_hz = 1e6;
    h.tick_bits = 32;
    h.drift_ppm = drift_ppm;
    h.drift_change_ppm = 0.0;
    h.conn_interval_s = interval_s;
    h.jitter_mean_s = 1e-6;
    h.seed = seed;
    scenarios.push_back(h);
  };
  phase_locked("phase-locked: pelvis 200 Hz, BLE 15 ms, +35 ppm, no jitter", 200.0, 0.015, 35.0, 16);
  phase_locked("phase-locked: insole 100 Hz, BLE 30 ms, -80 ppm, no jitter", 100.0, 0.030, -80.0, 17);
  phase_locked("phase-locked: insole 100 Hz, BLE 45 ms, +120 ppm, no jitter", 100.0, 0.045, 120.0, 18);
  {
    // Worst case on purpose: the connection interval is a whole number of
    // sample periods and the drift small, so the wait from sampling to the
    // connection event is a near-constant phase that no one-way method can
    // tell from the offset (README.md, "Limits").
    HarnessConfig h = base("commensurate: 100 Hz, BLE 20 ms, +5 ppm");
    h.sample_rate_hz = 100.0; h.tick_rate_hz = 1000.0; h.tick_bits = 32;
    h.drift_ppm = 5.0; h.drift_change_ppm = 0.0; h.conn_interval_s = 0.020; h.seed = 15;
    scenarios.push_back(h);
  }

  std::printf("clock_sync_bench: %.0f s per device, 5 %% loss, reset at %.0f s, min delay 3 ms + exp(0.7 ms), "
              "window %.0f s\n",
              duration_s, duration_s / 2.0, window_s > 0.0 ? window_s : DeviceClockConfig{}.window_s);
  std::printf("targets for (a): RMS <= 0.25 ms, max <= 1 ms (samples >= %.0f s after connect), converged <= 3 s\n\n",
              settle_s);
  std::size_t met_count = 0;
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    const HarnessConfig& h = scenarios[i];
    const Result r = run(h, window_s);
    std::printf("%s\n", h.name.c_str());
    print_row("(a) lower envelope (ours)", r.ours);
    print_row("(b) arrival stamping", r.arrival);
    print_row("(c) least squares (LSL)", r.lsq);
    const bool met = r.ours.rms() <= 0.25e-3 && r.ours.max_abs <= 1e-3 && r.ours.worst_convergence() <= 3.0;
    std::printf("  (a) error within its bound: %.4f %% of %zu samples (median bound %.3f ms); resets detected %llu, "
                "wraps %llu; targets %s\n\n",
                100.0 * static_cast<double>(r.ours.bound_held) / static_cast<double>(r.ours.bound_checked),
                r.ours.bound_checked, median(r.ours.bounds_s) * 1e3, static_cast<unsigned long long>(r.counters.resets),
                static_cast<unsigned long long>(r.counters.wraps), met ? "MET" : "NOT MET");
    met_count += met ? 1 : 0;
  }
  std::printf("targets met on %zu of %zu scenarios\n\n", met_count, scenarios.size());
  run_latency_calibration(std::min(duration_s, 90.0), 7);
  return 0;
}
