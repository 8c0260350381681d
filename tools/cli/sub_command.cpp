// `stridefuse sub`: subscribe to a publisher and print every event as one JSON line.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>

#include "command.hpp"
#include "stridefuse/event_codec.hpp"
#include "stridefuse/zmq_publisher.hpp"
#include "stridefuse/zmq_subscriber.hpp"

namespace stridefuse::cli {

int run_sub(const std::vector<std::string>& args) {
  std::string endpoint;
  std::string topic;
  long long count = 0;
  double timeout_s = 0.0;
  po::options_description options("sub options");
  options.add_options()
      ("endpoint", po::value(&endpoint)->default_value(default_event_endpoint), "publisher to connect to")
      ("topic", po::value(&topic)->default_value(""),
       "topic prefix: \"ATHLETE/\" for one athlete, \"ATHLETE/KIND\" for one kind; empty for all")
      ("count", po::value(&count)->default_value(0), "stop after this many events (0: no limit)")
      ("timeout", po::value(&timeout_s)->default_value(0.0),
       "stop after this many seconds (0: no limit); with --count, not reaching the count in time is an error");
  if (!parse_command_line("sub", "[--endpoint URL] [--topic PREFIX] [--count N] [--timeout S]", options, args))
    return exit_ok;
  if (count < 0) throw UsageError("--count must not be negative");
  if (!std::isfinite(timeout_s) || timeout_s < 0.0) throw UsageError("--timeout must be a non-negative number of seconds");

  ZmqSubscriber subscriber(endpoint, topic);
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  const auto deadline = start + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(timeout_s));
  long long printed = 0;
  long long rejected = 0;
  while (count == 0 || printed < count) {
    auto wait = std::chrono::milliseconds(200);
    if (timeout_s > 0.0) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
      if (left.count() <= 0) break;
      wait = std::min(wait, left);
    }
    try {
      const auto message = subscriber.receive(wait);
      if (!message) continue;
      std::cout << event_to_json(decode_event(message->payload)) << std::endl;
      ++printed;
    } catch (const EventDecodeError& e) {
      // One bad message (another program on the port, a newer schema) must not end the stream.
      ++rejected;
      std::cerr << "stridefuse sub: skipping a message: " << e.what() << "\n";
    }
  }
  if (count > 0 && printed < count) {
    std::cerr << "stridefuse sub: timed out after " << timeout_s << " s with " << printed << " of " << count
              << " events from " << endpoint << (rejected ? " (" + std::to_string(rejected) + " rejected)" : "")
              << "\n";
    return exit_failure;
  }
  return exit_ok;
}

}  // namespace stridefuse::cli
