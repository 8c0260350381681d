#include "bridge_client.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

namespace stridefuse::bridge {
namespace {

std::string refusal(const Error& e) {
  return std::string(to_string(e.code)) + (e.message.empty() ? "" : ": " + e.message);
}

bool one_of(const std::vector<std::uint8_t>& sequences, std::uint8_t sequence) {
  return std::find(sequences.begin(), sequences.end(), sequence) != sequences.end();
}

// CONNECT: PROTOCOL.md 3.1 gives the bridge up to 1.5 s to reach the sensor.
constexpr std::chrono::milliseconds connect_timeout{2000};
constexpr unsigned connect_attempts = 3;

}  // namespace

BridgeClient::BridgeClient(Transport& transport, std::chrono::milliseconds reply_timeout, unsigned attempts)
    : transport_(transport),
      stamped_(dynamic_cast<const StampedTransport*>(&transport)),
      reply_timeout_(reply_timeout), attempts_(std::max(attempts, 1u)) {}

std::uint8_t BridgeClient::send(MessageType type, const std::vector<std::uint8_t>& body) {
  std::vector<std::uint8_t> out;
  const auto sequence = link_.writer.append(type, body, out);
  transport_.write(out);
  return sequence;
}

double BridgeClient::now_s() const {
  if (stamped_) return stamped_->last_arrival_s();
  return host_now_s();
}

double BridgeClient::host_now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

template <class F>
bool BridgeClient::await(double wait_s, F&& accept) {
  std::array<std::uint8_t, 2048> buffer{};
  const double deadline_s = now_s() + wait_s;
  // The host clock bounds the wait too: a transport whose time stands still
  // while nothing arrives must not make the wait endless.
  const double host_deadline_s = host_now_s() + wait_s;
  bool done = false;
  while (!done) {
    const double left_s = deadline_s - now_s();
    if (left_s <= 0.0 || host_now_s() >= host_deadline_s) return false;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::duration<double>(left_s));
    const std::size_t n = transport_.read(buffer, std::max(left, std::chrono::milliseconds(1)));
    // Every frame goes to `accept`, also after the one it was waiting for:
    // frames that came in the same read (e.g. scan results after an ACK) count.
    link_.decoder.feed({buffer.data(), n}, [&](const BridgeFrame& f) {
      if (accept(f)) done = true;
    });
  }
  return true;
}

template <class F>
bool BridgeClient::request(MessageType type, const std::vector<std::uint8_t>& body, std::chrono::milliseconds timeout,
                           F&& accept) {
  std::vector<std::uint8_t> sequences;
  const unsigned attempts = type == MessageType::connect ? std::min(attempts_, connect_attempts) : attempts_;
  for (unsigned attempt = 0; attempt < attempts; ++attempt) {
    // A retry is a new frame with the same body; a late answer to an earlier attempt counts too.
    sequences.push_back(send(type, body));
    if (await(std::chrono::duration<double>(timeout).count(), [&](const BridgeFrame& f) { return accept(f, sequences); }))
      return true;
  }
  return false;
}

BridgeInfo BridgeClient::hello() {
  BridgeInfo info;
  std::string refused;
  const bool answered =
      request(MessageType::hello, Hello{}.encode(), reply_timeout_,
              [&](const BridgeFrame& f, const std::vector<std::uint8_t>& seqs) {
                if (f.type == MessageType::hello_reply) {
                  const auto r = HelloReply::parse(f.body);
                  if (!r || !one_of(seqs, r->request_sequence)) return false;
                  info.major = r->major;
                  info.minor = r->minor;
                  info.tick_rate_hz = r->tick_rate_hz;
                  info.tick_bits = r->tick_bits;
                  info.max_connections = r->max_connections;
                  info.firmware = r->firmware;
                  return true;
                }
                if (f.type == MessageType::error) {
                  const auto e = Error::parse(f.body);
                  if (!e || !one_of(seqs, e->request_sequence)) return false;
                  refused = refusal(*e);
                  return true;
                }
                return false;
              });
  if (!answered)
    throw std::runtime_error("bridge at " + transport_.describe() + " did not answer HELLO (" +
                             std::to_string(attempts_) + " attempts, " + std::to_string(reply_timeout_.count()) +
                             " ms each)");
  if (!refused.empty())
    throw std::runtime_error("bridge at " + transport_.describe() + " refused protocol version " +
                             std::to_string(protocol_major) + "." + std::to_string(protocol_minor) + ": " + refused);
  if (info.major != protocol_major)
    throw std::runtime_error("bridge at " + transport_.describe() + " speaks protocol version " +
                             std::to_string(info.major) + ", this host speaks " + std::to_string(protocol_major));
  // A bridge answers the lower minor; one that claims a higher one speaks ours too.
  info.minor = std::min(info.minor, protocol_minor);
  minor_ = info.minor;
  return info;
}

