#include "stridefuse/second_runner/body_motion.hpp"

#include <Eigen/Geometry>
#include <cmath>
#include <random>

#include "stridefuse/core/units.hpp"

namespace stridefuse::second_runner {

namespace body_motion_detail {

// Quintic smoothstep: position, velocity and acceleration continuous at both ends of the ramp.
double ramp_weight(double x) {
  x = std::clamp(x, 0.0, 1.0);
  return x * x * x * (x * (6.0 * x - 15.0) + 10.0);
}

struct State {
  Eigen::Vector3d p, v;
};

// What a step's stance did with a given virtual pivot offset: its fore-aft
// and lateral impulse, N s.
struct StanceImpulse {
  double fore_aft_ns = 0.0, lateral_ns = 0.0;
};

// The ground force on the centre of mass at grid time t during `s`: vertical
// as prescribed, horizontal along the line from the centre of pressure
// through the virtual pivot point (vpp_offset ahead of, vpp_height above the
// centre of mass, whose height above the ground is `height_m`).
Eigen::Vector3d stance_force(const Stance& s, const Scenario& sc, double t_s, const Eigen::Vector3d& com, double height_m) {
  const double tau = t_s - s.touchdown_s;
  const double fz = vertical_force_n(s, tau);
  if (fz <= 0.0) return Eigen::Vector3d::Zero();
  const Eigen::Vector2d cop = cop_in_foot_mm(s, tau) / 1000.0;
  const double x_cop = s.heel_x_m + cop.x(), y_cop = s.axis_y_m + cop.y();
  const double lever = height_m + sc.vpp_height_m;  // the centre of pressure is on the ground (z = 0)
  return {fz * (com.x() + s.vpp_offset_m - x_cop) / lever, fz * (com.y() - y_cop) / lever, fz};
}

// Semi-implicit Euler on the grid from index `first` to `last` (exclusive):
// v += a dt, p += v dt, so the position's second difference is the
// acceleration exactly. The horizontal force's lever is `height[i]` (the
// height with its wander taken out), not the state's own height. Calls
// `at(i, state, force)` at each index.
template <class F>
State integrate_step(const Stance& s, const Scenario& sc, double dt, std::size_t first, std::size_t last, State x,
                     const std::vector<double>& height, F&& at) {
  for (std::size_t i = first; i < last; ++i) {
    const Eigen::Vector3d force = stance_force(s, sc, double(i) * dt, x.p, height[i]);
    at(i, x, force);
    x.v += (force / sc.body_mass_kg - Eigen::Vector3d(0.0, 0.0, gravity_mps2)) * dt;
    x.p += x.v * dt;
  }
  return x;
}

std::size_t first_index_at(double t_s, double dt) { return static_cast<std::size_t>(std::ceil(t_s / dt - 1e-9)); }

// A box filter of `width` samples, ends held: applied three times it is a
// smooth (quadratic B-spline) low-pass.
std::vector<double> box(const std::vector<double>& x, std::size_t width) {
  const std::size_t n = x.size(), h = width / 2;
  std::vector<double> prefix(n + 1, 0.0), out(n);
  for (std::size_t i = 0; i < n; ++i) prefix[i + 1] = prefix[i] + x[i];
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t a = i >= h ? i - h : 0, b = std::min(n, i + h + 1);
    out[i] = (prefix[b] - prefix[a]) / double(b - a);
  }
  return out;
}

}  // namespace body_motion_detail

Eigen::Matrix3d pelvis_orientation(const Eigen::Vector3d& angles_deg) {
  using Eigen::AngleAxisd;
  using Eigen::Vector3d;
  return (AngleAxisd(rad_from_deg(angles_deg[2]), Vector3d::UnitZ()) *
          AngleAxisd(rad_from_deg(angles_deg[1]), Vector3d::UnitX()) *
          AngleAxisd(rad_from_deg(angles_deg[0]), Vector3d::UnitY()))
      .toRotationMatrix();
}

