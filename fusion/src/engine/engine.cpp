#include "stridefuse/fusion/engine.hpp"

#include <algorithm>
#include <boost/circular_buffer.hpp>
#include <cmath>
#include <deque>
#include <limits>
#include <stdexcept>
#include <string>

#include "stridefuse/fusion/attitude_estimator.hpp"
#include "stridefuse/fusion/foot_stride_integrator.hpp"
#include "stridefuse/fusion/form_drift.hpp"
#include "stridefuse/fusion/gait_event_detector.hpp"
#include "stridefuse/fusion/insole_loading.hpp"
#include "stridefuse/fusion/lever_arm_estimator.hpp"
#include "stridefuse/fusion/mounting_calibration.hpp"
#include "stridefuse/fusion/pelvis_angles.hpp"
#include "stridefuse/fusion/pelvis_step_metrics.hpp"
#include "stridefuse/units.hpp"

namespace stridefuse::fusion {

namespace {

constexpr double max_step_interval_s = 2.0;     // consecutive ICs further apart are not one step
constexpr double max_flight_wait_s = 1.0;       // a step whose next IC has not come by then is emitted without it
constexpr double pelvis_history_s = 5.0;        // two strides at the slowest cadence, plus margin
constexpr double speed_history_s = 10.0;
constexpr int foot_strides_per_side = 2;         // insole IMU strides per foot averaged for a step's speed
constexpr double braking_window_fraction = 0.4;  // early (braking) and late (propulsion) stance for the forward calibration
constexpr double status_interval_s = 5.0;       // at most one degraded-status event per stream this often
constexpr double silence_s = 2.0;               // a stream without samples this long while others flow is reported
// Clipping is recognised as a reading repeated exactly at the largest
// magnitude the channel has given; these floors keep rest readings (1 g on one
// axis, repeated by a quantising sensor) out of it.
constexpr double accel_saturation_floor_mps2 = 1.5 * standard_gravity_mps2;
constexpr double gyro_saturation_floor_radps = 5.0;
// Flight samples this close to a toe-off or initial contact are left out of
// the lever-arm fit: the edges' timing is uncertain by a few ms, and a contact
// that has begun is no longer free fall.
constexpr double flight_margin_s = 0.015;

double wrap_deg(double a) { return std::remainder(a, 360.0); }

struct ContactInProgress {
  double t_ic_s = 0.0;
  std::optional<double> previous_ic_s;  // IC of the opposite foot just before this one
  CentreOfPressure cop_ic;
  std::vector<double> cop_t_s, cop_x_mm;
};

struct CompletedStep {
  Side side = Side::left;
  GroundContact contact;
  ContactInProgress info;
};

struct CopAt {
  double t_s = 0.0;
  CentreOfPressure cop;
  bool past_timing_level = false;  // loaded enough for the centre to be the foot's, not noise
};

struct InsoleState {
  std::size_t stream = 0;
  Side side = Side::left;
  std::size_t pressure_count = 0;
  InsoleLoadingModel model;
  GaitEventDetector detector;
  std::optional<ContactInProgress> current;
  bool have_previous = false;
  double previous_t_s = 0.0;
  // The last few samples' centres of pressure: a contact is confirmed a few
  // samples after its IC, and the strike index wants the centre at the IC.
  boost::circular_buffer<CopAt> recent_cop{16};
  // The insole's own IMU (channels ax..gz after the pressures), when it has one: a speed source.
  std::optional<FootStrideIntegrator> foot_imu = std::nullopt;
};

struct FootStrideOf {
  Side side = Side::left;
  FootStride stride;
};

struct PelvisRecord {
  double t_s = 0.0;
  Eigen::Quaterniond sensor_to_earth;
  Eigen::Vector3d linear_earth_mps2;
  Eigen::Vector3d accel_mps2;   // sensor frame, as measured
  Eigen::Vector3d omega_radps;  // sensor frame, gyro bias removed
  bool ok = true;
};

struct SpeedRecord {
  double t_s = 0.0;
  double speed_mps = 0.0;
};

struct StreamHealth {
  std::uint64_t samples = 0;
  std::uint64_t invalid = 0;
  std::uint64_t saturated = 0;
  double last_status_s = -std::numeric_limits<double>::infinity();
  double last_sample_s = -std::numeric_limits<double>::infinity();
  bool silent = false;  // reported as not delivering
};

// Two cascaded exponential averages of the unwrapped pelvis heading: the
// running direction for live attitude, smoothing out the stride-frequency
// pelvis rotation while following slow heading drift and turns.
class HeadingTracker {
 public:
  double update(double heading_deg, double dt_s) {
    if (!started_) {
      unwrapped_ = first_ = second_ = heading_deg;
      started_ = true;
      return second_;
    }
    unwrapped_ += wrap_deg(heading_deg - wrap_deg(unwrapped_));
    const double alpha = std::min(1.0, dt_s / time_constant_s);
    first_ += alpha * (unwrapped_ - first_);
    second_ += alpha * (first_ - second_);
    return second_;
  }

