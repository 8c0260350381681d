#include "bridge_emulator.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace stridefuse::bridge {

BridgeEmulator::BridgeEmulator(std::unique_ptr<EmulatedSensors> sensors, BridgeEmulatorConfig config)
    : sensors_(std::move(sensors)), config_(std::move(config)) {
  if (!sensors_) throw std::invalid_argument("bridge emulator needs sensors");
  if (!(config_.tick_rate_hz > 0.0) || config_.tick_bits < 8 || config_.tick_bits > 32)
    throw std::invalid_argument("bridge emulator: tick rate must be positive and tick bits 8..32");
  if (!(config_.scan_repeat_s > 0.0)) throw std::invalid_argument("bridge emulator: scan_repeat_s must be positive");
  if (config_.max_connections == 0 || config_.max_connections > 254)
    throw std::invalid_argument("bridge emulator: max_connections must be 1..254");
  adverts_ = sensors_->adverts();
  out_of_range_until_s_.assign(adverts_.size(), -1.0);
  refuse_connect_.assign(adverts_.size(), false);
}

// SplitMix64: a small, fixed generator, so a seed gives the same faults on every platform.
bool BridgeEmulator::chance(double probability) {
  if (probability <= 0.0) return false;
  std::uint64_t z = (random_state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) * 0x1.0p-53 < probability;
}

void BridgeEmulator::link_change(std::size_t sensor, bool up) { link_changes_.push_back({now_s_, sensor, up}); }

std::uint32_t BridgeEmulator::tick(double t_s) const {
  const double ticks = std::floor(std::max(0.0, t_s - tick_origin_s_) * (1.0 + config_.tick_drift_ppm * 1e-6) * config_.tick_rate_hz);
  const std::uint64_t mask = config_.tick_bits == 32 ? 0xFFFFFFFFull : ((1ull << config_.tick_bits) - 1);
  return static_cast<std::uint32_t>(static_cast<std::uint64_t>(ticks) & mask);
}

void BridgeEmulator::send(MessageType type, const std::vector<std::uint8_t>& body) {
  if (lose_count_ > 0 && type == lose_type_) {
    // Lost on the way: it was numbered, so the host sees a gap in the sequence.
    --lose_count_;
    std::vector<std::uint8_t> lost;
    writer_.append(type, body, lost);
    return;
  }
  if (chance(damage_.frame_loss)) {
    ++counters_.frames_lost;
    std::vector<std::uint8_t> lost;
    writer_.append(type, body, lost);
    return;
  }
  const std::size_t first = out_.size();
  writer_.append(type, body, out_);
  if (damage_.byte_corruption > 0.0)
    for (std::size_t i = first; i < out_.size(); ++i)
      if (chance(damage_.byte_corruption)) {
        out_[i] ^= static_cast<std::uint8_t>(1u << (counters_.bytes_corrupted % 8));  // one flipped bit
        ++counters_.bytes_corrupted;
      }
}

void BridgeEmulator::lose_next(MessageType type, unsigned count) {
  if (lose_type_ == type && lose_count_ > 0) {
    lose_count_ += count;  // still to lose of this type: these come on top
    return;
  }
  lose_type_ = type;
  lose_count_ = count;
}

void BridgeEmulator::error(const BridgeFrame& request, ErrorCode code, const std::string& message) {
  ++counters_.errors_sent;
  send(MessageType::error, Error{request.sequence, request.type, code, message}.encode());
}

BridgeEmulator::Connection* BridgeEmulator::connection(std::uint8_t handle) {
  for (auto& c : connections_)
    if (c.handle == handle) return &c;
  return nullptr;
}

void BridgeEmulator::receive(std::span<const std::uint8_t> bytes) {
  const auto before = decoder_.counters();
  decoder_.feed(bytes, [this](const BridgeFrame& f) { on_frame(f); });
  const auto& after = decoder_.counters();
  counters_.bad_frames += (after.bad_crc - before.bad_crc) + (after.bad_length - before.bad_length);
}

