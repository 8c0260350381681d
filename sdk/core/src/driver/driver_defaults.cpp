// Default behaviour of the optional parts of the Driver interface.
#include <algorithm>
#include <stdexcept>

#include "stridefuse/core/driver.hpp"

namespace stridefuse {

void Driver::configure(const DriverOptions& options) {
  if (!options.empty())
    throw std::invalid_argument("driver '" + name() + "' has no option '" + options.begin()->first + "'");
}

void Driver::stream_counters(std::span<DecodeCounters> out) const {
  std::fill(out.begin(), out.end(), counters());
}

void Driver::start(Transport&) {}

void Driver::stop(Transport&) noexcept {}

}  // namespace stridefuse
