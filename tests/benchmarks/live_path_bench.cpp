// What the whole live path costs per sample: driver decode -> clock sync ->
// merge -> engine -> encode -> publish, the work a node serving many athletes
// pays. Printed in one run:
//  1. the live pipeline itself on the simulated runner in its own time
//     (sim:runner?clock=virtual, run_in_device_time): a 10-minute session,
//     CPU seconds and times real time, publishing on ZeroMQ (tcp loopback, one
//     subscriber draining);
//  2. a recording of that session made the same way, then replayed
//     (replay_session at speed 0, what `stridefuse replay --speed 0` does):
//     wall and CPU seconds of the replaying thread, times real time, against
//     the target of 2,000x real time, and whether the events were identical;
//  3. allocations per sample (and per event) during the replay: every
//     operator new in the process is counted;
//  4. copies of a Sample per sample, when built with the CMake option
//     STRIDEFUSE_COUNT_SAMPLE_COPIES (tools/bench.sh live builds that
//     flavour): every Sample copy constructor and assignment is counted.
//
//   live_path_bench [SECONDS] [--keep FILE] [--replay FILE]
//     SECONDS: session length (default 600: a 10-minute session)
//     --keep FILE: keep the recording there (to profile `stridefuse replay FILE --speed 0`)
//     --replay FILE: replay that recording only (items 2-4), e.g. one made by another build

#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <new>
#include <string>
#include <thread>

#include "stridefuse/runtime/device_time_session.hpp"
#include "stridefuse/runtime/devices.hpp"
#include "stridefuse/runtime/event_publisher.hpp"
#include "stridefuse/runtime/session_recording.hpp"
#include "stridefuse/runtime/zmq_publisher.hpp"
#include "stridefuse/runtime/zmq_subscriber.hpp"

namespace {
std::atomic<std::uint64_t> allocations{0};
}  // namespace

// Every allocation of the process is counted (the figure of item 3).
void* operator new(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

using namespace stridefuse;
namespace fs = std::filesystem;

constexpr double target_times_real_time = 2000.0;
const char* runner_uri = "sim:runner?seed=7&clock=virtual";

double thread_cpu_s() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

std::uint64_t sample_copies() {
#ifdef STRIDEFUSE_COUNT_SAMPLE_COPIES
  return Sample::copies().load();
#else
  return 0;
#endif
}

/// A ZeroMQ publisher on loopback with one subscriber draining it on a thread of its own.
struct PublishedLoopback {
  std::shared_ptr<ZmqPublisher> publisher;
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> received{0};
  std::thread drain;

  PublishedLoopback() {
    ZmqPublisherOptions o;
    o.endpoint = "tcp://127.0.0.1:*";
    o.athlete = "athlete";
    o.send_hwm = 1 << 20;
    o.heartbeat_period = std::chrono::hours(1);
    publisher = std::make_shared<ZmqPublisher>(o);
    auto subscriber = std::make_shared<ZmqSubscriber>(publisher->endpoint(), "", 1 << 20);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the subscription reaches the publisher
    drain = std::thread([this, subscriber] {
      while (!stop.load())
        if (subscriber->receive(std::chrono::milliseconds(50))) ++received;
    });
  }
  ~PublishedLoopback() {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    stop = true;
    drain.join();
  }
};

}  // namespace

