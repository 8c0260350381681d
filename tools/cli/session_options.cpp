#include "session_options.hpp"

#include <charconv>
#include <chrono>
#include <iostream>
#include <thread>

#include "interrupt.hpp"
#include "drill_lines.hpp"
#include "finding_line.hpp"
#include "step_line.hpp"
#include "stridefuse/runtime/zmq_publisher.hpp"

namespace stridefuse::cli {

void add_live_options(po::options_description& description, SessionOptions& o) {
  description.add_options()
      ("simulate", po::bool_switch(&o.simulate), "run on the built-in simulator")
      ("device", po::value(&o.devices), "run from a device or bridge: serial:PATH, /dev/..., tcp:HOST:PORT, "
                                        "usb:VVVV:PPPP or replay:FILE (repeatable)")
      ("driver", po::value(&o.driver), "driver for --device (default: by USB id, else the bridge driver)")
      ("duration", po::value(&o.duration_s)->default_value(0.0), "stop after SECONDS (0: until Ctrl-C)")
      ("endpoint", po::value(&o.endpoint)->default_value(default_event_endpoint), "where to publish events (ZeroMQ PUB)")
      ("athlete", po::value(&o.athlete)->default_value("athlete"), "athlete id, the first part of every topic")
      ("seed", po::value(&o.seed)->default_value(1), "seed of the simulator")
      ("sensor-set", po::value(&o.sensor_set), "simulator: the sensors that deliver, any of pelvis,left,right")
      ("quiet", po::bool_switch(&o.quiet), "do not print a line per step or rep");
  add_publisher_flags(description, o.publisher);
}

void add_session_options(po::options_description& description, SessionOptions& o) {
  add_live_options(description, o);
  description.add_options()
      ("standing", po::value(&o.standing_s)->default_value(5.0), "simulated runner: quiet standing before running, SECONDS")
      ("speed", po::value(&o.speed_mps)->default_value(3.5), "running speed (treadmill setting), M_PER_S; with --device only when given")
      ("walk", po::value<double>(), "simulated runner: walk SECONDS before running (inf: walk throughout)");
}

void check_session_options(const po::variables_map& vm, SessionOptions& o) {
  if (!o.simulate && o.devices.empty())
    throw UsageError("no device given: use --simulate for the built-in runner, or --device URI for a device or bridge");
  if (o.simulate && !o.devices.empty()) throw UsageError("--simulate and --device exclude each other");
  if (o.duration_s < 0.0) throw UsageError("--duration must not be negative");
  if (vm.count("walk")) o.walking_s = vm["walk"].as<double>();
  if ((!o.sensor_set.empty() || o.walking_s) && !o.simulate)
    throw UsageError("--sensor-set and --walk choose the simulator's: they go with --simulate");
  o.speed_given = vm.count("speed") && !vm["speed"].defaulted();
}

SessionDevices open_session_devices(const SessionOptions& o, const std::string& command,
                                    std::shared_ptr<SessionRecorder> recorder) {
  SessionDevices out;
  out.config.athlete = o.athlete;
  DeviceSetOptions options;
  options.driver = o.driver;
  options.recorder = std::move(recorder);
  std::vector<std::string> uris = o.devices;
  if (o.simulate && !o.simulated_uri.empty()) {
    uris = {o.simulated_uri};
    out.what = o.simulated_what;
  } else if (o.simulate) {
    uris = {simulated_runner_uri({o.seed, o.standing_s, o.speed_mps, std::nullopt, o.sensor_set, o.walking_s})};
    out.what = "simulated runner";
  } else if (o.speed_given) {
    options.treadmill_speed_mps = o.speed_mps;  // a treadmill's setting is the speed source
  }
  out.devices = open_devices(uris, options, out.config);
  for (std::size_t i = 0; i < uris.size() && !o.simulate; ++i) {
    std::cerr << "stridefuse " << command << ": " << uris[i] << ": " << out.devices[i].driver->name()
              << " with streams";
    for (const auto& s : out.devices[i].driver->streams()) std::cerr << " " << s.id;
    std::cerr << "\n";
    out.what += (out.what.empty() ? "" : ", ") + uris[i];
  }
  return out;
}

LivePublishers make_live_publishers(const SessionOptions& o) {
  ZmqPublisherOptions publisher_options;
  publisher_options.endpoint = o.endpoint;
  publisher_options.athlete = o.athlete;
  apply_publisher_flags(o.publisher, publisher_options);
  auto fanout = std::make_shared<EventFanout>();
  auto zmq = std::make_shared<ZmqPublisher>(publisher_options);
  fanout->add(zmq);
  if (!o.quiet)
    fanout->add(std::make_shared<CallbackPublisher>([](const Event& e) {
      if (const auto* step = std::get_if<StepEvent>(&e)) std::cout << format_step_line(*step) << std::endl;
      if (const auto* finding = std::get_if<FindingEvent>(&e)) std::cout << format_finding_line(*finding) << std::endl;
      if (const auto* rep = std::get_if<RepEvent>(&e)) std::cout << format_rep_line(*rep) << std::endl;
      if (const auto* moved = std::get_if<PelvisMovedEvent>(&e))
        std::cout << format_pelvis_moved_line(*moved) << std::endl;
      if (const auto* set = std::get_if<DrillSetEvent>(&e))
        for (const auto& line : format_drill_set_lines(*set)) std::cout << line << std::endl;
    }));
  return {fanout, zmq};
}

void run_live_session(Session& session, ZmqPublisher& publisher, const SessionOptions& o,
                      const std::string& command, const std::function<std::string()>& tally) {
  stop_on_interrupt();
  session.start();
  const auto start = std::chrono::steady_clock::now();
  while (!interrupted()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const double elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (o.duration_s > 0.0 && elapsed_s >= o.duration_s) break;
  }
  session.stop();
  publisher.flush();
  // Only what the publisher knows: a slow subscriber's losses happen in its own
  // queue, unseen here; it sees them in its sequence numbers.
  std::cerr << "stridefuse " << command << ": session ended: "
            << (tally ? tally() : std::to_string(session.steps()) + " steps") << "; " << publisher.sent()
            << " events handed to ZeroMQ, " << publisher.dropped() << " it could not take (sent to nobody); "
            << publisher.subscriptions() << " subscription(s) now\n";
  for (const auto& d : session.device_stats())
    std::cerr << "stridefuse " << command << ": " << d.transport << ": " << d.decode.frames << " frames, "
              << d.decode.malformed << " malformed, " << d.decode.sequence_gaps << " lost"
              << (d.error.empty() ? "" : ", " + d.error) << "\n";
}

void finish_recording(SessionRecorder& recorder, const std::string& command, const std::string& path) {
  recorder.flush();
  std::cerr << "stridefuse " << command << ": wrote " << path << "\n";
}

}  // namespace stridefuse::cli
