#include "pending_requests.hpp"

#include <algorithm>

namespace stridefuse::bridge {

void PendingRequests::add(MessageType type, std::vector<std::uint8_t> body, std::size_t owner) {
  Request r;
  r.type = type;
  r.body = std::move(body);
  r.owner = owner;
  requests_.push_back(std::move(r));
}

std::vector<PendingRequests::Request> PendingRequests::send_due(FrameWriter& writer, std::vector<std::uint8_t>& out,
                                                                double now_s) {
  std::vector<Request> given_up;
  for (auto it = requests_.begin(); it != requests_.end();) {
    if (it->hurried) {
      // Sent again on evidence that its answer was lost: not an attempt of
      // its own, so a lost answer to it does not use up the request.
      it->hurried = false;
      ++it->hurried_sends;
    } else if (it->attempts > 0 && now_s < it->deadline_s) {
      ++it;
      continue;
    } else if (it->attempts >= attempts_of(it->type)) {
      given_up.push_back(std::move(*it));
      it = requests_.erase(it);
      continue;
    } else {
      ++it->attempts;
    }
    // A retry is a new frame (the sequence counts frames sent), with the same body.
    it->sequences.push_back(writer.append(it->type, it->body, out));
    it->deadline_s = now_s + (it->type == MessageType::connect ? policy_.connect_timeout_s : policy_.reply_timeout_s);
    ++it;
  }
  return given_up;
}

std::optional<PendingRequests::Request> PendingRequests::take_answered(std::uint8_t request_sequence) {
  const auto it = std::find_if(requests_.begin(), requests_.end(), [&](const Request& r) {
    return std::find(r.sequences.begin(), r.sequences.end(), request_sequence) != r.sequences.end();
  });
  if (it == requests_.end()) return std::nullopt;
  Request r = std::move(*it);
  requests_.erase(it);
  return r;
}

unsigned PendingRequests::attempts_of(MessageType type) const {
  return type == MessageType::connect ? policy_.connect_attempts : policy_.attempts;
}

std::size_t PendingRequests::outstanding(MessageType type) const {
  return static_cast<std::size_t>(
      std::count_if(requests_.begin(), requests_.end(), [&](const Request& r) { return r.type == type && r.attempts > 0; }));
}

void PendingRequests::hurry(MessageType type) {
  for (auto& r : requests_)
    if (r.type == type && r.attempts > 0 && r.hurried_sends < attempts_of(type)) r.hurried = true;
}

void PendingRequests::drop_owner(std::size_t owner) {
  std::erase_if(requests_, [&](const Request& r) { return r.owner == owner; });
}

}  // namespace stridefuse::bridge
