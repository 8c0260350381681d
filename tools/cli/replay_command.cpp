// `stridefuse replay FILE`: re-runs drivers, clock sync, merge and engine on a
// recording's device traffic, publishes the events, and says whether they are
// the recorded ones, byte for byte.

#include <chrono>
#include <iostream>

#include "command.hpp"
#include "stridefuse/runtime/devices.hpp"
#include "stridefuse/runtime/event_codec.hpp"
#include "stridefuse/runtime/session_recording.hpp"
#include "stridefuse/runtime/zmq_publisher.hpp"

namespace stridefuse::cli {

int run_replay(const std::vector<std::string>& args) {
  po::options_description options("replay options");
  std::string input;
  double speed = 1.0;
  std::string endpoint;
  options.add_options()
      ("input", po::value(&input), "recording to replay (or give it as the first argument)")
      ("speed", po::value(&speed)->default_value(1.0), "1: at the recorded pace, 2: twice as fast, 0: as fast as possible")
      ("endpoint", po::value(&endpoint)->default_value(default_event_endpoint), "where to publish events (ZeroMQ PUB)");
  // The file may come first, without a flag, as in `stridefuse replay run.sfrec`.
  std::vector<std::string> rest = args;
  if (!rest.empty() && !rest.front().starts_with("-")) {
    input = rest.front();
    rest.erase(rest.begin());
  }
  const auto vm = parse_command_line("replay", "FILE [--speed 1|0] [--endpoint URL]", options, rest);
  if (!vm) return exit_ok;
  if (input.empty()) throw UsageError("no recording given: stridefuse replay FILE");
  if (!(speed >= 0.0)) throw UsageError("--speed must not be negative");

  const auto recording = read_session_recording(input);
  if (recording.cut_at_byte)
    std::cerr << "stridefuse replay: " << input << " is cut at byte " << *recording.cut_at_byte << " of "
              << recording.file_bytes << ": replaying up to its last complete frame\n";
  if (!recording.config)
    throw std::runtime_error(input + " ends before the session's configuration: nothing to replay");
  ZmqPublisherOptions publisher_options;
  publisher_options.endpoint = endpoint;
  publisher_options.athlete = recording.config->athlete;
  auto publisher = std::make_shared<ZmqPublisher>(publisher_options);
  std::cerr << "stridefuse replay: " << input << ": " << recording.devices.size() << " device(s), "
            << recording.events.size() << " recorded events, publishing on " << publisher->endpoint() << "\n";

  const auto started = std::chrono::steady_clock::now();
  const auto report = replay_session(recording, reopen_recorded_driver, publisher, ReplayOptions{speed});
  const double took_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "replayed " << report.events.size() << " events in " << report.fusion_turns << " fusion turns, "
            << report.session_s << " s of session in " << took_s << " s"
            << (report.complete ? "" : " (the recording ends before the session did)") << "\n";
  if (report.identical) {
    std::cout << (recording.ended ? "identical: all " : "identical: the ") << recording.events.size()
              << " recorded events, byte for byte" << (recording.ended ? "" : " (recorded before the cut)");
    if (report.recorded_schema_minor < event_schema_minor)
      std::cout << " in the fields of their schema " << event_schema_major << "." << report.recorded_schema_minor
                << " (this build writes " << event_schema_major << "." << event_schema_minor << ")";
    std::cout << "\n";
    return exit_ok;
  }
  std::cout << "DIFFERENT: event " << *report.first_difference << " differs from the recording ("
            << recording.events.size() << " recorded, " << report.events.size() << " replayed)\n";
  return exit_failure;
}

}  // namespace stridefuse::cli
