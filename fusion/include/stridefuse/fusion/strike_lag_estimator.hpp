#pragma once
// Cross-sensor clock calibration from the data: the lag between insole force
// and pelvis specific force. A constant latency difference between two devices
// is invisible to one-way clock sync (DeviceClock); every foot strike shows it,
// as a force onset in an insole and an impact in the pelvis acceleration.
//
// Streaming: feed samples as they come (each stream in its own time order, the
// streams in any interleaving); lags are measured per window of pelvis time by
// correlating the differenced signals, and a line through the window lags gives
// offset, drift and residual. The live session (insole latency calibration)
// and the offline alignment of recordings (recording_alignment.hpp) both use
// it. Method and limits: sdk/core/src/clock/README.md, "Cross-sensor calibration".
//
// Not thread-safe: one owner, or a lock around it.

#include <array>
#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "stridefuse/core/stream.hpp"

namespace stridefuse::fusion {

/// A signal resampled onto a uniform grid as its samples stream in, with the
/// central difference of each grid point. Gaps longer than max_gap_s stay gaps
/// (NaN), never interpolated across. Old points can be discarded; indices stay absolute.
class SignalGrid {
 public:
  /// Throws std::invalid_argument unless 0 < dt_s < max_gap_s (both finite).
  SignalGrid(double dt_s, double max_gap_s);

  /// Samples must come in increasing time; others (and non-finite times) are ignored.
  void add(double t_s, double value);

  bool started() const { return started_; }
  double t0_s() const { return t0_s_; }
  double dt_s() const { return dt_s_; }
  double time(double index) const { return t0_s_ + index * dt_s_; }
  /// Grid points generated so far: indices [0, size()).
  std::size_t size() const { return base_ + values_.size(); }
  /// NaN outside [first kept, size()) and in gaps.
  double value(long index) const;
  /// Central difference at index (per second), NaN where a neighbour is missing.
  double slope(long index) const;
  /// Forgets points before index (memory of long sessions).
  void discard_before(std::size_t index);

 private:
  double dt_s_, max_gap_s_;
  bool started_ = false;
  double t0_s_ = 0.0;
  double last_t_s_ = 0.0, last_value_ = 0.0;
  std::size_t base_ = 0;
  std::vector<double> values_;
};

/// Pearson correlation of the pelvis grid's slope with the sum of the insole
/// grids' slopes, insole k shifted by shifts[k] grid steps (pelvis index n meets
/// insole index n - shift), over pelvis indices [begin, end). -1 when fewer than
/// 100 points overlap or a signal is flat. Grids must share dt_s.
double strike_correlation(const SignalGrid& pelvis, std::span<const SignalGrid* const> insoles,
                          std::span<const long> shifts, std::size_t begin, std::size_t end);

/// A local maximum of one insole's strike_correlation against shift.
struct CorrelationPeak {
  double shift = 0.0;  ///< sub-step, by a parabola through the peak and its neighbours
  double correlation = 0.0;
};

/// The local maxima over shifts [centre - radius, centre + radius], best first.
std::vector<CorrelationPeak> correlation_peaks(const SignalGrid& pelvis, const SignalGrid& insole, long centre,
                                               long radius, std::size_t begin, std::size_t end);

/// Grid shift <-> lag (t_pelvis = t_insole + lag) between two grids of one dt.
long shift_of_lag(double lag_s, const SignalGrid& pelvis, const SignalGrid& insole);
double lag_of_shift(double shift, const SignalGrid& pelvis, const SignalGrid& insole);

struct StrikeLagConfig {
  double grid_dt_s = 0.005;        ///< resampling grid, (0, 0.05]
  double max_gap_s = 0.25;         ///< longer gaps between samples are not interpolated
  double window_s = 10.0;          ///< one lag is measured per window of this much pelvis time, [1, 120]
  double search_radius_s = 0.05;   ///< around the predicted lag; less than a step (~0.3 s): one foot
                                   ///< alone matches the other foot's strikes a step away. (0, 1]
  double min_correlation = 0.3;    ///< a window whose best peak is weaker is not running: skipped
  bool fit_drift = true;           ///< fit a drift (independent clocks) or only a constant offset
  double min_drift_span_s = 20.0;  ///< drift is fitted once the windows span this much insole time
  std::size_t confident_strides = 20;  ///< strides (force onsets in matched windows) for confidence
  std::size_t max_windows = 0;     ///< fit only the newest this many matched windows (0: all). Live,
                                   ///< so that the estimate follows slow changes of the one-way sync's
                                   ///< own errors on either side.
};

/// t_pelvis = offset_s + (1 + drift_ppm * 1e-6) * t_insole.
struct StrikeLagEstimate {
  double offset_s = 0.0;
  double drift_ppm = 0.0;
  double residual_s = 0.0;    ///< RMS of the window lags about the fitted line
  std::size_t windows = 0;    ///< windows that contributed (after outlier rejection)
  std::size_t strides = 0;    ///< force onsets of this insole in the matched windows
  bool confident = false;     ///< strides >= confident_strides and at least two windows
  // The statistics of the fit, for its standard error at any time:
  double scatter_s = 0.0;     ///< one window lag's standard deviation about the line (n - parameters d.o.f.)
  double mean_t_s = 0.0;      ///< mean insole time of the windows
  double spread_s2 = 0.0;     ///< sum of squared deviations of the windows' times from mean_t_s
  bool drift_fitted = false;  ///< the line has a slope (fit_drift and the windows span min_drift_span_s)

