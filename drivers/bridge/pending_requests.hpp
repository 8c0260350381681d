#pragma once
// Requests a host has sent to a bridge and not yet seen answered
// (PROTOCOL.md section 3.1, "Requests that tolerate loss"): each one is sent
// again, as a new frame with the same body, when its answer is overdue, up to
// a bounded number of attempts. An answer to any of its attempts answers it.
// Time is the caller's (the session clock a replay reproduces).

#include <cstdint>
#include <optional>
#include <vector>

#include "bridge_protocol.hpp"

namespace stridefuse::bridge {

/// How long the host waits for an answer before sending a request again, and
/// how many times it sends it (PROTOCOL.md 3.1).
struct RetryPolicy {
  double reply_timeout_s = 0.5;
  double connect_timeout_s = 2.0;  ///< CONNECT: the bridge may take up to 1.5 s to reach the sensor
  unsigned attempts = 4;           ///< sends of a request in all, the first included
  unsigned connect_attempts = 3;
};

class PendingRequests {
 public:
  struct Request {
    MessageType type = MessageType::hello;
    std::vector<std::uint8_t> body;
    std::size_t owner = 0;                  ///< the caller's tag (a sensor slot), kept as given
    std::vector<std::uint8_t> sequences;    ///< the frame sequence of every attempt so far
    double deadline_s = 0.0;                ///< answer overdue after this (valid once sent)
    unsigned attempts = 0;
    bool hurried = false;                   ///< hurry(): send again at the next send_due()
    unsigned hurried_sends = 0;             ///< sends made on hurry(), not counted in attempts
  };

  explicit PendingRequests(RetryPolicy policy = {}) : policy_(policy) {}

  /// Queues a request; it is sent by the next send_due().
  void add(MessageType type, std::vector<std::uint8_t> body, std::size_t owner);

  /// Appends to `out` every queued request and the retry of every overdue
  /// one; returns those whose last attempt went unanswered (given up).
  std::vector<Request> send_due(FrameWriter& writer, std::vector<std::uint8_t>& out, double now_s);

  /// The request an answer with this request sequence answers, removed; none
  /// when it answers nothing pending (a late answer to a finished request).
  std::optional<Request> take_answered(std::uint8_t request_sequence);

  /// How many requests of this type have been sent and are not yet answered.
  std::size_t outstanding(MessageType type) const;
  /// Makes every sent, unanswered request of this type due at once, for when
  /// the caller has seen that its answer was lost: the next send_due() sends
  /// it again without waiting for its deadline. Such a send is not counted
  /// as an attempt (the evidence, not the timeout, called for it); its
  /// deadline starts again. A request is hurried at most as many times as it
  /// has attempts, so evidence that keeps coming cannot keep it alive forever.
  void hurry(MessageType type);

  /// Forgets the requests of one owner (a sensor whose link is gone: its handle is void).
  void drop_owner(std::size_t owner);
  void clear() { requests_.clear(); }
  bool empty() const { return requests_.empty(); }

 private:
  unsigned attempts_of(MessageType type) const;

  RetryPolicy policy_;
  std::vector<Request> requests_;
};

}  // namespace stridefuse::bridge
