#include "fault_plan.hpp"

#include <algorithm>
#include <stdexcept>

namespace stridefuse::bridge {
namespace {

// SplitMix64, uniform in [lo, hi): the same plan from a seed on every platform.
class Uniform {
 public:
  explicit Uniform(std::uint64_t seed) : state_(seed) {}
  double operator()(double lo, double hi) {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return lo + (hi - lo) * (static_cast<double>(z >> 11) * 0x1.0p-53);
  }

 private:
  std::uint64_t state_;
};

}  // namespace

const char* to_string(FaultKind kind) {
  switch (kind) {
    case FaultKind::link_lost: return "link_lost";
    case FaultKind::refuse_connect: return "refuse_connect";
    case FaultKind::clock_restart: return "clock_restart";
    case FaultKind::unplug: return "unplug";
    case FaultKind::connected_lost: return "connected_lost";
  }
  return "unknown";
}

FaultPlan soak_fault_plan(const SoakFaults& soak) {
  if (soak.sensors < 2) throw std::invalid_argument("a soak needs at least 2 sensors");
  if (!(soak.every_min_s > 0.0 && soak.every_min_s <= soak.every_max_s && soak.away_min_s > 0.0 &&
        soak.away_min_s <= soak.away_max_s && soak.duration_s > soak.first_after_s + 10.0 && soak.unplug_s > 0.0))
    throw std::invalid_argument("soak faults: empty or inverted range, or a run too short for its first fault");
  Uniform uniform(soak.seed);
  FaultPlan plan;
  plan.damage = soak.damage;
  const double last_s = soak.duration_s - 10.0;
  plan.faults.push_back({0.0, FaultKind::refuse_connect, soak.sensors - 1, 0.0});
  for (std::size_t sensor = 0; sensor < soak.sensors; ++sensor)
    for (double t = soak.first_after_s + uniform(0.0, soak.every_min_s); t < last_s;
         t += uniform(soak.every_min_s, soak.every_max_s))
      plan.faults.push_back({t, FaultKind::link_lost, sensor, uniform(soak.away_min_s, soak.away_max_s)});
  plan.faults.push_back({0.4 * soak.duration_s, FaultKind::unplug, 0, soak.unplug_s});
  plan.faults.push_back({0.6 * soak.duration_s, FaultKind::clock_restart, 1, uniform(soak.away_min_s, soak.away_max_s)});
  std::stable_sort(plan.faults.begin(), plan.faults.end(), [](const Fault& a, const Fault& b) { return a.at_s < b.at_s; });
  return plan;
}

}  // namespace stridefuse::bridge
