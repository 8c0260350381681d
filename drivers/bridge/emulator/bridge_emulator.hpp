#pragma once
// The reference bridge emulator: the bridge side of the open bridge protocol
// (PROTOCOL.md), relaying emulated BLE sensors. It is only the protocol
// engine: bytes from the host in, bytes to the host out, time advanced by the
// caller. PtyBridge (pty_bridge.hpp) and the emulated USB device in the tests
// carry its bytes. Not thread-safe: the carrier serialises calls.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bridge/bridge_protocol.hpp"
#include "emulated_sensors.hpp"

namespace stridefuse::bridge {

struct BridgeEmulatorConfig {
  double tick_rate_hz = 32768.0;  ///< the bridge's notification counter
  unsigned tick_bits = 32;
  double tick_drift_ppm = 40.0;   ///< the bridge crystal's error
  unsigned max_connections = 8;
  std::uint8_t major = protocol_major;  ///< the versions it speaks: major.0 .. major.minor
  std::uint8_t minor = protocol_minor;
  double status_interval_s = 1.0; ///< SENSOR_STATUS period per connected sensor
  /// While a scan runs, each advertiser is reported again this often (a
  /// sensor advertises many times a second), so one lost SCAN_RESULT does not
  /// hide a sensor from the host.
  double scan_repeat_s = 0.25;
  std::uint8_t battery_pct = 87;
  std::string firmware = "stridefuse-bridge-emulator 1.0";
};

/// Random damage on the link to the host (fault injection): each frame to the
/// host is lost with `frame_loss` (numbered and not sent, as a frame lost on
/// the way), each byte sent is corrupted with `byte_corruption`; each frame
/// from the host is lost with `frame_loss` too. Drawn from `seed`.
struct LinkDamage {
  double frame_loss = 0.0;
  double byte_corruption = 0.0;
  std::uint64_t seed = 1;
};

/// A sensor's link as the bridge saw it: up from a new connection, down when
/// it was lost, closed or the bridge lost power. Emulator seconds.
struct LinkChange {
  double t_s = 0.0;
  std::size_t sensor = 0;
  bool up = false;
};

/// What the emulator has seen from the host.
struct BridgeEmulatorCounters {
  std::uint64_t requests = 0;
  std::uint64_t errors_sent = 0;
  std::uint64_t notifications_sent = 0;
  std::uint64_t writes = 0;        ///< GATT writes relayed to sensors
  std::uint64_t bad_frames = 0;    ///< host frames with a bad CRC or length
  std::uint64_t frames_lost = 0;   ///< frames to or from the host lost by LinkDamage
  std::uint64_t bytes_corrupted = 0;
  std::uint64_t power_cycles = 0;
  std::uint64_t connects_refused = 0;  ///< by refuse_next_connect()
  /// CONNECTs (1.1) for a sensor already connected: the host retried one
  /// whose answer it did not get.
  std::uint64_t connects_repeated = 0;
};

class BridgeEmulator {
 public:
  /// Throws std::invalid_argument for a null sensor set or an out-of-range config.
  BridgeEmulator(std::unique_ptr<EmulatedSensors> sensors, BridgeEmulatorConfig config = {});

  /// Bytes from the host, in any pieces.
  void receive(std::span<const std::uint8_t> bytes);
  /// Lets emulator time reach `now_s` (seconds since the bridge powered up):
  /// sensors produce notifications, status reports fall due.
  void advance(double now_s);
  /// Takes the bytes waiting for the host.
  std::vector<std::uint8_t> take_output();

  /// Fault injection: the sensor on `handle` loses its link (DISCONNECTED
  /// link_lost) and stays out of range for `out_of_range_s` of emulator time:
  /// a CONNECT meanwhile is refused (1.1: out_of_range, 1.0: unknown_address).
  void drop_link(std::uint8_t handle, double out_of_range_s = 0.0);
  /// Fault injection: the next `count` frames of `type` to the host are lost
  /// (numbered and not sent, as a frame lost on the way); added to those of
  /// the same type still to be lost, replacing those of another type.
  void lose_next(MessageType type, unsigned count = 1);
  /// Fault injection: raw bytes to the host, e.g. garbage.
  void inject(std::span<const std::uint8_t> bytes);
  /// Fault injection: random loss and corruption on the link from now on.
  /// Throws std::invalid_argument for a probability outside [0, 1].
  void damage_link(const LinkDamage& damage);
  /// Fault injection: the bridge loses power and comes back at once: it
  /// forgets the host's negotiation, every connection (without a word: it
  /// was off) and its scan, its frame numbering and notification counter
  /// start again from 0, and what it had not sent yet is gone. The sensors
  /// go on as they were (they lose their links to it).
  void power_cycle();
  /// Fault injection: the next CONNECT to sensor `sensor` (index into the
  /// adverts) is refused as out of range (1.0: unknown_address).
  void refuse_next_connect(std::size_t sensor);
  /// Fault injection: sensor `sensor`'s counter restarts from 0 (EmulatedSensors::restart_clock).
  void restart_sensor_clock(std::size_t sensor);

  /// Every change of a sensor's link so far, in time order.
  const std::vector<LinkChange>& link_changes() const { return link_changes_; }
  /// Emulator time reached by advance().
  double now_s() const { return now_s_; }

  const BridgeEmulatorCounters& counters() const { return counters_; }
  /// The handle of sensor `sensor`'s connection, if it has one.
  std::optional<std::uint8_t> handle_of(std::size_t sensor) const;
  /// Connection handles currently open.
  std::vector<std::uint8_t> connections() const;
  /// The protocol minor negotiated by the last HELLO.
  std::uint8_t negotiated_minor() const { return minor_; }

 private:
  struct Connection {
    std::uint8_t handle = 0;
    std::size_t sensor = 0;
    std::vector<std::uint16_t> subscribed;
    double next_status_s = 0.0;
  };

  void on_frame(const BridgeFrame& frame);
  void send(MessageType type, const std::vector<std::uint8_t>& body);
  void error(const BridgeFrame& request, ErrorCode code, const std::string& message);
  Connection* connection(std::uint8_t handle);
  std::uint32_t tick(double t_s) const;
  bool chance(double probability);
  void link_change(std::size_t sensor, bool up);

  std::unique_ptr<EmulatedSensors> sensors_;
  std::vector<BleAdvert> adverts_;
  BridgeEmulatorConfig config_;
  FrameDecoder decoder_;
  FrameWriter writer_;
  std::vector<std::uint8_t> out_;
  std::vector<Connection> connections_;
  bool negotiated_ = false;
  std::uint8_t minor_ = 0;
  double now_s_ = 0.0;
  double scan_until_s_ = -1.0;
  double next_scan_report_s_ = -1.0;
  std::optional<std::uint8_t> scan_request_;  // 1.1: the SCAN to end with SCAN_DONE
  std::vector<double> out_of_range_until_s_;  // per sensor
  MessageType lose_type_ = MessageType::hello;
  unsigned lose_count_ = 0;
  std::uint8_t next_handle_ = 1;
  BridgeEmulatorCounters counters_;
  LinkDamage damage_;
  std::uint64_t random_state_ = 0;
  double tick_origin_s_ = 0.0;             // when the bridge last powered up: its counter's zero
  std::vector<bool> refuse_connect_;        // per sensor: refuse the next CONNECT
  std::vector<LinkChange> link_changes_;
};

}  // namespace stridefuse::bridge
