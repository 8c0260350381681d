// The fault soak of issue 12 (tests/support/fault_soak.hpp), shortened to
// 240 s of session time with link losses every 30-50 s per sensor instead of
// every 1-2 min, so that a short run has each fault kind: links lost for
// 2-10 s, 5 % of frames lost both ways, 1 byte in 10,000 corrupted, the
// bridge unplugged and replugged, a sensor's clock restarting, a sensor
// refusing its first connection. The long soak and its targets:
// tests/benchmarks/fault_soak_bench.cpp. Deterministic: the session runs in
// the emulator's time, the faults come from a seed.
//
// Looser than the long soak's targets, because a short run has few samples:
// - recall and precision >= 99 % (not 99.5 %): ~330 steps are scored, so
//   99.5 % would allow a single miss; over 10 seeds the short run gave
//   99.3-100 % and 99.0-100 %;
// - a return to its next step: median <= 1.5 s and p95 <= 3 s for a link's
//   own (returns while the others were up), p95 <= 4 s over all returns
//   (not 2 s): with ~10 and ~20 returns the p95 is the slowest one or two,
//   and a return whose CONNECTED and the status after it are both lost waits
//   PROTOCOL.md's 2 s before the host asks again. Over seeds 1-12 the p95
//   was 1.0-2.7 s (a link's own) and 1.4-3.6 s (all).

#include <gtest/gtest.h>

#include "support/fault_soak.hpp"

namespace {

using namespace stridefuse;

soak::SoakReport short_soak(std::uint64_t seed) {
  soak::SoakOptions options;
  options.duration_s = 240.0;
  options.faults.first_after_s = 15.0;
  options.faults.every_min_s = 30.0;
  options.faults.every_max_s = 50.0;
  options.faults.seed = seed;
  options.faults.damage.seed = seed;
  options.rss_at_s = {};
  return soak::run_fault_soak(options);
}

TEST(FaultSoak, AShortRunWithEveryFaultKeepsItsStepsAndRecovers) {
  const auto r = short_soak(12);
  soak::print(r);
  ASSERT_EQ(r.crashes, 0) << r.crash;
  EXPECT_GE(r.run.session_s, 239.0);

  // Every fault kind happened.
  auto applied = [&](bridge::FaultKind kind) {
    return std::count_if(r.journal.applied.begin(), r.journal.applied.end(),
                         [&](const bridge::Fault& f) { return f.kind == kind; });
  };
  EXPECT_GE(applied(bridge::FaultKind::link_lost), 6);
  EXPECT_EQ(applied(bridge::FaultKind::unplug), 1);
  EXPECT_EQ(applied(bridge::FaultKind::clock_restart), 1);
  EXPECT_EQ(r.journal.counters.connects_refused, 1u);
  EXPECT_EQ(r.journal.counters.power_cycles, 1u);
  EXPECT_GT(r.journal.counters.frames_lost, 0u);
  EXPECT_GT(r.journal.counters.bytes_corrupted, 0u);

  // Steps while the sensors they need are connected.
  EXPECT_GT(r.scored_truth, 250u);
  EXPECT_GE(r.recall, 0.99);
  EXPECT_GE(r.precision, 0.99);
  // A link's own recovery (returns while the other links were up from 1 s to
  // 5 s after it; the replug's included), and over every return: with one
  // insole away, the pelvis's contacts of that foot come ~1.5 s late (the
  // other insole settles their side); with both away, 3.5 s.
  EXPECT_GE(r.alone_returns, 6u);
  EXPECT_LE(r.alone_p50_s, 1.5);
  EXPECT_LE(r.alone_p95_s, 3.0);
  EXPECT_GE(r.returns.size(), r.alone_returns);
  EXPECT_LE(r.return_p50_s, 1.5);
  EXPECT_LE(r.return_p95_s, 4.0);
  // The restarted counter is a new epoch, mapped right: the foot's steps after it are the true ones.
  EXPECT_GE(r.after_restart_truth, 5u);
  EXPECT_EQ(r.after_restart_matched, r.after_restart_truth);
}

}  // namespace
