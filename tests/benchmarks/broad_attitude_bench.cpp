// Pelvis attitude estimator on the six BROAD trials in shared/data/broad:
// inclination RMSE per trial and the mean, against VQF's 0.64 deg (6D, same
// scoring, see the folder's README.md). Usage: broad_attitude_bench [DATA_DIR]

#include <cstdio>
#include <exception>
#include <string>

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
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "broad_attitude_bench: %s\n", e.what());
    return 1;
  }
}
