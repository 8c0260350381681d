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
#include "events/json_object.hpp"
#include "stridefuse/runtime/event_codec.hpp"
#include "stridefuse/runtime/publisher_heartbeat.hpp"

namespace stridefuse {

using namespace events_detail;

using json_detail::JsonObject;

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
