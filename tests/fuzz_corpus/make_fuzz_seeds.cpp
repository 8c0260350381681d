// Writes the seed corpus of every decoder's fuzz target: small valid inputs
// made with the codecs' own encoders, so that libFuzzer starts from inputs
// that pass the checks (CRC, lengths, flags) instead of having to find them.
// Each seed lands in drivers/<folder>/corpus/<target>/, where tools/fuzz.sh
// takes it; tools/fuzz_seeds.sh builds this program and runs it. Output is the
// same on every run (fixed values), so the checked-in files only change when
// a format does.
//
//   make_fuzz_seeds DRIVERS_DIR

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bridge/bridge_protocol.hpp"
#include "reference_imu/reference_imu_payload.hpp"
#include "reference_insole/reference_insole_payload.hpp"
#include "rsc_speed/rsc_measurement.hpp"
#include "simulated/sensor_packet.hpp"

namespace {

using namespace stridefuse;
namespace fs = std::filesystem;
using Bytes = std::vector<std::uint8_t>;

void write(const fs::path& dir, const std::string& name, const Bytes& bytes) {
  fs::create_directories(dir);
  std::ofstream(dir / (name + ".bin"), std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  std::printf("%s/%s.bin (%zu bytes)\n", dir.string().c_str(), name.c_str(), bytes.size());
}

Bytes imu_payload(std::size_t samples, bool magnetometer) {
  reference_imu::MeasurementPacket p;
  p.has_magnetometer = magnetometer;
  for (std::size_t i = 0; i < samples; ++i) {
    reference_imu::ImuSample s;
    s.tick = 4294960000u + static_cast<std::uint32_t>(i) * 5000u;  // wraps within the packet
    s.values = {0.3, -9.7 + 0.1 * static_cast<double>(i), 1.2, 0.05, -0.4, 2.5, 21.0, -4.0, 40.0};
    p.samples.push_back(s);
  }
  return reference_imu::encode(p);
}

Bytes insole_payload(std::size_t samples, bool imu) {
  reference_insole::MeasurementPacket p;
  p.has_imu = imu;
  for (std::size_t i = 0; i < samples; ++i) {
    reference_insole::InsoleSample s;
    s.tick = static_cast<std::uint16_t>(65530u + i * 10u);
    for (std::size_t k = 0; k < s.pressure_kpa.size(); ++k) s.pressure_kpa[k] = 20.0 * static_cast<double>(k + i);
    s.imu = {1.0, -9.8, 0.5, 3.0, -1.0, 0.2};
    p.samples.push_back(s);
  }
  return reference_insole::encode(p);
}

Bytes rsc_payload(bool stride, bool distance, bool running) {
  rsc::RscMeasurement m;
  m.speed_mps = 3.5;
  m.cadence_per_min = 85;
  if (stride) m.stride_length_m = 2.47;
  if (distance) m.total_distance_m = 1234.5;
  m.running = running;
  return rsc::encode(m);
}

void bridge_frame(bridge::FrameWriter& writer, bridge::MessageType type, const Bytes& body, Bytes& out) {
  writer.append(type, body, out);
}

// The fuzz target's sensors: handle 1 the IMU (no magnetometer), 2 the left
// insole, 3 the right insole with its IMU, 4 the footpod.
Bytes notification(std::uint8_t handle, std::uint16_t characteristic, const Bytes& value, std::uint32_t tick) {
  return bridge::Notification{handle, characteristic, tick, value}.encode();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_fuzz_seeds DRIVERS_DIR\n");
    return 2;
  }
  const fs::path drivers = argv[1];

  const auto imu_dir = drivers / "reference_imu/corpus/payload_fuzz";
  write(imu_dir, "one_sample", imu_payload(1, false));
  write(imu_dir, "full_packet", imu_payload(reference_imu::max_samples(false), false));
  write(imu_dir, "magnetometer", imu_payload(reference_imu::max_samples(true), true));

  const auto insole_dir = drivers / "reference_insole/corpus/payload_fuzz";
  write(insole_dir, "one_sample", insole_payload(1, false));
  write(insole_dir, "full_packet", insole_payload(reference_insole::max_samples(false), false));
  write(insole_dir, "with_imu", insole_payload(reference_insole::max_samples(true), true));

  const auto rsc_dir = drivers / "rsc_speed/corpus/measurement_fuzz";
  write(rsc_dir, "speed_cadence", rsc_payload(false, false, false));
  write(rsc_dir, "stride_length", rsc_payload(true, false, true));
  write(rsc_dir, "all_fields", rsc_payload(true, true, true));

  const auto packet_dir = drivers / "simulated/corpus/sensor_packet_fuzz";
  {
    simulated::SensorPacket p;
    p.stream = 0;
    p.sequence = 65535;
    p.channel_count = 6;
    for (std::uint32_t i = 0; i < 4; ++i) {
      p.ticks.push_back(1000u * i);
      for (int c = 0; c < 6; ++c) p.values.push_back(0.5f * static_cast<float>(c) - static_cast<float>(i));
    }
    Bytes one;
    simulated::append_frame(p, one);
    write(packet_dir, "imu_packet", one);
    Bytes several = {0x00, 0xA5, 0x13};  // garbage and a false sync byte first
    simulated::append_frame(p, several);
    p.sequence = 0;
    p.ticks.resize(1);
    p.values.resize(6);
    simulated::append_frame(p, several);
    write(packet_dir, "two_packets_after_garbage", several);
  }

  const auto bridge_dir = drivers / "bridge/corpus/bridge_driver_fuzz";
  {
    using bridge::MessageType;
    bridge::FrameWriter writer;
    Bytes notifications;
    bridge_frame(writer, MessageType::notification,
                 notification(1, reference_imu::measurement_characteristic, imu_payload(3, false), 100), notifications);
    bridge_frame(writer, MessageType::notification,
                 notification(2, reference_insole::measurement_characteristic, insole_payload(2, false), 200),
                 notifications);
    bridge_frame(writer, MessageType::notification,
                 notification(3, reference_insole::measurement_characteristic, insole_payload(2, true), 300),
                 notifications);
    bridge_frame(writer, MessageType::notification,
                 notification(4, rsc::measurement_characteristic, rsc_payload(true, true, true), 400), notifications);
    write(bridge_dir, "notifications", notifications);

    Bytes session;
    bridge::HelloReply hello;
    hello.request_sequence = 0;
    hello.firmware = "seed";
    bridge_frame(writer, MessageType::hello_reply, hello.encode(), session);
    BleAdvert advert;
    advert.address = "C0:5F:00:00:00:01";
    advert.name = "SFP-IMU";
    advert.service_uuids = {reference_imu::service_uuid};
    bridge_frame(writer, MessageType::scan_result, bridge::ScanResult{advert}.encode(), session);
    bridge_frame(writer, MessageType::scan_done, bridge::ScanDone{1, 1}.encode(), session);
    bridge_frame(writer, MessageType::connected, bridge::Connected{2, 1, advert.address}.encode(), session);
    bridge_frame(writer, MessageType::ack, bridge::Ack{3, MessageType::subscribe}.encode(), session);
    bridge_frame(writer, MessageType::sensor_status, bridge::SensorStatus{1, -60, 87}.encode(), session);
    bridge_frame(writer, MessageType::notification,
                 notification(1, reference_imu::measurement_characteristic, imu_payload(2, false), 500), session);
    bridge_frame(writer, MessageType::disconnected,
                 bridge::Disconnected{2, bridge::DisconnectReason::link_lost}.encode(), session);
    bridge_frame(writer, MessageType::notification,
                 notification(2, reference_insole::measurement_characteristic, insole_payload(1, false), 600), session);
    bridge_frame(writer, MessageType::error,
                 bridge::Error{4, MessageType::connect, bridge::ErrorCode::out_of_range, "does not answer"}.encode(),
                 session);
    write(bridge_dir, "session", session);
  }
  return 0;
}
