// `stridefuse replay FILE`: re-runs drivers, clock sync, merge and engine on a
// recording's device traffic, publishes the events, and says whether they are
// the recorded ones, byte for byte.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <thread>

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
  int wait_subscribers = 0;
  double wait_timeout_s = 30.0;
  options.add_options()
      ("input", po::value(&input), "recording to replay (or give it as the first argument)")
      ("speed", po::value(&speed)->default_value(1.0),
       "X times the recorded pace: 1 as recorded, 2 twice as fast, 0.5 half, 0 as fast as possible")
      ("endpoint", po::value(&endpoint)->default_value(default_event_endpoint), "where to publish events (ZeroMQ PUB)")
      ("wait-subscribers", po::value(&wait_subscribers)->default_value(0),
       "start only once N subscriptions reached the publisher (each `stridefuse sub` makes one), and let every "
       "event reach them: none is dropped for a slow subscriber and the replay ends once all are sent")
      ("wait-timeout", po::value(&wait_timeout_s)->default_value(30.0),
       "with --wait-subscribers: give up (exit 1) when they have not all come within SECONDS; also the longest "
       "wait at the end for the last events to leave");
  // The file may come first, without a flag, as in `stridefuse replay run.sfrec`.
  std::vector<std::string> rest = args;
  if (!rest.empty() && !rest.front().starts_with("-")) {
    input = rest.front();
    rest.erase(rest.begin());
  }
  const auto vm = parse_command_line("replay", "FILE [--speed X] [--endpoint URL] [--wait-subscribers N [--wait-timeout S]]",
                                     options, rest);
  if (!vm) return exit_ok;
  if (input.empty()) throw UsageError("no recording given: stridefuse replay FILE");
  if (!(speed >= 0.0)) throw UsageError("--speed must not be negative");
  if (wait_subscribers < 0) throw UsageError("--wait-subscribers must not be negative");
  if (!(wait_timeout_s > 0.0 && wait_timeout_s <= 86400.0)) throw UsageError("--wait-timeout must be in (0, 86400] s");

  const auto recording = read_session_recording(input);
  if (recording.cut_at_byte)
    std::cerr << "stridefuse replay: " << input << " is cut at byte " << *recording.cut_at_byte << " of "
              << recording.file_bytes << ": replaying up to its last complete frame\n";
  if (!recording.config)
    throw std::runtime_error(input + " ends before the session's configuration: nothing to replay");
  ZmqPublisherOptions publisher_options;
  publisher_options.endpoint = endpoint;
  publisher_options.athlete = recording.config->athlete;
  const auto wait_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::duration<double>(wait_timeout_s));
  if (wait_subscribers > 0) {
    // Everything reaches the subscribers waited for: the send queue holds the
    // whole recording, and closing waits for it to leave.
    publisher_options.send_hwm = static_cast<int>(std::min<std::size_t>(recording.events.size() + 1000, 1u << 30));
    publisher_options.linger = wait_timeout;
  }
  auto publisher = std::make_shared<ZmqPublisher>(publisher_options);
  std::cerr << "stridefuse replay: " << input << ": " << recording.devices.size() << " device(s), "
            << recording.events.size() << " recorded events, publishing on " << publisher->endpoint() << "\n";
  if (wait_subscribers > 0) {
    std::cerr << "stridefuse replay: waiting for " << wait_subscribers << " subscriber(s)\n";
    const auto deadline = std::chrono::steady_clock::now() + wait_timeout;
    while (publisher->subscriptions() < static_cast<std::uint32_t>(wait_subscribers)) {
      if (std::chrono::steady_clock::now() >= deadline)
        throw std::runtime_error("only " + std::to_string(publisher->subscriptions()) + " of " +
                                 std::to_string(wait_subscribers) + " subscribers came to " + publisher->endpoint() +
                                 " within " + std::to_string(wait_timeout_s) + " s (--wait-timeout)");
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

  const auto started = std::chrono::steady_clock::now();
  const auto report = replay_session(recording, reopen_recorded_driver, publisher, ReplayOptions{speed});
  publisher->flush();
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
