// libFuzzer target: arbitrary notification values into each BLE payload
// decoder (reference insole, reference IMU, RSC) and the sensor-packet decoder
// of the simulated devices. The first byte picks the decoder.
#include <cstddef>
#include <cstdint>

#include "reference_imu/reference_imu_payload.hpp"
#include "reference_insole/reference_insole_payload.hpp"
#include "rsc_speed/rsc_measurement.hpp"
#include "simulated/sensor_packet.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace stridefuse;
  if (size == 0) return 0;
  const std::span<const std::uint8_t> value(data + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
      if (const auto p = reference_insole::decode(value); p && p->samples.empty()) __builtin_trap();
      break;
    case 1:
      if (const auto p = reference_imu::decode(value); p && p->samples.empty()) __builtin_trap();
      break;
    case 2:
      (void)rsc::decode(value);
      break;
    default: {
      simulated::SensorPacketDecoder decoder;
      decoder.feed(value, [](const simulated::SensorPacketView& p) {
        if (p.samples.size() != std::size_t{p.sample_count} * (4 + 4 * std::size_t{p.channel_count})) __builtin_trap();
        double values[Sample::max_channels];
        for (std::size_t i = 0; i < p.sample_count; ++i) p.values(i, values);
      });
      break;
    }
  }
  return 0;
}
