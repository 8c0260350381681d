#include "session_options.hpp"

#include <atomic>
#include <charconv>
#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>

#include "stridefuse/drivers/builtin_drivers.hpp"
#include "simulated/simulated_runner_link.hpp"
#include "step_line.hpp"
#include "stridefuse/runtime/zmq_publisher.hpp"

namespace stridefuse::cli {
namespace {

std::atomic<bool> interrupted{false};

extern "C" void on_interrupt(int) { interrupted = true; }

constexpr const char* simulated_source = "simulated-runner";

// Shortest text that reads back as the same double: a replay must rebuild the runner exactly.
std::string exact(double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return {buf, r.ptr};
}

template <class T>
T param(const RecordedDevice& device, const std::string& key) {
  const auto it = device.params.find(key);
  if (it == device.params.end())
    throw std::runtime_error("recorded device '" + device.source + "' lacks parameter '" + key + "'");
  T v{};
  const auto& text = it->second;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (r.ec != std::errc{} || r.ptr != text.data() + text.size())
    throw std::runtime_error("recorded device '" + device.source + "': parameter '" + key + "' is not a number: '" +
                             text + "'");
  return v;
}

sim::RunnerConfig runner_config(std::uint64_t seed, double standing_s, double speed_mps) {
  sim::RunnerConfig runner;
  runner.seed = seed;
  runner.standing_s = standing_s;
  runner.speed_mps = speed_mps;
  return runner;
}

}  // namespace

void add_session_options(po::options_description& description, SessionOptions& o) {
  description.add_options()
      ("simulate", po::bool_switch(&o.simulate), "run on the built-in simulated runner")
      ("device", po::value(&o.devices), "run from a device or bridge: serial:PATH, /dev/..., tcp:HOST:PORT, "
                                        "usb:VVVV:PPPP or replay:FILE (repeatable)")
      ("driver", po::value(&o.driver), "driver for --device (default: by USB id, else the bridge driver)")
      ("duration", po::value(&o.duration_s)->default_value(0.0), "stop after SECONDS (0: until Ctrl-C)")
      ("endpoint", po::value(&o.endpoint)->default_value(default_event_endpoint), "where to publish events (ZeroMQ PUB)")
      ("athlete", po::value(&o.athlete)->default_value("athlete"), "athlete id, the first part of every topic")
      ("seed", po::value(&o.seed)->default_value(1), "seed of the simulated runner")
      ("standing", po::value(&o.standing_s)->default_value(5.0), "simulated runner: quiet standing before running, SECONDS")
      ("speed", po::value(&o.speed_mps)->default_value(3.5), "running speed (treadmill setting), M_PER_S; with --device only when given")
      ("quiet", po::bool_switch(&o.quiet), "do not print a line per step");
  add_publisher_flags(description, o.publisher);
}

void check_session_options(const po::variables_map& vm, SessionOptions& o) {
  if (!o.simulate && o.devices.empty())
    throw UsageError("no device given: use --simulate for the built-in runner, or --device URI for a device or bridge");
  if (o.simulate && !o.devices.empty()) throw UsageError("--simulate and --device exclude each other");
  if (o.duration_s < 0.0) throw UsageError("--duration must not be negative");
  o.speed_given = !vm["speed"].defaulted();
}

SessionDevices open_session_devices(const SessionOptions& o, const std::string& command, const TransportWrap& wrap) {
  SessionDevices out;
  out.config.athlete = o.athlete;
  if (o.simulate) {
    const auto runner = runner_config(o.seed, o.standing_s, o.speed_mps);
    auto device = simulated::open_simulated_runner(runner);  // validates the runner, naming a bad parameter
    if (runner.speed_source == sim::SpeedSource::treadmill) out.config.engine.treadmill_speed_mps = runner.speed_mps;
    RecordedDevice recorded{simulated_source, device.driver->name(),
                            {{"seed", std::to_string(o.seed)},
                             {"standing_s", exact(o.standing_s)},
                             {"speed_mps", exact(o.speed_mps)}}};
    if (wrap) device.transport = wrap(std::move(device.transport), recorded);
    out.devices.push_back({std::move(device.transport), std::move(device.driver)});
    out.recorded.push_back(std::move(recorded));
    out.what = "simulated runner";
    return out;
  }
  DriverRegistry registry;
  register_builtin_drivers(registry);
  // A treadmill's setting is the speed source unless a sensor provides one.
  if (o.speed_given) out.config.engine.treadmill_speed_mps = o.speed_mps;
  for (const auto& uri : o.devices) {
    RecordedDevice recorded{uri, "", {}};
    TransportWrapper wrap_device;
    if (wrap)
      wrap_device = [&](std::unique_ptr<Transport> t, const std::string& driver_name) {
        recorded.driver = driver_name;
        return wrap(std::move(t), recorded);
      };
    out.devices.push_back(open_device(uri, registry, o.driver, wrap_device));
    out.recorded.push_back(std::move(recorded));
    std::cerr << "stridefuse " << command << ": " << uri << ": " << out.devices.back().driver->name()
              << " with streams";
    for (const auto& s : out.devices.back().driver->streams()) std::cerr << " " << s.id;
    std::cerr << "\n";
    out.what += (out.what.empty() ? "" : ", ") + uri;
  }
  return out;
}

std::unique_ptr<Driver> open_recorded_driver(const RecordedDevice& device, Transport& transport) {
  if (device.source == simulated_source) {
    const auto runner = runner_config(param<std::uint64_t>(device, "seed"), param<double>(device, "standing_s"),
                                      param<double>(device, "speed_mps"));
    return simulated::open_simulated_runner(runner).driver;
  }
  DriverRegistry registry;
  register_builtin_drivers(registry);
  const auto names = registry.names();
  if (std::find(names.begin(), names.end(), device.driver) == names.end())
    throw std::runtime_error("the recording's device " + device.source + " was decoded by driver '" + device.driver +
                             "', which this build does not have");
  return registry.open(device.driver, transport);
}

std::shared_ptr<EventFanout> make_live_publishers(const SessionOptions& o) {
  ZmqPublisherOptions publisher_options;
  publisher_options.endpoint = o.endpoint;
  publisher_options.athlete = o.athlete;
  apply_publisher_flags(o.publisher, publisher_options);
  auto fanout = std::make_shared<EventFanout>();
  fanout->add(std::make_shared<ZmqPublisher>(publisher_options));
  if (!o.quiet)
    fanout->add(std::make_shared<CallbackPublisher>([](const Event& e) {
      if (const auto* step = std::get_if<StepEvent>(&e)) std::cout << format_step_line(*step) << std::endl;
    }));
  return fanout;
}

void run_live_session(Session& session, const EventFanout& fanout, const SessionOptions& o,
                      const std::string& command) {
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  session.start();
  const auto start = std::chrono::steady_clock::now();
  while (!interrupted.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const double elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (o.duration_s > 0.0 && elapsed_s >= o.duration_s) break;
  }
  session.stop();
  std::cerr << "stridefuse " << command << ": session ended: " << session.steps() << " steps, " << fanout.dropped()
            << " events dropped by slow subscribers\n";
  for (const auto& d : session.device_stats())
    std::cerr << "stridefuse " << command << ": " << d.transport << ": " << d.decode.frames << " frames, "
              << d.decode.malformed << " malformed, " << d.decode.sequence_gaps << " lost"
              << (d.error.empty() ? "" : ", " + d.error) << "\n";
}

}  // namespace stridefuse::cli
