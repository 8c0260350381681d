#include "bridge_driver.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <utility>

namespace stridefuse::bridge {

namespace {
// The owner of requests that belong to no sensor (HELLO).
constexpr std::size_t bridge_owner = static_cast<std::size_t>(-1);

LinkReason reason_of(DisconnectReason r) {
  switch (r) {
    case DisconnectReason::host_request: return LinkReason::host_request;
    case DisconnectReason::link_lost: return LinkReason::link_lost;
    case DisconnectReason::remote: return LinkReason::remote;
  }
  return LinkReason::link_lost;
}
}  // namespace

BridgeDriver::BridgeDriver(BridgeInfo info, std::vector<ConnectedSensor> sensors, BridgeLink link, RetryPolicy retry,
                           ReconnectPolicy reconnect)
    : info_(std::move(info)), retry_(retry), reconnect_(reconnect), pending_(retry), link_(std::move(link)) {
  if (sensors.empty()) throw std::invalid_argument("bridge driver needs at least one connected sensor");
  for (auto& s : sensors) {
    if (!s.driver) throw std::invalid_argument("bridge sensor " + s.advert.address + " has no driver");
    for (const auto& other : slots_)
      if (s.handle != 0 && other.sensor.handle == s.handle)
        throw std::invalid_argument("two bridge sensors share connection handle " + std::to_string(s.handle));
    s.driver->set_bridge_clock(info_.tick_rate_hz, info_.tick_bits);
    Slot slot;
    slot.first_stream = static_cast<std::uint16_t>(streams_.size());
    for (auto& d : s.driver->streams()) {
      validate(d);
      streams_.push_back(std::move(d));
    }
    slot.stream_count = static_cast<std::uint16_t>(streams_.size() - slot.first_stream);
    slot.health.address = s.advert.address;
    slot.health.driver = s.driver->name();
    slot.health.health.signal_dbm = s.advert.rssi_dbm;
    if (s.handle == 0) {
      // Opening could not connect it: it is tried again once the session runs.
      slot.health.connected = false;
      slot.link.state = LinkState::reconnecting;
      slot.link.reason = s.why == LinkReason::none ? LinkReason::refused : s.why;
      slot.link.message = "sensor " + s.advert.address + " not connected: " + s.message;
      slot.backoff_s = reconnect_.backoff_s;
    }
    slot.sensor = std::move(s);
    slots_.push_back(std::move(slot));
  }
}

BridgeDriver::Slot* BridgeDriver::slot(std::uint8_t handle) {
  if (handle == 0) return nullptr;  // no handle: a sensor not connected
  for (auto& s : slots_)
    if (s.sensor.handle == handle) return &s;
  return nullptr;
}

void BridgeDriver::decode(std::span<const std::uint8_t> bytes, SampleBatch& out) {
  link_.decoder.feed(bytes, [&](const BridgeFrame& frame) { on_frame(frame, out); });
}

void BridgeDriver::on_frame(const BridgeFrame& frame, SampleBatch& out) {
  switch (frame.type) {
    case MessageType::notification: {
      std::uint8_t handle = 0;
      GattNotification n;
      std::uint32_t tick = 0;
      if (!Notification::parse(frame.body, handle, n.characteristic, tick, n.payload)) {
        ++own_.malformed;
        return;
      }
      n.bridge_tick = tick;
      Slot* s = slot(handle);
      if (!s) {
        // On the handle of a link that went down: not the sensor's data.
        for (auto& lost : slots_)
          if (lost.lost_handle == handle && handle != 0) {
            ++lost.refused;
            return;
          }
        ++own_.malformed;
        return;
      }
      if (!s->health.connected) {
        // The bridge said this handle was disconnected: whatever comes on it
        // now is not the sensor's (a bridge reusing the handle must say
        // CONNECTED first). Refused and counted against the sensor.
        ++s->refused;
        return;
      }
      s->heard = true;
      // The sensor's samples, in place: the bridge's stream numbering and its reception tick.
      const std::size_t first = out.size();
      s->sensor.driver->decode(n, out);
      for (std::size_t i = first; i < out.size(); ++i) {
        Sample& sample = out[i];
        sample.stream = static_cast<std::uint16_t>(sample.stream + s->first_stream);
        sample.has_bridge_tick = true;
        sample.bridge_tick = n.bridge_tick;
      }
      return;
    }
    case MessageType::sensor_status: {
      const auto st = SensorStatus::parse(frame.body);
      Slot* s = st ? slot(st->handle) : nullptr;
      if (st && !s && info_.minor >= 1 && lost_connected_heard_of()) return;
      if (!s) {
        ++own_.malformed;
        return;
      }
      s->heard = true;
      s->health.health.signal_dbm = st->rssi_dbm;
      if (st->battery_pct <= 100) s->health.health.battery_pct = st->battery_pct;
      return;
    }
    case MessageType::disconnected: {
      const auto d = Disconnected::parse(frame.body);
      Slot* s = d ? slot(d->handle) : nullptr;
      if (!s) {
        ++own_.malformed;
        return;
      }
      s->health.connected = false;
      if (d->reason != DisconnectReason::host_request) {
        ++s->health.health.errors;
        s->health.health.last_error = "sensor " + s->health.address + (d->reason == DisconnectReason::link_lost
                                                                           ? " lost its link to the bridge"
                                                                           : " disconnected itself");
        bridge_health_.last_error = s->health.health.last_error;
        ++bridge_health_.errors;
      }
      // The handle is void (PROTOCOL.md 3.2): the host connects the sensor
      // again, unless it asked for the disconnection itself (stop()).
      if (started_) link_down(static_cast<std::size_t>(s - slots_.data()), reason_of(d->reason),
                              d->reason == DisconnectReason::host_request ? "sensor " + s->health.address +
                                                                                " disconnected by the host"
                                                                          : s->health.health.last_error);
      return;
    }
    case MessageType::error: {
      const auto e = Error::parse(frame.body);
      if (e)
        if (auto request = pending_.take_answered(e->request_sequence)) {
          on_refusal(*request, *e);
          return;
        }
      ++bridge_health_.errors;
      bridge_health_.last_error = e ? std::string("bridge error on ") + to_string(e->request_type) + ": " +
                                          to_string(e->code) + (e->message.empty() ? "" : " (" + e->message + ")")
                                    : "malformed bridge error report";
      return;
    }
    case MessageType::ack:
    case MessageType::connected:
    case MessageType::hello_reply:
      on_answer(frame);
      return;
    case MessageType::scan_result:
    case MessageType::scan_done:
      return;  // the end of the scan made while opening; nothing to decode
    default:
      ++own_.malformed;  // host-to-bridge types or unknown types have no business here
      return;
  }
}

DecodeCounters BridgeDriver::counters() const {
  DecodeCounters c = own_;
  const auto& f = link_.decoder.counters();
  c.malformed += f.corrupt_frames;
  c.bytes_skipped += f.bytes_skipped;
  c.sequence_gaps += f.sequence_gaps;
  for (const auto& s : slots_) {
    const auto sc = s.sensor.driver->counters();
    c.frames += sc.frames;
    c.malformed += sc.malformed + s.refused;
    c.bytes_skipped += sc.bytes_skipped;
    c.sequence_gaps += sc.sequence_gaps;
  }
  return c;
}

void BridgeDriver::stream_counters(std::span<DecodeCounters> out) const {
  for (const auto& s : slots_) {
    if (s.first_stream + s.stream_count > out.size()) return;  // the caller's table is not this driver's
    DecodeCounters sc = s.sensor.driver->counters();
    sc.malformed += s.refused;
    // A sensor of several streams does not tell its losses apart: each of its streams carries its counts.
    for (std::uint16_t i = 0; i < s.stream_count; ++i) out[s.first_stream + i] = sc;
  }
}

void BridgeDriver::start(Transport& transport) {
  if (stopped_) {
    // Resuming after stop(): the sensors stayed connected, subscribe again.
    stopped_ = false;
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      slots_[i].last_heard_s = -1.0;  // not tended while stopped: silence counts from now
      if (slots_[i].sensor.handle != 0 && slots_[i].link.state == LinkState::up) start_sensor(i);
    }
  } else if (started_) {
    // The transport failed and is back: the bridge may have been power-cycled
    // (handles void, version forgotten). Negotiate again, reconnect everyone.
    pending_.clear();
    negotiated_ = false;
    link_.decoder.transport_restarted();
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      link_down(i, LinkReason::transport_lost, "the bridge at " + transport.describe() + " went away");
      slots_[i].link.state = LinkState::reconnecting;
      slots_[i].next_attempt_s = -1.0;
    }
    pending_.add(MessageType::hello, Hello{}.encode(), bridge_owner);
  } else {
    started_ = true;
    for (std::size_t i = 0; i < slots_.size(); ++i)
      if (slots_[i].sensor.handle != 0) start_sensor(i);
  }
  // The first attempt of each request now; retries from tend().
  std::vector<std::uint8_t> out;
  pending_.send_due(link_.writer, out, last_now_s_);
  if (!out.empty()) transport.write(out);
}

