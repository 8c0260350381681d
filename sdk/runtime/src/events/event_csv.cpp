// Events as rows of one table per kind: the JSON rendering's fields (one list,
// events/event_fields.hpp) through a sink that flattens them to columns.

#include "stridefuse/runtime/event_csv.hpp"

#include <charconv>
#include <cmath>
#include <map>
#include <mutex>
#include <stdexcept>

#include "events/event_fields.hpp"

namespace stridefuse {

using namespace events_detail;

namespace {

std::string number_text(double v) {
  if (!std::isfinite(v)) return {};
  char buf[32];
  return {buf, std::to_chars(buf, buf + sizeof buf, v).ptr};
}

// Flattens the fields to (column, text): nested objects as parent.key; an
// "absent" or "metrics" object and a list packed into one column
// (absent: "name=reason;...", metrics: "name=left/right;...").
class FlatFields {
 public:
  std::vector<std::pair<std::string, std::string>> fields;

  FlatFields& number(const char* key, double v) { return put(key, number_text(v)); }
  FlatFields& integer(const char* key, std::uint64_t v) { return put(key, std::to_string(v)); }
  FlatFields& string(const char* key, std::string_view v) { return put(key, std::string(v)); }
  FlatFields& boolean(const char* key, bool v) { return put(key, v ? "true" : "false"); }
  FlatFields& null(const char* key) { return put(key, {}); }
  FlatFields& begin(const char* key) {
    if (mode_ == Mode::list) {  // an item of a packed list (begin_item)
      mode_ = Mode::item;
      return *this;
    }
    if (std::string_view(key) == "absent" || std::string_view(key) == "metrics") {
      start_packed(key, Mode::object);
    } else {
      prefix_ += key;
      prefix_ += '.';
    }
    return *this;
  }
  /// A packed object's entry under a key from data: "key=value/value".
  FlatFields& begin_escaped(std::string_view key) {
    if (mode_ != Mode::object) throw std::logic_error("FlatFields: a data-named object outside a packed column");
    if (!packed_.empty()) packed_ += ';';
    packed_ += key;
    packed_ += '=';
    item_first_ = true;
    mode_ = Mode::entry;
    return *this;
  }
  FlatFields& begin_item() {
    if (!packed_.empty()) packed_ += ';';
    item_first_ = true;
    return begin("");
  }
  FlatFields& end() {
    switch (mode_) {
      case Mode::item: mode_ = Mode::list; break;
      case Mode::entry: mode_ = Mode::object; break;
      case Mode::object: finish_packed(); break;
      case Mode::list: break;
      case Mode::flat: {  // "a.b." -> "a."
        const auto dot = prefix_.size() < 2 ? std::string::npos : prefix_.find_last_of('.', prefix_.size() - 2);
        prefix_.erase(dot == std::string::npos ? 0 : dot + 1);
        break;
      }
    }
    return *this;
  }
  FlatFields& begin_list(const char* key) {
    start_packed(key, Mode::list);
    return *this;
  }
  FlatFields& end_list() {
    finish_packed();
    return *this;
  }

 private:
  enum class Mode { flat, object, list, item, entry };

  FlatFields& put(const char* key, std::string text) {
    switch (mode_) {
      case Mode::flat: fields.emplace_back(prefix_ + key, std::move(text)); break;
      case Mode::object:
        if (!packed_.empty()) packed_ += ';';
        packed_ += key;
        packed_ += '=';
        packed_ += text;
        break;
      case Mode::item:
        if (!item_first_) packed_ += '=';
        item_first_ = false;
        packed_ += text;
        break;
      case Mode::entry:
        if (!item_first_) packed_ += '/';
        item_first_ = false;
        packed_ += text;
        break;
      case Mode::list: break;  // a list holds items only
    }
    return *this;
  }
  void start_packed(const char* key, Mode mode) {
    packed_key_ = prefix_ + key;
    packed_.clear();
    mode_ = mode;
  }
  void finish_packed() {
    fields.emplace_back(packed_key_, packed_);
    mode_ = Mode::flat;
  }