void BridgeEmulator::on_frame(const BridgeFrame& f) {
  if (chance(damage_.frame_loss)) {
    ++counters_.frames_lost;  // lost on the way from the host: never seen
    return;
  }
  ++counters_.requests;
  if (!is_known_type(static_cast<std::uint8_t>(f.type)) || static_cast<std::uint8_t>(f.type) >= 0x80)
    return error(f, ErrorCode::unknown_type, "type " + std::to_string(static_cast<unsigned>(f.type)));
  if (f.type == MessageType::hello) {
    const auto h = Hello::parse(f.body);
    if (!h) return error(f, ErrorCode::bad_body, "HELLO needs major and minor");
    if (h->major != config_.major)
      return error(f, ErrorCode::unsupported_version,
                   "this bridge speaks " + std::to_string(config_.major) + ".0 to " + std::to_string(config_.major) +
                       "." + std::to_string(config_.minor));
    negotiated_ = true;
    minor_ = std::min(h->minor, config_.minor);
    HelloReply r;
    r.request_sequence = f.sequence;
    r.major = config_.major;
    r.minor = minor_;
    r.tick_rate_hz = static_cast<std::uint32_t>(config_.tick_rate_hz);
    r.tick_bits = static_cast<std::uint8_t>(config_.tick_bits);
    r.max_connections = static_cast<std::uint8_t>(config_.max_connections);
    r.firmware = config_.firmware;
    return send(MessageType::hello_reply, r.encode());
  }
  if (!negotiated_) return error(f, ErrorCode::not_ready, "send HELLO first");
  switch (f.type) {
    case MessageType::scan: {
      const auto s = Scan::parse(f.body);
      if (!s) return error(f, ErrorCode::bad_body, "SCAN needs a duration");
      send(MessageType::ack, Ack{f.sequence, f.type}.encode());
      scan_until_s_ = now_s_ + s->duration_ms / 1000.0;
      // 1.1: the end of the scan is told (SCAN_DONE); a 1.0 host must not get a type it did not negotiate.
      if (minor_ >= 1) scan_request_ = f.sequence;
      if (s->duration_ms > 0) {
        for (const auto& a : adverts_) send(MessageType::scan_result, ScanResult{a}.encode());
        next_scan_report_s_ = now_s_ + config_.scan_repeat_s;
      }
      return;
    }
    case MessageType::connect: {
      const auto c = Connect::parse(f.body);
      if (!c) return error(f, ErrorCode::bad_body, "CONNECT needs a 6-byte address");
      const auto it = std::find_if(adverts_.begin(), adverts_.end(),
                                   [&](const BleAdvert& a) { return a.address == c->address; });
      if (it == adverts_.end()) return error(f, ErrorCode::unknown_address, c->address);
      const auto sensor = static_cast<std::size_t>(it - adverts_.begin());
      if (refuse_connect_[sensor]) {
        refuse_connect_[sensor] = false;
        ++counters_.connects_refused;
        return minor_ >= 1 ? error(f, ErrorCode::out_of_range, c->address + " does not answer")
                           : error(f, ErrorCode::unknown_address, c->address);
      }
      if (now_s_ < out_of_range_until_s_[sensor])
        return minor_ >= 1 ? error(f, ErrorCode::out_of_range, c->address + " does not answer")
                           : error(f, ErrorCode::unknown_address, c->address);
      if (minor_ >= 1) {
        // 1.1: CONNECT is idempotent, so a host may retry one whose answer was lost.
        for (const auto& existing : connections_)
          if (existing.sensor == sensor) {
            ++counters_.connects_repeated;
            return send(MessageType::connected, Connected{f.sequence, existing.handle, c->address}.encode());
          }
      }
      if (connections_.size() >= config_.max_connections)
        return error(f, ErrorCode::too_many_connections, std::to_string(config_.max_connections) + " at most");
      Connection conn;
      conn.handle = next_handle_;
      next_handle_ = static_cast<std::uint8_t>(next_handle_ == 254 ? 1 : next_handle_ + 1);
      conn.sensor = static_cast<std::size_t>(it - adverts_.begin());
      conn.next_status_s = now_s_;
      connections_.push_back(conn);
      link_change(conn.sensor, true);
      return send(MessageType::connected, Connected{f.sequence, conn.handle, c->address}.encode());
    }
    case MessageType::disconnect: {
      const auto d = Disconnect::parse(f.body);
      if (!d) return error(f, ErrorCode::bad_body, "DISCONNECT needs a handle");
      if (!connection(d->handle)) return error(f, ErrorCode::unknown_handle, std::to_string(d->handle));
      link_change(connection(d->handle)->sensor, false);
      std::erase_if(connections_, [&](const Connection& c) { return c.handle == d->handle; });
      return send(MessageType::disconnected, Disconnected{d->handle, DisconnectReason::host_request}.encode());
    }
    case MessageType::subscribe: {
      const auto s = Subscribe::parse(f.body);
      if (!s) return error(f, ErrorCode::bad_body, "SUBSCRIBE needs handle, characteristic, enable");
      Connection* c = connection(s->handle);
      if (!c) return error(f, ErrorCode::unknown_handle, std::to_string(s->handle));
      std::erase(c->subscribed, s->characteristic);
      if (s->enable) c->subscribed.push_back(s->characteristic);
      return send(MessageType::ack, Ack{f.sequence, f.type}.encode());
    }
    case MessageType::write: {
      const auto w = Write::parse(f.body);
      if (!w) return error(f, ErrorCode::bad_body, "WRITE needs handle and characteristic");
      Connection* c = connection(w->handle);
      if (!c) return error(f, ErrorCode::unknown_handle, std::to_string(w->handle));
      ++counters_.writes;
      sensors_->write(c->sensor, w->characteristic, w->value);
      return send(MessageType::ack, Ack{f.sequence, f.type}.encode());
    }
    default:
      return error(f, ErrorCode::unknown_type, "not a host request");
  }
}

