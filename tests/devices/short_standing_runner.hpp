#pragma once
// The simulated runner the bridge session tests put behind the emulated
// bridge: one second of standing (the mounting calibration's rest), then running.

#include <cstdint>

#include "stridefuse/sim/runner_simulation.hpp"

namespace stridefuse::bridge {

inline sim::RunnerConfig short_standing(std::uint64_t seed) {
  sim::RunnerConfig c;
  c.seed = seed;
  c.standing_s = 1.0;
  return c;
}

}  // namespace stridefuse::bridge
