#include "session/clock_trouble.hpp"

#include <cstdint>

namespace stridefuse::detail {

std::string clock_trouble(const StreamClockStatus& before, const StreamClockStatus& now) {
  struct Count {
    std::uint64_t StreamClockStatus::*counter;
    const char* one;
    const char* many;
  };
  static constexpr Count counts[] = {
      {&StreamClockStatus::resets, "reset", "resets"},
      {&StreamClockStatus::duplicates, "duplicate tick", "duplicate ticks"},
      {&StreamClockStatus::out_of_order, "out-of-order tick", "out-of-order ticks"},
      {&StreamClockStatus::host_time_backwards, "arrival stamped backwards", "arrivals stamped backwards"},
      {&StreamClockStatus::rejected_ticks, "tick beyond the counter width", "ticks beyond the counter width"},
      {&StreamClockStatus::stray_ticks, "stray tick", "stray ticks"},
      {&StreamClockStatus::absurd_rates, "absurd tick rate", "absurd tick rates"},
  };
  std::string out;
  for (const auto& c : counts) {
    const auto was = before.*c.counter, is = now.*c.counter;
    if (is <= was) continue;
    const auto rose = is - was;
    out += out.empty() ? "clock: " : ", ";
    out += std::to_string(rose) + " " + (rose == 1 ? c.one : c.many);
  }
  return out;
}

}  // namespace stridefuse::detail
