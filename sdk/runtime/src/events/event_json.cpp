// JSON rendering of events: one object per event, stable snake_case names
// (the steps.csv columns of sdk/runtime/src/offline/FILES.md for steps), doubles written with
// the shortest text that reads back to the same value.

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <utility>

#include "events/event_fields.hpp"
#include "stridefuse/runtime/event_codec.hpp"
#include "stridefuse/runtime/publisher_heartbeat.hpp"

namespace stridefuse {

using namespace events_detail;

namespace {

class JsonObject {
 public:
  explicit JsonObject(std::string& out) : out_(out) { out_ += '{'; }

  JsonObject& number(const char* key, double v) {
    name(key);
    if (!std::isfinite(v)) {
      out_ += "null";
      return *this;
    }
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, r.ptr);
    return *this;
  }
  JsonObject& integer(const char* key, std::uint64_t v) {
    name(key);
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, r.ptr);
    return *this;
  }
  JsonObject& string(const char* key, std::string_view v) {
    name(key);
    quoted(v);
    return *this;
  }
  JsonObject& null(const char* key) {
    name(key);
    out_ += "null";
    return *this;
  }
  /// Starts a nested object under `key`; close it with end().
  JsonObject& begin(const char* key) {
    name(key);
    out_ += '{';
    first_ = true;
    return *this;
  }
  /// begin() for a key from outside this file (e.g. decoded from a message): escaped.
  JsonObject& begin_escaped(std::string_view key) {
    if (!first_) out_ += ',';
    quoted(key);
    out_ += ":{";
    first_ = true;
    return *this;
  }
  JsonObject& end() {
    out_ += '}';
    first_ = false;
    return *this;
  }
  /// Starts a list under `key`: items are begin_item() ... end(); close it with end_list().
  JsonObject& begin_list(const char* key) {
    name(key);
    out_ += '[';
    first_ = true;
    return *this;
  }
  JsonObject& begin_item() {
    if (!first_) out_ += ',';
    out_ += '{';
    first_ = true;
    return *this;
  }
  JsonObject& end_list() {
    out_ += ']';
    first_ = false;
    return *this;
  }

 private:
  // Keys are this file's own snake_case literals or the step table's
  // snake_case names (checked at compile time): nothing in them to escape,
  // so they are appended whole (per-character escaping of every key was a
  // tenth of analyze's writing time).
  void name(std::string_view key) {
    if (!first_) out_ += ',';
    first_ = false;
    out_ += '"';
    out_ += key;
    out_ += "\":";
  }

  void quoted(std::string_view s) {
    out_ += '"';
    for (const char c : s) {
      switch (c) {
        case '"': out_ += "\\\""; break;
        case '\\': out_ += "\\\\"; break;
        case '\n': out_ += "\\n"; break;
        case '\r': out_ += "\\r"; break;
        case '\t': out_ += "\\t"; break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            char esc[8];
            std::snprintf(esc, sizeof esc, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
            out_ += esc;
          } else {
            out_ += c;
          }
      }
    }
    out_ += '"';
  }

  std::string& out_;
  bool first_ = true;
};

}  // namespace

std::string event_to_json(const Event& event) {
  std::string out;
  JsonObject j(out);
  j.string("kind", event_kind(event)).number("t_s", event_time_s(event));
  visit_body(j, event);
  j.end();
  return out;
}

std::string event_to_json(const DecodedEvent& decoded) {
  std::string out;
  JsonObject j(out);
  j.string("kind", event_kind(decoded.event)).number("t_s", event_time_s(decoded.event));
  visit_envelope(j, decoded.envelope);
  visit_body(j, decoded.event, "session_athlete");
  visit_provenance(j, decoded.envelope.provenance);
  j.end();
  return out;
}

std::string heartbeat_to_json(const DecodedHeartbeat& decoded) {
  std::string out;
  JsonObject j(out);
  const auto& h = decoded.heartbeat;
  j.string("kind", heartbeat_kind).number("t_s", h.t_s);
  visit_envelope(j, decoded.envelope);
  j.number("uptime_s", h.uptime_s).number("period_s", h.period_s).integer("sent", h.sent);
  j.integer("send_failures", h.send_failures).integer("subscriptions", h.subscriptions);
  j.integer("snapshots_sent", h.snapshots_sent);
  j.end();
  return out;
}

}  // namespace stridefuse
