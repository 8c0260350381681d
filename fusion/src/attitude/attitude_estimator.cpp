#include "stridefuse/fusion/attitude_estimator.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "gyro_bias_filter.hpp"
#include "low_pass_filter.hpp"
#include "magnetic_heading.hpp"
#include "periodic_motion_memory.hpp"
#include "rest_detector.hpp"
#include "stridefuse/core/units.hpp"
#include "positive_setting_check.hpp"

namespace stridefuse::fusion {

namespace {

AttitudeEstimatorConfig validated(const AttitudeEstimatorConfig& c) {
  const PositiveSettingCheck require_positive("AttitudeEstimatorConfig::");
  require_positive(c.sample_rate_hz, "sample_rate_hz");
  require_positive(c.accel_time_constant_s, "accel_time_constant_s");
  require_positive(c.bias_initial_sigma_degps, "bias_initial_sigma_degps");
  require_positive(c.bias_forgetting_time_s, "bias_forgetting_time_s");
  require_positive(c.bias_motion_sigma_degps, "bias_motion_sigma_degps");
  require_positive(c.bias_rest_sigma_degps, "bias_rest_sigma_degps");
  require_positive(c.bias_clip_degps, "bias_clip_degps");
  require_positive(c.rest_gyro_deviation_degps, "rest_gyro_deviation_degps");
  require_positive(c.rest_accel_deviation_mps2, "rest_accel_deviation_mps2");
  require_positive(c.rest_min_duration_s, "rest_min_duration_s");
  if (!(c.gyro_leads_after_rest_s >= 0.0))
    throw std::invalid_argument("AttitudeEstimatorConfig::gyro_leads_after_rest_s must be 0 or more (0: off)");
  require_positive(c.restart_after_gap_s, "restart_after_gap_s");
  require_positive(c.mag_time_constant_s, "mag_time_constant_s");
  require_positive(c.mag_norm_tolerance, "mag_norm_tolerance");
  require_positive(c.mag_dip_tolerance_deg, "mag_dip_tolerance_deg");
  return c;
}

attitude::GyroBiasFilterConfig bias_config(const AttitudeEstimatorConfig& c) {
  attitude::GyroBiasFilterConfig b;
  b.initial_sigma_radps = rad_from_deg(c.bias_initial_sigma_degps);
  b.forgetting_time_s = c.bias_forgetting_time_s;
  b.motion_sigma_radps = rad_from_deg(c.bias_motion_sigma_degps);
  b.rest_sigma_radps = rad_from_deg(c.bias_rest_sigma_degps);
  b.clip_radps = rad_from_deg(c.bias_clip_degps);
  return b;
}

attitude::RestDetectorConfig rest_config(const AttitudeEstimatorConfig& c) {
  attitude::RestDetectorConfig r;
  r.gyro_deviation_radps = rad_from_deg(c.rest_gyro_deviation_degps);
  r.accel_deviation_mps2 = c.rest_accel_deviation_mps2;
  r.max_mean_rate_radps = rad_from_deg(c.bias_clip_degps);
  r.min_duration_s = c.rest_min_duration_s;
  return r;
}

attitude::MagneticHeadingConfig mag_config(const AttitudeEstimatorConfig& c) {
  attitude::MagneticHeadingConfig m;
  m.time_constant_s = c.mag_time_constant_s;
  m.norm_tolerance = c.mag_norm_tolerance;
  m.dip_tolerance_rad = rad_from_deg(c.mag_dip_tolerance_deg);
  return m;
}

bool finite(const Eigen::Vector3d& v) { return v.allFinite(); }

using Vector9d = Eigen::Matrix<double, 9, 1>;

}  // namespace

// The orientation is kept as three factors, sensor -> earth:
//   heading (magnetometer, about Z) * inclination (accelerometer) * gyro_q (strapdown).
// gyro_q is pure gyroscope integration into an "almost inertial" frame. The
// accelerometer is low-passed in that frame: there the specific force is
// gravity plus the derivative of velocity, and since the sensor's velocity
// stays bounded (a runner's pelvis, a hand) the derivative averages out, even
// through 2-3 g impacts, while gravity stays put. Its direction, mapped
// through the inclination factor, should be earth +Z; the inclination factor
// is rotated to make it so on every sample.
struct AttitudeEstimator::Impl {
  explicit Impl(const AttitudeEstimatorConfig& c)
      : config(validated(c)),
        accel_design(config.accel_time_constant_s),
        bias(bias_config(config)),
        rest(rest_config(config)),
        heading(mag_config(config)),
        recent_motion(motion_memory_s, 1.5 * config.sample_rate_hz) {}

