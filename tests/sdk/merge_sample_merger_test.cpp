// SampleMerger: time order across streams, the bounded wait for a stalled
// stream, the late-sample policies, flush, and bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

#include "stridefuse/core/sample_merger.hpp"

namespace stridefuse {
namespace {

Sample at(std::uint16_t stream, double t_s) {
  Sample s;
  s.stream = stream;
  s.t_s = t_s;
  return s;
}

struct Released {
  std::uint16_t stream;
  double t_s;
  bool late;
};

struct Collector {
  std::vector<Released> out;
  SampleMerger::Callback callback() {
    return [this](const Sample& s, bool late) { out.push_back({s.stream, s.t_s, late}); };
  }
};

TEST(MergeSampleMerger, RejectsInvalidConfigAndInput) {
  EXPECT_THROW(SampleMerger({.stream_count = 0}), std::invalid_argument);
  EXPECT_THROW(SampleMerger({.stream_count = 2, .max_wait_s = -0.01}), std::invalid_argument);
  EXPECT_THROW(SampleMerger({.stream_count = 2, .max_wait_s = std::nan("")}), std::invalid_argument);
  EXPECT_THROW(SampleMerger({.stream_count = 2, .max_buffered = 0}), std::invalid_argument);
  SampleMerger m({.stream_count = 2});
  EXPECT_THROW(m.push(at(2, 0.0)), std::invalid_argument);
  EXPECT_THROW(m.push(at(0, std::numeric_limits<double>::infinity())), std::invalid_argument);
  Collector c;
  EXPECT_THROW(m.release(std::nan(""), c.callback()), std::invalid_argument);
}

TEST(MergeSampleMerger, ReleasesInterleavedStreamsInTimeOrder) {
  // Three streams at different rates, pushed in bursts per stream (as BLE
  // bunches arrive); released whenever everyone has caught up.
  SampleMerger m({.stream_count = 3, .max_wait_s = 10.0});
  Collector c;
  std::mt19937 rng(3);
  const double period[3] = {0.010, 0.0048, 0.0333};
  double next[3] = {0.001, 0.002, 0.0};
  for (int round = 0; round < 200; ++round) {
    const double until = 0.05 * (round + 1);
    for (std::uint16_t s = 0; s < 3; ++s)
      for (; next[s] < until; next[s] += period[s]) m.push(at(s, next[s]));
    m.release(until, c.callback());  // now is far below t + max_wait: only "everyone caught up" releases
  }
  m.flush(c.callback());
  ASSERT_EQ(c.out.size(), m.counters().pushed);
  for (std::size_t i = 1; i < c.out.size(); ++i) ASSERT_LE(c.out[i - 1].t_s, c.out[i].t_s) << i;
  for (const auto& r : c.out) EXPECT_FALSE(r.late);
  EXPECT_EQ(m.counters().late, 0u);
  EXPECT_EQ(m.counters().released_by_timeout, 0u);
}

TEST(MergeSampleMerger, HoldsSamplesUntilEveryStreamHasCaughtUp) {
  SampleMerger m({.stream_count = 2, .max_wait_s = 0.05});
  Collector c;
  m.push(at(0, 1.00));
  m.push(at(0, 1.01));
  EXPECT_EQ(m.release(1.02, c.callback()), 0u);  // stream 1 may still send something earlier
  m.push(at(1, 1.005));
  EXPECT_EQ(m.release(1.02, c.callback()), 2u);  // 1.00 and 1.005; 1.01 waits for stream 1
  ASSERT_EQ(c.out.size(), 2u);
  EXPECT_DOUBLE_EQ(c.out[0].t_s, 1.00);
  EXPECT_DOUBLE_EQ(c.out[1].t_s, 1.005);
  EXPECT_EQ(m.buffered(), 1u);
}

// What a live session sleeps until: the next timed release, or nothing to wait for.
TEST(MergeSampleMerger, NextDueIsWhenTheOldestHeldSampleHasWaitedItsBound) {
  SampleMerger m({.stream_count = 2, .max_wait_s = 0.05});
  Collector c;
  EXPECT_EQ(m.next_due_s(), std::numeric_limits<double>::infinity()) << "nothing held";
  m.push(at(0, 1.00));
  m.push(at(0, 1.01));
  EXPECT_DOUBLE_EQ(m.next_due_s(), 1.05);  // stream 1 may still send something earlier
  EXPECT_FALSE(m.release_due(1.049));
  EXPECT_TRUE(m.release_due(m.next_due_s()));
  m.push(at(1, 1.005));
  EXPECT_EQ(m.next_due_s(), -std::numeric_limits<double>::infinity()) << "1.00 is due whatever the time";
  EXPECT_EQ(m.release(0.0, c.callback()), 2u);
  EXPECT_DOUBLE_EQ(m.next_due_s(), 1.06);  // 1.01 waits for stream 1
  m.flush(c.callback());
  EXPECT_EQ(m.next_due_s(), std::numeric_limits<double>::infinity());
}

TEST(MergeSampleMerger, AStalledStreamDelaysTheOthersByAtMostMaxWait) {
  const double max_wait_s = 0.05;
  SampleMerger m({.stream_count = 3, .max_wait_s = max_wait_s});
  Collector c;
  // Stream 2 delivers once and then stalls; 0 and 1 keep going at 100 Hz.
  m.push(at(2, 0.0));
  double worst_latency_s = 0.0;
  for (int k = 0; k < 500; ++k) {
    const double now = 0.01 * k;
    m.push(at(0, now));
    m.push(at(1, now + 0.001));
    const std::size_t before = c.out.size();
    m.release(now, c.callback());
    for (std::size_t i = before; i < c.out.size(); ++i) worst_latency_s = std::max(worst_latency_s, now - c.out[i].t_s);
  }
  // Everything older than now - max_wait is out, nothing waited longer than
  // max_wait plus one release period.
  EXPECT_LE(worst_latency_s, max_wait_s + 0.01 + 1e-9);
  EXPECT_GT(m.counters().released_by_timeout, 900u);
  for (const auto& r : c.out) EXPECT_LE(r.t_s, 4.99 - max_wait_s + 1e-9);
  EXPECT_LE(m.buffered(), 12u);
  for (std::size_t i = 1; i < c.out.size(); ++i) ASSERT_LE(c.out[i - 1].t_s, c.out[i].t_s);
}

TEST(MergeSampleMerger, LateSamplesAreReleasedFlaggedAndCounted) {
  SampleMerger m({.stream_count = 2, .max_wait_s = 0.05, .late_policy = LateSamplePolicy::release_flagged});
  Collector c;
  m.push(at(0, 1.0));
  m.push(at(0, 1.1));
  m.release(1.2, c.callback());  // stream 1 silent: both go out by timeout
  ASSERT_EQ(c.out.size(), 2u);
  m.push(at(1, 1.05));           // behind the frontier (1.1): cannot be put in order any more
  m.push(at(1, 1.02));
  m.push(at(1, 1.15));           // ahead of the frontier: normal
  m.push(at(0, 1.16));
  m.release(1.16, c.callback());
  ASSERT_EQ(c.out.size(), 5u);
  EXPECT_TRUE(c.out[2].late);    // late ones first, in their own order
  EXPECT_DOUBLE_EQ(c.out[2].t_s, 1.02);
  EXPECT_TRUE(c.out[3].late);
  EXPECT_DOUBLE_EQ(c.out[3].t_s, 1.05);
  EXPECT_FALSE(c.out[4].late);
  EXPECT_DOUBLE_EQ(c.out[4].t_s, 1.15);
  EXPECT_EQ(m.counters().late, 2u);
  EXPECT_EQ(m.counters().late_released, 2u);
  EXPECT_EQ(m.counters().late_dropped, 0u);
  // The in-order sequence (late = false) never goes back in time.
  double last = -1.0;
  for (const auto& r : c.out)
    if (!r.late) {
      EXPECT_GE(r.t_s, last);
      last = r.t_s;
    }
}

TEST(MergeSampleMerger, LateSamplesCanBeDropped) {
  SampleMerger m({.stream_count = 2, .max_wait_s = 0.05, .late_policy = LateSamplePolicy::drop});
  Collector c;
  m.push(at(0, 1.0));
  m.release(1.2, c.callback());
  m.push(at(1, 0.9));
  m.flush(c.callback());
  ASSERT_EQ(c.out.size(), 1u);
  EXPECT_EQ(m.counters().late, 1u);
  EXPECT_EQ(m.counters().late_dropped, 1u);
  EXPECT_EQ(m.buffered(), 0u);
}

TEST(MergeSampleMerger, EqualTimesComeOutByStreamThenPushOrder) {
  SampleMerger m({.stream_count = 3});
  Collector c;
  m.push(at(2, 1.0));
  m.push(at(0, 1.0));
  m.push(at(1, 1.0));
  m.push(at(0, 1.0));
  m.flush(c.callback());
  ASSERT_EQ(c.out.size(), 4u);
  EXPECT_EQ(c.out[0].stream, 0);
  EXPECT_EQ(c.out[1].stream, 0);
  EXPECT_EQ(c.out[2].stream, 1);
  EXPECT_EQ(c.out[3].stream, 2);
}

TEST(MergeSampleMerger, OverflowIsCountedNotSilent) {
  SampleMerger m({.stream_count = 2, .max_buffered = 4});
  for (int i = 0; i < 6; ++i) m.push(at(0, i * 0.01));
  EXPECT_EQ(m.buffered(), 4u);
  EXPECT_EQ(m.counters().overflow_dropped, 2u);
}

TEST(MergeSampleMerger, RandomTrafficKeepsOrderAndAccountsForEverySample) {
  // Four streams with random delivery delays (some beyond max_wait), stalls
  // and jitter in the release calls: the in-order output never goes back in
  // time, and every pushed sample is released or counted as dropped.
  for (LateSamplePolicy policy : {LateSamplePolicy::release_flagged, LateSamplePolicy::drop}) {
    SampleMerger m({.stream_count = 4, .max_wait_s = 0.05, .late_policy = policy});
    Collector c;
    std::mt19937 rng(static_cast<unsigned>(policy) + 1);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    struct Pending {
      double due_s;
      Sample sample;
    };
    std::vector<Pending> in_flight;
    double now = 0.0;
    for (int step = 0; step < 20000; ++step) {
      now += 0.001;
      const auto stream = static_cast<std::uint16_t>(step % 4);
      const double delay = unit(rng) < 0.02 ? 0.2 * unit(rng) : 0.04 * unit(rng);
      if (!(stream == 3 && now > 5.0 && now < 8.0)) in_flight.push_back({now + delay, at(stream, now)});  // stream 3 stalls
      for (std::size_t i = 0; i < in_flight.size();) {
        if (in_flight[i].due_s <= now) {
          m.push(in_flight[i].sample);
          in_flight[i] = in_flight.back();
          in_flight.pop_back();
        } else {
          ++i;
        }
      }
      if (unit(rng) < 0.5) m.release(now, c.callback());
    }
    for (const auto& p : in_flight) m.push(p.sample);
    m.flush(c.callback());
    double last = -1.0;
    std::size_t late = 0;
    for (const auto& r : c.out) {
      if (r.late) {
        ++late;
        continue;
      }
      ASSERT_GE(r.t_s, last);
      last = r.t_s;
    }
    const auto& k = m.counters();
    EXPECT_GT(k.late, 0u);
    EXPECT_EQ(c.out.size() + k.late_dropped + k.overflow_dropped, k.pushed);
    EXPECT_EQ(late, k.late_released);
    EXPECT_EQ(m.buffered(), 0u);
  }
}

TEST(MergeSampleMerger, FlushReleasesEverythingInOrder) {
  SampleMerger m({.stream_count = 2, .max_wait_s = 1.0});
  Collector c;
  m.push(at(0, 0.3));
  m.push(at(1, 0.1));
  m.push(at(0, 0.2));
  EXPECT_EQ(m.flush(c.callback()), 3u);
  ASSERT_EQ(c.out.size(), 3u);
  EXPECT_DOUBLE_EQ(c.out[0].t_s, 0.1);
  EXPECT_DOUBLE_EQ(c.out[1].t_s, 0.2);
  EXPECT_DOUBLE_EQ(c.out[2].t_s, 0.3);
  EXPECT_EQ(m.buffered(), 0u);
  EXPECT_DOUBLE_EQ(m.frontier_s(), 0.3);
}

}  // namespace
}  // namespace stridefuse
