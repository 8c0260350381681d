// libFuzzer target: arbitrary bytes from a "bridge" into the bridge driver with
// every reference sensor behind it. Must never crash, hang or read out of
// bounds; malformed input is only counted.
#include <cstddef>
#include <cstdint>

#include "bridge/bridge_driver.hpp"
#include "reference_imu/reference_imu_driver.hpp"
#include "reference_insole/reference_insole_driver.hpp"
#include "rsc_speed/rsc_speed_driver.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace stridefuse;
  std::vector<bridge::ConnectedSensor> sensors;
  sensors.push_back({1, {}, std::make_unique<reference_imu::ReferenceImuDriver>(false)});
  sensors.push_back({2, {}, std::make_unique<reference_insole::ReferenceInsoleDriver>(
                                reference_insole::InsoleIdentity{Side::left, 265}, false)});
  sensors.push_back({3, {}, std::make_unique<reference_insole::ReferenceInsoleDriver>(
                                reference_insole::InsoleIdentity{Side::right, 265}, true)});
  sensors.push_back({4, {}, std::make_unique<rsc::RscSpeedDriver>()});
  bridge::BridgeDriver driver(bridge::BridgeInfo{}, std::move(sensors));
  const auto stream_count = driver.streams().size();
  // Feed in uneven pieces, as a transport would.
  std::size_t i = 0;
  std::size_t piece = 1;
  SampleBatch batch;
  while (i < size) {
    const std::size_t n = std::min(piece, size - i);
    batch.clear();
    driver.decode({data + i, n}, batch);
    for (const Sample& s : batch)
      if (s.stream >= stream_count || s.channel_count > Sample::max_channels || !s.has_bridge_tick) __builtin_trap();
    i += n;
    piece = piece * 3 % 61 + 1;
  }
  (void)driver.counters();
  (void)driver.health();
  return 0;
}