 private:
  static constexpr double time_constant_s = 0.5;
  bool started_ = false;
  double unwrapped_ = 0.0, first_ = 0.0, second_ = 0.0;
};

GaitEventDetectorConfig detector_config_for(const InsoleLayout& layout) {
  GaitEventDetectorConfig c;
  double area = 0.0;
  for (const auto& s : layout.sensors) area += s.area_mm2;
  c.minimum_level_n = minimum_level_for_area(area);
  return c;
}

}  // namespace

struct Engine::Impl {
  EngineConfig config;
  EventCallback on_event;
  std::vector<StreamDescriptor> streams;
  std::vector<StreamHealth> health;
  std::uint64_t late = 0;
  double last_t_s = -std::numeric_limits<double>::infinity();

  std::vector<InsoleState> insoles;
  std::optional<std::size_t> insole_of_side[2];

  std::optional<std::size_t> pelvis_stream;
  AttitudeEstimator attitude;
  MountingCalibration calibration;
  LeverArmEstimator lever_arm;
  boost::circular_buffer<PelvisRecord> pelvis_history;
  bool have_pelvis_previous = false;
  double pelvis_previous_t_s = 0.0;
  Eigen::Matrix<double, 6, 1> pelvis_previous_values = Eigen::Matrix<double, 6, 1>::Zero();
  Eigen::Matrix<double, 6, 1> pelvis_largest_magnitude = Eigen::Matrix<double, 6, 1>::Zero();
  double pelvis_period_s = 0.01;
  HeadingTracker heading;
  double last_attitude_event_s = -std::numeric_limits<double>::infinity();

  std::optional<std::size_t> speed_stream;
  boost::circular_buffer<SpeedRecord> speed_history;
  bool have_foot_imu = false;
  boost::circular_buffer<FootStrideOf> foot_strides{16};

  std::deque<CompletedStep> pending;
  struct LastIc {
    double t_s;
    Side side;
  };
  std::optional<LastIc> last_ic;
  std::uint32_t step_count = 0;

  FormDriftMonitor drop_drift, strike_distance_drift, tilt_drift;

  Impl(std::vector<StreamDescriptor> s, EngineConfig c, EventCallback cb)
      : config(c),
        on_event(std::move(cb)),
        streams(std::move(s)),
        calibration({}, has_insoles_in(streams)),
        drop_drift("pelvic_drop_deg", c.alerts.pelvic_drop_deg, c.alert_baseline_steps, c.alert_window_steps),
        strike_distance_drift("foot_strike_distance_m", c.alerts.foot_strike_distance_m, c.alert_baseline_steps,
                              c.alert_window_steps),
        tilt_drift("tilt_ic_deg", c.alerts.tilt_deg, c.alert_baseline_steps, c.alert_window_steps) {
    if (!on_event) throw std::invalid_argument("Engine: the event callback is empty");
    if (config.treadmill_speed_mps && !(std::isfinite(*config.treadmill_speed_mps) && *config.treadmill_speed_mps > 0.0))
      throw std::invalid_argument("Engine: treadmill_speed_mps must be finite and positive");
    if (config.body_mass_kg && !(std::isfinite(*config.body_mass_kg) && *config.body_mass_kg > 0.0))
      throw std::invalid_argument("Engine: body_mass_kg must be finite and positive");
    if (!(std::isfinite(config.attitude_event_rate_hz) && config.attitude_event_rate_hz >= 0.0))
      throw std::invalid_argument("Engine: attitude_event_rate_hz must be finite and not negative");
    if (streams.size() > std::numeric_limits<std::uint16_t>::max() + 1u)
      throw std::invalid_argument("Engine: more streams than a sample can index");
    health.resize(streams.size());
    for (std::size_t i = 0; i < streams.size(); ++i) {
      const auto& d = streams[i];
      validate(d);
      switch (d.kind) {
        case StreamKind::insole_pressure: {
          const Side side = d.insole->side;
          auto& slot = insole_of_side[side == Side::left ? 0 : 1];
          if (slot) throw std::invalid_argument("Engine: two insole streams for the " + std::string(to_string(side)) + " foot");
          slot = insoles.size();
          insoles.push_back(InsoleState{i, side, d.insole->sensors.size(), InsoleLoadingModel(*d.insole),
                                        GaitEventDetector(detector_config_for(*d.insole)), std::nullopt, false, 0.0});
          if (d.channels.size() == d.insole->sensors.size() + 6) {
            // A lost sample or two of a fast-moving foot already spoils the
            // integration (a landing is over in ~30 ms).
            insoles.back().foot_imu.emplace(FootStrideIntegratorConfig{.max_gap_s = 2.5 / d.nominal_rate_hz});
            have_foot_imu = true;
          }
          break;
        }
        case StreamKind::imu:
          if (d.location != BodyLocation::pelvis) break;  // other body-worn IMUs are not used yet
          if (pelvis_stream) throw std::invalid_argument("Engine: more than one pelvis IMU stream ('" + d.id + "')");
          pelvis_stream = i;
          pelvis_period_s = 1.0 / d.nominal_rate_hz;
          attitude = AttitudeEstimator(AttitudeEstimatorConfig{.sample_rate_hz = d.nominal_rate_hz});
          pelvis_history.set_capacity(static_cast<std::size_t>(std::ceil(pelvis_history_s * d.nominal_rate_hz * 1.5)) + 16);
          break;
        case StreamKind::speed:
          if (speed_stream) throw std::invalid_argument("Engine: more than one speed stream ('" + d.id + "')");
          speed_stream = i;
          speed_history.set_capacity(static_cast<std::size_t>(std::ceil(speed_history_s * d.nominal_rate_hz * 1.5)) + 16);
          break;
      }
    }
  }

