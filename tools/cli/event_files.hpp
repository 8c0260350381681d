#pragma once
// `stridefuse sub --format csv|jsonl --output PREFIX`: the events received,
// one file per event kind (PREFIX.<kind>.<NNNN>.csv or .jsonl), for analysis
// tools to read directly. CSV files each start with their header
// (stridefuse/runtime/event_csv.hpp); JSONL holds one JSON object a line
// (EVENTS.md section 6). A file is rolled over to the next number once it
// holds roll_bytes or has been open roll_seconds (0: never). What is written
// goes to the operating system within flush_period of the next write or
// flush_if_due() (which `sub` calls at least every 200 ms): a killed
// subscriber loses at most its last 0.7 s.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "stridefuse/runtime/event_codec.hpp"

namespace stridefuse::cli {

struct EventFileOptions {
  enum class Format { csv, jsonl };
  Format format = Format::csv;
  std::string prefix;           ///< path prefix: PREFIX.<kind>.<NNNN>.<csv|jsonl>
  std::uint64_t roll_bytes = 0;  ///< start the next file once one holds this many bytes (0: never)
  double roll_seconds = 0.0;     ///< start the next file once one has been open this long (0: never)
};

class EventFiles {
 public:
  static constexpr std::chrono::milliseconds flush_period{500};

  explicit EventFiles(EventFileOptions options);
  ~EventFiles();  ///< flushes and closes every file; errors are reported by close()
  EventFiles(const EventFiles&) = delete;
  EventFiles& operator=(const EventFiles&) = delete;

  /// Appends one event to its kind's file. Throws std::runtime_error naming
  /// the file when it cannot be created or written (e.g. disk full).
  void write(const DecodedEvent& event);
  /// Flushes every file when the last flush is flush_period ago. Throws as write().
  void flush_if_due();
  /// Flushes and closes every file. Throws as write().
  void close();

  /// The files written so far, in the order they were opened.
  const std::vector<std::string>& paths() const { return paths_; }

 private:
  struct File {
    std::FILE* handle = nullptr;
    std::string path;
    std::uint64_t bytes = 0;
    std::chrono::steady_clock::time_point opened;
    unsigned number = 0;
  };
  File& file_for(const std::string& kind);
  void open_next(const std::string& kind, File& f);
  void flush_all();

  EventFileOptions options_;
  std::map<std::string, File> files_;  // by kind
  std::vector<std::string> paths_;
  std::chrono::steady_clock::time_point last_flush_ = std::chrono::steady_clock::now();
};

}  // namespace stridefuse::cli
