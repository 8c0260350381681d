// `stridefuse sub`: subscribe to a publisher and print every event as one JSON
// line, or write them to files per event kind (--format, --output), or
// measure their latencies (--latency).

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <memory>
#include <optional>

#include "command.hpp"
#include "event_files.hpp"
#include "interrupt.hpp"
#include "latency_report.hpp"
#include "stridefuse/runtime/curve_keys.hpp"
#include "stridefuse/runtime/event_codec.hpp"
#include "stridefuse/runtime/publisher_heartbeat.hpp"
#include "stridefuse/runtime/sequence_tracker.hpp"
#include "stridefuse/runtime/zmq_publisher.hpp"
#include "stridefuse/runtime/zmq_subscriber.hpp"

namespace stridefuse::cli {
namespace {

std::uint64_t unix_now_ns() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

}  // namespace

int run_sub(const std::vector<std::string>& args) {
  ZmqSubscriberOptions subscriber_options;
  long long count = 0;
  double timeout_s = 0.0;
  bool heartbeats = false, latency = false;
  std::string server_key, secret_file, format, output;
  double roll_mb = 0.0, roll_seconds = 0.0;
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
      ("latency", po::bool_switch(&latency),
       "print no events; at the end (--count, --timeout, Ctrl-C) print the distribution of their latencies, "
       "stage by stage, from each event's provenance")
      ("format", po::value(&format), "with --output: csv (a table per event kind) or jsonl (a JSON object a line)")
      ("output", po::value(&output),
       "write the events to files instead of printing them: PREFIX.<kind>.<NNNN>.csv|jsonl, one per event kind, "
       "flushed at least twice a second")
      ("roll-mb", po::value(&roll_mb)->default_value(0.0),
       "with --output: start a kind's next file once one holds this many MB (0: never)")
      ("roll-seconds", po::value(&roll_seconds)->default_value(0.0),
       "with --output: start a kind's next file once one has been open this many seconds (0: never)")
      ("curve-server-key", po::value(&server_key), "CURVE: the publisher's public key (Z85); needs --curve-secret-file")
      ("curve-secret-file", po::value(&secret_file),
       "CURVE: file holding this subscriber's secret key (Z85); its public key must be on the publisher's allow-list");
  if (!parse_command_line("sub",
                          "[--endpoint URL] [--topic PREFIX] [--count N] [--timeout S] [--heartbeats] [--latency] "
                          "[--format csv|jsonl --output PREFIX [--roll-mb MB] [--roll-seconds S]] "
                          "[--curve-server-key KEY --curve-secret-file FILE]",
                          options, args))
    return exit_ok;
  if (count < 0) throw UsageError("--count must not be negative");
  if (!std::isfinite(timeout_s) || timeout_s < 0.0) throw UsageError("--timeout must be a non-negative number of seconds");
  if (server_key.empty() != secret_file.empty())
    throw UsageError("CURVE needs both --curve-server-key and --curve-secret-file");
  if (output.empty() != format.empty()) throw UsageError("--format and --output go together");
  if (!format.empty() && format != "csv" && format != "jsonl")
    throw UsageError("--format must be csv or jsonl, not '" + format + "'");
  if (!(roll_mb >= 0.0 && roll_mb < 1e6)) throw UsageError("--roll-mb must be a non-negative number of MB");
  if (!(roll_seconds >= 0.0 && roll_seconds < 1e9)) throw UsageError("--roll-seconds must be a non-negative number");
  if (output.empty() && (roll_mb > 0.0 || roll_seconds > 0.0)) throw UsageError("--roll-mb and --roll-seconds need --output");
  if (!server_key.empty()) subscriber_options.curve = CurveClientOptions{server_key, read_curve_secret_file(secret_file)};

  std::optional<EventFiles> files;
  if (!output.empty())
    files.emplace(EventFileOptions{format == "csv" ? EventFileOptions::Format::csv : EventFileOptions::Format::jsonl,
                                   output, static_cast<std::uint64_t>(roll_mb * 1e6), roll_seconds});
  std::optional<LatencyReport> latencies;
  if (latency) latencies.emplace();
  const bool print_events = !files && !latency;

  ZmqSubscriber subscriber(subscriber_options);
  SequenceTracker sequences;
  stop_on_interrupt();
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  const auto deadline = start + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(timeout_s));
  long long received = 0;
  long long rejected = 0;
  while ((count == 0 || received < count) && !interrupted()) {
    // Short waits: files are flushed and Ctrl-C is noticed between them.
    auto wait = std::chrono::milliseconds(200);
    if (timeout_s > 0.0) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
      if (left.count() <= 0) break;
      wait = std::min(wait, left);
    }
    if (files) files->flush_if_due();
    try {
      const auto message = subscriber.receive(wait);
      if (!message) continue;
      const auto received_unix_ns = unix_now_ns();
      if (is_heartbeat_topic(message->topic)) {
        const auto decoded = decode_heartbeat(message->payload);
        sequences.observe(message->topic, decoded.envelope.sequence);
        if (heartbeats && print_events) std::cout << heartbeat_to_json(decoded) << std::endl;
        continue;
      }
      const auto decoded = decode_event(message->payload);
      // A repeat is the publisher's snapshot for a later subscriber: already had.
      const auto verdict = sequences.observe(message->topic, decoded.envelope.sequence);
      if (verdict.repeat) continue;
      if (verdict.lost > 0)
        std::cerr << "stridefuse sub: lost " << verdict.lost << " message" << (verdict.lost == 1 ? "" : "s")
                  << " on " << message->topic << " before sequence " << decoded.envelope.sequence
                  << " (this subscriber too slow, or the publisher could not send)\n";
      if (print_events) std::cout << event_to_json(decoded) << std::endl;
      if (files) files->write(decoded);
      if (latencies) latencies->add(decoded, received_unix_ns);
      ++received;
    } catch (const EventDecodeError& e) {
      // One bad message (another program on the port, a newer schema) must not end the stream.
      ++rejected;
      std::cerr << "stridefuse sub: skipping a message: " << e.what() << "\n";
    }
  }
  if (files) files->close();
  if (latencies) latencies->print(std::cout);
  if (count > 0 && received < count && !interrupted()) {
    std::cerr << "stridefuse sub: timed out after " << timeout_s << " s with " << received << " of " << count
              << " events from " << subscriber_options.endpoint
              << (rejected ? " (" + std::to_string(rejected) + " rejected)" : "") << "\n";
    return exit_failure;
  }
  return exit_ok;
}

}  // namespace stridefuse::cli