  static bool has_insoles_in(const std::vector<StreamDescriptor>& s) {
    for (const auto& d : s)
      if (d.kind == StreamKind::insole_pressure) return true;
    return false;
  }

  // ---- health -------------------------------------------------------------

  void report_degraded(std::size_t stream, double t_s, const std::string& what) {
    auto& h = health[stream];
    if (t_s - h.last_status_s < status_interval_s) return;
    h.last_status_s = t_s;
    DeviceStatusEvent e;
    e.t_s = t_s;
    e.stream_id = streams[stream].id;
    e.state = DeviceState::degraded;
    e.frames = h.samples;
    e.frames_dropped = h.invalid;
    e.late_samples = late;
    e.message = what + " (" + std::to_string(h.invalid) + " invalid, " + std::to_string(h.saturated) + " saturated samples so far)";
    on_event(e);
  }

  double first_sample_s = std::numeric_limits<double>::quiet_NaN();
  double last_silence_check_s = -std::numeric_limits<double>::infinity();

  void report_state(std::size_t stream, double t_s, DeviceState state, const std::string& message) {
    const auto& h = health[stream];
    DeviceStatusEvent e;
    e.t_s = t_s;
    e.stream_id = streams[stream].id;
    e.state = state;
    e.frames = h.samples;
    e.frames_dropped = h.invalid;
    e.late_samples = late;
    e.message = message;
    on_event(e);
  }

  /// A stream the engine uses that stops delivering while the others go on
  /// (a foot's insole out of range, a dead battery) is reported once.
  void check_silent_streams(double now_s) {
    last_silence_check_s = now_s;
    for (std::size_t i = 0; i < streams.size(); ++i) {
      auto& h = health[i];
      const bool used = streams[i].kind != StreamKind::imu || (pelvis_stream && *pelvis_stream == i);
      const double since = std::max(h.last_sample_s, first_sample_s);
      if (!used || h.silent || now_s - since < silence_s) continue;
      h.silent = true;
      report_state(i, now_s, DeviceState::degraded,
                   "no samples for " + std::to_string(static_cast<int>(now_s - since)) + " s");
    }
  }

  // ---- dispatch -----------------------------------------------------------

  void push(const Sample& s) {
    if (s.stream >= streams.size())
      throw std::invalid_argument("Engine::push: sample for stream " + std::to_string(s.stream) + " but only " +
                                  std::to_string(streams.size()) + " streams were declared");
    const auto& d = streams[s.stream];
    if (s.channel_count != d.channels.size())
      throw std::invalid_argument("Engine::push: sample of stream '" + d.id + "' has " + std::to_string(s.channel_count) +
                                  " channels, its descriptor " + std::to_string(d.channels.size()));
    auto& h = health[s.stream];
    if (!std::isfinite(s.t_s)) {
      ++h.invalid;
      report_degraded(s.stream, last_t_s, "sample with a non-finite time dropped");
      return;
    }
    if (s.t_s < last_t_s) {
      ++late;
      return;
    }
    if (!std::isfinite(first_sample_s)) first_sample_s = s.t_s;
    last_t_s = s.t_s;
    ++h.samples;
    h.last_sample_s = s.t_s;
    if (h.silent) {
      h.silent = false;
      report_state(s.stream, s.t_s, DeviceState::streaming, "samples again");
    }
    if (s.t_s - last_silence_check_s >= 0.5) check_silent_streams(s.t_s);
    switch (d.kind) {
      case StreamKind::insole_pressure: {
        const Side side = d.insole->side;
        on_insole(insoles[*insole_of_side[side == Side::left ? 0 : 1]], s);
        break;
      }
      case StreamKind::imu:
        if (pelvis_stream && *pelvis_stream == s.stream) on_pelvis(s);
        break;
      case StreamKind::speed: {
        const double v = s.values[0];
        if (std::isfinite(v) && v >= 0.0) {
          speed_history.push_back({s.t_s, v});
        } else {
          ++h.invalid;
          report_degraded(s.stream, s.t_s, "invalid speed value dropped");
        }
        break;
      }
    }
    flush_overdue(s.t_s);
  }

  // ---- insoles ------------------------------------------------------------

