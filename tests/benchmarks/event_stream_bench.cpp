// Cost of the event stream: encoding, decoding, encode+send per event, and
// PUB->SUB events/s over tcp loopback compared with raw ZeroMQ moving
// messages of the same size in the same run (printed as a ratio at the end).
//
//   build/tests/benchmarks/event_stream_bench
//
// The comparison counts only events that arrive: the SDK side pays encoding
// in the publisher and decoding in the subscriber, the raw side sends
// prebuilt bytes and only receives them.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>
#include <zmq.hpp>

#include "../sdk/event_samples.hpp"
#include "stridefuse/event_codec.hpp"
#include "stridefuse/zmq_publisher.hpp"
#include "stridefuse/zmq_subscriber.hpp"

namespace {

using namespace std::chrono_literals;
using namespace stridefuse;

ZmqPublisherOptions loopback(int hwm) {
  ZmqPublisherOptions o;
  o.endpoint = "tcp://127.0.0.1:*";
  o.athlete = "runner-7";
  o.send_hwm = hwm;
  o.linger = 0ms;
  return o;
}

void BM_EncodeStep(benchmark::State& state) {
  EventEncoder encoder;
  const Event step = test::sample_step();
  std::uint64_t seq = 0;
  for (auto _ : state) benchmark::DoNotOptimize(encoder.encode(step, "runner-7", seq++).data());
  state.counters["bytes"] = static_cast<double>(encoder.encode(step, "runner-7", 0).size());
}
BENCHMARK(BM_EncodeStep);

void BM_EncodeAttitude(benchmark::State& state) {
  EventEncoder encoder;
  const Event attitude = test::sample_attitude();
  std::uint64_t seq = 0;
  for (auto _ : state) benchmark::DoNotOptimize(encoder.encode(attitude, "runner-7", seq++).data());
  state.counters["bytes"] = static_cast<double>(encoder.encode(attitude, "runner-7", 0).size());
}
BENCHMARK(BM_EncodeAttitude);

void BM_DecodeStep(benchmark::State& state) {
  const auto bytes = encode_event(test::sample_step(), "runner-7", 1);
  for (auto _ : state) benchmark::DoNotOptimize(decode_event(bytes));
}
BENCHMARK(BM_DecodeStep);

void BM_EventToJsonStep(benchmark::State& state) {
  const Event step = test::sample_step();
  for (auto _ : state) benchmark::DoNotOptimize(event_to_json(step));
}
BENCHMARK(BM_EventToJsonStep);

// publish() = encode + non-blocking send, nobody subscribed (ZeroMQ discards after topic matching).
void BM_PublishStepNoSubscriber(benchmark::State& state) {
  ZmqPublisher pub(loopback(1000));
  const Event step = test::sample_step();
  for (auto _ : state) pub.publish(step);
  state.counters["dropped"] = static_cast<double>(pub.dropped());
}
BENCHMARK(BM_PublishStepNoSubscriber);

/// Receives (and decodes) in its own thread until stopped.
class DrainingSubscriber {
 public:
  explicit DrainingSubscriber(const std::string& endpoint) : sub_(endpoint, "", 100000) {}
  void connect(ZmqPublisher& pub) {
    while (!sub_.receive(10ms)) pub.publish(test::sample_session_start());
    thread_ = std::thread([this] {
      while (!stop_)
        if (auto m = sub_.receive(20ms)) {
          benchmark::DoNotOptimize(decode_event(m->payload));
          received_.fetch_add(1, std::memory_order_relaxed);
        }
    });
  }
  ~DrainingSubscriber() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }

 private:
  ZmqSubscriber sub_;
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> received_{0};
  std::thread thread_;
};

// publish() with a live subscriber draining in another thread: what the engine pays per event.
void BM_PublishStepLiveSubscriber(benchmark::State& state) {
  ZmqPublisher pub(loopback(1000));
  DrainingSubscriber sub(pub.endpoint());
  sub.connect(pub);
  const Event step = test::sample_step();
  const auto dropped_before = pub.dropped();
  for (auto _ : state) pub.publish(step);
  state.counters["dropped_pct"] =
      100.0 * static_cast<double>(pub.dropped() - dropped_before) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_PublishStepLiveSubscriber);

// ---- PUB->SUB throughput, SDK versus raw ZeroMQ ---------------------------

struct Throughput {
  double events_per_s = 0;
  std::uint64_t received = 0;
  std::uint64_t dropped = 0;
};

constexpr std::uint64_t stream_events = 200000;

