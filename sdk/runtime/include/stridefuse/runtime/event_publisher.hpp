#pragma once
// Where events go: ZeroMQ, in-process callbacks, a recorder. A publisher must
// never block the fusion engine: a slow consumer loses messages (counted).

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "stridefuse/core/events.hpp"
#include "stridefuse/runtime/event_provenance.hpp"

namespace stridefuse {

class EventPublisher {
 public:
  virtual ~EventPublisher() = default;

  /// Hands one event over. Must return promptly whatever the consumer does.
  virtual void publish(const Event& event) = 0;

  /// Hands one event over with where it came from; sessions publish through
  /// this. The default drops the provenance and calls publish(event): only
  /// publishers that put events on the wire (ZmqPublisher, the recorder) keep it.
  virtual void publish_traced(const Event& event, const EventProvenance& provenance);

  /// Events this publisher could not deliver (queue full, consumer too slow).
  virtual std::uint64_t dropped() const = 0;
};

/// Calls a function for every event, on the engine's thread: the function must be quick.
class CallbackPublisher final : public EventPublisher {
 public:
  explicit CallbackPublisher(std::function<void(const Event&)> callback);
  void publish(const Event& event) override;
  std::uint64_t dropped() const override { return 0; }

 private:
  std::function<void(const Event&)> callback_;
};

/// Sends every event to each of several publishers, in the order they were added.
class EventFanout final : public EventPublisher {
 public:
  void add(std::shared_ptr<EventPublisher> publisher);
  void publish(const Event& event) override;
  void publish_traced(const Event& event, const EventProvenance& provenance) override;
  std::uint64_t dropped() const override;

 private:
  std::vector<std::shared_ptr<EventPublisher>> publishers_;
};

}  // namespace stridefuse