  Mode mode_ = Mode::flat;
  std::string prefix_, packed_key_, packed_;
  bool item_first_ = true;
};

// With the envelope: the stream's table (`stridefuse sub`); without: an
// analysis's table of one kind (reps.csv), kind, t_s and the body.
FlatFields flatten(const DecodedEvent& d, bool with_envelope) {
  FlatFields f;
  f.string("kind", event_kind(d.event)).number("t_s", event_time_s(d.event));
  if (!with_envelope) {
    visit_body(f, d.event);
    return f;
  }
  visit_envelope(f, d.envelope);
  visit_body(f, d.event, "session_athlete");
  visit_provenance(f, d.envelope.provenance);
  return f;
}

// An event of each kind with every optional part there, to name all columns.
template <std::size_t I>
DecodedEvent exemplar() {
  DecodedEvent d{EventEnvelope{}, Event(std::in_place_index<I>)};
  d.envelope.provenance = EventProvenance{};
  if (auto* status = std::get_if<DeviceStatusEvent>(&d.event)) {
    status->clock = StreamClockStatus{};
    status->metrics.emplace_back();  // present only when the support changed
    status->reconnects = 1;          // link_reason and reconnects: only for a stream whose link went down
  }
  return d;
}

using Columns = std::map<std::string, std::vector<std::string>, std::less<>>;

template <std::size_t... I>
Columns all_columns(bool with_envelope, std::index_sequence<I...>) {
  Columns out;
  (
      [&] {
        const auto d = exemplar<I>();
        auto& columns = out[event_kind(d.event)];
        for (auto& [key, text] : flatten(d, with_envelope).fields) columns.push_back(key);
      }(),
      ...);
  return out;
}

const Columns& columns_by_kind(bool with_envelope) {
  static const Columns with = all_columns(true, std::make_index_sequence<std::variant_size_v<Event>>());
  static const Columns without = all_columns(false, std::make_index_sequence<std::variant_size_v<Event>>());
  return with_envelope ? with : without;
}

void append_field(std::string& out, const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) {
    out += text;
    return;
  }
  out += '"';
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

const std::vector<std::string>& columns_of(std::string_view kind, bool with_envelope) {
  const auto& all = columns_by_kind(with_envelope);
  const auto it = all.find(kind);
  if (it == all.end()) throw std::invalid_argument("no CSV table for event kind '" + std::string(kind) + "'");
  return it->second;
}

std::string header_of(const std::vector<std::string>& columns) {
  std::string out;
  for (const auto& c : columns) {
    if (!out.empty()) out += ',';
    out += c;
  }
  return out;
}

std::string row_of(const DecodedEvent& decoded, bool with_envelope) {
  const auto& columns = columns_of(event_kind(decoded.event), with_envelope);
  const auto fields = flatten(decoded, with_envelope).fields;
  std::string out;
  // Fields come in column order; a null object (clock, provenance) leaves its columns empty.
  std::size_t f = 0;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (c > 0) out += ',';
    while (f < fields.size() && fields[f].first != columns[c] && !columns[c].starts_with(fields[f].first + "."))
      ++f;
    if (f < fields.size() && fields[f].first == columns[c]) append_field(out, fields[f++].second);
  }
  return out;
}

}  // namespace

const std::vector<std::string>& event_csv_columns(std::string_view kind) { return columns_of(kind, true); }

std::string event_csv_header(std::string_view kind) { return header_of(columns_of(kind, true)); }

std::string event_to_csv_row(const DecodedEvent& decoded) { return row_of(decoded, true); }

std::string event_table_header(std::string_view kind) { return header_of(columns_of(kind, false)); }

std::string event_table_row(const Event& event) { return row_of(DecodedEvent{EventEnvelope{}, event}, false); }

}  // namespace stridefuse