void BridgeEmulator::advance(double now_s) {
  if (now_s < now_s_) return;
  now_s_ = now_s;
  sensors_->advance(now_s, [this](std::size_t sensor, double t_s, std::uint16_t characteristic,
                                  std::vector<std::uint8_t> value) {
    for (const auto& c : connections_) {
      if (c.sensor != sensor || std::find(c.subscribed.begin(), c.subscribed.end(), characteristic) == c.subscribed.end())
        continue;
      ++counters_.notifications_sent;
      send(MessageType::notification, Notification{c.handle, characteristic, tick(t_s), std::move(value)}.encode());
      return;
    }
  });
  while (now_s < scan_until_s_ && next_scan_report_s_ >= 0.0 && now_s >= next_scan_report_s_) {
    for (const auto& a : adverts_) send(MessageType::scan_result, ScanResult{a}.encode());
    next_scan_report_s_ += config_.scan_repeat_s;
  }
  if (scan_request_ && now_s >= scan_until_s_) {
    send(MessageType::scan_done, ScanDone{*scan_request_, static_cast<std::uint8_t>(std::min<std::size_t>(
                                                              adverts_.size(), 255))}.encode());
    scan_request_.reset();
  }
  for (auto& c : connections_) {
    if (now_s < c.next_status_s) continue;
    c.next_status_s = now_s + config_.status_interval_s;
    send(MessageType::sensor_status,
         SensorStatus{c.handle, static_cast<std::int8_t>(adverts_[c.sensor].rssi_dbm), config_.battery_pct}.encode());
  }
}

std::vector<std::uint8_t> BridgeEmulator::take_output() {
  std::vector<std::uint8_t> out;
  out.swap(out_);
  return out;
}

void BridgeEmulator::drop_link(std::uint8_t handle, double out_of_range_s) {
  const Connection* dropped = connection(handle);
  if (!dropped) throw std::invalid_argument("bridge emulator: no connection " + std::to_string(handle));
  out_of_range_until_s_[dropped->sensor] = now_s_ + out_of_range_s;
  link_change(dropped->sensor, false);
  std::erase_if(connections_, [&](const Connection& c) { return c.handle == handle; });
  send(MessageType::disconnected, Disconnected{handle, DisconnectReason::link_lost}.encode());
}

void BridgeEmulator::damage_link(const LinkDamage& damage) {
  const auto probability = [](double p) { return p >= 0.0 && p <= 1.0; };
  if (!probability(damage.frame_loss) || !probability(damage.byte_corruption))
    throw std::invalid_argument("bridge emulator: link damage probabilities must be in [0, 1]");
  damage_ = damage;
  random_state_ = damage.seed;
}

void BridgeEmulator::power_cycle() {
  for (const auto& c : connections_) link_change(c.sensor, false);
  connections_.clear();
  negotiated_ = false;
  minor_ = 0;
  scan_until_s_ = -1.0;
  next_scan_report_s_ = -1.0;
  scan_request_.reset();
  decoder_ = FrameDecoder{};
  writer_ = FrameWriter{};
  out_.clear();
  lose_count_ = 0;
  next_handle_ = 1;
  tick_origin_s_ = now_s_;
  ++counters_.power_cycles;
}

void BridgeEmulator::refuse_next_connect(std::size_t sensor) {
  if (sensor >= refuse_connect_.size()) throw std::invalid_argument("bridge emulator: no sensor " + std::to_string(sensor));
  refuse_connect_[sensor] = true;
}

void BridgeEmulator::restart_sensor_clock(std::size_t sensor) {
  if (sensor >= adverts_.size()) throw std::invalid_argument("bridge emulator: no sensor " + std::to_string(sensor));
  sensors_->restart_clock(sensor);
}

void BridgeEmulator::inject(std::span<const std::uint8_t> bytes) { out_.insert(out_.end(), bytes.begin(), bytes.end()); }

std::optional<std::uint8_t> BridgeEmulator::handle_of(std::size_t sensor) const {
  for (const auto& c : connections_)
    if (c.sensor == sensor) return c.handle;
  return std::nullopt;
}

std::vector<std::uint8_t> BridgeEmulator::connections() const {
  std::vector<std::uint8_t> out;
  for (const auto& c : connections_) out.push_back(c.handle);
  return out;
}

}  // namespace stridefuse::bridge