void BridgeDriver::start_sensor(std::size_t index) {
  const Slot& s = slots_[index];
  for (auto c : s.sensor.driver->notified_characteristics())
    pending_.add(MessageType::subscribe, Subscribe{s.sensor.handle, c, true}.encode(), index);
  for (const auto& w : s.sensor.driver->start_writes())
    pending_.add(MessageType::write, Write{s.sensor.handle, w.characteristic, w.value}.encode(), index);
}

void BridgeDriver::link_down(std::size_t index, LinkReason reason, const std::string& message) {
  Slot& s = slots_[index];
  pending_.drop_owner(index);  // what was sent on the old handle is void
  if (s.sensor.handle != 0) s.lost_handle = s.sensor.handle;
  s.sensor.handle = 0;
  s.health.connected = false;
  s.attempting = false;
  s.link.state = LinkState::down;
  s.link.reason = reason;
  s.link.message = message;
  s.next_attempt_s = -1.0;  // scheduled by the next tend(), on its clock
  s.backoff_s = reconnect_.backoff_s;
  s.last_heard_s = -1.0;
  links_changed_ = true;
}

// A sensor the bridge says nothing of is gone, whether or not its
// DISCONNECTED reached us (a frame may be lost: PROTOCOL.md 3.2).
void BridgeDriver::check_silence(std::size_t index, double now_s) {
  Slot& s = slots_[index];
  if (s.heard || s.last_heard_s < 0.0) {
    s.heard = false;
    s.last_heard_s = now_s;
    return;
  }
  if (now_s - s.last_heard_s < reconnect_.silence_s) return;
  ++s.health.health.errors;
  ++bridge_health_.errors;
  s.health.health.last_error = "sensor " + s.health.address + " not heard of for " +
                               std::to_string(static_cast<int>(reconnect_.silence_s)) + " s: its link is taken as lost";
  bridge_health_.last_error = s.health.health.last_error;
  link_down(index, LinkReason::link_lost, s.health.health.last_error);
}