  void on_insole(InsoleState& ins, const Sample& s) {
    auto& h = health[ins.stream];
    const auto loading = ins.model.measure(std::span<const double>(s.values.data(), ins.pressure_count));
    if (!loading.valid) {
      ++h.invalid;
      report_degraded(ins.stream, s.t_s, "non-finite pressure");
    }
    if (loading.saturated) {
      ++h.saturated;
      report_degraded(ins.stream, s.t_s, "pressure sensor saturated");
    }
    const double dt = ins.have_previous ? s.t_s - ins.previous_t_s : 0.0;
    const auto transition = ins.detector.update(s.t_s, loading.force_n);
    if (ins.foot_imu) on_foot_imu(ins, s);
    if (loading.valid)
      ins.recent_cop.push_back(CopAt{s.t_s, ins.model.centre_of_pressure(), loading.force_n >= ins.detector.timing_level_n()});
    if (loading.valid) {
      ins.have_previous = true;
      ins.previous_t_s = s.t_s;
    }
    if (loading.valid && ins.detector.phase() == GaitEventDetector::Phase::swing &&
        loading.force_n < ins.detector.timing_level_n())
      ins.model.learn_unloaded(dt);

    using T = GaitEventDetector::Transition;
    switch (transition) {
      case T::contact_confirmed: {
        ContactInProgress c;
        c.t_ic_s = ins.detector.current_ic_s();
        if (last_ic && last_ic->side != ins.side && c.t_ic_s - last_ic->t_s < max_step_interval_s &&
            c.t_ic_s > last_ic->t_s)
          c.previous_ic_s = last_ic->t_s;
        // The centre at IC is that of the first sample past the timing level
        // at or after the IC (the IC itself may lie before a sample that only
        // carries noise); the samples since then start the stance's trace.
        bool first = true;
        for (const auto& r : ins.recent_cop) {
          if (r.t_s < c.t_ic_s || !(r.cop.load_n > 0.0) || (first && !r.past_timing_level)) continue;
          if (first) c.cop_ic = r.cop;
          first = false;
          if (r.t_s < s.t_s) {
            c.cop_t_s.push_back(r.t_s);
            c.cop_x_mm.push_back(r.cop.x_mm);
          }
        }
        ins.current = std::move(c);
        on_initial_contact(ins.side, ins.current->t_ic_s);
        break;
      }
      case T::contact_ended:
        if (ins.current) {
          pending.push_back(CompletedStep{ins.side, ins.detector.last_contact(), std::move(*ins.current)});
          ins.current.reset();
          // Walking: the other foot may already have landed (double support).
          if (last_ic && last_ic->t_s > pending.back().contact.t_ic_s) {
            auto step = std::move(pending.back());
            pending.pop_back();
            finalize(step, *last_ic);
          }
        }
        break;
      case T::contact_rejected:
      case T::phase_lost:
        ins.current.reset();
        break;
      case T::none:
        break;
    }
    if (ins.current && loading.valid) {
      const auto cop = ins.model.centre_of_pressure();
      if (cop.load_n > 0.0) {
        ins.current->cop_t_s.push_back(s.t_s);
        ins.current->cop_x_mm.push_back(cop.x_mm);
      }
    }
  }

  /// The insole IMU's stride integration, its zero-velocity intervals within
  /// the contacts this insole's pressure detects.
  void on_foot_imu(InsoleState& ins, const Sample& s) {
    const double* v = s.values.data() + ins.pressure_count;
    const std::optional<double> contact_ic_s = ins.detector.phase() == GaitEventDetector::Phase::contact
                                                   ? std::optional<double>(ins.detector.current_ic_s())
                                                   : std::nullopt;
    const auto stride =
        ins.foot_imu->update(s.t_s, Eigen::Vector3d(v[0], v[1], v[2]), Eigen::Vector3d(v[3], v[4], v[5]), contact_ic_s);
    if (stride) foot_strides.push_back(FootStrideOf{ins.side, *stride});
    auto& h = health[ins.stream];
    switch (ins.foot_imu->last_sample_quality()) {
      case FootImuSampleQuality::non_finite:
        ++h.invalid;
        report_degraded(ins.stream, s.t_s, "non-finite insole IMU value");
        break;
      case FootImuSampleQuality::saturated:
        ++h.saturated;
        report_degraded(ins.stream, s.t_s, "insole IMU saturated");
        break;
      case FootImuSampleQuality::ok:
        break;
    }
  }

  void on_initial_contact(Side side, double t_ic_s) {
    while (!pending.empty() && pending.front().contact.t_ic_s < t_ic_s) {
      auto step = std::move(pending.front());
      pending.pop_front();
      finalize(step, LastIc{t_ic_s, side});
    }
    if (!last_ic || t_ic_s > last_ic->t_s) last_ic = LastIc{t_ic_s, side};
  }

  void flush_overdue(double now_s) {
    while (!pending.empty() && now_s - pending.front().contact.t_to_s > max_flight_wait_s) {
      auto step = std::move(pending.front());
      pending.pop_front();
      finalize(step, std::nullopt);
    }
  }

  bool has_insole(Side side) const { return insole_of_side[side == Side::left ? 0 : 1].has_value(); }

  // ---- speed --------------------------------------------------------------

