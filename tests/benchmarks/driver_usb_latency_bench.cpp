// Transfer latency through the emulated USB path: the libusb transport
// against a umockdev-emulated bulk device that echoes what it receives.
// Round trip = host write (bulk OUT) -> device -> host read (bulk IN), which
// bounds the one-way bridge->host latency the clock sync sees from above.
// This measures our transport plus umockdev's emulation (a socket round trip
// per ioctl), not real USB hardware.
//
//   umockdev-wrapper build-*/tests/benchmarks/driver_usb_latency_bench [ROUNDS]

#include <algorithm>
#include <array>
#include <cstring>
#include <mutex>
#include <cstdio>
#include <cstdlib>
#include <numeric>

#include "devices/usb/emulated_usb_device.hpp"
#include "stridefuse/runtime/usb_transport.hpp"

int main(int argc, char** argv) {
  using namespace stridefuse;
  if (!std::getenv("LD_PRELOAD") || !std::strstr(std::getenv("LD_PRELOAD"), "umockdev")) {
    std::fprintf(stderr, "run under umockdev-wrapper: the USB device is emulated by umockdev's preload\n");
    return 1;
  }
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 500;
  if (rounds < 10) {
    std::fprintf(stderr, "ROUNDS must be at least 10\n");
    return 2;
  }
  std::mutex mutex;
  std::vector<std::uint8_t> queued;
  testing::EmulatedUsbDevice device(0x1209, 0x0001,
                                    {[&](std::span<const std::uint8_t> b) {
                                       std::lock_guard lock(mutex);
                                       queued.insert(queued.end(), b.begin(), b.end());
                                     },
                                     [&] {
                                       std::lock_guard lock(mutex);
                                       std::vector<std::uint8_t> out;
                                       out.swap(queued);
                                       return out;
                                     }});
  UsbTransport usb(UsbTransportConfig{UsbId{0x1209, 0x0001}});
  std::vector<double> round_trip_us;
  std::vector<std::uint8_t> message(64, 0x5A);
  std::array<std::uint8_t, 512> buffer{};
  std::size_t bytes = 0;
  const auto all_start = std::chrono::steady_clock::now();
  for (int i = 0; i < rounds; ++i) {
    const auto start = std::chrono::steady_clock::now();
    usb.write(message);
    std::size_t got = 0;
    while (got < message.size()) got += usb.read(buffer, std::chrono::milliseconds(1000));
    round_trip_us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
    bytes += got;
  }
  const double total_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - all_start).count();
  std::sort(round_trip_us.begin(), round_trip_us.end());
  auto pct = [&](double p) { return round_trip_us[static_cast<std::size_t>(p * (round_trip_us.size() - 1))]; };
  std::printf("emulated USB (umockdev) bulk 64-byte echo, %d rounds\n", rounds);
  std::printf("round_trip_us median %.0f  p90 %.0f  p99 %.0f  max %.0f\n", pct(0.5), pct(0.9), pct(0.99),
              round_trip_us.back());
  std::printf("round_trips_per_s %.0f  echoed_bytes_per_s %.0f\n", rounds / total_s, bytes / total_s);
  return 0;
}