void BridgeDriver::attempt_failed(std::size_t index, LinkReason reason, const std::string& message) {
  Slot& s = slots_[index];
  s.attempting = false;
  s.link.state = LinkState::reconnecting;
  if (s.link.reason == LinkReason::none) s.link.reason = reason;
  const std::string text = "reconnecting sensor " + s.health.address + ": " + message;
  if (s.link.message != text) links_changed_ = true;
  s.link.message = text;
  s.next_attempt_s = last_now_s_ + s.backoff_s;
  s.backoff_s = std::min(s.backoff_s * 2.0, reconnect_.max_backoff_s);
}

// An answer to one of the requests in pending_.
void BridgeDriver::on_answer(const BridgeFrame& frame) {
  if (frame.type == MessageType::ack) {
    if (const auto a = Ack::parse(frame.body)) pending_.take_answered(a->request_sequence);
    return;  // SUBSCRIBE and WRITE need nothing more
  }
  if (frame.type == MessageType::hello_reply) {
    const auto h = HelloReply::parse(frame.body);
    if (!h || !pending_.take_answered(h->request_sequence)) return;
    negotiated_ = true;
    info_.minor = std::min(h->minor, protocol_minor);
    for (auto& s : slots_) s.next_attempt_s = last_now_s_;  // reconnect everyone now
    return;
  }
  if (frame.type != MessageType::connected) return;
  const auto connected = Connected::parse(frame.body);
  if (!connected) return;
  const auto request = pending_.take_answered(connected->request_sequence);
  if (!request || request->owner >= slots_.size()) {
    // A late answer to a CONNECT already answered or given up: a 1.0 bridge
    // may have opened a second connection; close it unless a sensor uses it.
    if (!slot(connected->handle))
      pending_.add(MessageType::disconnect, Disconnect{connected->handle}.encode(), bridge_owner);
    return;
  }
  // Connected again: a new handle (handles do not survive a lost link), subscribe and start.
  Slot& s = slots_[request->owner];
  s.sensor.handle = connected->handle;
  s.attempting = false;
  s.health.connected = true;
  s.link.state = LinkState::up;
  ++s.link.reconnects;
  s.link.message = "sensor " + s.health.address + " reconnected";
  s.backoff_s = reconnect_.backoff_s;
  s.last_heard_s = -1.0;
  links_changed_ = true;
  start_sensor(request->owner);
}

