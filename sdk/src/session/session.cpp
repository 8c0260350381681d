#include "stridefuse/session.hpp"

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "device_reader.hpp"
#include "stridefuse/sample_merger.hpp"
#include "stridefuse/zmq_publisher.hpp"

namespace stridefuse {

struct Session::Impl {
  SessionConfig config;
  std::shared_ptr<EventPublisher> publisher;
  SessionClock clock;
  std::vector<std::unique_ptr<detail::DeviceReader>> readers;
  std::vector<StreamDescriptor> streams;  // session-wide table: all devices' streams, in order
  std::thread fusion_thread;
  std::atomic<bool> stop_fusion{false};
  std::atomic<std::uint32_t> steps{0};
  std::vector<std::uint64_t> late_samples;  // per session stream; fusion thread only
  bool started = false;
  bool stopped = false;

  void run_fusion();
  void publish_status(double now_s, bool final);
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
  impl_->late_samples.assign(impl_->streams.size(), 0);
  // The fusion thread publishes SessionStart first: all publishing stays on one thread.
  impl_->fusion_thread = std::thread([impl = impl_.get()] { impl->run_fusion(); });
  for (auto& r : impl_->readers) r->start();
}

void Session::stop() {
  if (!impl_->started || impl_->stopped) return;
  impl_->stopped = true;
  for (auto& r : impl_->readers) r->request_stop();
  for (auto& r : impl_->readers) r->join();
  impl_->stop_fusion = true;
  if (impl_->fusion_thread.joinable()) impl_->fusion_thread.join();
}

std::uint32_t Session::steps() const { return impl_->steps.load(); }

std::vector<DeviceStats> Session::device_stats() const {
  std::vector<DeviceStats> out;
  for (const auto& r : impl_->readers) out.push_back(r->stats());
  return out;
}

const SessionClock& Session::clock() const { return impl_->clock; }

void Session::Impl::run_fusion() {
  const auto wall_now = std::chrono::system_clock::now().time_since_epoch();
  const double start_offset_s = clock.now_s();
  publisher->publish(SessionStartEvent{
      0.0, config.athlete,
      static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(wall_now).count()) -
          static_cast<std::uint64_t>(start_offset_s * 1e9)});

  fusion::Engine engine(streams, config.engine, [this](const Event& e) {
    if (std::holds_alternative<StepEvent>(e)) ++steps;
    publisher->publish(e);
  });
  SampleMerger merger(SampleMergerConfig{streams.size(), config.merge_max_wait_s,
                                        LateSamplePolicy::release_flagged, SampleMergerConfig{}.max_buffered});
  // A late sample cannot be put in order any more: it is counted against its
  // stream and kept from the engine, which needs time order.
  auto feed = [&](const Sample& s, bool late) {
    if (late)
      ++late_samples[s.stream];
    else
      engine.push(s);
  };

  double next_status_s = 0.0;
  while (true) {
    const bool finishing = stop_fusion.load();  // read before draining: readers are joined by then
    bool any = false;
    Sample s;
    for (auto& r : readers)
      while (r->pop(s)) {
        merger.push(s);
        any = true;
      }
    const double now_s = clock.now_s();
    merger.release(now_s, feed);
    if (now_s >= next_status_s) {
      publish_status(now_s, false);
      next_status_s = now_s + config.status_interval_s;
    }
    if (finishing) break;
    if (!any) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  merger.flush(feed);
  engine.finish();
  const double end_s = clock.now_s();
  publish_status(end_s, true);
  publisher->publish(SessionEndEvent{end_s, steps.load()});
}

void Session::Impl::publish_status(double now_s, bool final) {
  std::size_t session_stream = 0;
  for (const auto& r : readers) {
    const auto stats = r->stats();
    for (std::size_t i = 0; i < r->streams().size(); ++i) {
      DeviceStatusEvent e;
      e.t_s = now_s;
      e.stream_id = r->streams()[i].id;
      e.frames = stats.decode.frames;
      e.frames_dropped =
          stats.decode.malformed + stats.decode.sequence_gaps + stats.queue_overflows + stats.clock_rejected;
      e.clock_error_bound_s = r->clock_error_bound_s(i);
      e.late_samples = late_samples[session_stream++];
      if (stats.disconnected) {
        e.state = DeviceState::disconnected;
        e.message = stats.error;
      } else if (final) {
        e.state = DeviceState::disconnected;
        e.message = "session ended";
      } else if (stats.samples == 0) {
        e.state = DeviceState::connected;
      } else if (e.frames_dropped > 0) {
        e.state = DeviceState::degraded;
        e.message = std::to_string(e.frames_dropped) + " frames lost or malformed";
      } else {
        e.state = DeviceState::streaming;
      }
      publisher->publish(e);
    }
  }
}

}  // namespace stridefuse
