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

#include "stridefuse/core/step_fields.hpp"
#include "stridefuse/runtime/event_codec.hpp"
#include "stridefuse/runtime/publisher_heartbeat.hpp"

namespace stridefuse {

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

void write_metric(JsonObject& j, const char* key, const Metric& m) {
  if (m.present()) j.number(key, m.value); else j.null(key);
}

// Absent metrics with their reasons, as "absent": {"<name>": "<reason>", ...}.
void write_absent(JsonObject& j, std::span<const std::pair<const char*, const Metric*>> metrics) {
  j.begin("absent");
  for (const auto& [name, m] : metrics)
    if (!m->present()) j.string(name, to_string(m->absent_reason));
  j.end();
}

// The step table's fields in its order (the steps.csv columns, plus the
// index), then every absent metric with its reason.
void write_step(JsonObject& j, const StepEvent& e) {
  for (const StepField& f : step_fields) {
    switch (f.kind) {
      case StepFieldKind::side: j.string(f.name, to_string(e.side)); break;
      case StepFieldKind::index: j.integer(f.name, e.index); break;
      case StepFieldKind::time: j.number(f.name, e.*f.time); break;
      case StepFieldKind::metric: write_metric(j, f.name, e.*f.metric); break;
      case StepFieldKind::strike_pattern: j.string(f.name, to_string(e.strike_pattern)); break;
    }
  }
  std::array<std::pair<const char*, const Metric*>, step_metric_count> metrics;
  for (std::size_t i = 0; i < step_metric_count; ++i) metrics[i] = {step_metrics[i].name, &(e.*step_metrics[i].metric)};
  write_absent(j, metrics);
}

void write_clock(JsonObject& j, const std::optional<StreamClockStatus>& clock) {
  if (!clock) {
    j.null("clock");  // an older writer's message: unknown
    return;
  }
  const auto& c = *clock;
  j.begin("clock").integer("resets", c.resets).integer("wraps", c.wraps).integer("out_of_order", c.out_of_order);
  j.integer("duplicates", c.duplicates).integer("rejected_ticks", c.rejected_ticks);
  j.integer("stray_ticks", c.stray_ticks).integer("host_time_backwards", c.host_time_backwards);
  j.integer("absurd_rates", c.absurd_rates);
  write_metric(j, "drift_ppm", c.drift_ppm);
  write_metric(j, "latency_correction_s", c.latency_correction_s);
  write_metric(j, "latency_residual_s", c.latency_residual_s);
  const std::pair<const char*, const Metric*> metrics[] = {{"drift_ppm", &c.drift_ppm},
                                                           {"latency_correction_s", &c.latency_correction_s},
                                                           {"latency_residual_s", &c.latency_residual_s}};
  write_absent(j, metrics);
  j.end();
}

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};

// `athlete_key`: the session start's athlete, "athlete" alone and "session_athlete" beside an envelope's.
void write_body(JsonObject& j, const Event& event, const char* athlete_key = "athlete") {
  std::visit(overloaded{
                 [&](const SessionStartEvent& e) {
                   j.string(athlete_key, e.athlete).integer("host_start_unix_ns", e.host_start_unix_ns);
                 },
                 [&](const SessionEndEvent& e) { j.integer("steps", e.steps); },
                 [&](const StepEvent& e) { write_step(j, e); },
                 [&](const AttitudeEvent& e) {
                   // attitude.csv column names.
                   j.number("qw", e.orientation.w).number("qx", e.orientation.x).number("qy", e.orientation.y);
                   j.number("qz", e.orientation.z).number("tilt_deg", e.angles.tilt_deg);
                   j.number("obliquity_deg", e.angles.obliquity_deg).number("rotation_deg", e.angles.rotation_deg);
                   j.string("calibration", to_string(e.calibration));
                 },
                 [&](const FormAlertEvent& e) {
                   j.string("metric", e.metric).number("baseline", e.baseline).number("current", e.current);
                   j.number("threshold", e.threshold);
                 },
                 [&](const DeviceStatusEvent& e) {
                   j.string("stream_id", e.stream_id).string("state", to_string(e.state)).integer("frames", e.frames);
                   j.integer("frames_dropped", e.frames_dropped).integer("late_samples", e.late_samples);
                   j.number("clock_error_bound_s", e.clock_error_bound_s).string("message", e.message);
                   write_clock(j, e.clock);
                 },
             },
             event);
}

}  // namespace

std::string event_to_json(const Event& event) {
  std::string out;
  JsonObject j(out);
  j.string("kind", event_kind(event)).number("t_s", event_time_s(event));
  write_body(j, event);
  j.end();
  return out;
}

namespace {

void write_envelope(JsonObject& j, const EventEnvelope& env) {
  j.string("schema", std::to_string(env.schema_major) + "." + std::to_string(env.schema_minor));
  j.string("athlete", env.athlete).integer("sequence", env.sequence);
}

void write_provenance(JsonObject& j, const std::optional<EventProvenance>& provenance) {
  if (!provenance) {
    j.null("provenance");  // an older writer's message, or an event published without one
    return;
  }
  const auto& p = *provenance;
  j.begin("provenance").number("first_sample_s", p.first_sample_s).number("last_sample_s", p.last_sample_s);
  j.number("last_arrival_s", p.last_arrival_s).number("produced_s", p.produced_s);
  j.number("published_s", p.published_s).begin_list("streams");
  for (const auto& s : p.streams)
    j.begin_item().string("stream_id", s.stream_id).number("clock_error_bound_s", s.clock_error_bound_s).end();
  j.end_list().end();
}

}  // namespace

std::string event_to_json(const DecodedEvent& decoded) {
  std::string out;
  JsonObject j(out);
  j.string("kind", event_kind(decoded.event)).number("t_s", event_time_s(decoded.event));
  write_envelope(j, decoded.envelope);
  write_body(j, decoded.event, "session_athlete");
  write_provenance(j, decoded.envelope.provenance);
  j.end();
  return out;
}

std::string heartbeat_to_json(const DecodedHeartbeat& decoded) {
  std::string out;
  JsonObject j(out);
  const auto& h = decoded.heartbeat;
  j.string("kind", heartbeat_kind).number("t_s", h.t_s);
  write_envelope(j, decoded.envelope);
  j.number("uptime_s", h.uptime_s).number("period_s", h.period_s).integer("sent", h.sent);
  j.integer("send_failures", h.send_failures).integer("subscriptions", h.subscriptions);
  j.integer("snapshots_sent", h.snapshots_sent);
  j.end();
  return out;
}

}  // namespace stridefuse
