#pragma once
// The bridge driver: speaks the open bridge protocol (PROTOCOL.md) to a USB or
// serial bridge and hands each connected sensor's notifications to that
// sensor's GattSensorDriver. Its streams are the sensors' streams, in the order
// the sensors were given. Opening a bridge (negotiate, scan, connect) is
// open_bridge() in open_bridge.hpp; this class takes over once the sensors
// are connected (or refused: those it keeps trying).
//
// It keeps every sensor's link for as long as the session runs (PROTOCOL.md
// section 3.2): a sensor whose link is lost is connected again with bounded
// backoff, re-subscribed and started; a bridge that comes back after its
// transport failed is negotiated with again and all its sensors reconnected.
// Every request is retried when its answer is overdue (pending_requests.hpp).

#include <memory>
#include <string>
#include <vector>

#include "bridge_protocol.hpp"
#include "pending_requests.hpp"
#include "stridefuse/core/gatt_sensor_driver.hpp"

namespace stridefuse::bridge {

/// What version negotiation told us about the bridge.
struct BridgeInfo {
  std::uint8_t major = protocol_major;
  std::uint8_t minor = protocol_minor;
  double tick_rate_hz = 32768.0;
  unsigned tick_bits = 32;
  unsigned max_connections = 0;
  std::string firmware;
};

/// A sensor the bridge is connected to and the driver that decodes it. A
/// handle of 0: opening could not connect it (`why` says how); the driver
/// keeps trying.
struct ConnectedSensor {
  std::uint8_t handle = 0;
  BleAdvert advert;
  std::unique_ptr<GattSensorDriver> driver;
  LinkReason why = LinkReason::none;  ///< with handle 0: refused or no_answer
  std::string message{};              ///< with handle 0: what the bridge said
};

/// When the driver tries again to get a lost sensor back (PROTOCOL.md 3.2).
struct ReconnectPolicy {
  double first_attempt_s = 1.0;  ///< after the loss: the status (every 1 s) shows `disconnected` first
  double backoff_s = 0.5;        ///< after a failed attempt; doubles with every failure ...
  double max_backoff_s = 2.0;    ///< ... up to this, for as long as the session runs
  /// A connected sensor not heard of for this long (no notification, no
  /// SENSOR_STATUS, which a bridge sends about once a second) is taken as
  /// lost and connected again: its DISCONNECTED may have been lost on the way.
  double silence_s = 3.0;
};

/// Health of one sensor behind the bridge.
struct SensorHealth {
  std::string address;
  std::string driver;
  bool connected = true;
  DeviceHealth health;
};

class BridgeDriver final : public Driver {
 public:
  /// Throws std::invalid_argument when there is no sensor, a driver is null,
  /// two sensors share a handle, or a declared stream is inconsistent.
  /// `link`: the link's framing state from opening it (BridgeClient::release_link),
  /// so that the host's frame numbers and the link's counters continue.
  BridgeDriver(BridgeInfo info, std::vector<ConnectedSensor> sensors, BridgeLink link = {},
               RetryPolicy retry = {},
               ReconnectPolicy reconnect = {});

  std::string name() const override { return "bridge"; }
  std::vector<StreamDescriptor> streams() const override { return streams_; }
  void decode(std::span<const std::uint8_t> bytes, SampleBatch& out) override;
  /// The whole link: every sensor's counts, plus what belongs to no sensor
  /// (damaged or lost bridge frames, bytes skipped, messages for no sensor).
  DecodeCounters counters() const override;
  /// Each sensor's own counts on its streams, with the notifications refused
  /// for it (those that came after the bridge said it was disconnected) as malformed.
  void stream_counters(std::span<DecodeCounters> out) const override;

  /// Subscribes to every sensor's characteristics and makes its start writes.
  /// Called again after the transport failed and came back: the bridge may
  /// have lost power, so it negotiates again and reconnects every sensor.
  void start(Transport& transport) override;
  /// Sends requests that are due: retries, reconnection attempts, and the
  /// subscriptions of a sensor that is back.
  bool tend(Transport& transport, double now_s) override;
  std::vector<StreamLink> stream_links() const override;
  /// Makes the stop writes and unsubscribes; the sensors stay connected, so
  /// start() can resume (the bridge drops the links when it loses the host).
  void stop(Transport& transport) noexcept override;

  /// Worst battery and signal over the sensors, errors of the bridge and sensors.
  DeviceHealth health() const override;

  /// The bridge's notification counter: every sample carries its bridge_tick.
  std::optional<BridgeClockInfo> bridge_clock() const override {
    return BridgeClockInfo{info_.tick_rate_hz, info_.tick_bits};
  }

  std::vector<SensorHealth> sensor_health() const;
  const BridgeInfo& info() const { return info_; }

 private:
  struct Slot {
    ConnectedSensor sensor;
    std::uint16_t first_stream = 0;
    std::uint16_t stream_count = 0;
    SensorHealth health;
    StreamLink link;
    bool attempting = false;         // a CONNECT is pending
    double next_attempt_s = -1.0;    // when down: the next CONNECT; < 0: schedule at the next tend
    double backoff_s = 0.0;
    std::uint8_t lost_handle = 0;  // the handle of the link that went down: what still comes on it is refused
    std::uint64_t refused = 0;  // notifications after DISCONNECTED: the link is gone, they cannot be its data
    bool heard = false;             // something came for it since the last tend()
    double last_heard_s = -1.0;     // session time of the tend() that last saw it heard; < 0: from the next tend
  };
  Slot* slot(std::uint8_t handle);
  void on_frame(const BridgeFrame& frame, SampleBatch& out);
  void on_answer(const BridgeFrame& frame);
  void on_refusal(const PendingRequests::Request& request, const Error& refusal);
  void link_down(std::size_t index, LinkReason reason, const std::string& message);
  void attempt_failed(std::size_t index, LinkReason reason, const std::string& message);
  void start_sensor(std::size_t index);
  void check_silence(std::size_t index, double now_s);
  bool lost_connected_heard_of();

  BridgeInfo info_;
  RetryPolicy retry_;
  ReconnectPolicy reconnect_;
  PendingRequests pending_;
  bool started_ = false;
  bool stopped_ = false;     // stop() was called: the next start() resumes, it is no transport restart
  bool negotiated_ = true;   // false after the bridge came back, until HELLO is answered
  bool links_changed_ = false;
  double last_now_s_ = 0.0;  // the session time of the last tend()
  std::vector<Slot> slots_;
  std::vector<StreamDescriptor> streams_;
  BridgeLink link_;
  DecodeCounters own_;  // malformed bridge messages and notifications for no sensor
  DeviceHealth bridge_health_;
};

}  // namespace stridefuse::bridge
