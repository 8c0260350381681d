#include "stridefuse/fusion/insole_loading.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

namespace stridefuse::fusion {

InsoleLoadingModel::InsoleLoadingModel(InsoleLayout layout, double baseline_time_constant_s,
                                       std::vector<std::optional<double>> full_scale_kpa)
    : layout_(std::move(layout)),
      baseline_time_constant_s_(baseline_time_constant_s),
      full_scale_kpa_(std::move(full_scale_kpa)) {
  if (!(baseline_time_constant_s_ > 0.0)) throw std::invalid_argument("baseline time constant must be positive");
  if (full_scale_kpa_.size() > layout_.sensors.size())
    throw std::invalid_argument("insole model: " + std::to_string(full_scale_kpa_.size()) + " full scales for " +
                                std::to_string(layout_.sensors.size()) + " sensor sites");
  for (const auto& f : full_scale_kpa_)
    if (f && !(*f > 0.0 && std::isfinite(*f))) throw std::invalid_argument("insole full scale must be finite and positive");
  if (layout_.reports_force()) {
    if (!(layout_.length_mm >= 0.0) || !std::isfinite(layout_.length_mm))
      throw std::invalid_argument("insole length must be positive, or 0 when not known");
    return;
  }
  if (!(layout_.length_mm > 0.0) || !std::isfinite(layout_.length_mm))
    throw std::invalid_argument("insole layout length must be positive");
  for (const auto& s : layout_.sensors) {
    if (!(s.area_mm2 > 0.0) || !std::isfinite(s.area_mm2) || !std::isfinite(s.x_mm) || !std::isfinite(s.y_mm))
      throw std::invalid_argument("insole sensor site has a non-finite position or a non-positive area");
    sensing_area_mm2_ += s.area_mm2;
  }
  const auto n = layout_.sensors.size();
  last_kpa_.assign(n, 0.0);
  baseline_kpa_.assign(n, 0.0);
}

InsoleLoading InsoleLoadingModel::measure(std::span<const double> pressures_kpa) {
  if (layout_.reports_force()) return measure_reported(pressures_kpa);
  if (pressures_kpa.size() != layout_.sensors.size())
    throw std::invalid_argument("insole sample has " + std::to_string(pressures_kpa.size()) +
                                " pressures but the layout has " + std::to_string(layout_.sensors.size()) + " sensors");
  InsoleLoading out;
  for (std::size_t i = 0; i < pressures_kpa.size(); ++i) {
    const double p = pressures_kpa[i];
    if (!std::isfinite(p)) continue;
    // Only the device knows its sensor's ceiling: the highest reading seen so
    // far is as often the foot's hardest landing.
    if (i < full_scale_kpa_.size() && full_scale_kpa_[i] && p >= *full_scale_kpa_[i]) out.saturated = true;
    last_kpa_[i] = p;
  }
  out.force_n = insole_force_n(layout_, pressures_kpa);
  out.valid = std::isfinite(out.force_n);
  return out;
}

// An insole that reports its own force and centre of pressure: the device's
// values, taken as they come (no sensor sites to check or weight).
InsoleLoading InsoleLoadingModel::measure_reported(std::span<const double> values) {
  if (values.size() != reported_channels)
    throw std::invalid_argument("insole sample has " + std::to_string(values.size()) +
                                " values but an insole that reports force has " + std::to_string(reported_channels) +
                                " (force_n, cop_x_pct, cop_y_pct)");
  InsoleLoading out;
  out.force_n = values[0];
  out.valid = std::isfinite(out.force_n);
  if (out.valid) last_force_n_ = out.force_n;
  last_cop_pct_ = {values[1], values[2]};
  return out;
}

double insole_force_n(const InsoleLayout& layout, std::span<const double> pressures_kpa) {
  if (layout.reports_force()) {
    if (pressures_kpa.empty()) throw std::invalid_argument("insole_force_n: no values for an insole that reports force");
    return std::isfinite(pressures_kpa[0]) ? pressures_kpa[0] : std::numeric_limits<double>::quiet_NaN();
  }
  if (pressures_kpa.size() < layout.sensors.size())
    throw std::invalid_argument("insole_force_n: " + std::to_string(pressures_kpa.size()) + " pressures for " +
                                std::to_string(layout.sensors.size()) + " sensor sites");
  double sum = 0.0;
  for (std::size_t i = 0; i < layout.sensors.size(); ++i) {
    const double p = pressures_kpa[i];
    if (!std::isfinite(p)) return std::numeric_limits<double>::quiet_NaN();
    sum += p * layout.sensors[i].area_mm2;
  }
  return sum * 1e-3;  // kPa x mm^2 = mN
}

void InsoleLoadingModel::learn_unloaded(double dt_s) {
  if (layout_.reports_force()) {
    const double alpha = baseline_known_ ? std::clamp(dt_s / baseline_time_constant_s_, 0.0, 1.0) : 1.0;
    baseline_force_n_ += alpha * (last_force_n_ - baseline_force_n_);
    baseline_known_ = true;
    return;
  }
  if (!baseline_known_) {
    baseline_kpa_ = last_kpa_;
    baseline_known_ = true;
    return;
  }
  const double alpha = std::clamp(dt_s / baseline_time_constant_s_, 0.0, 1.0);
  for (std::size_t i = 0; i < baseline_kpa_.size(); ++i) baseline_kpa_[i] += alpha * (last_kpa_[i] - baseline_kpa_[i]);
}

CentreOfPressure InsoleLoadingModel::centre_of_pressure() const {
  CentreOfPressure c;
  if (layout_.reports_force()) {
    // The device's own centre; its load is the force above the unloaded level.
    const double load = last_force_n_ - baseline_force_n_;
    if (!(load > 0.0) || !std::isfinite(last_cop_pct_[0])) return c;
    // Across the insole only a fraction of its width is known: y stays unknown.
    return CentreOfPressure{last_cop_pct_[0] / 100.0 * cop_length_mm(), std::numeric_limits<double>::quiet_NaN(), load};
  }
  double wx = 0.0, wy = 0.0, w = 0.0;
  // Unloaded sensors add a zero rather than being skipped: whether a sensor is
  // above its baseline changes from sample to sample, and the mispredicted
  // branch cost more than the arithmetic. Adding +-0 leaves every sum as the
  // skip did (the sums start at +0 and no sum of these terms is ever -0).
  // The zero is made by masking the bits (the compiler turns a conditional
  // back into the branch; multiplying by 0 would turn an infinity into NaN).
  for (std::size_t i = 0; i < last_kpa_.size(); ++i) {
    const double above = last_kpa_[i] - baseline_kpa_[i];
    const auto& site = layout_.sensors[i];
    const double loaded = above * site.area_mm2 * 1e-3;
    const std::uint64_t keep = std::uint64_t{0} - static_cast<std::uint64_t>(above > 0.0);
    const double f = std::bit_cast<double>(std::bit_cast<std::uint64_t>(loaded) & keep);
    wx += f * site.x_mm;
    wy += f * site.y_mm;
    w += f;
  }
  if (w > 0.0) c = CentreOfPressure{wx / w, wy / w, w};
  return c;
}

double strike_index_pct(double cop_x_mm, double foot_length_mm) {
  if (!(foot_length_mm > 0.0)) throw std::invalid_argument("strike_index_pct: foot length must be positive");
  return 100.0 * cop_x_mm / foot_length_mm;
}

StrikePattern strike_pattern_from(double index_pct) {
  if (!std::isfinite(index_pct)) return StrikePattern::unknown;
  if (index_pct < 100.0 / 3.0) return StrikePattern::rearfoot;
  if (index_pct <= 200.0 / 3.0) return StrikePattern::midfoot;
  return StrikePattern::forefoot;
}

}  // namespace stridefuse::fusion
