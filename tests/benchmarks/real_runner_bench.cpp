// The real runner of ../shared/data/rbds through `analyze`: sensor files made
// from the pelvis markers and the treadmill's plate (tests/sdk/rbds_trial.hpp),
// truth from the plate (vertical force crossing 25 N). Prints, per insole
// kind and for the pelvis alone: steps found, initial contact and toe-off
// errors (detected - plate) and contact time error, against the targets of
// issue 11 (IC median <= 3 ms, p95 <= 8 ms; contact time RMSE <= 5 ms);
// then how far the sacrum's vertical acceleration lags the centre of mass's,
// per harmonic of the step frequency; then the pelvis attitude.
//
//   real_runner_bench

#include <cmath>
#include <complex>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <tuple>
#include <limits>

#include "../sdk/rbds_trial.hpp"
#include "stridefuse/fusion/insole_loading.hpp"
#include "stridefuse/fusion/strike_lag_estimator.hpp"
#include "stridefuse/runtime/offline_analysis.hpp"
#include "stridefuse/runtime/recording_files.hpp"

using namespace stridefuse;

namespace {

void print_row(const char* name, const rbds::Score& s) {
  std::printf("%-34s %3zu/%3zu %4zu %3zu | %6.1f %6.1f %+6.1f | %+6.1f %6.1f | %6.1f\n", name, s.matched, s.true_steps,
              s.detected, s.wrong_side, 1e3 * rbds::Score::median_abs(s.ic_error_s),
              1e3 * rbds::Score::percentile_abs(s.ic_error_s, 0.95), 1e3 * rbds::Score::mean(s.ic_error_s),
              1e3 * rbds::Score::mean(s.to_error_s), 1e3 * rbds::Score::percentile_abs(s.to_error_s, 0.95),
              1e3 * rbds::Score::rms(s.contact_error_s));
}

// Pelvic angles at initial contact against the markers at the plate's
// contact: RMSE of the difference after removing its mean (the neutral
// postures differ: ours from the first strides, the markers' the whole run's
// mean), and that mean.
void print_angles(const char* name, const std::vector<StepEvent>& steps, const rbds::SensorFiles& files) {
  const rbds::MarkerAngles truth(files);
  std::vector<double> d[3];
  for (const auto& [c, s] : rbds::matched_steps(steps, files.contacts))
    if (std::isfinite(s->tilt_ic_deg.value)) {
      const auto a = truth.at(c->ic_s);
      d[0].push_back(s->tilt_ic_deg.value - a.tilt_deg);
      d[1].push_back(s->obliquity_ic_deg.value - a.obliquity_deg);
      d[2].push_back(s->rotation_ic_deg.value - a.rotation_deg);
    }
  std::printf("  angles at IC, %-19s %zu steps; tilt / obliquity / rotation: RMSE about the mean", name, d[0].size());
  for (auto& v : d) {
    const double m = rbds::Score::mean(v);
    for (double& x : v) x -= m;
    std::printf(" %.2f (mean %+.1f)", rbds::Score::rms(v), m);
  }
  std::printf(" deg\n");
}

// The fine force-acceleration match (StrikeLagEstimator, what the offline
// alignment and the live latency calibration rest on) on files that share a
// clock, seeded at the right lag (0): the lag it measures is its bias on a
// real pelvis and real feet.
// How far the sacrum's vertical acceleration lags the centre of mass's (the
// plate's vertical force / mass - g), per harmonic of the step frequency and
// for the whole signals: the body's part of the cross-sensor lag
// (sdk/core/src/clock/README.md, "Where the lag comes from"). Both are
// low-passed alike (10 Hz, both ways, as the sensor files are made), so the
// filter adds no lag between them.
void print_body_lag() {
  namespace d = rbds::detail;
  const auto markers = d::read_table(rbds::data_dir() / "RBDS001runT25markers.txt");
  const auto plate = d::read_table(rbds::data_dir() / "RBDS001runT25forces.txt");
  const auto rps = d::marker_path(markers, "R.PSIS", 10.0), lps = d::marker_path(markers, "L.PSIS", 10.0);
  std::vector<double> force(plate.rows.size());
  const auto fy = plate.column("Fy");
  for (std::size_t i = 0; i < force.size(); ++i) force[i] = plate.rows[i][fy];
  d::low_pass_both_ways(force, 10.0, rbds::plate_rate_hz);
  double weight_n = 0.0;
  for (const double f : force) weight_n += f / double(force.size());
  const double g = 9.80665, dt = 1.0 / rbds::marker_rate_hz;
  // On the markers' samples (the plate runs at twice their rate, from the same start).
  std::vector<double> sacrum, com;
  for (std::size_t i = 1; i + 1 < rps.size() && 2 * i < force.size(); ++i) {
    const auto y = [&](std::size_t k) { return 0.5 * (rps[k].y() + lps[k].y()); };
    sacrum.push_back((y(i + 1) - 2.0 * y(i) + y(i - 1)) / (dt * dt));
    com.push_back(force[2 * i] / weight_n * g - g);
  }
  const std::size_t n = sacrum.size();
  const auto spectrum = [&](const std::vector<double>& x, double hz) {
    std::complex<double> sum;
    for (std::size_t i = 0; i < n; ++i) {
      const double hann = 0.5 - 0.5 * std::cos(2.0 * pi * double(i) / double(n - 1));
      sum += hann * x[i] * std::polar(1.0, -2.0 * pi * hz * double(i) * dt);
    }
    return sum;
  };
  double step_hz = 2.0, step_amplitude = 0.0;
  for (double hz = 2.0; hz <= 4.0; hz += 0.002)
    if (const double amplitude = std::abs(spectrum(com, hz)); amplitude > step_amplitude)
      step_hz = hz, step_amplitude = amplitude;
  std::printf("sacrum's vertical acceleration against the centre of mass's (plate force / mass), lag:\n");
  for (int h = 1; h <= 4; ++h) {
    const auto a = spectrum(sacrum, h * step_hz), c = spectrum(com, h * step_hz);
    std::printf("  %d x step frequency (%.2f Hz): %+5.1f ms, amplitude x %.2f\n", h, h * step_hz,
                -1e3 * std::arg(a * std::conj(c)) / (2.0 * pi * h * step_hz), std::abs(a) / std::abs(c));
  }
  // The whole signals: the peak of their cross-correlation, within +-100 ms.
  const int reach = int(0.1 / dt);
  std::vector<double> r;
  for (int lag = -reach; lag <= reach; ++lag) {
    double sum = 0.0;
    for (std::size_t i = std::size_t(reach); i + std::size_t(reach) < n; ++i) sum += sacrum[i] * com[i - lag];
    r.push_back(sum);
  }
  const auto k = std::size_t(std::max_element(r.begin() + 1, r.end() - 1) - r.begin());
  const double vertex = 0.5 * (r[k - 1] - r[k + 1]) / (r[k - 1] - 2.0 * r[k] + r[k + 1]);
  std::printf("  whole signals: %+5.1f ms\n", 1e3 * (double(k) - reach + vertex) * dt);
}

void print_fine_lag(const char* name, const rbds::SensorFiles& f) {
  const auto pelvis = read_pelvis_csv(f.pelvis_csv);
  const SensorRecording insoles[2] = {read_insole_csv(f.left_csv, read_insole_layout(f.left_layout)),
                                      read_insole_csv(f.right_csv, read_insole_layout(f.right_layout))};
  fusion::StrikeLagConfig config;
  config.fit_drift = false;
  fusion::StrikeLagEstimator estimator(config, {0.0, 0.0});
  // Feed in time order: both insoles up to each pelvis sample.
  std::size_t next[2] = {0, 0};
  for (std::size_t i = 0; i < pelvis.t_s.size(); ++i) {
    for (int k = 0; k < 2; ++k) {
      const auto& r = insoles[k];
      const std::size_t width = r.stream.channels.size();
      for (; next[k] < r.t_s.size() && r.t_s[next[k]] <= pelvis.t_s[i]; ++next[k])
        estimator.add_insole(std::size_t(k), r.t_s[next[k]],
                             fusion::insole_force_n(*r.stream.insole, {r.values.data() + next[k] * width, width}));
    }
    const double* a = pelvis.values.data() + i * pelvis.stream.channels.size();
    estimator.add_pelvis(pelvis.t_s[i], {a[0], a[1], a[2]});
  }
  estimator.process();
  std::printf("  %-32s", name);
  for (int k = 0; k < 2; ++k) {
    const auto e = estimator.estimate(std::size_t(k));
    if (e) std::printf(" %s %+.1f ms (%zu windows)", k == 0 ? "left" : "right", e->offset_s * 1e3, e->windows);
    else std::printf(" %s: no window matched", k == 0 ? "left" : "right");
  }
  std::printf("  (truth 0)\n");
}

// Foot-strike distance against the plate's centre of pressure and the pelvis markers' centroid.
void print_foot_strike_distance(const std::vector<StepEvent>& steps, const rbds::SensorFiles& files) {
  std::vector<double> d, sd, braking;
  for (const auto& [c, s] : rbds::matched_steps(steps, files.contacts)) {
    if (std::isfinite(s->foot_strike_distance_m.value)) {
      d.push_back(s->foot_strike_distance_m.value - c->foot_strike_distance_m);
      sd.push_back(s->foot_strike_distance_uncertainty_m.value);
    }
    if (std::isfinite(s->braking_time_s.value) && std::isfinite(c->braking_time_s))
      braking.push_back(s->braking_time_s.value - c->braking_time_s);
  }
  double truth_mean = 0.0;
  for (const auto& c : files.contacts) truth_mean += c.foot_strike_distance_m / double(files.contacts.size());
  std::printf("  %-32s %zu steps: RMSE %.1f cm, bias %+.1f cm (truth mean %.1f cm); within 2 u %.0f %% (u mean %.1f cm)\n",
              "foot-strike distance:", d.size(), 100.0 * rbds::Score::rms(d), 100.0 * rbds::Score::mean(d),
              100.0 * truth_mean, rbds::Score::within_pct(d, sd, 2.0), 100.0 * rbds::Score::mean(sd));
  // The same against the centre of mass, which the plate puts com_lead_m ahead of the markers' centroid.
  for (double& e : d) e += files.com_lead_m;
  std::printf("  %-32s %zu steps: RMSE %.1f cm, bias %+.1f cm; within 2 u %.0f %% (the plate puts it %.1f cm ahead of the markers)\n",
              "  from the centre of mass:", d.size(), 100.0 * rbds::Score::rms(d), 100.0 * rbds::Score::mean(d),
              rbds::Score::within_pct(d, sd, 2.0), 100.0 * files.com_lead_m);
  std::printf("  %-32s %zu steps: RMSE %.1f ms, bias %+.1f ms (the plate's fore-aft force turning)\n", "braking time:",
              braking.size(), 1e3 * rbds::Score::rms(braking), 1e3 * rbds::Score::mean(braking));
}

AnalysisInputs inputs(const rbds::SensorFiles& f, bool insoles, bool pelvis) {
  AnalysisInputs in;
  if (pelvis) in.pelvis_csv = f.pelvis_csv;
  if (insoles) {
    in.left_csv = f.left_csv;
    in.left_layout = f.left_layout;
    in.right_csv = f.right_csv;
    in.right_layout = f.right_layout;
    in.same_clock = pelvis;
  }
  in.speed_mps = rbds::belt_speed_mps;
  in.body_mass_kg = rbds::body_mass_kg;
  return in;
}

}  // namespace

