// An out-of-tree driver as a hardware maker would ship it: one GATT driver
// for a made-up heart-rate-free cadence sensor, registered through the plugin entry points.
#include "stridefuse/core/plugin.hpp"

namespace {

class PluginSpeedDriver final : public stridefuse::GattSensorDriver {
 public:
  std::string name() const override { return "plugin-speed"; }
  std::vector<stridefuse::StreamDescriptor> streams() const override {
    stridefuse::StreamDescriptor d;
    d.id = "plugin_speed";
    d.kind = stridefuse::StreamKind::speed;
    d.nominal_rate_hz = 1.0;
    d.channels = {{"speed_mps", "m/s"}};
    d.tick_rate_hz = 1000.0;
    return {d};
  }
  std::vector<std::uint16_t> notified_characteristics() const override { return {0xFFE1}; }
  void decode(const stridefuse::GattNotification& n, stridefuse::SampleBatch& out) override {
    if (n.payload.size() != 1) {
      ++counters_.malformed;
      return;
    }
    out.add(0, n.bridge_tick, 1).values[0] = n.payload[0] / 10.0;
    ++counters_.frames;
  }
  stridefuse::DecodeCounters counters() const override { return counters_; }

 private:
  stridefuse::DecodeCounters counters_;
};

void register_plugin(stridefuse::DriverRegistry& registry) {
  registry.add_gatt("plugin-speed", {{}, {"PLUG-"}, {}},
                    [](const stridefuse::BleAdvert&) { return std::make_unique<PluginSpeedDriver>(); });
}

}  // namespace

STRIDEFUSE_DRIVER_PLUGIN(register_plugin)
