#pragma once
// What `run`, `record` and `drill` share: the options that say where a live session's
// devices come from and how it runs, opening those devices, and running the
// session until its duration is up or Ctrl-C.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "command.hpp"
#include "publisher_flags.hpp"
#include "stridefuse/runtime/devices.hpp"
#include "stridefuse/runtime/event_publisher.hpp"
#include "stridefuse/runtime/session.hpp"
#include "stridefuse/runtime/session_recording.hpp"
#include "stridefuse/runtime/zmq_publisher.hpp"

namespace stridefuse::cli {

struct SessionOptions {
  bool simulate = false;
  std::vector<std::string> devices;
  std::string driver;
  double duration_s = 0.0;
  std::string endpoint;
  std::string athlete;
  std::uint64_t seed = 1;
  double standing_s = 5.0;
  double speed_mps = 3.5;
  std::string sensor_set;             ///< --sensor-set: the simulated runner's sensors that deliver (empty: all)
  std::optional<double> walking_s;    ///< --walk: the simulated runner walks this long first
  bool speed_given = false;  ///< --speed was on the command line (with --device: the treadmill's setting)
  bool quiet = false;
  PublisherFlags publisher;  ///< --connect and CURVE
  /// The simulator's device when not the runner (`drill --simulate`: a sim:drill URI), with its log name.
  std::string simulated_uri, simulated_what;
};

/// Adds --simulate, --device, --driver, --duration, --endpoint, --athlete,
/// --seed, --sensor-set, --quiet and the publisher flags: what every live
/// session has, writing into `options`.
void add_live_options(po::options_description& description, SessionOptions& options);

/// add_live_options and the running options: --standing, --speed, --walk.
void add_session_options(po::options_description& description, SessionOptions& options);

/// Checks the parsed options together. Throws UsageError naming the problem.
void check_session_options(const po::variables_map& vm, SessionOptions& options);

struct SessionDevices {
  SessionConfig config;
  std::vector<OpenedDevice> devices;
  std::string what;  ///< for the log line
};

/// Opens the devices (--simulate: the simulated runner's URI) with
/// open_devices(), recording their traffic into `recorder` when given. Logs
/// each device on stderr, prefixed "stridefuse <command>: ". Throws what the
/// devices throw.
SessionDevices open_session_devices(const SessionOptions& options, const std::string& command,
                                    std::shared_ptr<SessionRecorder> recorder = nullptr);

struct LivePublishers {
  std::shared_ptr<EventFanout> fanout;  ///< what the session publishes to
  std::shared_ptr<ZmqPublisher> zmq;    ///< in the fanout: its counts go in the closing log line
};

/// Publishes on options.endpoint (as the publisher flags say), and prints a
/// line per step unless quiet. Throws as apply_publisher_flags and ZmqPublisher.
LivePublishers make_live_publishers(const SessionOptions& options);

/// Starts the session, waits for the duration or Ctrl-C, stops it and logs
/// what happened on stderr: only what the publisher can know (a slow
/// subscriber's losses are seen by that subscriber alone, EVENTS.md 1.1).
/// `tally` says what the session produced for the closing line ("12 reps");
/// empty: its steps.
void run_live_session(Session& session, ZmqPublisher& publisher, const SessionOptions& options,
                      const std::string& command, const std::function<std::string()>& tally = {});

/// After run_live_session: completes the recording (throws when a write
/// failed, e.g. disk full) and says on stderr where it is.
void finish_recording(SessionRecorder& recorder, const std::string& command, const std::string& path);

}  // namespace stridefuse::cli