  /// Mean speed over [from, to], or the reason there is none. Sources in
  /// order of precedence: the treadmill setting, a speed stream, the insoles' IMUs.
  std::variant<double, AbsentReason> mean_speed(double from_s, double to_s) const {
    if (config.treadmill_speed_mps) return *config.treadmill_speed_mps;
    if (!speed_stream) return have_foot_imu ? foot_stride_speed(to_s) : AbsentReason::no_speed_source;
    double sum = 0.0;
    std::size_t n = 0;
    const SpeedRecord* before = nullptr;
    for (const auto& r : speed_history) {
      if (r.t_s < from_s) before = &r;
      else if (r.t_s <= to_s) {
        sum += r.speed_mps;
        ++n;
      }
    }
    if (n > 0) return sum / static_cast<double>(n);
    // A slow speed stream (footpod at 1 Hz) may have no sample inside a step:
    // its latest value still holds if it is recent.
    if (before && from_s - before->t_s < 2.0) return before->speed_mps;
    return AbsentReason::degraded_input;
  }

  /// Speed from the insole IMUs for a step ending at `to_s`: the mean of each
  /// foot's last `foot_strides_per_side` strides completed by then (a stride
  /// ends some 30 ms after a contact of its foot, so this step's own strides
  /// are not complete when it is emitted; averaging strides evens out the
  /// impact's sampling phase). Strides older than max_step_interval_s are stale.
  std::variant<double, AbsentReason> foot_stride_speed(double to_s) const {
    double sum = 0.0;
    int n = 0, used[2] = {0, 0};
    bool degraded = false;
    for (auto it = foot_strides.rbegin(); it != foot_strides.rend(); ++it) {
      const auto& f = it->stride;
      int& count = used[it->side == Side::left ? 0 : 1];
      if (f.t_end_s > to_s || to_s - f.t_end_s >= max_step_interval_s || count >= foot_strides_per_side) continue;
      ++count;
      if (f.speed_mps.present()) {
        sum += f.speed_mps.value;
        ++n;
      } else {
        degraded = true;
      }
    }
    if (n > 0) return sum / n;
    return degraded ? AbsentReason::degraded_input : AbsentReason::not_detected;
  }

  // ---- pelvis -------------------------------------------------------------

  void on_pelvis(const Sample& s) {
    auto& h = health[s.stream];
    Eigen::Matrix<double, 6, 1> v;
    for (int i = 0; i < 6; ++i) v[i] = s.values[static_cast<std::size_t>(i)];
    if (!v.allFinite()) {
      ++h.invalid;
      report_degraded(s.stream, s.t_s, "non-finite IMU value");
      return;
    }
    bool saturated = false;
    for (int i = 0; i < 6; ++i) {
      const double floor = i < 3 ? accel_saturation_floor_mps2 : gyro_saturation_floor_radps;
      const double magnitude = std::abs(v[i]);
      pelvis_largest_magnitude[i] = std::max(pelvis_largest_magnitude[i], magnitude);
      if (have_pelvis_previous && magnitude >= floor && magnitude == pelvis_largest_magnitude[i] &&
          v[i] == pelvis_previous_values[i])
        saturated = true;
    }
    if (saturated) {
      ++h.saturated;
      report_degraded(s.stream, s.t_s, "IMU saturated");
    }
    const double dt = have_pelvis_previous ? s.t_s - pelvis_previous_t_s : pelvis_period_s;
    pelvis_previous_t_s = s.t_s;
    pelvis_previous_values = v;
    have_pelvis_previous = true;
    if (!(dt > 0.0)) return;  // a repeated time stamp adds nothing

    const Eigen::Vector3d accel = v.head<3>();
    const Eigen::Vector3d gyro = v.tail<3>();
    attitude.update(gyro, accel, dt);
    const Eigen::Quaterniond q = attitude.orientation();
    calibration.add_sample(accel, gyro, q, dt);
    const Eigen::Vector3d linear = q * accel - standard_gravity_mps2 * Eigen::Vector3d::UnitZ();
    pelvis_history.push_back(PelvisRecord{s.t_s, q, linear, accel, gyro - attitude.gyro_bias_radps(), !saturated});

    AttitudeEvent e;
    e.t_s = s.t_s;
    e.orientation = Quaternion{q.w(), q.x(), q.y(), q.z()};
    e.calibration = calibration.source();
    if (calibration.calibrated()) {
      const PelvisAngles absolute = angles_of(q);
      const double running_heading = heading.update(absolute.rotation_deg, dt);
      e.angles = absolute;
      e.angles.rotation_deg = wrap_deg(absolute.rotation_deg - running_heading);
    }
    const bool due = config.attitude_event_rate_hz == 0.0 ||
                     s.t_s - last_attitude_event_s >= 1.0 / config.attitude_event_rate_hz - 0.25 * pelvis_period_s;
    if (due) {
      last_attitude_event_s = s.t_s;
      on_event(e);
    }
  }

  /// Pelvic angles with the rotation measured from earth X (heading arbitrary).
  PelvisAngles angles_of(const Eigen::Quaterniond& sensor_to_earth) const {
    const Eigen::Matrix3d pelvis_to_earth = sensor_to_earth.toRotationMatrix() * calibration.pelvis_to_sensor();
    return pelvis_angles_from(Eigen::Quaterniond(pelvis_to_earth));
  }

