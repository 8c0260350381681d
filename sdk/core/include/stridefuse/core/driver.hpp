#pragma once
// The driver interface: a driver knows one device family or one bridge
// protocol and turns the bytes a transport delivers into samples that carry
// the device's own tick counter, written straight into a SampleBatch. It
// never sees session time: clock sync does that. Drivers are listed in a
// DriverRegistry (see driver_registry.hpp).

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "stridefuse/core/device_uri.hpp"
#include "stridefuse/core/events.hpp"
#include "stridefuse/core/sample_batch.hpp"
#include "stridefuse/core/stream.hpp"
#include "stridefuse/core/transport.hpp"

namespace stridefuse {

/// The counter a bridge stamps its receptions with (from its version negotiation).
struct BridgeClockInfo {
  double tick_rate_hz = 0.0;  ///< > 0
  unsigned tick_bits = 32;    ///< counter width, 8..64
};

/// What a driver has seen so far; malformed input is counted, never fatal.
struct DecodeCounters {
  std::uint64_t frames = 0;          ///< samples decoded
  std::uint64_t malformed = 0;       ///< packets dropped: bad CRC, bad length, unknown type
  std::uint64_t bytes_skipped = 0;   ///< bytes discarded while resynchronising
  std::uint64_t sequence_gaps = 0;   ///< packets the device sent that never arrived
};

/// What a device reports about itself besides its measurements. Absent means
/// the device does not report it, never zero.
struct DeviceHealth {
  std::optional<double> battery_pct;  ///< 0..100
  std::optional<double> signal_dbm;   ///< received signal strength (RSSI) of a wireless link
  std::uint64_t errors = 0;           ///< error reports received from the device
  std::string last_error;             ///< the most recent one, empty when none
};

/// The link to the sensor behind some of a driver's streams, for a driver
/// that keeps links of its own (a bridge reconnecting the sensors behind it).
enum class LinkState : std::uint8_t {
  up,            ///< connected and started
  down,          ///< lost; the next attempt to get it back is scheduled
  reconnecting,  ///< being got back: attempts are made, with bounded backoff
};

struct StreamLink {
  LinkState state = LinkState::up;
  LinkReason reason = LinkReason::none;  ///< why it is, or was last, down
  std::uint32_t reconnects = 0;          ///< times it came back this session
  std::string message;                   ///< what happened last, for status messages; empty when nothing did
  bool operator==(const StreamLink&) const = default;
};

class Driver {
 public:
  virtual ~Driver() = default;

  /// Short name of the device family, e.g. "simulated-insole".
  virtual std::string name() const = 0;

  /// The streams this device produces, in the order Sample::stream refers to.
  virtual std::vector<StreamDescriptor> streams() const = 0;

  /// Consumes bytes in whatever pieces the transport delivers them, appending
  /// a sample to `out` for every complete measurement (its stream, the
  /// device's raw tick, every channel in the stream's order and units; behind
  /// a bridge also the bridge tick). Malformed data is counted and skipped.
  virtual void decode(std::span<const std::uint8_t> bytes, SampleBatch& out) = 0;

  virtual DecodeCounters counters() const = 0;

  /// What the driver has seen of each stream, in streams() order: `frames`
  /// the samples it decoded of that stream, `malformed` and `sequence_gaps`
  /// the packets of that stream it dropped or knows were lost. What belongs
  /// to no one stream (bytes skipped, a damaged frame of a link several
  /// streams share) is in counters() only. `out` has one entry per stream;
  /// called by the session after every read. The default, for a driver that
  /// does not tell its streams apart, gives every stream counters() (exact
  /// for a driver of one stream).
  virtual void stream_counters(std::span<DecodeCounters> out) const;

  /// Applies settings before start(). The default accepts no option: it throws
  /// std::invalid_argument naming the first one, so a typo is never ignored.
  virtual void configure(const DriverOptions& options);

  /// Sends whatever makes the device stream (subscriptions, a start command).
  /// Called by the session's reader thread before the first read. The default
  /// sends nothing: the device streams on its own. Throws TransportError.
  virtual void start(Transport& transport);

  /// Sends whatever makes the device stop streaming; called after the last
  /// read. Must not throw: the device may already be gone.
  virtual void stop(Transport& transport) noexcept;

  /// Called by the session's reader after every read, also one that timed
  /// out, with the read's arrival time on the session clock (a replay gives
  /// the recorded one, so what this does replays identically). A driver that
  /// keeps links of its own sends what has fallen due: a request's retry, a
  /// reconnection attempt. Returns true when stream_links() changed. Throws
  /// TransportError when it cannot write. The default does nothing.
  virtual bool tend(Transport& transport, double now_s) {
    (void)transport;
    (void)now_s;
    return false;
  }

  /// One entry per stream (streams() order) for a driver that keeps links of
  /// its own; empty (the default) when the streams live and die with the
  /// device's transport.
  virtual std::vector<StreamLink> stream_links() const { return {}; }

  /// Battery, signal and errors as last reported. The default reports nothing.
  virtual DeviceHealth health() const { return {}; }

  /// A bridge driver returns its reception counter here and sets
  /// Sample::bridge_tick on every sample it decodes; the session then syncs its
  /// streams through the bridge's clock (BridgedClock). Default: none, the
  /// device is connected directly.
  virtual std::optional<BridgeClockInfo> bridge_clock() const { return std::nullopt; }

  /// A device that knows the running speed as a constant setting (a
  /// treadmill's belt, the simulated runner on its treadmill) reports it here,
  /// m/s; the session then uses it as the treadmill speed unless the user gave
  /// one (see the speed sources in fusion/README.md). Default: none.
  virtual std::optional<double> treadmill_speed_mps() const { return std::nullopt; }
};

}  // namespace stridefuse
