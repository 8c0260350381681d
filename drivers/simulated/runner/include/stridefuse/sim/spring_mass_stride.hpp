#pragma once
// The spring-mass running model (Blickhan 1989; McMahon & Cheng 1990): the
// body is a point mass on a massless leg spring that pushes from the centre of
// pressure (CoP) toward the centre of mass (CoM). Two additions make it a
// runner rather than a pogo stick: the CoP rolls forward along the foot during
// stance (heel or midfoot or forefoot to the toe), and the leg's rest length
// grows during stance (push-off) so that the stride can be periodic although
// the CoP moves. A rearfoot impact transient acts along the same leg line.
//
// One stride (left stance, flight, right stance, flight) is solved by Newton
// shooting for a periodic orbit with the requested speed and step time.

#include <array>
#include <memory>
#include <vector>

#include <Eigen/Dense>

namespace stridefuse::sim {

/// What the foot does in one stance.
struct StanceParameters {
  double foot_strike_distance_m = 0.3;  ///< CoP ahead of CoM at initial contact
  double cop_travel_m = 0.2;            ///< how far the CoP rolls forward during stance
  double impact_bw = 0.0;               ///< peak of the impact transient, body weights

  bool operator==(const StanceParameters&) const = default;
};

/// What one stride must achieve. Index 0 is the left stance, 1 the right.
struct StrideParameters {
  double speed_mps = 3.5;     ///< mean forward speed over the stride
  double step_time_s = 0.35;  ///< initial contact to the next (opposite) initial contact
  double leg_length_m = 0.95;
  double body_mass_kg = 70.0;
  std::array<StanceParameters, 2> stance;

  bool operator==(const StrideParameters&) const = default;
};

/// One integration node of a stance, relative to its initial contact: time
/// from IC, CoM forward position from its position at IC, height above ground.
struct StanceNode {
  double t_s = 0.0;
  double x_m = 0.0, z_m = 0.0;
  double vx_mps = 0.0, vz_mps = 0.0;
  double fx_n = 0.0, fz_n = 0.0;  ///< ground reaction force on the body
  double cop_x_m = 0.0;          ///< CoP forward position, same origin as x_m
};

/// One solved stance: nodes from IC (first) to toe-off (last).
struct StanceTrajectory {
  std::vector<StanceNode> nodes;
  double node_spacing_s = 0.0;  ///< nodes are evenly spaced except the last one (toe-off)
  double contact_time_s() const { return nodes.back().t_s; }
};

/// A periodic stride.
struct StrideSolution {
  double leg_stiffness_n_per_m = 0.0;
  std::array<double, 2> rest_length_gain_m{};  ///< push-off: rest length grows by this during stance
  std::array<std::shared_ptr<const StanceTrajectory>, 2> stance;
};

/// Solves strides, reusing the last solution as the starting point so that a
/// slowly drifting runner costs a couple of integrations per stride.
class SpringMassStrideSolver {
 public:
  /// Throws std::invalid_argument when the parameters admit no running
  /// stride (no flight phase, or no periodic orbit found), naming them.
  StrideSolution solve(const StrideParameters& parameters);

  /// Nodes per stance (accuracy of the integration and of the stored trajectory).
  static constexpr int nodes_per_stance = 240;

 private:
  using Vector = Eigen::Matrix<double, 7, 1>;
  using Matrix = Eigen::Matrix<double, 7, 7>;

  Vector residual(const StrideParameters& p, const Vector& u, StrideSolution* out) const;
  Matrix jacobian(const StrideParameters& p, const Vector& u, const Vector& r) const;
  bool newton(const StrideParameters& p, Vector& u, int max_iterations, bool refresh_jacobian);
  Vector initial_guess(const StrideParameters& p) const;

  bool has_last_ = false;
  StrideParameters last_parameters_;
  Vector last_u_ = Vector::Zero();
  Matrix last_jacobian_ = Matrix::Zero();
  StrideSolution last_solution_;
};

}  // namespace stridefuse::sim
