#pragma once
// Appends one JSON object to a string, key by key: the events' JSON lines
// (event_json.cpp) and the analysis's findings (finding_json.cpp). Doubles
// are written with the shortest text that reads back to the same value;
// non-finite ones as null.

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace stridefuse::json_detail {

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
  JsonObject& boolean(const char* key, bool v) {
    name(key);
    out_ += v ? "true" : "false";
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

}  // namespace stridefuse::json_detail
