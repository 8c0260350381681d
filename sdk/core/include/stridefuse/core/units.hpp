#pragma once
// Physical constants and unit conversions shared by every stage. One time
// base: seconds as double, session time starting at zero.

namespace stridefuse {

inline constexpr double standard_gravity_mps2 = 9.80665;
inline constexpr double pi = 3.14159265358979323846;

constexpr double deg_from_rad(double rad) { return rad * 180.0 / pi; }
constexpr double rad_from_deg(double deg) { return deg * pi / 180.0; }

}  // namespace stridefuse
