#include "event_files.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "stridefuse/runtime/event_csv.hpp"

namespace stridefuse::cli {
namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path) {
  throw std::runtime_error("cannot " + what + " " + path + ": " + std::strerror(errno));
}

void put(std::FILE* f, const std::string& line, const std::string& path) {
  if (std::fwrite(line.data(), 1, line.size(), f) != line.size() || std::fputc('\n', f) == EOF) fail("write", path);
}

}  // namespace

EventFiles::EventFiles(EventFileOptions options) : options_(std::move(options)) {
  if (options_.prefix.empty()) throw std::invalid_argument("the output prefix is empty");
}

EventFiles::~EventFiles() {
  for (auto& [kind, f] : files_)
    if (f.handle) std::fclose(f.handle);
}

void EventFiles::open_next(const std::string& kind, File& f) {
  if (f.handle && std::fclose(std::exchange(f.handle, nullptr)) != 0) fail("write", f.path);
  char number[8];
  std::snprintf(number, sizeof number, "%04u", ++f.number);
  f.path = options_.prefix + "." + kind + "." + number + (options_.format == EventFileOptions::Format::csv ? ".csv" : ".jsonl");
  f.handle = std::fopen(f.path.c_str(), "wbx");  // never overwrite an earlier run's file
  if (!f.handle) fail("create", f.path);
  f.bytes = 0;
  f.opened = std::chrono::steady_clock::now();
  paths_.push_back(f.path);
  if (options_.format == EventFileOptions::Format::csv) {
    const auto header = event_csv_header(kind);
    put(f.handle, header, f.path);
    f.bytes += header.size() + 1;
  }
}

EventFiles::File& EventFiles::file_for(const std::string& kind) {
  auto& f = files_[kind];
  const bool full = options_.roll_bytes > 0 && f.bytes >= options_.roll_bytes;
  const bool old = options_.roll_seconds > 0.0 &&
                   std::chrono::steady_clock::now() - f.opened >= std::chrono::duration<double>(options_.roll_seconds);
  if (!f.handle || full || old) open_next(kind, f);
  return f;
}

void EventFiles::write(const DecodedEvent& event) {
  auto& f = file_for(event_kind(event.event));
  const auto line =
      options_.format == EventFileOptions::Format::csv ? event_to_csv_row(event) : event_to_json(event);
  put(f.handle, line, f.path);
  f.bytes += line.size() + 1;
  flush_if_due();
}

void EventFiles::flush_all() {
  for (auto& [kind, f] : files_)
    if (f.handle && std::fflush(f.handle) != 0) fail("write", f.path);
  last_flush_ = std::chrono::steady_clock::now();
}

void EventFiles::flush_if_due() {
  if (std::chrono::steady_clock::now() - last_flush_ >= flush_period) flush_all();
}

void EventFiles::close() {
  flush_all();
  for (auto& [kind, f] : files_)
    if (f.handle && std::fclose(std::exchange(f.handle, nullptr)) != 0) fail("write", f.path);
}

}  // namespace stridefuse::cli