std::vector<BleAdvert> BridgeClient::scan(std::chrono::milliseconds duration) {
  if (duration.count() <= 0 || duration.count() > 65535)
    throw std::invalid_argument("scan duration must be 1 to 65535 ms");
  std::vector<BleAdvert> seen;
  std::string refused;
  bool done = false;  // a 1.1 bridge said the scan is over
  std::vector<std::uint8_t> scan_sequences;
  auto collect = [&](const BridgeFrame& f, const std::vector<std::uint8_t>& seqs) {
    if (f.type == MessageType::ack) {
      const auto a = Ack::parse(f.body);
      return a && one_of(seqs, a->request_sequence);
    }
    if (f.type == MessageType::error) {
      const auto e = Error::parse(f.body);
      if (e && one_of(seqs, e->request_sequence)) {
        refused = refusal(*e);
        return true;
      }
      return false;
    }
    if (f.type == MessageType::scan_done) {
      const auto d = ScanDone::parse(f.body);
      if (d && one_of(seqs, d->request_sequence)) done = true;
      return done;
    }
    if (f.type != MessageType::scan_result) return false;
    if (const auto r = ScanResult::parse(f.body)) {
      auto it = std::find_if(seen.begin(), seen.end(), [&](const BleAdvert& a) { return a.address == r->advert.address; });
      if (it == seen.end())
        seen.push_back(r->advert);
      else
        *it = r->advert;
    }
    return false;
  };
  // The scan runs from the bridge's ACK: a slow link must not eat into it.
  const bool answered = request(MessageType::scan, Scan{static_cast<std::uint16_t>(duration.count())}.encode(),
                                reply_timeout_, [&](const BridgeFrame& f, const std::vector<std::uint8_t>& seqs) {
                                  scan_sequences = seqs;
                                  return collect(f, seqs);
                                });
  if (!answered)
    throw std::runtime_error("bridge at " + transport_.describe() + " did not answer SCAN (" +
                             std::to_string(attempts_) + " attempts)");
  if (!refused.empty()) throw std::runtime_error("bridge at " + transport_.describe() + " refused SCAN: " + refused);
  if (!done) {
    // A 1.1 bridge ends it with SCAN_DONE (a little after the duration); a 1.0 bridge says nothing.
    const auto wait = minor_ >= 1 ? duration + reply_timeout_ : duration;
    await(std::chrono::duration<double>(wait).count(),
          [&](const BridgeFrame& f) { return collect(f, scan_sequences) && done; });
  }
  return seen;
}

ConnectOutcome BridgeClient::connect(const std::string& address) {
  ConnectOutcome out;
  const bool answered = request(MessageType::connect, Connect{address}.encode(),
                                std::max(reply_timeout_, connect_timeout),
                                [&](const BridgeFrame& f, const std::vector<std::uint8_t>& seqs) {
                                  if (f.type == MessageType::connected) {
                                    const auto c = Connected::parse(f.body);
                                    if (!c || !one_of(seqs, c->request_sequence)) return false;
                                    out.handle = c->handle;
                                    return true;
                                  }
                                  if (f.type == MessageType::error) {
                                    const auto e = Error::parse(f.body);
                                    if (!e || !one_of(seqs, e->request_sequence)) return false;
                                    out.why = LinkReason::refused;
                                    out.message = refusal(*e);
                                    return true;
                                  }
                                  return false;
                                });
  if (!answered) {
    out.why = LinkReason::no_answer;
    out.message = "the bridge did not answer CONNECT to " + address;
  }
  return out;
}

}  // namespace stridefuse::bridge
