#pragma once
// Per-device clock model: device ticks -> session time (host monotonic clock,
// seconds). Fed one-way timestamps only (the device tick of each frame and the
// host time it arrived), it unwraps the counter, estimates offset and drift
// from the lower envelope of the arrivals over a sliding window, gives every
// mapped sample an error bound, and starts a new epoch when the device resets
// or its time jumps. Method and bound: sdk/core/src/clock/README.md.
//
// Single-threaded: owned by the thread that receives the device's frames.

#include <boost/circular_buffer.hpp>
#include <cstdint>
#include <optional>
#include <vector>

#include "stridefuse/core/lower_envelope.hpp"

namespace stridefuse {

struct DeviceClockConfig {
  double tick_rate_hz = 0.0;          ///< nominal counter rate, (0, 1e10]
  unsigned tick_bits = 32;            ///< counter width: it wraps at 2^tick_bits, 8..64
  double max_drift_ppm = 300.0;       ///< largest |rate error| of the device crystal, (0, 10000]
  double min_delay_s = 0.0;           ///< known minimum transport latency, subtracted from arrivals, >= 0
  double max_delay_excess_s = 0.1;    ///< delay above the minimum assumed never exceeded (bunching +
                                      ///< jitter); the error bound before the envelope has points,
                                      ///< and the tolerance of the jump detector. (0, 10]
  double window_s = 60.0;             ///< envelope window in device seconds: shorter tracks drift
                                      ///< changes faster, longer averages more. [1, 3600]
  double jump_threshold_s = 0.002;    ///< an arrival earlier than its mapped time by more than the
                                      ///< error bound plus this starts a new epoch. (0, 10]
};

/// The session time of one frame.
struct ClockMapping {
  enum class Status : std::uint8_t {
    fresh,         ///< newest frame: mapped and used for the estimate
    out_of_order,  ///< older than the newest frame of its epoch: mapped, not used for the estimate
    duplicate,     ///< a tick already seen recently: mapped, should be dropped by the caller
    unconfirmed,   ///< fits neither the epoch nor a confirmed new one (yet): t_s is the arrival
                   ///< minus min_delay_s, bound max_delay_excess_s; the next frames decide
    rejected,      ///< raw tick does not fit the counter width: t_s as for unconfirmed, do not use
  };

  double t_s = 0.0;            ///< session time of the sample
  double error_bound_s = 0.0;  ///< |t_s - true time| <= this, under the assumptions in README.md
  std::uint32_t epoch = 0;     ///< increments on every reset / time jump
  std::uint64_t unwrapped_tick = 0;  ///< monotonic within an epoch, restarts at the raw value
  Status status = Status::fresh;
};

/// What the clock has seen; nothing here is fatal.
struct DeviceClockCounters {
  std::uint64_t frames = 0;               ///< observe() calls
  std::uint64_t wraps = 0;                ///< counter wrap-arounds unwrapped
  std::uint64_t resets = 0;               ///< epochs started after the first (resets, time jumps)
  std::uint64_t out_of_order = 0;         ///< ticks behind the newest one (reordered frames)
  std::uint64_t duplicates = 0;           ///< ticks seen before
  std::uint64_t rejected_ticks = 0;       ///< raw ticks >= 2^tick_bits
  std::uint64_t stray_ticks = 0;          ///< frames inconsistent with the epoch and not followed
                                          ///< by frames confirming a new one (garbage)
  std::uint64_t host_time_backwards = 0;  ///< arrivals earlier than the previous one (clamped to it)
  std::uint64_t absurd_rates = 0;         ///< times the ticks were found to advance at a rate outside
                                          ///< tick_rate_hz +- max_drift_ppm (misconfigured or broken);
                                          ///< the measured rate is adopted
};

class DeviceClock {
 public:
  /// Throws std::invalid_argument naming the bad field.
  explicit DeviceClock(DeviceClockConfig config);

  /// Call for every frame as it arrives (frames of one bunch share host_arrival_s).
  /// Non-finite host_arrival_s throws std::invalid_argument; every other oddity
  /// is counted and reported in the mapping's status.
  ClockMapping observe(std::uint64_t raw_tick, double host_arrival_s);

  /// Maps a raw tick with the current estimate, unwrapped next to the newest
  /// tick, without learning from it. Throws std::logic_error before the first
  /// observe(), std::invalid_argument for a raw tick beyond the counter width.
  ClockMapping map(std::uint64_t raw_tick) const;

  /// Maps a (possibly fractional) unwrapped tick of the current epoch.
  /// Throws std::logic_error before the first observe(), std::invalid_argument
  /// for a tick that is not finite or outside [0, 2^64).
  ClockMapping map_unwrapped(double unwrapped_tick) const;

  /// Forgets the current estimate: the next frame starts a new epoch. For a
  /// reconnect the caller knows about (counted as a reset).
  void start_new_epoch();
  /// start_new_epoch(), and the arrival times restart too: the next arrival
  /// is not compared with earlier ones. For a clock whose "host" time is
  /// itself a device's counter that restarted (a bridge's, in BridgedClock).
  void start_new_epoch_and_time_base();

  const DeviceClockCounters& counters() const { return counters_; }
  const DeviceClockConfig& config() const { return config_; }
  /// Current drift estimate: device rate error in ppm (positive: device fast).
  double drift_ppm() const;
  std::uint32_t epoch() const { return epoch_; }

