#include "latency_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace stridefuse::cli {
namespace {

void note(std::vector<double>& v, double ms) {
  if (std::isfinite(ms)) v.push_back(ms);
}

double rank(const std::vector<double>& sorted, double p) {
  const auto i = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size()))) - 1;
  return sorted[std::min(sorted.size() - 1, std::max<std::size_t>(i, 0))];
}

}  // namespace

void LatencyReport::add(const DecodedEvent& event, std::uint64_t received_unix_ns) {
  ++events_;
  if (const auto* start = std::get_if<SessionStartEvent>(&event.event)) host_start_unix_ns_ = start->host_start_unix_ns;
  if (!event.envelope.provenance) {
    ++without_provenance_;
    return;
  }
  const auto& p = *event.envelope.provenance;
  note(fusion_ms_, 1e3 * (p.produced_s - p.last_arrival_s));
  note(publish_ms_, 1e3 * (p.published_s - p.produced_s));
  note(published_ms_, 1e3 * (p.published_s - p.last_arrival_s));
  if (host_start_unix_ns_) {
    const double received_s = (static_cast<double>(received_unix_ns) - static_cast<double>(*host_start_unix_ns_)) * 1e-9;
    note(received_ms_, 1e3 * (received_s - p.last_arrival_s));
  }
  double bound_s = -1.0;
  for (const auto& s : p.streams) bound_s = std::max(bound_s, s.clock_error_bound_s);
  if (bound_s >= 0.0) note(error_bound_ms_, 1e3 * bound_s);
}

void LatencyReport::print(std::ostream& out) const {
  char line[160];
  std::snprintf(line, sizeof line, "%-46s %8s %9s %9s %9s %9s %9s\n", "latency (ms), from each event's provenance",
                "events", "p50", "p90", "p99", "p99.9", "max");
  out << line;
  const std::pair<const char*, const std::vector<double>*> rows[] = {
      {"last sample's arrival -> fusion turn", &fusion_ms_},
      {"fusion turn -> published", &publish_ms_},
      {"last sample's arrival -> published", &published_ms_},
      {"last sample's arrival -> received here", &received_ms_},
      {"largest clock error bound of its streams", &error_bound_ms_},
  };
  for (const auto& [name, values] : rows) {
    if (values->empty()) {
      std::snprintf(line, sizeof line, "%-46s %8d %9s %9s %9s %9s %9s\n", name, 0, "-", "-", "-", "-", "-");
    } else {
      auto sorted = *values;
      std::sort(sorted.begin(), sorted.end());
      std::snprintf(line, sizeof line, "%-46s %8zu %9.3f %9.3f %9.3f %9.3f %9.3f\n", name, sorted.size(),
                    rank(sorted, 0.5), rank(sorted, 0.9), rank(sorted, 0.99), rank(sorted, 0.999), sorted.back());
    }
    out << line;
  }
  out << events_ << " events, " << without_provenance_ << " without provenance (written before schema 1.3)";
  if (!host_start_unix_ns_) out << "; no session start came, so nothing is measured to this subscriber";
  out << ". Times to this subscriber assume its wall clock agrees with the publisher's host.\n";
}

}  // namespace stridefuse::cli
