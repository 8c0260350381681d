// libFuzzer target (tools/fuzz.sh finds it by its name): arbitrary RSC
// measurement values into the decoder and the driver. Must never crash or read
// out of bounds; a value the driver takes gives one finite speed.
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "rsc_speed/rsc_measurement.hpp"
#include "rsc_speed/rsc_speed_driver.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace stridefuse;
  const std::span<const std::uint8_t> value(data, size);
  (void)rsc::decode(value);
  rsc::RscSpeedDriver driver;
  SampleBatch out;
  driver.decode(GattNotification{rsc::measurement_characteristic, 7, value}, out);
  if (out.size() > 1 || (out.size() == 1 && !std::isfinite(out[0].values[0]))) __builtin_trap();
  return 0;
}
