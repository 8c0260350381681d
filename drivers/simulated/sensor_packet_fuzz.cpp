// libFuzzer target (tools/fuzz.sh finds it by its name): arbitrary bytes into
// the simulated devices' sensor-packet driver, in uneven pieces. Must never
// crash or read out of bounds; every sample it decodes fits its stream.
#include <cstddef>
#include <cstdint>

#include "simulated/sensor_packet_driver.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace stridefuse;
  StreamDescriptor imu;
  imu.id = "imu";
  imu.kind = StreamKind::imu;
  imu.nominal_rate_hz = 100.0;
  imu.channels = imu_channels(false);
  imu.tick_rate_hz = 1000.0;
  simulated::SensorPacketDriver driver("fuzz", {imu});
  SampleBatch out;
  std::size_t piece = 1;
  for (std::size_t i = 0; i < size; i += piece, piece = piece * 5 % 67 + 1) {
    out.clear();
    driver.decode({data + i, std::min(piece, size - i)}, out);
    for (const Sample& s : out)
      if (s.stream != 0 || s.channel_count != 6) __builtin_trap();
  }
  (void)driver.counters();
  return 0;
}
