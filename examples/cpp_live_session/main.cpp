// An app that links the SDK: runs a live session on the simulated runner for
// a few seconds and prints every step it is told about, through an
// in-process callback (no ZeroMQ needed).
//
//   example_cpp_live_session [SECONDS]

#include <stridefuse/runtime/devices.hpp>
#include <stridefuse/runtime/session.hpp>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <thread>

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 6.0;
  if (!(seconds > 0.0)) {
    std::cerr << "usage: example_cpp_live_session [SECONDS > 0]\n";
    return 2;
  }
  try {
    auto on_event = std::make_shared<stridefuse::CallbackPublisher>([](const stridefuse::Event& event) {
      if (const auto* step = std::get_if<stridefuse::StepEvent>(&event)) {
        std::cout << "step " << step->index << " " << stridefuse::to_string(step->side) << " at " << step->t_ic_s
                  << " s, contact ";
        if (step->contact_time_s)
          std::cout << step->contact_time_s.value << " s";
        else
          std::cout << "absent (" << stridefuse::to_string(step->contact_time_s.absent_reason) << ")";
        std::cout << "\n";
      }
    });

    // Any device URI opens the same way; this one is the built-in simulated
    // runner ("sim:runner?seed=1&speed_mps=3.5&standing_s=1"), on its treadmill.
    stridefuse::SimulatedRunnerOptions runner;
    runner.standing_s = 1.0;
    stridefuse::SessionConfig config;
    config.athlete = "example";
    auto devices = stridefuse::open_devices({stridefuse::simulated_runner_uri(runner)}, {}, config);
    stridefuse::Session session(config, on_event);
    for (auto& d : devices) session.add_device(std::move(d.transport), std::move(d.driver));
    session.start();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    session.stop();
    std::cout << "session ended after " << session.steps() << " steps\n";
    return session.steps() > 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "example_cpp_live_session: " << e.what() << "\n";
    return 1;
  }
}
