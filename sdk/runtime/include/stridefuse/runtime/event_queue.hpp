#pragma once
// Pull access to a session's events: give an EventQueue to the Session (alone
// or in an EventFanout) and take the events from another thread at its own
// pace. publish() runs on the fusion thread and never waits: when the queue is
// full the event is dropped and counted, so a consumer that falls behind
// loses events but never slows the engine.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "stridefuse/runtime/event_publisher.hpp"
#include "stridefuse/core/spsc_queue.hpp"

namespace stridefuse {

class EventQueue final : public EventPublisher {
 public:
  /// Holds up to `capacity` events. Throws std::invalid_argument for 0.
  explicit EventQueue(std::size_t capacity);

  /// Producer side (one thread: the session's fusion thread).
  void publish(const Event& event) override;

  /// Events dropped because the queue was full. Any thread.
  std::uint64_t dropped() const override { return dropped_.load(std::memory_order_relaxed); }

  /// Consumer side (one thread): the oldest waiting event, or nothing.
  std::optional<Event> try_pop();

  /// Consumer side: events waiting.
  std::size_t size() const { return queue_.size(); }

 private:
  SpscQueue<Event> queue_;
  std::atomic<std::uint64_t> dropped_{0};
};

}  // namespace stridefuse