int main() {
  if (!rbds::available()) {
    std::fprintf(stderr, "real_runner_bench: no RBDS recording at %s\n", rbds::data_dir().c_str());
    return 1;
  }
  const auto dir = std::filesystem::temp_directory_path() / "stridefuse-real-runner-bench";
  std::printf("RBDS subject 1, 2.5 m/s treadmill, 30 s, no standing start; truth: plate force crossing 25 N\n");
  std::printf("%-34s %7s %4s %3s | %6s %6s %6s | %6s %6s | %6s\n", "sensors", "matched", "det", "LR", "IC|med|", "IC p95",
              "IC sgn", "TO sgn", "TO p95", "CT rms");
  std::printf("%-34s %7s %4s %3s | %6s %6s %6s | %6s %6s | %6s\n", "", "", "", "", "ms", "ms", "ms", "ms", "ms", "ms");
  struct Insole {
    const char* name;
    std::size_t sites;
    int decimation;
  };
  for (const Insole k : {Insole{"pelvis + insoles 8 cells 50 Hz", 8, 6}, Insole{"pelvis + insoles 16 cells 100 Hz", 16, 3},
                         Insole{"pelvis + insoles 24 cells 300 Hz", 24, 1}}) {
    rbds::MakeOptions o;
    o.insole_sites = k.sites;
    o.insole_decimation = k.decimation;
    const auto files = rbds::make_sensor_files(dir, o);
    print_row(k.name, rbds::score(analyze_recording(inputs(files, true, true)).steps, files.contacts));
    print_fine_lag("fine lag, files on one clock:", files);
    print_foot_strike_distance(analyze_recording(inputs(files, true, true)).steps, files);
    if (k.sites == 16) {
      print_row("insoles alone 16 cells 100 Hz", rbds::score(analyze_recording(inputs(files, true, false)).steps, files.contacts));
      print_angles("pelvis + insoles", analyze_recording(inputs(files, true, true)).steps, files);
      const auto pelvis_alone = analyze_recording(inputs(files, false, true));
      print_angles("pelvis alone", pelvis_alone.steps, files);
      print_row("pelvis alone", rbds::score(pelvis_alone.steps, files.contacts));
      for (const auto& step : pelvis_alone.steps)
        if (std::isfinite(step.tilt_ic_deg.value)) {
          std::printf("%-34s first at %.2f s (the first sample at %.2f s)\n", "  pelvic angles (pelvis alone)",
                      step.t_ic_s, pelvis_alone.attitude.front().t_s);
          break;
        }
      try {
        auto in = inputs(files, true, true);
        in.same_clock = false;
        const auto s = rbds::score(analyze_recording(in).steps, files.contacts);
        print_row("clocks from the data (guessed)", s);
      } catch (const ClockAlignmentError& e) {
        std::printf("%-34s refused: %.90s...\n", "clocks from the data", e.what());
      }
    }
  }

  std::printf("\n");
  print_body_lag();

  // Attitude: inclination against the markers, from the first sample (running, no standing).
  std::printf("\npelvis attitude (inclination against the markers' pelvis), running from the first sample\n");
  std::printf("%-34s %8s %8s %8s %8s\n", "mounting", "first 2s", "2-5 s", "after 5s", "settle<2");
  std::printf("%-34s %8s %8s %8s %8s\n", "", "rms deg", "rms deg", "rms deg", "s");
  struct Mount {
    const char* name;
    Eigen::Matrix3d m;
  };
  const auto rot = [](double deg, const Eigen::Vector3d& axis) {
    return Eigen::AngleAxisd(deg * pi / 180.0, axis).toRotationMatrix();
  };
  struct Gap {
    const char* name;
    double start_s, end_s;
  };
  // The pelvis attitude's inclination error from a gap in its file on,
  // until `until_s` (s, deg).
  const auto errors_after_gap = [&](double start_s, double end_s, double until_s) {
    rbds::MakeOptions o;
    o.pelvis_gap_start_s = start_s;
    o.pelvis_gap_end_s = end_s;
    const auto files = rbds::make_sensor_files(dir, o);
    auto errors = rbds::inclination_errors_deg(analyze_recording(inputs(files, false, true)).attitude, files.up);
    std::erase_if(errors, [&](const auto& e) { return e.first < start_s || e.first > until_s; });
    double worst = 0.0, sum = 0.0;
    for (const auto& [t, e] : errors) worst = std::max(worst, e), sum += e * e;
    return std::tuple{errors, worst, std::sqrt(sum / double(errors.size()))};
  };
  // Short gaps at 30 moments of the run (every 0.61 s from 8 s: every phase
  // of the stride), each analysed alone: the inclination error in the 3 s
  // after the gap.
  for (const double gap_s : {0.15, 0.4}) {
    double worst_sum = 0.0, rms_sum = 0.0;
    int gaps = 0;
    for (double start_s = 8.0; start_s < 26.0; start_s += 0.61, ++gaps) {
      const auto [errors, worst, rms] = errors_after_gap(start_s, start_s + gap_s, start_s + gap_s + 3.0);
      worst_sum += worst;
      rms_sum += rms;
    }
    std::printf("%.0f ms pelvis gaps at %d moments     3 s after each: worst %.2f deg, rms %.2f deg (means over the gaps)\n",
                gap_s * 1e3, gaps, worst_sum / gaps, rms_sum / gaps);
  }
  for (const auto& g : {Gap{"a 150 ms pelvis gap at 15 s", 15.0, 15.15}, Gap{"a 2 s pelvis gap at 15 s", 15.0, 17.0}}) {
    const auto [errors, worst, rms] = errors_after_gap(g.start_s, g.end_s, std::numeric_limits<double>::infinity());
    std::printf("%-34s after it: worst %.2f deg, rms %.2f deg, within 2 deg %.2f s after the gap\n", g.name, worst, rms,
                rbds::settling_time_s(errors, 2.0) + errors.front().first - g.end_s);
  }
  for (const auto& k : {Mount{"x up, y left, z back", Eigen::Matrix3d::Identity()},
                        Mount{"turned 180 about z, 80 about y", rot(180, Eigen::Vector3d::UnitZ()) * rot(80, Eigen::Vector3d::UnitY())},
                        Mount{"upside down (180 about y)", rot(180, Eigen::Vector3d::UnitY())},
                        Mount{"lying (90 about x)", rot(90, Eigen::Vector3d::UnitX())}}) {
    rbds::MakeOptions o;
    o.mounting = k.m;
    const auto files = rbds::make_sensor_files(dir, o);
    const auto errors = rbds::inclination_errors_deg(analyze_recording(inputs(files, false, true)).attitude, files.up);
    double sum[3] = {0, 0, 0};
    std::size_t count[3] = {0, 0, 0};
    for (const auto& [t, e] : errors) {
      const int band = t - errors.front().first < 2.0 ? 0 : t - errors.front().first < 5.0 ? 1 : 2;
      sum[band] += e * e;
      ++count[band];
    }
    std::printf("%-34s %8.2f %8.2f %8.2f %8.2f\n", k.name, std::sqrt(sum[0] / double(count[0])),
                std::sqrt(sum[1] / double(count[1])), std::sqrt(sum[2] / double(count[2])),
                rbds::settling_time_s(errors, 2.0));
  }
  std::filesystem::remove_all(dir);
  return 0;
}