int main(int argc, char** argv) try {
  double duration_s = 600.0;
  std::string keep, replay_only;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--keep" && i + 1 < argc)
      keep = argv[++i];
    else if (arg == "--replay" && i + 1 < argc)
      replay_only = argv[++i];
    else
      duration_s = std::atof(argv[i]);
  }
  if (!(duration_s > 0.0)) {
    std::fprintf(stderr, "usage: live_path_bench [SECONDS > 0] [--keep FILE]\n");
    return 2;
  }
  if (replay_only.empty()) std::printf("live path: simulated runner (%s), %.0f s of session\n\n", runner_uri, duration_s);

  // 1. The live pipeline in device time, publishing.
  if (replay_only.empty()) {
    PublishedLoopback loopback;
    SessionConfig config;
    auto devices = open_devices({runner_uri}, {}, config);
    const double cpu0 = thread_cpu_s();
    const auto t0 = std::chrono::steady_clock::now();
    const auto r = run_in_device_time(config, std::move(devices), loopback.publisher, {duration_s, 0, nullptr});
    const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double cpu_s = thread_cpu_s() - cpu0;
    std::printf("1. live pipeline in device time: %llu samples, %u steps, %.3f s wall, %.3f s CPU of its thread\n"
                "   = %.0fx real time (wall), %.0f ns CPU per sample\n\n",
                static_cast<unsigned long long>(r.samples), r.steps, wall_s, cpu_s, r.session_s / wall_s,
                cpu_s / static_cast<double>(r.samples) * 1e9);
  }

  // 2. A recording of the same session, replayed.
  const auto dir = fs::temp_directory_path() / ("live_path_bench_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const auto file = !replay_only.empty() ? replay_only : keep.empty() ? (dir / "session.sfrec").string() : keep;
  if (replay_only.empty()) {
    auto recorder = std::make_shared<SessionRecorder>(file);
    SessionConfig config;
    DeviceSetOptions set;
    set.recorder = recorder;
    auto devices = open_devices({runner_uri}, set, config);
    auto fanout = std::make_shared<EventFanout>();
    fanout->add(recorder->event_recorder());
    run_in_device_time(config, std::move(devices), fanout, {duration_s, 0, recorder});
    recorder->flush();
  }
  const auto recording = read_session_recording(file);
  std::printf("2. replay of a recording of it (%.1f MB, %zu events)\n",
              static_cast<double>(fs::file_size(file)) / 1e6, recording.events.size());
  PublishedLoopback loopback;
  const auto copies0 = sample_copies();
  const auto allocations0 = allocations.load();
  const double cpu0 = thread_cpu_s();
  const auto t0 = std::chrono::steady_clock::now();
  const auto report = replay_session(recording, reopen_recorded_driver, loopback.publisher, ReplayOptions{0.0});
  const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double cpu_s = thread_cpu_s() - cpu0;
  const auto allocated = allocations.load() - allocations0;
  const auto copies = sample_copies() - copies0;
  fs::remove_all(dir);

  const double samples = static_cast<double>(report.samples);
  const double times_real_time = report.session_s / wall_s;
  std::printf("   %.3f s wall, %.3f s CPU of the replaying thread: %.0fx real time (target >= %.0fx: %s)\n",
              wall_s, cpu_s, times_real_time, target_times_real_time,
              times_real_time >= target_times_real_time ? "met" : "NOT met");
  std::printf("   events %s (%zu replayed)\n", report.identical ? "identical to the recorded ones" : "DIFFERENT",
              report.events.size());
  std::printf("   %.0f samples, %.0f ns wall per sample\n", samples, wall_s / samples * 1e9);
  std::printf("3. allocations during the replay: %llu: %.3f per sample, %.2f per event\n",
              static_cast<unsigned long long>(allocated), static_cast<double>(allocated) / samples,
              static_cast<double>(allocated) / static_cast<double>(report.events.size()));
#ifdef STRIDEFUSE_COUNT_SAMPLE_COPIES
  std::printf("4. Sample copies during the replay: %llu: %.3f per sample\n", static_cast<unsigned long long>(copies),
              static_cast<double>(copies) / samples);
#else
  (void)copies;
  std::printf("4. Sample copies: not counted in this build (configure with -DSTRIDEFUSE_COUNT_SAMPLE_COPIES=ON)\n");
#endif
  return times_real_time >= target_times_real_time ? 0 : 1;
} catch (const std::exception& e) {
  std::fprintf(stderr, "live_path_bench: %s\n", e.what());
  return 1;
}