Motion simulate_motion(const Scenario& sc) {
  using namespace body_motion_detail;
  Motion m;
  const double dt = m.dt_s;
  const std::size_t n = static_cast<std::size_t>(sc.duration_s() / dt) + 1;
  const double weight_n = sc.body_mass_kg * gravity_mps2;
  std::mt19937 random(sc.seed * 7919u + 17u);
  std::normal_distribution<double> unit(0.0, 1.0);

  // The stances: each foot in turn from the ramp's start, every step its own
  // times, touchdown distance and strike index.
  const double run_start_s = sc.standing_s;
  Side side = sc.seed % 2 ? Side::left : Side::right;
  for (double t = run_start_s; t < sc.duration_s() + sc.step_time_s;) {
    Stance s;
    s.side = side;
    s.touchdown_s = t;
    s.step_time_s = sc.step_time_s * (1.0 + sc.step_time_cv * unit(random));
    s.contact_time_s = std::min(sc.contact_time_s * (1.0 + sc.contact_time_cv * unit(random)), s.step_time_s - 0.03);
    s.pattern = sc.pattern;
    s.impact_ratio = sc.impact_ratio;
    s.impact_peak_s = sc.impact_peak_s;
    s.rise_exponent = sc.rise_exponent;
    s.fall_exponent = sc.fall_exponent;
    s.start_fraction = std::clamp(sc.strike_index_pct + sc.strike_index_sd_pct * unit(random), 2.0, 88.0) / 100.0;
    s.toe_fraction = 0.92;
    s.foot_length_m = sc.foot_length_m;
    s.vpp_offset_m = sc.vpp_offset_m + sc.vpp_offset_sd_m * unit(random);
    balance_impulse(s, sc.body_mass_kg);
    m.stances.push_back(s);
    t += s.step_time_s;
    side = side == Side::left ? Side::right : Side::left;
  }

  // The height first: the vertical force is prescribed, so the vertical
  // motion does not depend on the horizontal. The first step shoots it: its
  // mean vertical speed zero. Each step's vertical impulse is balanced, but
  // its mean height is not exactly the last's (its contact and step times
  // differ from the first's): integrated, the height wanders, by a centimetre
  // a step (seed 1 sank 1.2 m in 40 s). A smooth trend (a box filter of one
  // stride, three times) takes that wander out; its curvature is a force
  // below 1 N (README.md, "Centre of mass"). The horizontal forces' lever is
  // the height without the wander: with the integrated height the lever
  // shrank as the body sank, the horizontal forces grew tenfold in 40 s, the
  // braking stopped the runner in each stance and the sideways push threw it
  // off (the pelvis IMU's specific force then no longer averaged to gravity).
  const std::size_t run_first = first_index_at(run_start_s, dt);
  const std::size_t grid_end =
      std::max(n, first_index_at(m.stances.back().touchdown_s + m.stances.back().step_time_s, dt));
  std::vector<double> height(grid_end, sc.com_height_m);
  double start_vz = 0.0;
  {
    // Returns the first step's mean vertical speed; with `store` the heights of all steps.
    const auto vertical = [&](double vz, bool store) {
      double z = sc.com_height_m, first_step_mean_vz = 0.0;
      for (std::size_t k = 0; k < m.stances.size(); ++k) {
        const Stance& s = m.stances[k];
        const std::size_t first = first_index_at(s.touchdown_s, dt);
        const std::size_t last = std::min(grid_end, first_index_at(s.touchdown_s + s.step_time_s, dt));
        for (std::size_t i = first; i < last; ++i) {
          if (store) height[i] = z;
          if (k == 0) first_step_mean_vz += vz / double(last - first);
          const double fz = std::max(0.0, vertical_force_n(s, double(i) * dt - s.touchdown_s));
          vz += (fz / sc.body_mass_kg - gravity_mps2) * dt;
          z += vz * dt;
        }
        if (!store) break;
      }
      return first_step_mean_vz;
    };
    start_vz = -vertical(0.0, false);
    vertical(start_vz, true);
    std::vector<double> dz(grid_end - run_first);
    for (std::size_t i = run_first; i < grid_end; ++i) dz[i - run_first] = height[i] - sc.com_height_m;
    const auto width = static_cast<std::size_t>(2.0 * sc.step_time_s / dt);
    const auto trend = box(box(box(dz, width), width), width);
    for (std::size_t i = run_first; i < grid_end; ++i) height[i] -= trend[i - run_first];
  }

  // The centre of mass in the running frame, step by step. At touchdown the
  // foot is placed about half the step width to the side of the centre of mass
  // (solve_lateral, below) and as far ahead of it as makes the stance's
  // fore-aft impulse zero (secant): a steady speed. The force line through a pivot above the centre of mass
  // leaves no other placement for a given speed, contact time and centre of
  // pressure path.
  m.running_com_m.assign(n, Eigen::Vector3d(0.0, 0.0, sc.com_height_m));
  m.ground_force_n.assign(n, Eigen::Vector3d::Zero());
  std::array<std::vector<double>, 2> run_force;
  std::array<std::vector<Eigen::Vector2d>, 2> run_cop;
  for (int f = 0; f < 2; ++f) {
    run_force[f].assign(n, 0.0);
    run_cop[f].assign(n, Eigen::Vector2d::Zero());
  }
  const auto place = [&](Stance& s, const State& x) {
    s.heel_x_m = x.p.x() + s.touchdown_distance_m - s.start_fraction * s.foot_length_m;
    s.axis_y_m = x.p.y() + (s.side == Side::left ? 0.5 : -0.5) * sc.step_width_m + s.lateral_offset_m;
  };
  const auto solve_placement = [&](Stance& s, const State& x, std::size_t first, std::size_t last) {
    const auto impulse = [&](double distance) {
      s.touchdown_distance_m = distance;
      place(s, x);
      StanceImpulse j;
      integrate_step(s, sc, dt, first, last, x, height, [&](std::size_t, const State&, const Eigen::Vector3d& force) {
        j.fore_aft_ns += force.x() * dt;
        j.lateral_ns += force.y() * dt;
      });
      return j;
    };
    // A first guess: the centre of mass over the centre of pressure halfway through the stance.
    double a = 0.5 * (sc.speed_mps * s.contact_time_s - (s.toe_fraction - s.start_fraction) * s.foot_length_m);
    double b = a + 0.05, ja = impulse(a).fore_aft_ns, jb = impulse(b).fore_aft_ns;
    for (int k = 0; k < 6 && std::abs(jb - ja) > 1e-12; ++k) {
      const double c = b - jb * (b - a) / (jb - ja);
      a = b, ja = jb;
      b = c, jb = impulse(b).fore_aft_ns;
    }
    return impulse(b);
  };
  // Laterally the force line through the pivot pushes the centre of mass
  // away from the foot, an inverted pendulum: with the foot always half the
  // step width from it, a sideways velocity left over from one step grows the
  // next, and the body ran off sideways exponentially (metres after 10 s of
  // running, kilometres after 15: its specific force no longer averaged to
  // gravity, so the pelvis IMU's accelerometer and gyro disagreed about up).
  // A runner steers by where the foot goes: the foot is moved across (from
  // half the step width) so that the stance turns the lateral velocity it
  // starts with into its mirror image, -v, the sway of steady running. The
  // lateral motion does not change the fore-aft (the vertical force and the
  // height are the same), and is linear in the offset, so a secant finds it.
  const auto solve_lateral = [&](Stance& s, const State& x, std::size_t first, std::size_t last) {
    const auto miss = [&](double offset) {
      s.lateral_offset_m = offset;
      place(s, x);
      double lateral_ns = 0.0;
      integrate_step(s, sc, dt, first, last, x, height,
                     [&](std::size_t, const State&, const Eigen::Vector3d& force) { lateral_ns += force.y() * dt; });
      return lateral_ns + 2.0 * sc.body_mass_kg * x.v.y();
    };
    double a = 0.0, b = 0.01, ma = miss(a), mb = miss(b);
    for (int k = 0; k < 4 && std::abs(mb - ma) > 1e-12 && std::abs(mb) > 1e-9; ++k) {
      const double c = b - mb * (b - a) / (mb - ma);
      a = b, ma = mb;
      b = c, mb = miss(b);
    }
  };

  // The first step shoots the start: its mean forward speed is the scenario's
  // (its vertical speed is shot above), its lateral push split around zero.
  State x{Eigen::Vector3d(0.0, 0.0, sc.com_height_m), Eigen::Vector3d(sc.speed_mps, 0.0, start_vz)};
  {
    Stance s = m.stances.front();
    const std::size_t first = first_index_at(s.touchdown_s, dt), last = first_index_at(s.touchdown_s + s.step_time_s, dt);
    const StanceImpulse j = solve_placement(s, x, first, last);
    Eigen::Vector3d mean_v = Eigen::Vector3d::Zero();
    integrate_step(s, sc, dt, first, last, x, height, [&](std::size_t, const State& y, const Eigen::Vector3d&) {
      mean_v += y.v / double(last - first);
    });
    x.v.x() += sc.speed_mps - mean_v.x();
    x.v.y() = -0.5 * j.lateral_ns / sc.body_mass_kg;
  }
  for (auto& s : m.stances) {
    const std::size_t first = first_index_at(s.touchdown_s, dt);
    const std::size_t step_end = first_index_at(s.touchdown_s + s.step_time_s, dt), last = std::min(n, step_end);
    if (first >= n) break;
    // Placed for the whole step even when the run ends inside it: solved on
    // the part inside only, the last foot would go where a stance cut short
    // balances, not where the runner's would.
    solve_placement(s, x, first, step_end);
    solve_lateral(s, x, first, step_end);
    const int f = s.side == Side::left ? 0 : 1;
    x = integrate_step(s, sc, dt, first, last, x, height, [&](std::size_t i, const State& y, const Eigen::Vector3d& force) {
      m.running_com_m[i] = y.p;
      m.ground_force_n[i] = force;
      run_force[f][i] = force.z();
      run_cop[f][i] = cop_in_foot_mm(s, double(i) * dt - s.touchdown_s);
    });
  }
  // The height is the one without its wander (above); the integrated state's own is that plus the wander.
  for (std::size_t i = run_first; i < n; ++i) m.running_com_m[i].z() = height[i];
  for (std::size_t i = 0; i < run_first; ++i) m.running_com_m[i] = m.running_com_m[run_first];

  // The pelvis's angles running: tilt at the step's rate, obliquity and
  // rotation at the stride's (left stance raises the obliquity: the right,
  // swinging side drops; at a left touchdown the left side is ahead).
  std::vector<Eigen::Vector3d> run_angles(n, Eigen::Vector3d::Zero());
  {
    std::size_t k = 0;
    for (std::size_t i = first_index_at(run_start_s, dt); i < n; ++i) {
      const double t = double(i) * dt;
      while (k + 1 < m.stances.size() && m.stances[k + 1].touchdown_s <= t) ++k;
      const Stance& s = m.stances[k];
      const double step_phase = std::clamp((t - s.touchdown_s) / s.step_time_s, 0.0, 1.0);
      const double stride_phase = (s.side == Side::left ? 0.0 : 0.5) + 0.5 * step_phase;
      const double tilt = sc.tilt_running_deg + sc.tilt_amplitude_deg * std::cos(2.0 * pi * step_phase + sc.tilt_phase_rad);
      const double obliquity = sc.obliquity_amplitude_deg *
                               (std::sin(2.0 * pi * stride_phase) +
                                sc.obliquity_harmonic * std::sin(4.0 * pi * stride_phase + sc.obliquity_harmonic_phase_rad));
      const double rotation = -sc.rotation_amplitude_deg * std::cos(2.0 * pi * stride_phase);
      run_angles[i] = {tilt, obliquity, rotation};
    }
  }

  // Standing, then the ramp into running: every quantity the weighted mix of
  // standing still and running (README.md, "Assumptions": the ramp is a blend).
  m.com_m.resize(n);
  m.running_weight.resize(n);
  m.pelvis_deg.resize(n);
  for (int f = 0; f < 2; ++f) {
    m.foot_force_n[f].resize(n);
    m.foot_cop_mm[f].resize(n);
  }
  const Eigen::Vector2d standing_cop_mm(0.45 * sc.foot_length_m * 1000.0, 0.0);
  double travelled_m = 0.0;  // the integral of the weight times the speed: the ramp's mean forward path
  for (std::size_t i = 0; i < n; ++i) {
    const double t = double(i) * dt;
    const double w = ramp_weight((t - run_start_s) / sc.ramp_s);
    m.running_weight[i] = w;
    const Eigen::Vector3d& r = m.running_com_m[i];
    const double wander_x = r.x() - sc.speed_mps * std::max(0.0, t - run_start_s);
    m.com_m[i] = {travelled_m + w * wander_x, w * r.y(), sc.com_height_m + w * (r.z() - sc.com_height_m)};
    travelled_m += w * sc.speed_mps * dt;
    m.pelvis_deg[i] = w * run_angles[i];
    for (int f = 0; f < 2; ++f) {
      const double standing = (1.0 - w) * 0.5 * weight_n, running = w * run_force[f][i];
      m.foot_force_n[f][i] = standing + running;
      m.foot_cop_mm[f][i] = standing + running > 0.0
                                ? Eigen::Vector2d((standing * standing_cop_mm + running * run_cop[f][i]) / (standing + running))
                                : Eigen::Vector2d::Zero();
    }
  }
  return m;
}

}  // namespace stridefuse::second_runner
