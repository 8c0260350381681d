#pragma once
// A stage refuses a configuration at construction when a setting that must
// be a positive number is not, naming the setting and its owner: a bad value
// never becomes a silent default deep in a filter.

#include <cmath>
#include <stdexcept>
#include <string>

namespace stridefuse::fusion {

/// Called as `check(value, "name")`; throws std::invalid_argument
/// "<owner><name> must be finite and positive, got <value>" unless the value is.
class PositiveSettingCheck {
 public:
  explicit PositiveSettingCheck(std::string owner) : owner_(std::move(owner)) {}

  void operator()(double value, const char* name) const {
    if (!(std::isfinite(value) && value > 0.0))
      throw std::invalid_argument(owner_ + name + " must be finite and positive, got " + std::to_string(value));
  }

 private:
  std::string owner_;
};

}  // namespace stridefuse::fusion
