#pragma once
// Bounded single-producer/single-consumer queue between pipeline threads.
// Wraps Boost.Lockfree so the rest of the code depends on one small interface.

#include <boost/lockfree/spsc_queue.hpp>
#include <cstddef>

namespace stridefuse {

template <class T>
class SpscQueue {
 public:
  explicit SpscQueue(std::size_t capacity) : queue_(capacity) {}

  /// Producer side. Returns false when the queue is full (the item is not taken).
  bool try_push(const T& item) { return queue_.push(item); }

  /// Consumer side. Returns false when the queue is empty.
  bool try_pop(T& item) { return queue_.pop(item); }

  /// Consumer side: the item try_pop() would take next, left in the queue; null when empty.
  const T* peek() const { return queue_.read_available() > 0 ? &queue_.front() : nullptr; }

  /// Consumer side: items ready to pop.
  std::size_t size() const { return queue_.read_available(); }

 private:
  boost::lockfree::spsc_queue<T> queue_;
};

}  // namespace stridefuse
