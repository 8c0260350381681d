#pragma once
// Initial contact / toe-off of one foot from its insole's total force
// (fusion/METRICS.md): threshold crossings with hysteresis, the levels adapting
// to the insole's unloaded baseline, its noise and its loaded level, the
// crossing instant interpolated between samples.

#include <cstdint>
#include <optional>
#include <vector>

#include <boost/circular_buffer.hpp>

#include "stridefuse/fusion/force_edge_timing.hpp"

namespace stridefuse::fusion {

struct GaitEventDetectorConfig {
  /// The force at which a contact begins and ends, N: as a force plate marks
  /// it (fusion/METRICS.md, about 20 N). IC and TO are both timed where the
  /// force crosses it (the same level up and down, so the hysteresis does not
  /// bias contact time): at it when the insole's noise allows, else at the
  /// timing level above it and carried down to it along the edge. Timing far
  /// above it would put IC late and TO early, as a real force rises and tails
  /// off slowly near zero.
  double contact_force_n = 20.0;
  /// Confirmation level: a contact only counts once the force reaches
  /// baseline + this fraction of the loaded range (the hysteresis band that
  /// rejects noise around the timing level).
  double confirm_fraction = 0.20;
  /// The timing / confirmation levels are at least this many noise standard
  /// deviations above the baseline (the timing level: baseline + the larger
  /// of contact_force_n and this many sigmas).
  double timing_noise_sigmas = 5.0;
  double confirm_noise_sigmas = 10.0;
  /// The smallest force change the insole resolves as a whole, N: the
  /// confirmation level is at least twice it above the baseline and at least
  /// it above the timing level, and the first contact must span
  /// minimum_range_factor times it. Scale it with the insole's sensing area
  /// (see minimum_level_for_area).
  double minimum_level_n = 20.0;
  /// The force range (loaded - unloaded) that must be seen before any event
  /// is reported: until then the detector cannot tell loaded from unloaded.
  double minimum_range_factor = 4.0;  ///< times minimum_level_n
  double baseline_time_constant_s = 1.0;
  double loaded_level_weight = 0.25;  ///< weight of each new stance peak in the loaded level
  double min_contact_s = 0.06;        ///< shorter "contacts" are rejected as artefacts
  double max_gap_s = 0.2;             ///< a longer gap between valid samples loses the current phase
  double max_timing_step_s = 0.05;    ///< a crossing interpolated across a longer interval is flagged degraded
};

/// GaitEventDetectorConfig::minimum_level_n for an insole whose sensors cover
/// `sensing_area_mm2`: a mean pressure of `pressure_kpa` over the sensing area.
double minimum_level_for_area(double sensing_area_mm2, double pressure_kpa = 2.0);

/// A completed ground contact of one foot.
struct GroundContact {
  double t_ic_s = 0.0;
  double t_to_s = 0.0;
  double peak_force_n = 0.0;
  bool ic_timing_degraded = false;  ///< the IC crossing spans a gap or invalid samples
  bool to_timing_degraded = false;
};

class GaitEventDetector {
 public:
  enum class Phase : std::uint8_t { learning, resync, swing, contact };
  enum class Transition : std::uint8_t { none, contact_confirmed, contact_ended, contact_rejected, phase_lost };

  /// Throws std::invalid_argument when a fraction or time is not positive or
  /// the confirmation level is not above the timing level.
  explicit GaitEventDetector(GaitEventDetectorConfig config = {});

  /// One force sample (N). Samples must come in increasing time. A
  /// non-finite force marks the sample invalid (it is skipped; crossings
  /// next to it are flagged degraded).
  Transition update(double t_s, double force_n);

  Phase phase() const { return phase_; }
  /// Interpolated IC time of the contact in progress (valid after contact_confirmed).
  double current_ic_s() const { return ic_s_; }
  /// The contact that just ended (valid after contact_ended).
  const GroundContact& last_contact() const { return last_; }

  double baseline_n() const { return baseline_n_; }
  double noise_sigma_n() const;
  double loaded_level_n() const { return loaded_n_; }
  /// baseline + max(contact_force_n, timing_noise_sigmas * noise sigma), N.
  double timing_level_n() const;
  double confirm_level_n() const;

 private:
  // A force within a few noise sigmas of the baseline: the edge lies after it (IC) or before it (TO).
  bool at_rest(double force_n) const;
  void learn(double force_n);
  void track_baseline(double dt_s, double force_n);
  // Loaded level above the baseline, at least the floor: the unit of the edges' excess.
  double loaded_range_n() const;
  double excess_of(double force_n) const;
  double median_loading_rate_n_per_s() const;
  // The rise at the level known from recent clean contacts (N/s), or NaN, for a first
  // sample `dt_s` after the one before: the larger of median_loading_rate_n_per_s() and
  // the 90th percentile of their first samples' rise over the sample period.
  double rise_at_level_n_per_s(double dt_s) const;
  // The median fall between the last two samples above the level at recent clean toe-offs (N/s), or NaN.
  double median_unloading_rate_n_per_s() const;
  // A rise or fall of the force as a fraction of the loaded range per second, 0 when not known.
  double excess_rate_per_s(double rate_n_per_s) const;
  // contact_force_n in the unit of the edges' excess (a fraction of the loaded range).
  double contact_force_excess() const;

  GaitEventDetectorConfig config_;
  Phase phase_ = Phase::learning;
  bool have_previous_ = false;
  double prev_t_s_ = 0.0;
  double prev_force_n_ = 0.0;
  bool invalid_since_previous_ = false;
  bool prev_in_swing_ = false;
  double min_seen_n_ = 0.0;
  double max_seen_n_ = 0.0;
  std::vector<double> learning_diffs_;
  double baseline_n_ = 0.0;
  double noise_var_n2_ = 0.0;
  double loaded_n_ = 0.0;
  std::optional<double> candidate_ic_s_;
  bool candidate_degraded_ = false;
  double ic_s_ = 0.0;
  bool ic_degraded_ = false;
  double peak_n_ = 0.0;
  GroundContact last_;
  // Sub-sample timing of the edges from the first sample past the level
  // (force above baseline as a fraction of the loaded range).
  ForceEdgeTiming ic_edges_, to_edges_;
  std::optional<double> candidate_excess_;  // set when the IC crossing lies between two valid samples
  std::optional<double> candidate_refined_s_;
  // The force's rise just past the level at recent clean contacts (N/s): it
  // bounds where a line across the interval (or a gap) puts an IC.
  boost::circular_buffer<double> loading_rates_n_per_s_{32};
  // The first sample's rise above the level, and the period before it, at recent clean contacts (N, s).
  boost::circular_buffer<double> first_sample_rises_n_{32};
  boost::circular_buffer<double> first_sample_periods_s_{32};
  bool rising_past_level_ = false;  // the previous sample was a clean contact's first past the level
  // The fall between the last two samples above the level at recent clean toe-offs (N/s).
  boost::circular_buffer<double> unloading_rates_n_per_s_{32};
  double before_prev_force_n_ = 0.0;  // the sample before the previous one
  double prev_dt_s_ = 0.0;            // from it to the previous one
  bool prev_step_clean_ = false;      // that step was continuous, valid and within max_timing_step_s
};

}  // namespace stridefuse::fusion
