// sf_session: a stridefuse::Session behind an opaque handle. Events reach the
// C side two ways, both fed on the fusion thread: the callback, and a bounded
// SPSC queue that sf_session_poll_event drains. A "stopper" thread owns the
// end of the session, so a duration and an explicit stop take one path.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "call_guard.hpp"
#include "event_view.hpp"
#include "stridefuse/fusion/drill_tracker.hpp"
#include "stridefuse/runtime/devices.hpp"
#include "stridefuse/runtime/session.hpp"
#include "stridefuse/core/spsc_queue.hpp"
#include "stridefuse/stridefuse.h"
#include "stridefuse/runtime/zmq_publisher.hpp"

using stridefuse::c_api::CallError;
using stridefuse::c_api::guarded;
using stridefuse::c_api::require;

enum class SessionState : int { created, running, stopped };

struct sf_session {
  // Set before start, read by the fusion thread only after (thread start orders them).
  sf_event_callback callback = nullptr;
  void* user_data = nullptr;
  std::unique_ptr<stridefuse::SpscQueue<sf_event>> queue;  // null: no pull access
  std::atomic<std::uint64_t> queue_dropped{0};
  std::mutex poll_mutex;  // the queue has one consumer: pollers take turns

  std::shared_ptr<stridefuse::ZmqPublisher> zmq;  // null: no publishing
  std::unique_ptr<stridefuse::Session> session;
  double duration_s = 0.0;

  std::mutex control;  // guards the fields below
  std::condition_variable changed;
  std::atomic<SessionState> state{SessionState::created};
  bool stop_requested = false;
  std::string stop_error;
  std::thread stopper;

  void deliver(const stridefuse::Event& event) noexcept {
    sf_event view;
    stridefuse::c_api::to_c_event(event, view);
    if (callback) callback(&view, user_data);
    if (queue && !queue->try_push(view)) queue_dropped.fetch_add(1, std::memory_order_relaxed);
  }

  // The stopper thread: waits for the duration or a stop request, then ends the session.
  void run_stopper() noexcept {
    std::unique_lock lock(control);
    const auto requested = [this] { return stop_requested; };
    if (duration_s > 0.0)
      changed.wait_until(lock, std::chrono::steady_clock::now() + std::chrono::duration<double>(duration_s), requested);
    else
      changed.wait(lock, requested);
    lock.unlock();  // stopping drains the engine; calls asking for state must not wait on the lock meanwhile
    std::string error;
    try {
      session->stop();
    } catch (const std::exception& e) {
      error = e.what();
    } catch (...) {
      error = "unknown exception while stopping the session";
    }
    lock.lock();
    stop_error = std::move(error);
    state = SessionState::stopped;
    changed.notify_all();
  }

  int stop() {
    std::unique_lock lock(control);
    if (state != SessionState::running) return SF_OK;
    stop_requested = true;
    changed.notify_all();
    changed.wait(lock, [this] { return state == SessionState::stopped; });
    if (!stop_error.empty()) throw CallError{SF_ERROR_INTERNAL, "stopping the session: " + stop_error};
    return SF_OK;
  }
};

