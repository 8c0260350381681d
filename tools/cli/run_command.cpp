#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>

#include "builtin_drivers.hpp"
#include "command.hpp"
#include "stridefuse/device_uri.hpp"
#include "simulated/simulated_runner_link.hpp"
#include "step_line.hpp"
#include "stridefuse/session.hpp"
#include "stridefuse/zmq_publisher.hpp"

namespace stridefuse::cli {
namespace {

std::atomic<bool> interrupted{false};

extern "C" void on_interrupt(int) { interrupted = true; }

}  // namespace

int run_run(const std::vector<std::string>& args) {
  po::options_description options("run options");
  double duration_s = 0.0;
  double standing_s = 5.0;
  double speed_mps = 3.5;
  std::string endpoint;
  std::string athlete;
  std::uint64_t seed = 1;
  bool quiet = false;
  std::vector<std::string> devices;
  std::string driver;
  options.add_options()
      ("simulate", po::bool_switch(), "run on the built-in simulated runner")
      ("device", po::value(&devices), "run from a device or bridge: serial:PATH, /dev/..., tcp:HOST:PORT, "
                                      "usb:VVVV:PPPP or replay:FILE (repeatable)")
      ("driver", po::value(&driver), "driver for --device (default: by USB id, else the bridge driver)")
      ("duration", po::value(&duration_s)->default_value(0.0), "stop after SECONDS (0: until Ctrl-C)")
      ("endpoint", po::value(&endpoint)->default_value("tcp://127.0.0.1:5556"), "where to publish events (ZeroMQ PUB)")
      ("athlete", po::value(&athlete)->default_value("athlete"), "athlete id, the first part of every topic")
      ("seed", po::value(&seed)->default_value(1), "seed of the simulated runner")
      ("standing", po::value(&standing_s)->default_value(5.0), "simulated runner: quiet standing before running, SECONDS")
      ("speed", po::value(&speed_mps)->default_value(3.5), "running speed (treadmill setting), M_PER_S; with --device only when given")
      ("quiet", po::bool_switch(&quiet), "do not print a line per step");
  const auto vm = parse_command_line("run", "(--simulate | --device URI...) [--duration SECONDS] [--endpoint URL]",
                                     options, args);
  if (!vm) return exit_ok;
  const bool simulate = (*vm)["simulate"].as<bool>();
  if (!simulate && devices.empty()) throw UsageError("no device given: use --simulate for the built-in runner, or --device URI for a device or bridge");
  if (simulate && !devices.empty()) throw UsageError("--simulate and --device exclude each other");
  if (duration_s < 0.0) throw UsageError("--duration must not be negative");

  ZmqPublisherOptions publisher_options;
  publisher_options.endpoint = endpoint;
  publisher_options.athlete = athlete;
  auto zmq = std::make_shared<ZmqPublisher>(publisher_options);
  auto fanout = std::make_shared<EventFanout>();
  fanout->add(zmq);
  if (!quiet)
    fanout->add(std::make_shared<CallbackPublisher>([](const Event& e) {
      if (const auto* step = std::get_if<StepEvent>(&e)) std::cout << format_step_line(*step) << std::endl;
    }));

  SessionConfig config;
  config.athlete = athlete;
  std::string what;
  std::vector<OpenedDevice> opened;
  if (simulate) {
    sim::RunnerConfig runner;
    runner.seed = seed;
    runner.standing_s = standing_s;
    runner.speed_mps = speed_mps;
    auto device = simulated::open_simulated_runner(runner);  // validates the runner, naming a bad parameter
    if (runner.speed_source == sim::SpeedSource::treadmill) config.engine.treadmill_speed_mps = runner.speed_mps;
    opened.push_back({std::move(device.transport), std::move(device.driver)});
    what = "simulated runner";
  } else {
    DriverRegistry registry;
    register_builtin_drivers(registry);
    // A treadmill's setting is the speed source unless a sensor provides one.
    if (!(*vm)["speed"].defaulted()) config.engine.treadmill_speed_mps = speed_mps;
    for (const auto& uri : devices) {
      opened.push_back(open_device(uri, registry, driver));
      std::cerr << "stridefuse run: " << uri << ": " << opened.back().driver->name() << " with streams";
      for (const auto& s : opened.back().driver->streams()) std::cerr << " " << s.id;
      std::cerr << "\n";
      what += (what.empty() ? "" : ", ") + uri;
    }
  }
  Session session(config, fanout);
  for (auto& d : opened) session.add_device(std::move(d.transport), std::move(d.driver));

  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  std::cerr << "stridefuse run: " << what << ", publishing on " << endpoint << " as '" << athlete << "'\n";
  session.start();
  const auto start = std::chrono::steady_clock::now();
  while (!interrupted.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const double elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (duration_s > 0.0 && elapsed_s >= duration_s) break;
  }
  session.stop();
  std::cerr << "stridefuse run: session ended: " << session.steps() << " steps, " << fanout->dropped()
            << " events dropped by slow subscribers\n";
  for (const auto& d : session.device_stats())
    std::cerr << "stridefuse run: " << d.transport << ": " << d.decode.frames << " frames, " << d.decode.malformed
              << " malformed, " << d.decode.sequence_gaps << " lost" << (d.error.empty() ? "" : ", " + d.error) << "\n";
  return exit_ok;
}

}  // namespace stridefuse::cli
