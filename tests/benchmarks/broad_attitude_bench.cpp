// Pelvis attitude estimator on the six BROAD trials in shared/data/broad:
// inclination RMSE per trial and the mean, against VQF's 0.64 deg (6D, same
// scoring, see the folder's README.md). Then leave-one-out: for each trial,
// the accelerometer time constant and in-motion bias noise chosen on the
// other five (a grid) and scored on it, which says how much of the default
// figure is fitted to these six trials. Usage: broad_attitude_bench [DATA_DIR]

#include <cstdio>
#include <exception>
#include <limits>
#include <string>
#include <vector>

#include "../fusion/attitude_broad_trial.hpp"

int main(int argc, char** argv) {
  using namespace stridefuse::fusion;
  constexpr double target_deg = 0.64;
  const std::string dir = argc > 1 ? argv[1] : std::string(STRIDEFUSE_SHARED_DIR) + "/data/broad";
  AttitudeEstimatorConfig config;  // defaults, except the data's nominal rate
  config.sample_rate_hz = 285.714;
  try {
    double sum_deg = 0.0;
    std::printf("BROAD inclination RMSE, 6D (no magnetometer), default settings, data: %s\n", dir.c_str());
    for (const auto& name : broad::trial_names()) {
      const auto trial = broad::load_trial(dir, name);
      const double rmse_deg = broad::inclination_rmse_deg(trial, config);
      sum_deg += rmse_deg;
      std::printf("  %-36s %6.3f deg\n", name.c_str(), rmse_deg);
    }
    const double mean_deg = sum_deg / static_cast<double>(broad::trial_names().size());
    std::printf("  %-36s %6.3f deg\n", "mean", mean_deg);
    std::printf("target: mean below VQF's %.2f deg: %s\n", target_deg, mean_deg < target_deg ? "MET" : "NOT MET");

    // Leave-one-out over a grid of the two settings the data could be fitted with.
    const std::vector<double> time_constants_s = {1.0, 1.5, 2.0, 3.0, 4.5, 6.0, 9.0};
    const std::vector<double> bias_sigmas_degps = {1.0, 2.5, 5.0};
    std::vector<broad::Trial> trials;
    for (const auto& name : broad::trial_names()) trials.push_back(broad::load_trial(dir, name));
    struct Setting {
      double tau_s, sigma_degps;
      std::vector<double> rmse_deg;
    };
    std::vector<Setting> grid;
    for (double tau : time_constants_s)
      for (double sigma : bias_sigmas_degps) {
        Setting g{tau, sigma, {}};
        AttitudeEstimatorConfig c = config;
        c.accel_time_constant_s = tau;
        c.bias_motion_sigma_degps = sigma;
        for (const auto& t : trials) g.rmse_deg.push_back(broad::inclination_rmse_deg(t, c));
        grid.push_back(std::move(g));
      }
    std::printf("leave-one-out (time constant %zu values 1-9 s x in-motion bias noise %zu values 1-5 deg/s, chosen on the other five):\n",
                time_constants_s.size(), bias_sigmas_degps.size());
    double loo_sum_deg = 0.0;
    for (std::size_t held = 0; held < trials.size(); ++held) {
      const Setting* best = nullptr;
      double best_mean = std::numeric_limits<double>::infinity();
      for (const auto& g : grid) {
        double others = 0.0;
        for (std::size_t k = 0; k < trials.size(); ++k)
          if (k != held) others += g.rmse_deg[k];
        if (others < best_mean) best_mean = others, best = &g;
      }
      loo_sum_deg += best->rmse_deg[held];
      std::printf("  %-36s %6.3f deg (chose %.1f s, %.1f deg/s)\n", broad::trial_names()[held].c_str(),
                  best->rmse_deg[held], best->tau_s, best->sigma_degps);
    }
    const double loo_deg = loo_sum_deg / static_cast<double>(trials.size());
    std::printf("  %-36s %6.3f deg (defaults: %.3f) against VQF's %.2f: %s\n", "leave-one-out mean", loo_deg, mean_deg,
                target_deg, loo_deg < target_deg ? "MET" : "NOT MET");
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "broad_attitude_bench: %s\n", e.what());
    return 1;
  }
}
