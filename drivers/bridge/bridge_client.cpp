#include "bridge_client.hpp"

#include <array>
#include <stdexcept>

namespace stridefuse::bridge {
namespace {

std::string refusal(const Error& e) {
  return std::string(to_string(e.code)) + (e.message.empty() ? "" : ": " + e.message);
}

}  // namespace

BridgeClient::BridgeClient(Transport& transport, std::chrono::milliseconds reply_timeout)
    : transport_(transport), reply_timeout_(reply_timeout) {}

std::uint8_t BridgeClient::send(MessageType type, const std::vector<std::uint8_t>& body) {
  std::vector<std::uint8_t> out;
  const auto sequence = link_.writer.append(type, body, out);
  transport_.write(out);
  return sequence;
}

template <class F>
bool BridgeClient::await(std::chrono::steady_clock::time_point deadline, F&& accept) {
  std::array<std::uint8_t, 2048> buffer{};
  bool done = false;
  while (!done) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return false;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
    const std::size_t n = transport_.read(buffer, std::max(left, std::chrono::milliseconds(1)));
    // Every frame goes to `accept`, also after the one it was waiting for:
    // frames that came in the same read (e.g. scan results after an ACK) count.
    link_.decoder.feed({buffer.data(), n}, [&](const BridgeFrame& f) {
      if (accept(f)) done = true;
    });
  }
  return true;
}

BridgeInfo BridgeClient::hello() {
  const auto seq = send(MessageType::hello, Hello{}.encode());
  BridgeInfo info;
  std::string refused;
  const bool answered = await(std::chrono::steady_clock::now() + reply_timeout_, [&](const BridgeFrame& f) {
    if (f.type == MessageType::hello_reply) {
      const auto r = HelloReply::parse(f.body);
      if (!r || r->request_sequence != seq) return false;
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
      if (!e || e->request_sequence != seq) return false;
      refused = refusal(*e);
      return true;
    }
    return false;
  });
  if (!answered) throw std::runtime_error("bridge at " + transport_.describe() + " did not answer HELLO");
  if (!refused.empty())
    throw std::runtime_error("bridge at " + transport_.describe() + " refused protocol version " +
                             std::to_string(protocol_major) + "." + std::to_string(protocol_minor) + ": " + refused);
  if (info.major != protocol_major)
    throw std::runtime_error("bridge at " + transport_.describe() + " speaks protocol version " +
                             std::to_string(info.major) + ", this host speaks " + std::to_string(protocol_major));
  return info;
}

std::vector<BleAdvert> BridgeClient::scan(std::chrono::milliseconds duration) {
  if (duration.count() <= 0 || duration.count() > 65535)
    throw std::invalid_argument("scan duration must be 1 to 65535 ms");
  const auto seq = send(MessageType::scan, Scan{static_cast<std::uint16_t>(duration.count())}.encode());
  std::vector<BleAdvert> seen;
  // The scan runs from the bridge's ACK: a slow link must not eat into it.
  std::string refused;
  auto collect = [&](const BridgeFrame& f) {
    if (f.type == MessageType::ack) {
      const auto a = Ack::parse(f.body);
      return a && a->request_sequence == seq;
    }
    if (f.type == MessageType::error) {
      const auto e = Error::parse(f.body);
      if (e && e->request_sequence == seq) {
        refused = refusal(*e);
        return true;
      }
      return false;
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
  if (!await(std::chrono::steady_clock::now() + reply_timeout_, collect))
    throw std::runtime_error("bridge at " + transport_.describe() + " did not answer SCAN");
  if (!refused.empty()) throw std::runtime_error("bridge at " + transport_.describe() + " refused SCAN: " + refused);
  await(std::chrono::steady_clock::now() + duration, collect);
  return seen;
}

std::uint8_t BridgeClient::connect(const std::string& address) {
  const auto seq = send(MessageType::connect, Connect{address}.encode());
  std::optional<std::uint8_t> handle;
  std::string refused;
  const bool answered = await(std::chrono::steady_clock::now() + reply_timeout_, [&](const BridgeFrame& f) {
    if (f.type == MessageType::connected) {
      const auto c = Connected::parse(f.body);
      if (!c || c->request_sequence != seq) return false;
      handle = c->handle;
      return true;
    }
    if (f.type == MessageType::error) {
      const auto e = Error::parse(f.body);
      if (!e || e->request_sequence != seq) return false;
      refused = refusal(*e);
      return true;
    }
    return false;
  });
  if (!answered) throw std::runtime_error("bridge did not answer CONNECT to " + address);
  if (!handle) throw std::runtime_error("bridge could not connect to " + address + ": " + refused);
  return *handle;
}

}  // namespace stridefuse::bridge
