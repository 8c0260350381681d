#include "stridefuse/runtime/session.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <thread>

#include "device_reader.hpp"
#include "record/session_recorder_access.hpp"
#include "session/fusion_core.hpp"
#include "session/fusion_wake.hpp"
#include "session/short_slices.hpp"
#include "stridefuse/core/sample_merger.hpp"
#include "stridefuse/runtime/zmq_publisher.hpp"

namespace stridefuse {

struct Session::Impl {
  SessionConfig config;
  std::shared_ptr<EventPublisher> publisher;
  SessionClock clock;
  std::vector<std::unique_ptr<detail::DeviceReader>> readers;
  std::vector<StreamDescriptor> streams;  // session-wide table: all devices' streams, in order
  std::thread fusion_thread;
  std::atomic<bool> stop_fusion{false};
  detail::FusionWake wake;  // readers (and stop()) wake the fusion thread
  std::atomic<std::uint32_t> steps{0};
  std::unique_ptr<detail::FusionCore> core;    // made at start(); used by the fusion thread only, but for stats
  std::shared_ptr<detail::FusionTrace> trace;  // set when recording
  bool started = false;
  bool stopped = false;

  void run_fusion();
};

Session::Session(SessionConfig config, std::shared_ptr<EventPublisher> publisher)
    : impl_(std::make_unique<Impl>()) {
  validate_athlete_id(config.athlete);  // the topic scheme's rule: it becomes every topic's prefix
  if (!publisher) throw std::invalid_argument("Session needs a publisher");
  if (!(config.merge_max_wait_s >= 0.0)) throw std::invalid_argument("merge_max_wait_s must not be negative");
  impl_->config = std::move(config);
  impl_->publisher = std::move(publisher);
}

Session::~Session() { stop(); }

void Session::add_device(std::unique_ptr<Transport> transport, std::unique_ptr<Driver> driver) {
  if (impl_->started) throw std::logic_error("Session::add_device after start()");
  if (!transport || !driver) throw std::invalid_argument("Session::add_device needs a transport and a driver");
  if (transport->keeps_own_time())
    throw std::invalid_argument("device " + transport->describe() +
                                " keeps time of its own: run it in device time (run_in_device_time), not live");
  const auto first = impl_->streams.size();
  auto reader = std::make_unique<detail::DeviceReader>(std::move(transport), std::move(driver),
                                                       static_cast<std::uint16_t>(first), impl_->clock,
                                                       impl_->config.queue_capacity);
  for (const auto& s : reader->streams()) {
    validate(s);
    for (const auto& existing : impl_->streams)
      if (existing.id == s.id) throw std::invalid_argument("two devices declare a stream named '" + s.id + "'");
    impl_->streams.push_back(s);
  }
  impl_->readers.push_back(std::move(reader));
}

void Session::start() {
  if (impl_->started) throw std::logic_error("Session::start called twice");
  if (impl_->readers.empty()) throw std::logic_error("Session::start without a device");
  impl_->started = true;
  std::vector<detail::DeviceReader*> readers;
  for (auto& r : impl_->readers) readers.push_back(r.get());
  impl_->core = std::make_unique<detail::FusionCore>(impl_->config, std::move(readers), *impl_->publisher,
                                                     impl_->steps, impl_->clock.start());
  // The fusion thread publishes SessionStart first: all publishing stays on one thread.
  impl_->fusion_thread = std::thread([impl = impl_.get()] { impl->run_fusion(); });
  for (auto& r : impl_->readers) {
    r->wake_on_samples(&impl_->wake);
    r->start();
  }
}

void Session::stop() {
  if (!impl_->started || impl_->stopped) return;
  impl_->stopped = true;
  for (auto& r : impl_->readers) r->request_stop();
  for (auto& r : impl_->readers) r->join();
  impl_->stop_fusion = true;
  impl_->wake.notify();
  if (impl_->fusion_thread.joinable()) impl_->fusion_thread.join();
}

std::uint32_t Session::steps() const { return impl_->steps.load(); }

std::vector<DeviceStats> Session::device_stats() const {
  std::vector<DeviceStats> out;
  for (std::size_t d = 0; d < impl_->readers.size(); ++d)
    out.push_back(impl_->core ? impl_->core->device_stats(d) : impl_->readers[d]->stats());
  return out;
}

const SessionClock& Session::clock() const { return impl_->clock; }

void Session::record_to(std::shared_ptr<SessionRecorder> recorder) {
  if (impl_->started) throw std::logic_error("Session::record_to after start()");
  if (impl_->trace) throw std::logic_error("Session::record_to called twice");
  if (!recorder) throw std::invalid_argument("Session::record_to needs a recorder");
  impl_->trace = detail::SessionRecorderAccess::begin_session(*recorder, impl_->config, impl_->clock);
}

void Session::Impl::run_fusion() {
  detail::prefer_short_slices();
  const auto wall_now = std::chrono::system_clock::now().time_since_epoch();
  const double start_offset_s = clock.now_s();
  const auto host_start_unix_ns =
      static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(wall_now).count()) -
      static_cast<std::uint64_t>(start_offset_s * 1e9);
  if (trace) trace->session_start(host_start_unix_ns);
  core->start(host_start_unix_ns);

  std::vector<std::uint32_t> popped;
  while (true) {
    const bool finishing = stop_fusion.load();  // read before draining: readers are joined by then
    // The turn's time is read after taking: every sample taken arrived before it.
    const bool any = core->turn([this] { return clock.now_s(); }, popped, trace.get());
    if (finishing) break;
    if (any) continue;
    // Nothing came: sleep until a reader queues samples, the merge or the
    // status is due, or stop() (which wakes it too); the bound is only a backstop.
    auto deadline = SessionClock::host_clock::now() + std::chrono::milliseconds(100);
    const double due_s = core->next_due_s();
    if (due_s < clock.now_s() + 0.1)
      deadline = std::min(deadline, clock.start() + std::chrono::ceil<SessionClock::host_clock::duration>(
                                                        std::chrono::duration<double>(std::max(due_s, 0.0))));
    wake.wait_until(deadline);
  }
  const double end_s = clock.now_s();
  const auto final_status = core->snapshots();
  if (trace) trace->session_end(end_s, final_status);
  core->finish(end_s, final_status);
}

}  // namespace stridefuse