namespace {

void check_finite_at_least_zero(double value, const char* name) {
  if (!(std::isfinite(value) && value >= 0.0))
    throw std::invalid_argument(std::string(name) + " must be a finite number >= 0, not " + std::to_string(value));
}

// A drill session's drill and its simulated set, when there is one.
struct DrillSetup {
  stridefuse::DrillConfig config;
  stridefuse::SimulatedDrillOptions simulated;
};

std::vector<stridefuse::OpenedDevice> open_session_devices(const sf_session_options& options,
                                                          stridefuse::SessionConfig& config,
                                                          const std::optional<DrillSetup>& drill) {
  stridefuse::DeviceSetOptions set;
  std::vector<std::string> uris;
  if (options.simulate && drill) {
    uris.push_back(stridefuse::simulated_drill_uri(drill->config, drill->simulated));
  } else if (options.simulate) {
    const auto& r = options.runner;
    uris.push_back(stridefuse::simulated_runner_uri({r.seed, r.standing_s, r.speed_mps, r.cadence_spm, {}, {}}));
  } else {
    require(options.device_uris, "options->device_uris");
    for (std::size_t i = 0; i < options.device_count; ++i) {
      require(options.device_uris[i], ("options->device_uris[" + std::to_string(i) + "]").c_str());
      uris.emplace_back(options.device_uris[i]);
    }
    if (options.treadmill_speed_mps > 0.0) set.treadmill_speed_mps = options.treadmill_speed_mps;
    if (options.driver) set.driver = options.driver;
  }
  return stridefuse::open_devices(uris, set, config);
}

std::unique_ptr<sf_session> create_session(const sf_session_options& options,
                                           const std::optional<DrillSetup>& drill = std::nullopt) {
  require(options.athlete, "options->athlete");
  stridefuse::validate_athlete_id(options.athlete);
  check_finite_at_least_zero(options.duration_s, "duration_s");
  check_finite_at_least_zero(options.treadmill_speed_mps, "treadmill_speed_mps");
  const bool simulate = options.simulate != 0;
  if (simulate && options.device_count > 0)
    throw std::invalid_argument("simulate and device_uris exclude each other: give one source of data");
  if (!simulate && options.device_count == 0)
    throw std::invalid_argument("no source of data: set simulate, or give device_uris and device_count");
  if (simulate && options.treadmill_speed_mps > 0.0)
    throw std::invalid_argument("treadmill_speed_mps is for devices; the simulated runner runs at runner.speed_mps");

  auto handle = std::make_unique<sf_session>();
  handle->duration_s = options.duration_s;
  if (options.poll_queue_capacity > 0)
    handle->queue = std::make_unique<stridefuse::SpscQueue<sf_event>>(options.poll_queue_capacity);

  stridefuse::SessionConfig config;
  config.athlete = options.athlete;
  auto devices = open_session_devices(options, config, drill);
  if (drill) {
    config.engine.drill = drill->config;
    config.engine.findings = false;
    std::vector<stridefuse::StreamDescriptor> streams;
    for (const auto& d : devices)
      for (const auto& s : d.driver->streams()) streams.push_back(s);
    stridefuse::fusion::check_drill_streams(drill->config, streams);  // names a missing sensor
  }

  auto fanout = std::make_shared<stridefuse::EventFanout>();
  if (options.endpoint) {
    stridefuse::ZmqPublisherOptions zmq_options;
    zmq_options.endpoint = options.endpoint;
    zmq_options.athlete = options.athlete;
    handle->zmq = std::make_shared<stridefuse::ZmqPublisher>(zmq_options);
    fanout->add(handle->zmq);
  }
  fanout->add(std::make_shared<stridefuse::CallbackPublisher>(
      [h = handle.get()](const stridefuse::Event& event) { h->deliver(event); }));
  handle->session = std::make_unique<stridefuse::Session>(config, fanout);
  for (auto& d : devices) handle->session->add_device(std::move(d.transport), std::move(d.driver));
  return handle;
}

// Whether the poll queue can still receive events: false once the fusion thread has finished.
bool may_receive_more(const sf_session& s) { return s.state.load() != SessionState::stopped; }

}  // namespace

