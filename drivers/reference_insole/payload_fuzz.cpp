// libFuzzer target (tools/fuzz.sh finds it by its name): arbitrary notification
// values into the reference insole's payload decoder, both IMU flags. Must never
// crash or read out of bounds; a value it accepts has samples.
#include <cstddef>
#include <cstdint>

#include "reference_insole/reference_insole_payload.hpp"
#include "stridefuse/core/sample_batch.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace stridefuse;
  const std::span<const std::uint8_t> value(data, size);
  if (const auto p = reference_insole::decode(value); p && p->samples.empty()) __builtin_trap();
  for (const bool with_imu : {false, true}) {
    SampleBatch out;
    const bool ok = reference_insole::decode_into(value, with_imu, [&](std::uint16_t tick) -> Sample& {
      return out.add(0, tick, reference_insole::site_count + (with_imu ? 6 : 0));
    });
    if (ok == out.empty()) __builtin_trap();
  }
  return 0;
}