 private:
  struct Fit {
    EnvelopeLine line;
    double floor_bound_s = 0.0;  ///< offset part of the bound, at the newest points
    double slope_bound = 0.0;    ///< slope uncertainty (host s per device s)
    // A phase-locked floor (README.md, "Error bound", 4.): the line was moved
    // to the middle of the range the newest tooth leaves for the floor, of
    // half-width lock_half_s at lock_x_s, widening with the allowed slopes.
    bool locked = false;
    double lock_x_s = 0.0;
    double lock_half_s = 0.0;
    double lock_slope_span = 0.0;
  };

  // The current tooth of a phase-locked floor and what its wraps taught.
  struct Tooth {
    bool seen = false;
    double level_s = 0.0;         ///< y - nominal slope * x of its lowest points
    double first_x_s = 0.0;       ///< its first point seen
    double last_x_s = 0.0;        ///< its newest point
    int wrap_direction = 0;       ///< +1 began at a drop (phase from 0, rising), -1 at a rise, 0 no wrap yet
    double wrap_x_s = 0.0;        ///< where the phase was last 0 (the point before or after the wrap)
    double wrap_gap_s = 0.0;      ///< device time between the points either side of that wrap
    double rate_lo = 0.0;         ///< phase rate (per device s) the teeth seen whole allow
    double rate_hi = 0.0;
    double strict_x_s = 0.0;      ///< newest point at which the lock held with lock_min_points
  };

  struct Arrival {
    std::uint64_t tick = 0;  ///< raw for a pending frame, unwrapped for a late run
    double host_s = 0.0;
  };

  ClockMapping observe_in_epoch(std::uint64_t raw, double host_s);
  ClockMapping handle_inconsistent(std::uint64_t raw, double host_s);
  bool pair_consistent(const Arrival& first, std::uint64_t raw, double host_s) const;
  double drift_allowance_at(double x_s) const;
  bool early_pair_agrees(const Arrival& first, std::uint64_t tick, double host_s) const;
  ClockMapping arrival_only(std::uint64_t raw, double host_s, ClockMapping::Status status) const;
  enum class EpochCause { first, confirmed_jump, late_run, caller };
  void begin_epoch(std::uint64_t unwrapped_tick, double host_s, EpochCause cause);
  std::uint64_t unwrap(std::uint64_t raw, double host_s) const;
  double x_of(double unwrapped_tick) const;
  double x_of_tick(std::uint64_t unwrapped_tick) const;
  double bound_at(double x_s) const;
  ClockMapping mapping_at(double x_s, std::uint64_t unwrapped_tick, ClockMapping::Status status) const;
  void refit();
  double sample_period_s() const;
  void apply_phase_lock(Fit& f, double lo, double hi);
  void follow_tooth(double lowest_s, double step_s, double max_rate);
  bool recent_tick(std::uint64_t unwrapped) const;

  DeviceClockConfig config_;
  double period_s_;           ///< nominal seconds per tick
  double modulus_ticks_;      ///< 2^tick_bits as double
  std::uint64_t tick_mask_;   ///< 2^tick_bits - 1
  double slope_lo_, slope_hi_, slope_prior_;
  bool prior_known_ = false;             ///< slope_prior_ measured in an earlier epoch
  double floor_stat_s_ = 0.0;            ///< spacing statistic of the window's residuals
  double floor_due_x_s_ = 0.0;           ///< when to refresh it
  double lattice_step_s_ = 0.0;          ///< unswept phase step of a quantized floor (README.md)
  std::uint64_t sample_step_ticks_ = 0;  ///< smallest tick step between frames of the epoch (0: none yet)
  std::vector<double> residuals_;        ///< scratch
  std::vector<double> recent_levels_;    ///< scratch
  double nominal_slope_ = 1.0;           ///< host s per device s of the configured (or adopted) rate
  double bunched_share_ = 0.0;           ///< running share of fresh frames that arrived with the previous one
  Tooth tooth_;
  bool arrival_shared_ = false;          ///< this frame's arrival equals the previous frame's (not clamped to it)

  LowerEnvelope envelope_;
  std::optional<Fit> fit_;
  bool epoch_open_ = false;
  bool first_epoch_ = true;
  std::uint32_t epoch_ = 0;
  std::uint64_t epoch_origin_tick_ = 0;  ///< unwrapped tick at x = 0
  double epoch_origin_host_s_ = 0.0;     ///< host time at y = 0
  std::uint64_t newest_tick_ = 0;
  double newest_host_s_ = 0.0;           ///< newest (clamped) arrival, session seconds
  boost::circular_buffer<std::uint64_t> recent_ticks_;
  bool any_arrival_ = false;
  std::optional<Arrival> pending_;       ///< first frame that did not fit the epoch
  bool pending_early_ = false;           ///< pending_ arrived early by less than drift_allowance_at
                                         ///< explains (its tick is unwrapped), awaiting a second
  std::vector<Arrival> late_run_;        ///< consecutive fresh frames far above the envelope
  std::size_t late_run_arrivals_ = 0;    ///< distinct arrival times in late_run_
  DeviceClockCounters counters_;
};

}  // namespace stridefuse