Throughput sdk_stream() {
  // HWM above the run length: measures transport cost, not the drop policy.
  ZmqPublisher pub(loopback(static_cast<int>(stream_events) + 1000));
  ZmqSubscriber sub(pub.endpoint(), "runner-7/step", static_cast<int>(stream_events) + 1000);
  const Event step = test::sample_step();
  while (!sub.receive(10ms)) pub.publish(step);  // wait for the subscription
  while (sub.receive(50ms)) {
  }
  Throughput t;
  const auto dropped_before = pub.dropped();
  const auto start = std::chrono::steady_clock::now();
  std::thread receiver([&] {
    while (t.received < stream_events) {
      auto m = sub.receive(500ms);
      if (!m) break;  // the rest was dropped
      benchmark::DoNotOptimize(decode_event(m->payload));
      ++t.received;
    }
  });
  for (std::uint64_t i = 0; i < stream_events; ++i) pub.publish(step);
  receiver.join();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  t.dropped = pub.dropped() - dropped_before;
  t.events_per_s = static_cast<double>(t.received) / seconds;
  return t;
}

Throughput raw_stream(std::size_t topic_bytes, std::size_t payload_bytes) {
  zmq::context_t context(1);
  zmq::socket_t pub(context, zmq::socket_type::pub);
  pub.set(zmq::sockopt::sndhwm, static_cast<int>(stream_events) + 1000);
  pub.set(zmq::sockopt::linger, 0);
  pub.bind("tcp://127.0.0.1:*");
  zmq::socket_t sub(context, zmq::socket_type::sub);
  sub.set(zmq::sockopt::rcvhwm, static_cast<int>(stream_events) + 1000);
  sub.set(zmq::sockopt::linger, 0);
  sub.set(zmq::sockopt::subscribe, "");
  sub.connect(pub.get(zmq::sockopt::last_endpoint));
  const std::string topic(topic_bytes, 't');
  const std::vector<std::uint8_t> payload(payload_bytes, 0x5a);
  auto send = [&] {
    pub.send(zmq::buffer(topic), zmq::send_flags::sndmore);
    pub.send(zmq::buffer(payload), zmq::send_flags::none);
  };
  auto receive = [&](std::chrono::milliseconds timeout) {
    zmq::pollitem_t item{sub.handle(), 0, ZMQ_POLLIN, 0};
    if (zmq::poll(&item, 1, timeout) == 0) return false;
    zmq::message_t part;
    do {
      (void)sub.recv(part, zmq::recv_flags::none);
    } while (part.more());
    return true;
  };
  while (true) {  // wait for the subscription, then drain the probes
    send();
    if (receive(10ms)) break;
  }
  while (receive(50ms)) {
  }
  Throughput t;
  const auto start = std::chrono::steady_clock::now();
  std::thread receiver([&] {
    while (t.received < stream_events && receive(500ms)) ++t.received;
  });
  for (std::uint64_t i = 0; i < stream_events; ++i) send();
  receiver.join();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  t.events_per_s = static_cast<double>(t.received) / seconds;
  return t;
}

void compare_with_raw_zeromq() {
  const std::string topic = event_topic("runner-7", test::sample_step());
  const auto payload_bytes = encode_event(test::sample_step(), "runner-7", 0).size();
  std::printf("\nPUB->SUB over tcp loopback, %llu step events per run, message = %zu-byte topic + %zu-byte payload\n",
              static_cast<unsigned long long>(stream_events), topic.size(), payload_bytes);
  std::printf("%-5s %16s %10s %16s %10s %8s\n", "run", "sdk events/s", "sdk lost", "raw msgs/s", "raw lost",
              "ratio");
  std::vector<double> ratios;
  for (int run = 1; run <= 3; ++run) {
    const auto sdk = sdk_stream();
    const auto raw = raw_stream(topic.size(), payload_bytes);
    const double ratio = sdk.events_per_s / raw.events_per_s;
    ratios.push_back(ratio);
    std::printf("%-5d %16.0f %10llu %16.0f %10llu %8.3f\n", run, sdk.events_per_s,
                static_cast<unsigned long long>(stream_events - sdk.received), raw.events_per_s,
                static_cast<unsigned long long>(stream_events - raw.received), ratio);
  }
  std::sort(ratios.begin(), ratios.end());
  std::printf("median ratio sdk/raw: %.3f (sdk includes encode in publish() and decode in the subscriber)\n",
              ratios[1]);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  compare_with_raw_zeromq();
  return 0;
}
