#pragma once
// Total force and centre of pressure of one insole from its pressure sensors,
// in the foot frame of fusion/FRAMES.md (x from the heel toward the toe, mm).

#include <array>
#include <optional>
#include <span>
#include <vector>

#include "stridefuse/core/events.hpp"
#include "stridefuse/core/stream.hpp"

namespace stridefuse::fusion {

struct InsoleLoading {
  double force_n = 0.0;  ///< sum of pressure x area over all sensors (raw, baseline included)
  bool valid = false;    ///< false when a pressure was not finite
  bool saturated = false;  ///< a pressure reached its sensor's declared full scale
};

struct CentreOfPressure {
  double x_mm = 0.0;
  double y_mm = 0.0;
  double load_n = 0.0;  ///< force above the sensors' unloaded baselines that weights the centre
};

/// Per-insole force and centre of pressure. For an insole that reports its
/// own force and centre of pressure (InsoleLayout::reports_force) they are the
/// device's values, the centre's load the force above its unloaded level
/// (learnt in swing). Otherwise the centre of pressure weights
/// each sensor by its pressure above that sensor's own unloaded baseline
/// (learnt while the foot is in the air), so a sensor's offset does not pull
/// the centre toward the middle of the insole at light loads such as initial contact.
class InsoleLoadingModel {
 public:
  /// `full_scale_kpa`: per layout site, the full scale its channel declares
  /// (ChannelDescriptor::full_scale); a reading that reaches it is saturated.
  /// A site without one (or all, when empty) is never taken as saturated.
  /// Throws std::invalid_argument for a non-positive length or area (an
  /// insole that reports force: a negative length), or more full scales than sites.
  explicit InsoleLoadingModel(InsoleLayout layout, double baseline_time_constant_s = 1.0,
                              std::vector<std::optional<double>> full_scale_kpa = {});

  /// Total force of one sample: pressures in kPa, one per layout sensor (an
  /// insole that reports force: force_n, cop_x_pct, cop_y_pct).
  /// Throws std::invalid_argument when the count does not match the layout.
  InsoleLoading measure(std::span<const double> pressures_kpa);

  /// Learns each sensor's unloaded level from the last measured sample; call while the foot is in the air.
  void learn_unloaded(double dt_s);

  /// Centre of pressure of the last measured sample (std::nullopt-like: load_n == 0 when nothing is loaded).
  CentreOfPressure centre_of_pressure() const;

  const InsoleLayout& layout() const { return layout_; }
  double sensing_area_mm2() const { return sensing_area_mm2_; }
  /// The length centres of pressure are measured against: the insole's, or
  /// 100 (so that x is in % of the length) when it is not known.
  double cop_length_mm() const { return layout_.length_mm > 0.0 ? layout_.length_mm : 100.0; }

 private:
  static constexpr std::size_t reported_channels = 3;  // force_n, cop_x_pct, cop_y_pct
  InsoleLoading measure_reported(std::span<const double> values);

  InsoleLayout layout_;
  double baseline_time_constant_s_;
  double sensing_area_mm2_ = 0.0;
  bool baseline_known_ = false;
  std::vector<double> last_kpa_;
  std::vector<double> baseline_kpa_;
  std::vector<std::optional<double>> full_scale_kpa_;  // per site, empty: none declared
  // An insole that reports force: its last values and its unloaded force.
  double last_force_n_ = 0.0;
  double baseline_force_n_ = 0.0;
  std::array<double, 2> last_cop_pct_{};
};

/// Total normal force on an insole, newtons: pressure (kPa) times sensor area
/// (mm^2) summed over the layout's sites, raw (each sensor's unloaded offset
/// included). NaN when a reading is not finite. The one force every part of
/// the engine uses: contacts, the cross-sensor calibration and the offline
/// alignment. For an insole that reports force, its first channel (force_n).
/// Throws std::invalid_argument when pressures has fewer values than
/// the layout has sites (more are ignored: an insole's IMU channels follow).
double insole_force_n(const InsoleLayout& layout, std::span<const double> pressures_kpa);

/// Strike index (Cavanagh & Lafortune 1980): centre of pressure x at initial
/// contact as % of the foot length from the heel. Throws std::invalid_argument
/// when the length is not positive.
double strike_index_pct(double cop_x_mm, double foot_length_mm);

/// Rearfoot < 33.3 %, midfoot 33.3-66.7 %, forefoot > 66.7 %; unknown for a non-finite index.
StrikePattern strike_pattern_from(double strike_index_pct);

}  // namespace stridefuse::fusion