  void update(const Eigen::Vector3d& gyro, const Eigen::Vector3d& accel, double dt,
              const std::optional<Eigen::Vector3d>& mag);
  void start(const Eigen::Vector3d& accel);
  void correct_inclination(const Eigen::Vector3d& gyro, const Eigen::Vector3d& accel, double dt,
                           const attitude::LowPassCoefficients& c);
  bool warming_up(const Eigen::Vector3d& gyro, const Eigen::Vector3d& accel, double dt, const attitude::LowPassCoefficients& c);
  void update_bias(const Eigen::Vector3d& correction, double dt, const attitude::LowPassCoefficients& c,
                   bool learn_in_motion);

  Eigen::Quaterniond without_heading() const { return inclination * gyro_q; }

  AttitudeEstimatorConfig config;
  attitude::LowPassDesign accel_design;
  attitude::GyroBiasFilter bias;
  attitude::RestDetector rest;
  attitude::MagneticHeading heading;
  // Bridges a gap in a periodic motion (update); continuous samples only.
  static constexpr double motion_memory_s = 3.5;
  attitude::PeriodicMotionMemory recent_motion;
  double clock_s = 0.0;  // the sum of the intervals: the memory's time

  bool started = false;
  // How the last start began (see correct_inclination): undecided while
  // every sample since is quiet but for less than quiet_start_s.
  enum class Start { undecided, at_rest, moving } start_kind = Start::undecided;
  double since_start_s = 0.0;
  double since_gap_s = std::numeric_limits<double>::infinity();  // since the last gap of a few samples
  double since_rest_s = std::numeric_limits<double>::infinity();  // since the rest detector last said rest
  // An interval longer than this is a gap: a running pelvis's rate changes
  // little over less (a step swings it back and forth in about 0.35 s).
  static constexpr double gap_s = 0.05;
  double nominal_period_s() const { return 1.0 / config.sample_rate_hz; }
  Eigen::Vector3d accel_inertial_integral = Eigen::Vector3d::Zero();  // of the specific force, gyro frame
  Eigen::Quaterniond gyro_q = Eigen::Quaterniond::Identity();
  Eigen::Quaterniond inclination = Eigen::Quaterniond::Identity();
  attitude::LowPassFilter<3> accel_inertial_lp;
  attitude::LowPassFilter<9> rotation_lp;       // LP of sensor->earth matrix, for the bias measurement
  attitude::LowPassFilter<3> rotated_bias_lp;   // LP of R * bias estimate
  bool mag_seen = false;
  std::uint64_t skipped = 0;
};

void AttitudeEstimator::Impl::start(const Eigen::Vector3d& accel) {
  // Level from this accelerometer sample; heading stays arbitrary. Filters
  // start afresh from their next input.
  gyro_q = Eigen::Quaterniond::Identity();
  inclination = accel.norm() > 1e-6 ? Eigen::Quaterniond::FromTwoVectors(accel, Eigen::Vector3d::UnitZ())
                                    : Eigen::Quaterniond::Identity();
  accel_inertial_lp = {};
  start_kind = Start::undecided;
  since_start_s = 0.0;
  since_rest_s = std::numeric_limits<double>::infinity();
  accel_inertial_integral.setZero();
  rotation_lp = {};
  rotated_bias_lp = {};
  rest = attitude::RestDetector(rest_config(config));
  heading.restart();
  started = true;
}

void AttitudeEstimator::Impl::update(const Eigen::Vector3d& gyro, const Eigen::Vector3d& accel, double dt,
                                     const std::optional<Eigen::Vector3d>& mag) {
  if (!std::isfinite(dt) || dt <= 0.0 || !finite(gyro) || !finite(accel) || (mag && !finite(*mag))) {
    ++skipped;
    return;
  }
  clock_s += dt;
  if (!started || dt > config.restart_after_gap_s) {
    start(accel);
    recent_motion.clear();
    return;
  }

  rest.update(gyro, accel, dt);
  since_rest_s = rest.at_rest() ? 0.0 : since_rest_s + dt;

  // A gap (radio loss) of more than gap_s, shorter than a restart: one sample's
  // rate held over it says little of how a running pelvis turned meanwhile
  // (it swings back and forth every step), so nothing is integrated over
  // it. When the motion before it repeats stride by stride, the orientation
  // after it is the one a whole number of strides earlier (to the
  // stride-to-stride variability); otherwise it is held, within the
  // pelvis's swing of the truth. The accelerometer then corrects what is
  // left, and those corrections are not a bias: the bias does not learn from
  // motion for a time constant.
  const bool gap = dt > gap_s;
  if (gap) since_gap_s = 0.0;
  else since_gap_s += dt;
  const Eigen::Vector3d rate = gyro - bias.bias_radps();
  const double angle = gap ? 0.0 : rate.norm() * dt;
  if (angle > 0.0) gyro_q = gyro_q * Eigen::Quaterniond(Eigen::AngleAxisd(angle, rate.normalized()));
  if (gap) {
    if (const auto periodic = recent_motion.across_gap(clock_s)) gyro_q = *periodic;
    recent_motion.clear();  // its lags are counted in samples of one interval
  }
  gyro_q.normalize();
  recent_motion.add(clock_s, gyro_q, rate);

  // Across a gap the low-pass takes the sample as the next one: its
  // coefficients for a 20-times longer interval, swapped into the state of
  // the short ones, kicked its output by degrees that took ten seconds to
  // ring out (a 150 ms gap on the real runner: 12 degrees).
  const auto& c = accel_design.for_interval(gap ? nominal_period_s() : dt);
  correct_inclination(gyro, accel, gap ? nominal_period_s() : dt, c);

  if (config.use_magnetometer && mag) heading.update(without_heading() * *mag, dt);
}

// A start in motion: until the low-pass's time constant has passed since the
// start, gravity is the mean specific force since the start (in the gyro
// frame), and the low-pass then continues from it. A low-pass started on the
// first sample keeps that sample's weight for about a time constant, and a
// session that starts running starts at any phase of a stride: an impact at
// 3 g or flight at 0 g (a real runner's estimate began up to 120 degrees off
// and took 20 s to settle). The mean's error is the change of velocity since
// the start over the time, |dv| / (g t): a few degrees after the first
// strides. A start at rest needs none of it (the first samples are gravity,
// and the low-pass started on them is right): quiet_start_s of quiet cannot
// happen within running, which lands every third of a second.
bool AttitudeEstimator::Impl::warming_up(const Eigen::Vector3d& gyro, const Eigen::Vector3d& accel, double dt,
                                         const attitude::LowPassCoefficients& c) {
  constexpr double quiet_start_s = 0.2;
  since_start_s += dt;
  if (start_kind == Start::undecided) {
    const bool quiet = std::abs(accel.norm() - standard_gravity_mps2) < config.rest_accel_deviation_mps2 &&
                       gyro.norm() < rad_from_deg(config.rest_gyro_deviation_degps + config.bias_clip_degps);
    if (!quiet) start_kind = Start::moving;
    else if (since_start_s >= quiet_start_s) start_kind = Start::at_rest;
  }
  if (since_start_s >= config.accel_time_constant_s) return false;
  accel_inertial_integral += gyro_q * accel * dt;
  if (start_kind != Start::moving) return false;  // the low-pass goes on as at rest until motion shows
  accel_inertial_lp.reset(accel_inertial_integral / since_start_s, c);
  return true;
}

// Setting off after a rest: for gyro_leads_after_rest_s the low-pass is fed
// the vertical the orientation already has (its magnitude kept), so the
// start's acceleration never enters it and no correction is made; the bias
// does not learn meanwhile (a correction of zero is no measurement of it).
void AttitudeEstimator::Impl::correct_inclination(const Eigen::Vector3d& gyro, const Eigen::Vector3d& accel, double dt,
                                                  const attitude::LowPassCoefficients& c) {
  const bool warm_up = warming_up(gyro, accel, dt, c);
  const bool gyro_leads = !rest.at_rest() && since_rest_s < config.gyro_leads_after_rest_s;
  const Eigen::Vector3d input =
      gyro_leads ? Eigen::Vector3d(inclination.conjugate() * Eigen::Vector3d(0.0, 0.0, accel_inertial_lp.value().norm()))
                 : Eigen::Vector3d(gyro_q * accel);
  const Eigen::Vector3d& accel_inertial = warm_up ? accel_inertial_lp.value() : accel_inertial_lp.step(input, c);
  const Eigen::Vector3d accel_earth = inclination * accel_inertial;
  if (accel_earth.norm() < 1e-6) return;  // free fall on average: nothing to level against
  const Eigen::Quaterniond step = Eigen::Quaterniond::FromTwoVectors(accel_earth, Eigen::Vector3d::UnitZ());
  inclination = (step * inclination).normalized();
  // Small-angle rotation vector of this step's correction (earth frame).
  const Eigen::Vector3d correction = 2.0 * (step.w() >= 0.0 ? 1.0 : -1.0) * step.vec();
  // The warm-up's corrections undo the start's error, not a bias: the bias
  // learns from motion only afterwards.
  update_bias(correction, dt, c, !warm_up && !gyro_leads && since_gap_s >= config.accel_time_constant_s);
}

void AttitudeEstimator::Impl::update_bias(const Eigen::Vector3d& correction, double dt,
                                          const attitude::LowPassCoefficients& c, bool learn_in_motion) {
  if (!config.motion_bias_estimation && !config.rest_bias_estimation) return;
  const Eigen::Matrix3d r = without_heading().toRotationMatrix();
  bias.predict(dt, r);
  // The correction answers the drift R*(b_true - b_est), seen through the same
  // low-pass as the accelerometer; filter R and R*b_est alike so that the
  // measurement -correction/dt + LP(R b_est) = LP(R) b_true is consistent.
  const Vector9d r_lp_flat = rotation_lp.step(Eigen::Map<const Vector9d>(r.data()), c);
  const Eigen::Vector3d rb_lp = rotated_bias_lp.step(r * bias.bias_radps(), c);
  if (rest.at_rest()) {
    if (config.rest_bias_estimation) bias.update_at_rest(rest.mean_gyro_radps(), dt);
    return;
  }
  if (!config.motion_bias_estimation || !learn_in_motion) return;
  const Eigen::Map<const Eigen::Matrix3d> r_lp(r_lp_flat.data());
  const Eigen::Vector2d y = -correction.head<2>() / dt + rb_lp.head<2>();
  bias.update_in_motion(y, r_lp.topRows<2>(), dt);
}

AttitudeEstimator::AttitudeEstimator(AttitudeEstimatorConfig config) : impl_(std::make_unique<Impl>(config)) {}
AttitudeEstimator::~AttitudeEstimator() = default;
AttitudeEstimator::AttitudeEstimator(AttitudeEstimator&&) noexcept = default;
AttitudeEstimator& AttitudeEstimator::operator=(AttitudeEstimator&&) noexcept = default;

void AttitudeEstimator::update(const Eigen::Vector3d& gyro_radps, const Eigen::Vector3d& accel_mps2, double dt_s,
                               const std::optional<Eigen::Vector3d>& mag_ut) {
  impl_->update(gyro_radps, accel_mps2, dt_s, mag_ut);
}

Eigen::Quaterniond AttitudeEstimator::orientation() const {
  const Eigen::Quaterniond q = impl_->without_heading();
  if (!impl_->config.use_magnetometer) return q;
  return (impl_->heading.correction() * q).normalized();
}

Eigen::Vector3d AttitudeEstimator::gyro_bias_radps() const { return impl_->bias.bias_radps(); }
bool AttitudeEstimator::at_rest() const { return impl_->rest.at_rest(); }
std::uint64_t AttitudeEstimator::skipped_samples() const { return impl_->skipped; }

}  // namespace stridefuse::fusion