  /// Pelvis records covering [from, to] without gaps or saturation, or the reason not.
  std::variant<std::pair<std::size_t, std::size_t>, AbsentReason> pelvis_span(double from_s, double to_s) const {
    if (pelvis_history.empty()) return AbsentReason::degraded_input;
    const double max_gap = std::max(3.0 * pelvis_period_s, 0.03);
    // The history is in time order: binary search for the span.
    const auto by_time = [](const PelvisRecord& r, double t) { return r.t_s < t; };
    const auto first = std::lower_bound(pelvis_history.begin(), pelvis_history.end(), from_s - max_gap, by_time);
    const auto last = std::lower_bound(first, pelvis_history.end(), std::nextafter(to_s + max_gap, INFINITY), by_time);
    const auto begin = static_cast<std::size_t>(first - pelvis_history.begin());
    const auto end = static_cast<std::size_t>(last - pelvis_history.begin());
    if (begin >= end) return AbsentReason::degraded_input;
    if (pelvis_history[begin].t_s > from_s + max_gap || pelvis_history[end - 1].t_s < to_s - max_gap)
      return AbsentReason::degraded_input;
    for (std::size_t i = begin; i < end; ++i) {
      if (!pelvis_history[i].ok) return AbsentReason::degraded_input;
      if (i > begin && pelvis_history[i].t_s - pelvis_history[i - 1].t_s > max_gap) return AbsentReason::degraded_input;
    }
    return std::pair{begin, end};
  }

  /// Braking minus propulsion: the mean horizontal linear acceleration
  /// (sensor frame) of the early stance minus that of the late stance points
  /// backward; what both halves share (gravity leaking through a small
  /// inclination error at impact, sensor offsets) cancels.
  void feed_braking_window(const CompletedStep& step) {
    if (!calibration.wants_braking_windows() || !pelvis_stream) return;
    const double ic = step.contact.t_ic_s, contact = step.contact.t_to_s - step.contact.t_ic_s;
    if (std::holds_alternative<AbsentReason>(pelvis_span(ic, step.contact.t_to_s))) return;
    auto mean_horizontal = [&](double from, double to) {
      Eigen::Vector3d sum = Eigen::Vector3d::Zero();
      std::size_t n = 0;
      for (const auto& r : pelvis_history) {
        if (r.t_s < from || r.t_s > to) continue;
        const Eigen::Vector3d horizontal_earth(r.linear_earth_mps2.x(), r.linear_earth_mps2.y(), 0.0);
        sum += r.sensor_to_earth.conjugate() * horizontal_earth;
        ++n;
      }
      return std::pair{sum, n};
    };
    const auto [braking_sum, n_early] = mean_horizontal(ic, ic + braking_window_fraction * contact);
    const auto [propulsion_sum, n_late] = mean_horizontal(ic + (1.0 - braking_window_fraction) * contact, step.contact.t_to_s);
    if (n_early == 0 || n_late == 0) return;
    calibration.add_braking_window(braking_sum / static_cast<double>(n_early) - propulsion_sum / static_cast<double>(n_late));
  }

  /// Angular acceleration at history record i (sensor frame), central difference.
  Eigen::Vector3d angular_acceleration_at(std::size_t i) const {
    const std::size_t lo = i > 0 ? i - 1 : i;
    const std::size_t hi = i + 1 < pelvis_history.size() ? i + 1 : i;
    const double dt = pelvis_history[hi].t_s - pelvis_history[lo].t_s;
    if (!(dt > 0.0)) return Eigen::Vector3d::Zero();
    return (pelvis_history[hi].omega_radps - pelvis_history[lo].omega_radps) / dt;
  }

  /// Linear acceleration of the centre of mass (earth frame, gravity removed)
  /// at history record i: the sensor's minus what its lever arm adds.
  Eigen::Vector3d com_linear_acceleration_at(std::size_t i, const std::optional<Eigen::Vector3d>& arm) const {
    const auto& r = pelvis_history[i];
    if (!arm) return r.linear_earth_mps2;
    return r.linear_earth_mps2 -
           r.sensor_to_earth * LeverArmEstimator::rotational_acceleration(*arm, r.omega_radps, angular_acceleration_at(i));
  }

  /// The flight after a stance (TO to the other foot's IC) teaches the lever arm.
  void feed_flight(double t_to_s, double next_ic_s) {
    const double from = t_to_s + flight_margin_s, to = next_ic_s - flight_margin_s;
    if (!(to > from)) return;
    const auto span = pelvis_span(from, to);
    if (std::holds_alternative<AbsentReason>(span)) return;
    const auto [begin, end] = std::get<0>(span);
    for (std::size_t i = begin; i < end; ++i) {
      const auto& r = pelvis_history[i];
      if (r.t_s < from || r.t_s > to) continue;
      lever_arm.add_flight_sample(r.accel_mps2, r.omega_radps, angular_acceleration_at(i));
    }
  }

  // ---- step assembly ------------------------------------------------------

