#pragma once
// Recording a live session and replaying it bit for bit.
//
// A recording (one file, format in sdk/runtime/src/record/README.md) holds what the
// devices' transports returned, with the session time each read returned at;
// the fusion thread's decisions (when it released, how many samples it had
// taken from each device, when it looked at the devices' status); and every
// event the session published, encoded as on the wire. Replay re-runs the
// drivers, clock sync, merge and engine on the recorded traffic and must
// publish the same bytes.
//
// Recording a session:
//   auto recorder = std::make_shared<SessionRecorder>("run.sfrec");
//   auto transport = recorder->record_device(open_transport(uri), {uri, "bridge", {}});
//   auto driver = registry.open("bridge", *transport);      // opener traffic is recorded too
//   fanout->add(recorder->event_recorder());
//   Session session(config, fanout);
//   session.record_to(recorder);                            // before start()
//   session.add_device(std::move(transport), std::move(driver));
//
// Replaying it:
//   const auto recording = read_session_recording("run.sfrec");
//   const auto report = replay_session(recording, open_driver, publisher, {.speed = 0});
//   report.identical  // the replayed events equal the recorded ones, byte for byte

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "stridefuse/core/driver.hpp"
#include "stridefuse/runtime/event_publisher.hpp"
#include "stridefuse/runtime/session.hpp"
#include "stridefuse/core/transport.hpp"

namespace stridefuse {

/// How to rebuild a device on replay.
struct RecordedDevice {
  RecordedDevice() = default;
  RecordedDevice(std::string source_, std::string driver_, std::map<std::string, std::string> params_ = {})
      : source(std::move(source_)), driver(std::move(driver_)), params(std::move(params_)) {}

  std::string source;   ///< where the bytes came from, e.g. "simulated-runner" or a device URI
  std::string driver;   ///< driver name
  std::map<std::string, std::string> params;  ///< what rebuilding the driver needs (source specific)
  bool reconnects = false;  ///< filled in by the recorder from the live transport
  std::string describe;     ///< filled in by the recorder from the live transport
  double min_delay_s = 0.0; ///< filled in by the recorder from the live transport (Transport::min_delay_s)
};

/// One published event as on the wire.
struct WireEvent {
  std::string topic;                  ///< "<athlete>/<kind>"
  std::vector<std::uint8_t> message;  ///< EventMessage bytes
  bool operator==(const WireEvent&) const = default;
};

struct SessionRecorderOptions {
  /// Longest time recorded frames stay in the process's buffer before they go to the OS.
  std::chrono::milliseconds flush_interval{100};
};

namespace detail {
struct SessionRecorderAccess;
struct SessionRecorderState;
}

/// Writes one recording file. Thread-safe: device readers and the fusion
/// thread append to it concurrently.
class SessionRecorder {
 public:
  /// Creates (truncates) `path`. Throws std::runtime_error naming the path when it cannot.
  explicit SessionRecorder(const std::string& path, SessionRecorderOptions options = {});
  ~SessionRecorder();  ///< flushes
  SessionRecorder(const SessionRecorder&) = delete;
  SessionRecorder& operator=(const SessionRecorder&) = delete;

  /// Wraps a device's transport so that everything it reads is recorded; the
  /// returned transport is a StampedTransport. Wrap before the driver is opened
  /// (an opener's traffic is needed on replay) and add the devices to the
  /// session in the order they were wrapped. Throws std::invalid_argument for
  /// a null transport. A failure to write the file never reaches the device
  /// reader or the fusion thread: flush() reports it.
  std::unique_ptr<Transport> record_device(std::unique_ptr<Transport> transport, RecordedDevice device);

  /// A publisher that records every event it is given, encoded as ZmqPublisher
  /// would send it (topic and EventMessage with per-topic sequence numbers).
  /// Events before a session called record_to() are a failure (see flush()).
  std::shared_ptr<EventPublisher> event_recorder();

  /// Hands buffered frames to the OS now. Throws std::runtime_error naming the
  /// problem when this or any earlier write failed (e.g. disk full).
  void flush();

  const std::string& path() const;

 private:
  friend struct detail::SessionRecorderAccess;
  std::shared_ptr<detail::SessionRecorderState> impl_;
};

/// The contents of a recording file, up to its last complete frame.
struct SessionRecording {
  std::string path;
  std::uint64_t file_bytes = 0;
  std::optional<std::uint64_t> cut_at_byte;  ///< the file ends inside the frame starting here
  std::vector<RecordedDevice> devices;       ///< by device index
  std::optional<SessionConfig> config;       ///< absent when the file was cut before it
  std::vector<WireEvent> events;             ///< as published live, in order
  bool ended = false;  ///< the whole session is there, up to its SessionEndEvent

  /// The rest (reads, fusion turns) in file order, for replay_session.
  struct Frames;
  std::shared_ptr<const Frames> frames;
};

/// Reads a recording. A file cut inside a frame is read up to its last
/// complete frame and cut_at_byte says where. Throws std::runtime_error naming
/// the file (and the byte offset) when it is missing, is not a recording,
/// has a frame with a bad checksum or of an unknown type, or a frame whose
/// content is malformed.
SessionRecording read_session_recording(const std::string& path);

/// Rebuilds the driver of a recorded device; `transport` replays its traffic
/// (an opener may talk to it). Throws std::runtime_error naming the driver
/// when it cannot (e.g. the driver is not registered).
using RecordedDriverOpener = std::function<std::unique_ptr<Driver>(const RecordedDevice& device, Transport& transport)>;

struct ReplayOptions {
  /// 1: at the recorded pace, 2: twice as fast, 0: as fast as possible.
  double speed = 0.0;
};

struct ReplayReport {
  std::vector<WireEvent> events;     ///< what the replay published, encoded as on the wire
  std::uint64_t fusion_turns = 0;    ///< fusion turns replayed
  std::uint64_t samples = 0;         ///< samples taken into the merge
  double session_s = 0.0;            ///< session time replayed up to, s
  bool complete = false;             ///< the recording's session end was reached
  /// The recorded events are exactly the replayed ones (for a cut recording:
  /// the recorded events are a prefix of the replayed ones): byte for byte,
  /// except events recorded before schema 1.3, which carry no provenance:
  /// those are compared with the replayed event's provenance left out (both
  /// decoded and encoded again without it, so every field they share is
  /// compared) and counted in compared_without_provenance.
  bool identical = false;
  std::optional<std::size_t> first_difference;  ///< index of the first event that differs
  std::size_t compared_without_provenance = 0;  ///< recorded events that predate the provenance fields
};

/// Re-runs drivers, clock sync, merge and engine from the recorded traffic and
/// publishes the events to `publisher` (may be null). Throws
/// std::invalid_argument for a negative speed or a recording without session
/// configuration, whatever `open_driver` throws, and std::runtime_error when
/// the recording contradicts itself (a turn needs traffic that is not there).
ReplayReport replay_session(const SessionRecording& recording, const RecordedDriverOpener& open_driver,
                            std::shared_ptr<EventPublisher> publisher, ReplayOptions options = {});

}  // namespace stridefuse
