#include <stdexcept>

#include "stridefuse/runtime/event_publisher.hpp"

namespace stridefuse {

CallbackPublisher::CallbackPublisher(std::function<void(const Event&)> callback) : callback_(std::move(callback)) {
  if (!callback_) throw std::invalid_argument("CallbackPublisher needs a callback");
}

void EventPublisher::publish_traced(const Event& event, const EventProvenance&) { publish(event); }

void CallbackPublisher::publish(const Event& event) { callback_(event); }

void EventFanout::add(std::shared_ptr<EventPublisher> publisher) {
  if (!publisher) throw std::invalid_argument("EventFanout::add: null publisher");
  publishers_.push_back(std::move(publisher));
}

void EventFanout::publish(const Event& event) {
  for (const auto& p : publishers_) p->publish(event);
}

void EventFanout::publish_traced(const Event& event, const EventProvenance& provenance) {
  for (const auto& p : publishers_) p->publish_traced(event, provenance);
}

std::uint64_t EventFanout::dropped() const {
  std::uint64_t total = 0;
  for (const auto& p : publishers_) total += p->dropped();
  return total;
}

}  // namespace stridefuse