  void finalize(CompletedStep& step, std::optional<LastIc> next_ic) {
    feed_braking_window(step);
    if (pelvis_stream && next_ic && next_ic->side != step.side && next_ic->t_s > step.contact.t_to_s &&
        !step.contact.to_timing_degraded)
      feed_flight(step.contact.t_to_s, next_ic->t_s);
    const Side side = step.side;
    const Side other = side == Side::left ? Side::right : Side::left;
    const auto& c = step.contact;
    StepEvent e;
    e.side = side;
    e.index = step_count++;
    e.t_ic_s = c.t_ic_s;
    e.t_to_s = c.t_to_s;
    const bool timing_degraded = c.ic_timing_degraded || c.to_timing_degraded;
    e.contact_time_s = timing_degraded ? Metric::absent(AbsentReason::degraded_input) : Metric::of(c.t_to_s - c.t_ic_s);

    // The next contact of the other foot closes this step's flight.
    std::optional<double> step_end;
    AbsentReason no_step_end = has_insole(other) ? AbsentReason::not_detected : AbsentReason::no_insole;
    if (next_ic && next_ic->side == other && next_ic->t_s - c.t_ic_s < max_step_interval_s) step_end = next_ic->t_s;
    e.flight_time_s = step_end ? (c.to_timing_degraded ? Metric::absent(AbsentReason::degraded_input)
                                                       : Metric::of(*step_end - c.t_to_s))
                               : Metric::absent(no_step_end);

    // Cadence and step length belong to the step from this IC to the next
    // (opposite) IC, like flight time and vertical oscillation.
    e.cadence_spm = step_end ? (c.ic_timing_degraded ? Metric::absent(AbsentReason::degraded_input)
                                                     : Metric::of(60.0 / (*step_end - c.t_ic_s)))
                             : Metric::absent(no_step_end);
    const double foot_length_mm = streams[insoles[*insole_of_side[side == Side::left ? 0 : 1]].stream].insole->length_mm;
    if (step.info.cop_ic.load_n > 0.0) {
      const double index = strike_index_pct(step.info.cop_ic.x_mm, foot_length_mm);
      e.strike_index_pct = Metric::of(index);
      e.strike_pattern = strike_pattern_from(index);
    } else {
      e.strike_index_pct = Metric::absent(AbsentReason::not_detected);
    }

    if (!step_end) {
      e.step_length_m = Metric::absent(config.treadmill_speed_mps || speed_stream || have_foot_imu
                                           ? no_step_end
                                           : AbsentReason::no_speed_source);
    } else {
      const auto speed = mean_speed(c.t_ic_s, *step_end);
      if (const auto* v = std::get_if<double>(&speed))
        e.step_length_m = Metric::of(*v * (*step_end - c.t_ic_s));
      else
        e.step_length_m = Metric::absent(std::get<AbsentReason>(speed));
    }

    pelvis_metrics(step, step_end, e);
    on_event(e);
    const std::pair<FormDriftMonitor*, const Metric*> watched[] = {
        {&drop_drift, &e.pelvic_drop_deg}, {&strike_distance_drift, &e.foot_strike_distance_m}, {&tilt_drift, &e.tilt_ic_deg}};
    for (const auto& [monitor, metric] : watched)
      if (metric->present())
        if (auto alert = monitor->add(c.t_to_s, metric->value)) on_event(*alert);
  }

