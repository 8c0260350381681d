#pragma once
// A live session: devices (a transport and a driver each) -> per-stream clock
// sync -> time-ordered merge -> fusion engine -> publisher. One reader thread
// per device, one fusion thread; publishing happens on the fusion thread only.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "stridefuse/core/driver.hpp"
#include "stridefuse/runtime/event_publisher.hpp"
#include "stridefuse/fusion/engine.hpp"
#include "stridefuse/runtime/session_clock.hpp"
#include "stridefuse/core/transport.hpp"

namespace stridefuse {

class SessionRecorder;  // session_recording.hpp

struct SessionConfig {
  std::string athlete = "athlete";      ///< first part of every topic: see validate_athlete_id() in zmq_publisher.hpp
  fusion::EngineConfig engine;
  double merge_max_wait_s = 0.050;      ///< how long the merge waits for a late stream
  double status_interval_s = 1.0;       ///< DeviceStatusEvent period per stream
  std::size_t queue_capacity = 16384;   ///< samples buffered between a reader thread and the fusion thread
};

/// What one stream of a device has done so far: its own share of DeviceStats.
struct StreamStats {
  DecodeCounters decode;              ///< Driver::stream_counters: its samples, its dropped and lost packets
  std::uint64_t queue_overflows = 0;  ///< its samples lost because the fusion thread fell behind
  std::uint64_t clock_rejected = 0;   ///< its frames whose tick was a duplicate or impossible
};

/// What one device has done so far.
struct DeviceStats {
  std::string driver;
  std::string transport;
  DecodeCounters decode;              ///< the whole device, its link's own losses included
  std::uint64_t samples = 0;          ///< samples handed to the fusion thread
  std::uint64_t queue_overflows = 0;  ///< samples lost because the fusion thread fell behind
  std::uint64_t clock_rejected = 0;   ///< frames whose tick was a duplicate or impossible
  bool disconnected = false;
  std::string error;                  ///< why it disconnected, empty otherwise
  /// The transport failed and may come back (Transport::reconnects): the
  /// reader is opening it again with bounded backoff.
  bool reconnecting = false;
  std::uint32_t reconnects = 0;       ///< times the transport came back and the driver restarted
  /// Per stream, the links a driver keeps of its own (Driver::stream_links); empty otherwise.
  std::vector<StreamLink> links;
  std::vector<StreamStats> streams;   ///< per stream of the device, in Driver::streams() order
};

class Session {
 public:
  /// Throws std::invalid_argument for an invalid athlete id or a null publisher.
  Session(SessionConfig config, std::shared_ptr<EventPublisher> publisher);
  ~Session();  ///< stops the session if it is running
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// Adds a device before start(). Throws std::logic_error once started,
  /// std::invalid_argument for null arguments, inconsistent stream descriptors
  /// or a device that keeps time of its own (Transport::keeps_own_time).
  void add_device(std::unique_ptr<Transport> transport, std::unique_ptr<Driver> driver);

  /// Starts the reader and fusion threads; publishes SessionStartEvent.
  /// Throws std::logic_error when there is no device or it already started.
  void start();

  /// Stops reading, drains what arrived, finishes the engine and publishes
  /// SessionEndEvent. Safe to call twice.
  void stop();

  /// Steps emitted so far.
  std::uint32_t steps() const;

  std::vector<DeviceStats> device_stats() const;

  const SessionClock& clock() const;

  /// Records this session's configuration and the fusion thread's decisions
  /// into `recorder`, whose transports then stamp arrivals on this session's
  /// clock (see session_recording.hpp). Call before start(). Throws
  /// std::logic_error once started or when already recording,
  /// std::invalid_argument for a null recorder.
  void record_to(std::shared_ptr<SessionRecorder> recorder);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace stridefuse
