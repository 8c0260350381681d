// A footpod (RSC) has no clock of its own: its frames carry the bridge's
// reception tick, so both levels of its bridged clock count the same counter.
// Its status must report each wrap of that counter once.

#include <gtest/gtest.h>

#include <cmath>
#include <variant>

#include "rsc_speed/rsc_speed_driver.hpp"
#include "session/stream_clock_report.hpp"

namespace {

using namespace stridefuse;

TEST(FootpodClock, TheFootpodStreamSaysItsTicksAreTheBridges) {
  rsc::RscSpeedDriver footpod;
  EXPECT_TRUE(footpod.streams()[0].bridge_ticks);
}

TEST(FootpodClock, TheBridgeTicksWrapsAreCountedOnce) {
  DeviceClockConfig counter;
  counter.tick_rate_hz = 32768.0;
  counter.tick_bits = 16;  // wraps every 2 s
  std::variant<DeviceClock, BridgedClock> clock{std::in_place_type<BridgedClock>, counter, counter};
  auto& bridged = std::get<BridgedClock>(clock);
  detail::StreamClockReport footpod(counter.tick_rate_hz, true);
  for (int k = 0; k < 30; ++k) {  // a notification every 0.7 s, as the bridge stamps it
    const double t_s = 0.7 * k;
    const auto raw = static_cast<std::uint64_t>(std::llround(t_s * counter.tick_rate_hz)) & 0xFFFF;
    footpod.observe(bridged.observe(raw, raw, t_s + 0.002));
  }
  const auto bridge_wraps = bridged.bridge().counters().wraps;
  ASSERT_GE(bridge_wraps, 9u);
  EXPECT_EQ(bridged.sensor().counters().wraps, bridge_wraps) << "both levels saw the one counter wrap";
  EXPECT_EQ(footpod.status(clock).wraps, bridge_wraps);

  // A sensor with a counter of its own behind the bridge: both levels' wraps are real.
  detail::StreamClockReport own_counter(counter.tick_rate_hz, false);
  EXPECT_EQ(own_counter.status(clock).wraps, 2 * bridge_wraps);
}

}  // namespace
