// libFuzzer target (tools/fuzz.sh finds it by its name): arbitrary notification
// values into the reference IMU's payload decoder, with and without the
// magnetometer. Must never crash or read out of bounds; a value it accepts has samples.
#include <cstddef>
#include <cstdint>

#include "reference_imu/reference_imu_payload.hpp"
#include "stridefuse/core/sample_batch.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace stridefuse;
  const std::span<const std::uint8_t> value(data, size);
  if (const auto p = reference_imu::decode(value); p && p->samples.empty()) __builtin_trap();
  for (const bool with_magnetometer : {false, true}) {
    SampleBatch out;
    const bool ok = reference_imu::decode_into(value, with_magnetometer, [&](std::uint32_t tick) -> Sample& {
      return out.add(0, tick, with_magnetometer ? 9 : 6);
    });
    if (ok == out.empty()) __builtin_trap();
  }
  return 0;
}
