#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>

#include "command.hpp"
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
  options.add_options()
      ("simulate", po::bool_switch(), "run on the built-in simulated runner")
      ("duration", po::value(&duration_s)->default_value(0.0), "stop after SECONDS (0: until Ctrl-C)")
      ("endpoint", po::value(&endpoint)->default_value("tcp://127.0.0.1:5556"), "where to publish events (ZeroMQ PUB)")
      ("athlete", po::value(&athlete)->default_value("athlete"), "athlete id, the first part of every topic")
      ("seed", po::value(&seed)->default_value(1), "seed of the simulated runner")
      ("standing", po::value(&standing_s)->default_value(5.0), "simulated runner: quiet standing before running, SECONDS")
      ("speed", po::value(&speed_mps)->default_value(3.5), "simulated runner: running speed (treadmill setting), M_PER_S")
      ("quiet", po::bool_switch(&quiet), "do not print a line per step");
  const auto vm = parse_command_line("run", "--simulate [--duration SECONDS] [--endpoint URL]", options, args);
  if (!vm) return exit_ok;
  if (!(*vm)["simulate"].as<bool>())
    throw UsageError("no device given: live hardware comes with the device layer; use --simulate for the built-in runner");
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
  sim::RunnerConfig runner;
  runner.seed = seed;
  runner.standing_s = standing_s;
  runner.speed_mps = speed_mps;
  auto device = simulated::open_simulated_runner(runner);  // validates the runner, naming a bad parameter
  if (runner.speed_source == sim::SpeedSource::treadmill) config.engine.treadmill_speed_mps = runner.speed_mps;
  Session session(config, fanout);
  session.add_device(std::move(device.transport), std::move(device.driver));

  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  std::cerr << "stridefuse run: simulated runner, publishing on " << endpoint << " as '" << athlete << "'\n";
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
  return exit_ok;
}

}  // namespace stridefuse::cli
