#include "bridge_driver.hpp"

#include <algorithm>
#include <stdexcept>

namespace stridefuse::bridge {

BridgeDriver::BridgeDriver(BridgeInfo info, std::vector<ConnectedSensor> sensors, BridgeLink link)
    : info_(std::move(info)), link_(std::move(link)) {
  if (sensors.empty()) throw std::invalid_argument("bridge driver needs at least one connected sensor");
  for (auto& s : sensors) {
    if (!s.driver) throw std::invalid_argument("bridge sensor " + s.advert.address + " has no driver");
    for (const auto& other : slots_)
      if (other.sensor.handle == s.handle)
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
    slot.sensor = std::move(s);
    slots_.push_back(std::move(slot));
  }
}

BridgeDriver::Slot* BridgeDriver::slot(std::uint8_t handle) {
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
      if (!s) {
        ++own_.malformed;
        return;
      }
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
      return;
    }
    case MessageType::error: {
      const auto e = Error::parse(frame.body);
      ++bridge_health_.errors;
      bridge_health_.last_error = e ? std::string("bridge error on ") + to_string(e->request_type) + ": " +
                                          to_string(e->code) + (e->message.empty() ? "" : " (" + e->message + ")")
                                    : "malformed bridge error report";
      return;
    }
    case MessageType::ack:
    case MessageType::scan_result:
    case MessageType::connected:
    case MessageType::hello_reply:
      return;  // answers to requests made while opening; nothing to decode
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
  std::vector<std::uint8_t> out;
  for (const auto& s : slots_) {
    for (auto c : s.sensor.driver->notified_characteristics())
      link_.writer.append(MessageType::subscribe, Subscribe{s.sensor.handle, c, true}.encode(), out);
    for (const auto& w : s.sensor.driver->start_writes())
      link_.writer.append(MessageType::write, Write{s.sensor.handle, w.characteristic, w.value}.encode(), out);
  }
  transport.write(out);
}

void BridgeDriver::stop(Transport& transport) noexcept {
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
