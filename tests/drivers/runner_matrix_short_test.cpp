// The short version of runner_matrix_bench (tests/support/runner_matrix.hpp):
// two randomised scenarios of our own simulated runner, 20 s of running each,
// written on their own device clocks and analysed by analyze_recording. Only
// what must hold whatever the draw: every scenario analysed (its clocks
// aligned, not refused), recall >= 95 % on both clock settings, IC |error|
// median < 10 ms on own clocks. The targets are the benchmark's.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "support/runner_matrix.hpp"

namespace {

double recall_of(const stridefuse::scoring::Figures& f) {
  return f.true_steps ? double(f.matched) / double(f.true_steps) : 0.0;
}

TEST(RunnerMatrixShort, TwoRandomisedScenariosAreAnalysedOnTheirOwnClocks) {
  namespace rm = stridefuse::runner_matrix;
  const auto dir = std::filesystem::temp_directory_path() / ("stridefuse-runner-matrix-test-" + std::to_string(getpid()));
  for (unsigned seed : {1u, 2u}) {
    const auto sc = rm::draw_scenario(seed, 20.0);
    SCOPED_TRACE(rm::describe(sc));
    const auto f = rm::run_scenario(sc, dir);
    ASSERT_FALSE(f.own_refused) << *f.own_refused;
    EXPECT_GT(f.own.true_steps, 50u);
    EXPECT_GE(recall_of(f.own), 0.95);
    EXPECT_GE(recall_of(f.one), 0.95);
    EXPECT_LT(stridefuse::scoring::Score::median_abs(f.own.ic_s), 0.010);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