  double lag_at_s(double t_insole_s) const { return offset_s + drift_ppm * 1e-6 * t_insole_s; }
  /// Standard error of lag_at_s(t_insole_s) from the windows' scatter (an
  /// extrapolated drift grows it); infinite while the windows leave no degree
  /// of freedom. Statistical only: a bias common to all windows is not in it.
  double standard_error_at_s(double t_insole_s) const;
};

/// Lags of several insoles against one pelvis IMU.
class StrikeLagEstimator {
 public:
  /// prior_lags_s: one per insole, where to search its first lag (e.g. 0 live,
  /// where both are already in session time). Throws std::invalid_argument for
  /// a config out of range, no insole, or a non-finite prior.
  StrikeLagEstimator(StrikeLagConfig config, std::vector<double> prior_lags_s);

  /// The vertical in the pelvis sensor's axes. Without it, the running mean
  /// of the specific force is taken (the centre of mass does not accelerate on
  /// average). Throws std::invalid_argument for a zero or non-finite vector.
  void set_pelvis_up(std::array<double, 3> up);

  /// Pelvis specific force (accelerometer), m/s^2, pelvis clock.
  void add_pelvis(double t_s, std::array<double, 3> specific_force_mps2);
  /// Insole total force (insole_force_n in insole_loading.hpp), insole clock;
  /// a non-finite force is ignored. Throws std::out_of_range for a bad index.
  void add_insole(std::size_t insole, double t_s, double force_n);

  /// Measures every window that the data now cover. add_* call it; cheap when nothing is due.
  void process();

  /// The fit so far for one insole; empty before its first matched window.
  /// Throws std::out_of_range for a bad index.
  std::optional<StrikeLagEstimate> estimate(std::size_t insole) const;

  /// What to add to a window's lag before the fit, given the window's centre
  /// in insole time and in pelvis time: e.g. how much the two devices' clock
  /// mappings of that instant have moved since the window was measured.
  using LagAdjustment = std::function<double(double t_insole_s, double t_pelvis_s)>;
  /// The fit of the windows kept (as estimate()) with each window's lag
  /// adjusted; empty before the first matched window. A non-finite adjustment
  /// counts as none. Throws std::out_of_range for a bad index.
  std::optional<StrikeLagEstimate> estimate(std::size_t insole, const LagAdjustment& adjust) const;
  const StrikeLagConfig& config() const { return config_; }

 private:
  struct Insole {
    SignalGrid grid;
    double prior_lag_s;
    std::size_t next_window = 0;  ///< pelvis grid index where its next window begins
    std::vector<std::array<double, 2>> lags;  ///< (insole time, lag) per matched window
    std::vector<std::size_t> onsets;          ///< force onsets per matched window
    std::optional<StrikeLagEstimate> fit;
    double force_peak_n = 0.0;                ///< running peak force, for onset detection
  };

  void measure(Insole& insole, std::size_t begin, std::size_t end);
  double predicted_lag_s(const Insole& insole, double t_pelvis_s) const;
  void refit(Insole& insole) const;
  StrikeLagEstimate fit(std::vector<std::array<double, 2>> lags, std::vector<std::size_t> onsets) const;
  std::size_t count_onsets(Insole& insole, long first, long last);
  void trim();

  StrikeLagConfig config_;
  SignalGrid pelvis_;
  std::optional<std::array<double, 3>> fixed_up_;
  std::array<double, 3> up_sum_{0.0, 0.0, 0.0};
  std::vector<Insole> insoles_;
  std::size_t window_steps_;
};

}  // namespace stridefuse::fusion
