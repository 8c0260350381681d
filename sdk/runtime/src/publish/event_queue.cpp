#include "stridefuse/runtime/event_queue.hpp"

#include <stdexcept>

namespace stridefuse {

namespace {
std::size_t checked_capacity(std::size_t capacity) {
  if (capacity == 0) throw std::invalid_argument("EventQueue needs a capacity of at least 1 event");
  return capacity;
}
}  // namespace

EventQueue::EventQueue(std::size_t capacity) : queue_(checked_capacity(capacity)) {}

void EventQueue::publish(const Event& event) {
  if (!queue_.try_push(event)) dropped_.fetch_add(1, std::memory_order_relaxed);
}

std::optional<Event> EventQueue::try_pop() {
  Event event;
  if (!queue_.try_pop(event)) return std::nullopt;
  return event;
}

}  // namespace stridefuse