// A 1.1 bridge sends a connection's first status right after its CONNECTED
// (PROTOCOL.md 3.1): a status for a handle we were not given, while only one
// sensor is away, is that sensor's connection, its CONNECTED lost. Asking
// again now (CONNECT is idempotent since 1.1) gets the handle at once instead
// of after the 2 s a CONNECT may take, or after the backoff once the CONNECT
// was given up (its retry's answer may be lost too). Returns whether the
// status was taken so.
bool BridgeDriver::lost_connected_heard_of() {
  std::size_t away = 0, waiting = 0;
  for (std::size_t i = 0; i < slots_.size(); ++i)
    if (slots_[i].link.state != LinkState::up) {
      ++away;
      waiting = i;
    }
  if (away != 1) return false;
  Slot& s = slots_[waiting];
  if (s.attempting) {
    if (pending_.outstanding(MessageType::connect) != 1) return false;
    pending_.hurry(MessageType::connect);
  } else {
    s.next_attempt_s = last_now_s_;
  }
  return true;
}

// The bridge refused one of the requests in pending_.
void BridgeDriver::on_refusal(const PendingRequests::Request& request, const Error& refusal) {
  ++bridge_health_.errors;
  bridge_health_.last_error = std::string("bridge refused ") + to_string(request.type) + ": " +
                              to_string(refusal.code) + (refusal.message.empty() ? "" : " (" + refusal.message + ")");
  if (refusal.code == ErrorCode::not_ready) {
    // The bridge forgot us (it restarted behind a transport that stayed up): negotiate again.
    negotiated_ = false;
    pending_.clear();
    for (std::size_t i = 0; i < slots_.size(); ++i)
      if (slots_[i].link.state == LinkState::up || slots_[i].attempting)
        link_down(i, LinkReason::transport_lost, "the bridge restarted");
    pending_.add(MessageType::hello, Hello{}.encode(), bridge_owner);
    return;
  }
  if (request.type == MessageType::connect && request.owner < slots_.size())
    attempt_failed(request.owner, LinkReason::refused,
                   std::string(to_string(refusal.code)) + (refusal.message.empty() ? "" : " (" + refusal.message + ")"));
}

