#pragma once
// A simulation's samples (sample_source.hpp: the simulated runner's, the
// simulated drills') as the bytes a host receives from its devices: sensor packets (sensor_packet.hpp), one per BLE connection event of
// each device, released when the link model says they arrive (bunched,
// delayed, some lost: the wire sequence then skips one, as a real device's
// would). The transports of simulated_runner_link.hpp carry these bytes on the
// host clock or on a clock of their own.

#include <cstdint>
#include <memory>
#include <queue>
#include <vector>

#include "sample_source.hpp"
#include "sensor_packet.hpp"

namespace stridefuse::simulated {

class SensorPacketizer {
 public:
  explicit SensorPacketizer(std::unique_ptr<SampleSource> source);

  /// Appends to `out` the frames of every packet that has reached the host by
  /// simulated time `now_s` (times must not go back).
  void pump(double now_s, std::vector<std::uint8_t>& out);

  const SampleSource& source() const { return *source_; }

 private:
  struct Pending {
    double arrival_s;
    SensorPacket packet;
  };
  struct LaterArrival {
    bool operator()(const Pending& a, const Pending& b) const { return a.arrival_s > b.arrival_s; }
  };
  struct OpenPacket {
    bool open = false;
    double arrival_s = 0.0;
    std::uint64_t next_sample = 0;   ///< sample sequence expected next, to notice lost ones
    std::uint16_t next_packet = 0;   ///< packet sequence number on the wire
    SensorPacket packet;
  };

  void take(const sim::SimulatedSample& sample);
  void close(std::uint16_t stream);

  std::unique_ptr<SampleSource> source_;
  std::vector<OpenPacket> open_;
  std::priority_queue<Pending, std::vector<Pending>, LaterArrival> due_;
};

}  // namespace stridefuse::simulated
