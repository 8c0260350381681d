#include "emulated_bridge_transport.hpp"

#include <algorithm>
#include <stdexcept>
#include <thread>

#include "runner_sensors.hpp"
#include "sensor_subset.hpp"
#include "simulated/runner_uri.hpp"

namespace stridefuse::bridge {

EmulatedBridgeTransport::EmulatedBridgeTransport(BridgeEmulator emulator, double time_scale)
    : emulator_(std::move(emulator)), time_scale_(time_scale), start_(std::chrono::steady_clock::now()) {
  if (!(time_scale > 0.0) || time_scale > 1000.0)
    throw std::invalid_argument("emulated bridge: time scale must be in (0, 1000]");
}

void EmulatedBridgeTransport::pump() {
  const double now_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count() * time_scale_;
  emulator_.advance(now_s);
  const auto bytes = emulator_.take_output();
  out_.insert(out_.end(), bytes.begin(), bytes.end());
}

std::size_t EmulatedBridgeTransport::read(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (out_read_ == out_.size()) {
    out_.clear();
    out_read_ = 0;
    pump();
    if (!out_.empty()) break;
    if (std::chrono::steady_clock::now() >= deadline) return 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const std::size_t n = std::min(buffer.size(), out_.size() - out_read_);
  std::copy_n(out_.begin() + static_cast<std::ptrdiff_t>(out_read_), n, buffer.begin());
  out_read_ += n;
  return n;
}

void EmulatedBridgeTransport::write(std::span<const std::uint8_t> bytes) { emulator_.receive(bytes); }

std::unique_ptr<Transport> open_emulated_bridge(const DeviceUri& uri) {
  if (uri.path != "bridge") throw std::invalid_argument("emu:" + uri.path + " is not an emulated device (there is emu:bridge)");
  DriverOptions runner_params = uri.params;
  std::vector<std::string> wanted;
  if (const auto it = runner_params.find("sensors"); it != runner_params.end()) {
    std::size_t at = 0;
    while (at <= it->second.size()) {
      const auto comma = std::min(it->second.find(',', at), it->second.size());
      wanted.push_back(it->second.substr(at, comma - at));
      at = comma + 1;
    }
    runner_params.erase(it);
  }
  const auto settings = simulated::runner_link_settings(runner_params);
  auto sensors = std::make_unique<RunnerSensors>(settings.runner);
  std::vector<std::size_t> keep;
  const auto streams = sensors->simulation().streams();
  for (const auto& id : wanted) {
    const auto it = std::find_if(streams.begin(), streams.end(), [&](const StreamDescriptor& s) { return s.id == id; });
    if (it == streams.end()) {
      std::string known;
      for (const auto& s : streams) known += (known.empty() ? "" : ", ") + s.id;
      throw std::invalid_argument("emu:bridge has no sensor '" + id + "' (this runner has " + known + ")");
    }
    keep.push_back(static_cast<std::size_t>(it - streams.begin()));
  }
  std::unique_ptr<EmulatedSensors> set = std::move(sensors);
  if (!keep.empty()) set = std::make_unique<SensorSubset>(std::move(set), std::move(keep));
  return std::make_unique<EmulatedBridgeTransport>(BridgeEmulator(std::move(set)), settings.time_scale);
}

}  // namespace stridefuse::bridge