bool BridgeDriver::tend(Transport& transport, double now_s) {
  last_now_s_ = now_s;
  if (started_ && negotiated_ && !stopped_) {
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      Slot& s = slots_[i];
      if (s.link.state == LinkState::up && s.sensor.handle != 0) check_silence(i, now_s);
      if (s.link.state == LinkState::up || s.attempting) continue;
      if (s.next_attempt_s < 0.0) {
        s.next_attempt_s = now_s + (s.link.state == LinkState::down ? reconnect_.first_attempt_s : s.backoff_s);
        continue;
      }
      if (now_s < s.next_attempt_s) continue;
      s.attempting = true;
      if (s.link.state != LinkState::reconnecting) links_changed_ = true;
      s.link.state = LinkState::reconnecting;
      pending_.add(MessageType::connect, Connect{s.health.address}.encode(), i);
    }
  }
  std::vector<std::uint8_t> out;
  for (auto& given_up : pending_.send_due(link_.writer, out, now_s)) {
    if (given_up.owner < slots_.size() && given_up.type == MessageType::connect) {
      attempt_failed(given_up.owner, LinkReason::no_answer, "the bridge did not answer CONNECT");
    } else if (given_up.type == MessageType::hello) {
      // Not answering HELLO: keep asking, as long as the session runs (bounded by the retry period).
      ++bridge_health_.errors;
      bridge_health_.last_error = "bridge at " + transport.describe() + " did not answer HELLO";
      pending_.add(MessageType::hello, Hello{}.encode(), bridge_owner);
    } else if (given_up.owner < slots_.size()) {
      ++bridge_health_.errors;
      bridge_health_.last_error = std::string("bridge did not answer ") + to_string(given_up.type) + " for sensor " +
                                  slots_[given_up.owner].health.address;
    }
  }
  if (!out.empty()) transport.write(out);
  return std::exchange(links_changed_, false);
}

std::vector<StreamLink> BridgeDriver::stream_links() const {
  std::vector<StreamLink> out;
  out.reserve(streams_.size());
  for (const auto& s : slots_) out.insert(out.end(), s.stream_count, s.link);
  return out;
}

void BridgeDriver::stop(Transport& transport) noexcept {
  stopped_ = true;
  pending_.clear();  // nothing more to retry: the session is done reading
  std::vector<std::uint8_t> out;
  for (const auto& s : slots_) {
    if (!s.health.connected) continue;
    for (const auto& w : s.sensor.driver->stop_writes())
      link_.writer.append(MessageType::write, Write{s.sensor.handle, w.characteristic, w.value}.encode(), out);
    for (auto c : s.sensor.driver->notified_characteristics())
      link_.writer.append(MessageType::subscribe, Subscribe{s.sensor.handle, c, false}.encode(), out);
  }
  try {
    if (!out.empty()) transport.write(out);
  } catch (const std::exception&) {
    // The bridge is gone already; nothing to stop.
  }
}

DeviceHealth BridgeDriver::health() const {
  DeviceHealth h = bridge_health_;
  for (const auto& s : slots_) {
    const auto& sh = s.health.health;
    if (sh.battery_pct && (!h.battery_pct || *sh.battery_pct < *h.battery_pct)) h.battery_pct = sh.battery_pct;
    if (sh.signal_dbm && (!h.signal_dbm || *sh.signal_dbm < *h.signal_dbm)) h.signal_dbm = sh.signal_dbm;
    const auto own = s.sensor.driver->health();
    h.errors += own.errors;
    if (!own.last_error.empty()) h.last_error = own.last_error;
  }
  return h;
}

std::vector<SensorHealth> BridgeDriver::sensor_health() const {
  std::vector<SensorHealth> out;
  for (const auto& s : slots_) out.push_back(s.health);
  return out;
}

}  // namespace stridefuse::bridge