extern "C" {

int sf_session_options_init(sf_session_options* options) {
  return guarded([&] {
    require(options, "options");
    *options = sf_session_options{};
    options->athlete = "athlete";
    options->simulate = 1;
    options->runner.speed_mps = 3.5;
    options->runner.cadence_spm = 170.0;
    options->runner.standing_s = 5.0;
    options->runner.seed = 1;
    options->poll_queue_capacity = 4096;
    return SF_OK;
  });
}

int sf_session_create(const sf_session_options* options, sf_session** out) {
  if (out) *out = nullptr;
  return guarded([&] {
    require(options, "options");
    require(out, "out");
    *out = create_session(*options).release();
    return SF_OK;
  });
}

int sf_drill_options_init(sf_drill_options* drill) {
  return guarded([&] {
    require(drill, "drill");
    *drill = sf_drill_options{};
    drill->exercise = SF_DRILL_BRIDGE;
    drill->side = SF_DRILL_BOTH;
    return SF_OK;
  });
}

int sf_session_create_drill(const sf_session_options* options, const sf_drill_options* drill, sf_session** out) {
  if (out) *out = nullptr;
  return guarded([&] {
    require(options, "options");
    require(drill, "drill");
    require(out, "out");
    if (drill->exercise < 0 || drill->exercise > static_cast<int>(stridefuse::last_drill_exercise))
      throw std::invalid_argument("drill->exercise " + std::to_string(drill->exercise) + " is no sf_drill_exercise");
    if (drill->side < SF_DRILL_LEFT || drill->side > SF_DRILL_BOTH)
      throw std::invalid_argument("drill->side " + std::to_string(drill->side) + " is no sf_drill_side");
    DrillSetup setup;
    setup.config.exercise = static_cast<stridefuse::DrillExercise>(drill->exercise);
    setup.config.side = static_cast<stridefuse::DrillSide>(drill->side);
    if (drill->tolerance_deg != 0.0) setup.config.tolerance_deg = drill->tolerance_deg;
    setup.config.calibration_hinge = drill->calibration_hinge != 0;
    stridefuse::fusion::check_drill_config(setup.config);  // named by the drill, before the simulator sees it
    setup.simulated.seed = options->runner.seed;
    if (drill->simulated_reps > 0) setup.simulated.reps = drill->simulated_reps;
    *out = create_session(*options, setup).release();
    return SF_OK;
  });
}

int sf_session_destroy(sf_session* session) {
  if (!session) return SF_OK;
  const int stopped = guarded([&] { return session->stop(); });
  if (session->stopper.joinable()) session->stopper.join();
  delete session;
  return stopped;
}

int sf_session_set_callback(sf_session* session, sf_event_callback callback, void* user_data) {
  return guarded([&] {
    require(session, "session");
    std::lock_guard lock(session->control);
    if (session->state != SessionState::created)
      throw CallError{SF_ERROR_STATE, "sf_session_set_callback: the session has started; set the callback before"};
    session->callback = callback;
    session->user_data = user_data;
    return SF_OK;
  });
}

int sf_session_start(sf_session* session) {
  return guarded([&] {
    require(session, "session");
    std::lock_guard lock(session->control);
    if (session->state != SessionState::created)
      throw CallError{SF_ERROR_STATE, "sf_session_start: the session was started before; a session starts once"};
    session->session->start();
    session->state = SessionState::running;
    try {
      session->stopper = std::thread([session] { session->run_stopper(); });
    } catch (...) {
      session->session->stop();
      session->state = SessionState::stopped;
      throw;
    }
    return SF_OK;
  });
}

int sf_session_stop(sf_session* session) {
  return guarded([&] {
    require(session, "session");
    return session->stop();
  });
}

int sf_session_wait(sf_session* session, int timeout_ms) {
  return guarded([&] {
    require(session, "session");
    std::unique_lock lock(session->control);
    if (session->state == SessionState::created)
      throw CallError{SF_ERROR_STATE, "sf_session_wait: the session was never started"};
    const auto stopped = [session] { return session->state == SessionState::stopped; };
    if (timeout_ms < 0) {
      session->changed.wait(lock, stopped);
    } else if (!session->changed.wait_for(lock, std::chrono::milliseconds(timeout_ms), stopped)) {
      throw CallError{SF_ERROR_TIMEOUT,
                      "sf_session_wait: the session still runs after " + std::to_string(timeout_ms) + " ms"};
    }
    return SF_OK;
  });
}

int sf_session_poll_event(sf_session* session, sf_event* event, int timeout_ms) {
  return guarded([&] {
    require(session, "session");
    require(event, "event");
    if (!session->queue)
      throw CallError{SF_ERROR_STATE, "sf_session_poll_event: the session was created with poll_queue_capacity 0"};
    if (timeout_ms < 0 && session->state == SessionState::created)
      throw CallError{SF_ERROR_STATE, "sf_session_poll_event: waiting without a limit on a session never started"};
    std::lock_guard lock(session->poll_mutex);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(std::max(timeout_ms, 0));
    while (true) {
      // Read before popping: once stopped, the fusion thread has pushed its last event.
      const bool more_may_come = may_receive_more(*session);
      if (session->queue->try_pop(*event)) return SF_OK;
      if (!more_may_come) throw CallError{SF_ERROR_AGAIN, "sf_session_poll_event: the session has stopped and every event was taken"};
      if (timeout_ms >= 0 && std::chrono::steady_clock::now() >= deadline)
        throw CallError{SF_ERROR_AGAIN, "sf_session_poll_event: no event within " + std::to_string(timeout_ms) + " ms"};
      // The queue is lock-free and has no waiting primitive: a millisecond is far below an event's period.
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
}

int sf_session_steps(const sf_session* session, uint32_t* steps) {
  return guarded([&] {
    require(session, "session");
    require(steps, "steps");
    *steps = session->session->steps();
    return SF_OK;
  });
}

int sf_session_dropped(const sf_session* session, uint64_t* poll_queue, uint64_t* publisher) {
  return guarded([&] {
    require(session, "session");
    if (poll_queue) *poll_queue = session->queue_dropped.load();
    if (publisher) *publisher = session->zmq ? session->zmq->dropped() : 0;
    return SF_OK;
  });
}

int sf_session_endpoint(const sf_session* session, char* buffer, size_t size) {
  return guarded([&] {
    require(session, "session");
    require(buffer, "buffer");
    if (!session->zmq) throw CallError{SF_ERROR_STATE, "sf_session_endpoint: the session publishes on no endpoint"};
    const std::string& endpoint = session->zmq->endpoint();
    if (endpoint.size() + 1 > size)
      throw CallError{SF_ERROR_INVALID_ARGUMENT, "sf_session_endpoint: the buffer needs " +
                                                     std::to_string(endpoint.size() + 1) + " bytes, has " +
                                                     std::to_string(size)};
    stridefuse::c_api::copy_text(endpoint, buffer, size);
    return SF_OK;
  });
}

int sf_session_device_count(const sf_session* session, size_t* count) {
  return guarded([&] {
    require(session, "session");
    require(count, "count");
    *count = session->session->device_stats().size();
    return SF_OK;
  });
}

int sf_session_device_stats(const sf_session* session, size_t index, sf_device_stats* stats) {
  return guarded([&] {
    require(session, "session");
    require(stats, "stats");
    const auto all = session->session->device_stats();
    if (index >= all.size())
      throw CallError{SF_ERROR_NOT_FOUND, "sf_session_device_stats: no device " + std::to_string(index) +
                                              " (the session has " + std::to_string(all.size()) + ")"};
    const auto& d = all[index];
    *stats = sf_device_stats{};
    stridefuse::c_api::copy_text(d.driver, stats->driver, SF_TEXT_MAX);
    stridefuse::c_api::copy_text(d.transport, stats->transport, SF_TEXT_MAX);
    stats->frames = d.decode.frames;
    stats->malformed = d.decode.malformed;
    stats->sequence_gaps = d.decode.sequence_gaps;
    stats->samples = d.samples;
    stats->queue_overflows = d.queue_overflows;
    stats->clock_rejected = d.clock_rejected;
    stats->disconnected = d.disconnected ? 1 : 0;
    stridefuse::c_api::copy_text(d.error, stats->error, SF_TEXT_MAX);
    return SF_OK;
  });
}

}  // extern "C"
