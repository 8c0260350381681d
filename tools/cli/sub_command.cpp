// `stridefuse sub`: subscribe to a publisher and print every event as one JSON line.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>

#include "command.hpp"
#include "stridefuse/runtime/curve_keys.hpp"
#include "stridefuse/runtime/event_codec.hpp"
#include "stridefuse/runtime/publisher_heartbeat.hpp"
#include "stridefuse/runtime/sequence_tracker.hpp"
#include "stridefuse/runtime/zmq_publisher.hpp"
#include "stridefuse/runtime/zmq_subscriber.hpp"

namespace stridefuse::cli {

int run_sub(const std::vector<std::string>& args) {
  ZmqSubscriberOptions subscriber_options;
  long long count = 0;
  double timeout_s = 0.0;
  bool heartbeats = false;
  std::string server_key, secret_file;
  po::options_description options("sub options");
  options.add_options()
      ("endpoint", po::value(&subscriber_options.endpoint)->default_value(default_event_endpoint),
       "publisher (or proxy XPUB endpoint) to connect to")
      ("topic", po::value(&subscriber_options.topic_prefix)->default_value(""),
       "topic prefix: \"ATHLETE/\" for one athlete, \"ATHLETE/KIND\" for one kind; empty for all")
      ("count", po::value(&count)->default_value(0), "stop after this many events (0: no limit)")
      ("timeout", po::value(&timeout_s)->default_value(0.0),
       "stop after this many seconds (0: no limit); with --count, not reaching the count in time is an error")
      ("heartbeats", po::bool_switch(&heartbeats), "also print the publisher's heartbeats (not counted by --count)")
      ("curve-server-key", po::value(&server_key), "CURVE: the publisher's public key (Z85); needs --curve-secret-file")
      ("curve-secret-file", po::value(&secret_file),
       "CURVE: file holding this subscriber's secret key (Z85); its public key must be on the publisher's allow-list");
  if (!parse_command_line("sub",
                          "[--endpoint URL] [--topic PREFIX] [--count N] [--timeout S] [--heartbeats] "
                          "[--curve-server-key KEY --curve-secret-file FILE]",
                          options, args))
    return exit_ok;
  if (count < 0) throw UsageError("--count must not be negative");
  if (!std::isfinite(timeout_s) || timeout_s < 0.0) throw UsageError("--timeout must be a non-negative number of seconds");
  if (server_key.empty() != secret_file.empty())
    throw UsageError("CURVE needs both --curve-server-key and --curve-secret-file");
  if (!server_key.empty()) subscriber_options.curve = CurveClientOptions{server_key, read_curve_secret_file(secret_file)};

  ZmqSubscriber subscriber(subscriber_options);
  SequenceTracker sequences;
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
      const bool heartbeat = is_heartbeat_topic(message->topic);
      std::string line;
      EventEnvelope envelope;
      if (heartbeat) {
        const auto decoded = decode_heartbeat(message->payload);
        envelope = decoded.envelope;
        line = heartbeat_to_json(decoded);
      } else {
        const auto decoded = decode_event(message->payload);
        envelope = decoded.envelope;
        line = event_to_json(decoded);
      }
      // A repeat is the publisher's snapshot for a later subscriber: already printed.
      const auto verdict = sequences.observe(message->topic, envelope.sequence);
      if (verdict.repeat) continue;
      if (verdict.lost > 0)
        std::cerr << "stridefuse sub: lost " << verdict.lost << " message" << (verdict.lost == 1 ? "" : "s")
                  << " on " << message->topic << " before sequence " << envelope.sequence
                  << " (this subscriber too slow, or the publisher could not send)\n";
      if (heartbeat && !heartbeats) continue;
      std::cout << line << std::endl;
      if (!heartbeat) ++printed;
    } catch (const EventDecodeError& e) {
      // One bad message (another program on the port, a newer schema) must not end the stream.
      ++rejected;
      std::cerr << "stridefuse sub: skipping a message: " << e.what() << "\n";
    }
  }
  if (count > 0 && printed < count) {
    std::cerr << "stridefuse sub: timed out after " << timeout_s << " s with " << printed << " of " << count
              << " events from " << subscriber_options.endpoint
              << (rejected ? " (" + std::to_string(rejected) + " rejected)" : "") << "\n";
    return exit_failure;
  }
  return exit_ok;
}

}  // namespace stridefuse::cli