  void pelvis_metrics(const CompletedStep& step, std::optional<double> step_end, StepEvent& e) {
    auto all_absent = [&](AbsentReason why) {
      for (Metric* m : {&e.tilt_ic_deg, &e.obliquity_ic_deg, &e.rotation_ic_deg, &e.pelvic_drop_deg,
                        &e.vertical_oscillation_m, &e.braking_time_s, &e.foot_strike_distance_m})
        *m = Metric::absent(why);
    };
    if (!pelvis_stream) return all_absent(AbsentReason::no_pelvis_sensor);
    if (!calibration.calibrated()) return all_absent(AbsentReason::not_calibrated);
    const auto& c = step.contact;
    const double end = step_end.value_or(c.t_to_s);
    // The running direction is the pelvis heading averaged over one stride
    // around this contact: the pelvis rotation swings about it.
    const double heading_from = step.info.previous_ic_s.value_or(c.t_ic_s - (end - c.t_ic_s));
    const auto span = pelvis_span(heading_from, end);
    if (const auto* why = std::get_if<AbsentReason>(&span)) {
      // The stance alone may still be covered.
      if (std::holds_alternative<AbsentReason>(pelvis_span(c.t_ic_s, end))) return all_absent(*why);
    }
    const auto stance_span = pelvis_span(c.t_ic_s, end);
    if (const auto* why = std::get_if<AbsentReason>(&stance_span)) return all_absent(*why);
    const auto [begin, stop] = std::holds_alternative<AbsentReason>(span) ? std::get<0>(stance_span) : std::get<0>(span);

    std::vector<PelvisAngles> angles;
    angles.reserve(stop - begin);
    double sum_cos = 0.0, sum_sin = 0.0;
    for (std::size_t i = begin; i < stop; ++i) {
      angles.push_back(angles_of(pelvis_history[i].sensor_to_earth));
      sum_cos += std::cos(rad_from_deg(angles.back().rotation_deg));
      sum_sin += std::sin(rad_from_deg(angles.back().rotation_deg));
    }
    const double heading_deg = deg_from_rad(std::atan2(sum_sin, sum_cos));
    const Eigen::Vector3d forward(std::cos(rad_from_deg(heading_deg)), std::sin(rad_from_deg(heading_deg)), 0.0);
    PelvisTrace trace;
    trace.reserve(stop - begin);
    std::vector<double> tilt, rotation;
    tilt.reserve(stop - begin);
    rotation.reserve(stop - begin);
    const auto arm = lever_arm.lever_arm_m();
    for (std::size_t i = begin; i < stop; ++i) {
      const auto& r = pelvis_history[i];
      const auto& a = angles[i - begin];
      const Eigen::Vector3d linear = com_linear_acceleration_at(i, arm);
      trace.push(r.t_s, linear.dot(forward), linear.z(), a.obliquity_deg);
      tilt.push_back(a.tilt_deg);
      rotation.push_back(wrap_deg(a.rotation_deg - heading_deg));
    }
    e.tilt_ic_deg = Metric::of(interpolate_at(trace.t_s, tilt, c.t_ic_s));
    e.obliquity_ic_deg = Metric::of(interpolate_at(trace.t_s, trace.obliquity_deg, c.t_ic_s));
    e.rotation_ic_deg = Metric::of(interpolate_at(trace.t_s, rotation, c.t_ic_s));
    e.pelvic_drop_deg = Metric::of(pelvic_drop_deg(trace, step.side, c.t_ic_s, c.t_to_s));

    if (!step_end) {
      const auto why = has_insole(step.side == Side::left ? Side::right : Side::left) ? AbsentReason::not_detected
                                                                                      : AbsentReason::no_insole;
      e.vertical_oscillation_m = e.braking_time_s = e.foot_strike_distance_m = Metric::absent(why);
      return;
    }
    e.vertical_oscillation_m = Metric::of(vertical_oscillation_m(trace, c.t_ic_s, *step_end));
    // Constant offsets (gravity leaking through the attitude, sensor offsets)
    // are removed over the stride around this stance when it is known: only
    // the stride is periodic for an asymmetric runner.
    const bool have_stride = step.info.previous_ic_s && !std::holds_alternative<AbsentReason>(span);
    const double mean_from = have_stride ? *step.info.previous_ic_s : c.t_ic_s;
    const auto t_bp = braking_to_propulsion_s(trace, c.t_ic_s, c.t_to_s, mean_from, *step_end);
    if (!t_bp) {
      e.braking_time_s = e.foot_strike_distance_m = Metric::absent(AbsentReason::not_detected);
      return;
    }
    e.braking_time_s = Metric::of(*t_bp - c.t_ic_s);
    const auto speed = mean_speed(c.t_ic_s, *step_end);
    if (const auto* why = std::get_if<AbsentReason>(&speed)) {
      e.foot_strike_distance_m = Metric::absent(*why);
      return;
    }
    const auto& cop_t = step.info.cop_t_s;
    if (cop_t.empty() || !(step.info.cop_ic.load_n > 0.0)) {
      e.foot_strike_distance_m = Metric::absent(AbsentReason::not_detected);
      return;
    }
    const double pelvis_travel_m =
        pelvis_forward_travel_m(trace, std::get<double>(speed), c.t_ic_s, *step_end, c.t_ic_s, *t_bp);
    const double cop_travel_m = (interpolate_at(cop_t, step.info.cop_x_mm, *t_bp) - cop_x_at_ic_mm(step)) * 1e-3;
    e.foot_strike_distance_m = Metric::of(pelvis_travel_m - cop_travel_m);
  }

  /// Centre of pressure along the foot at the IC instant: its first loaded
  /// samples come up to a sample period later, and the centre is already
  /// rolling forward then; the roll over the first two samples, carried back
  /// to the IC, gives where it was.
  static double cop_x_at_ic_mm(const CompletedStep& step) {
    const auto& t = step.info.cop_t_s;
    const auto& x = step.info.cop_x_mm;
    const double first = step.info.cop_ic.x_mm;
    if (t.size() < 2 || !(t[1] > t[0]) || !(t[0] >= step.contact.t_ic_s)) return first;
    const double rate_mm_per_s = (x[1] - x[0]) / (t[1] - t[0]);
    return x[0] - rate_mm_per_s * (t[0] - step.contact.t_ic_s);
  }

  void finish() {
    while (!pending.empty()) {
      auto step = std::move(pending.front());
      pending.pop_front();
      finalize(step, std::nullopt);
    }
  }
};

Engine::Engine(std::vector<StreamDescriptor> streams, EngineConfig config, EventCallback on_event)
    : impl_(std::make_unique<Impl>(std::move(streams), config, std::move(on_event))) {}

Engine::~Engine() = default;

void Engine::push(const Sample& sample) { impl_->push(sample); }

void Engine::finish() { impl_->finish(); }

std::uint64_t Engine::late_samples() const { return impl_->late; }

}  // namespace stridefuse::fusion
