#include "still_window.hpp"

#include "stridefuse/core/units.hpp"

namespace stridefuse::fusion::drill {

double turn_deg(const Eigen::Quaterniond& a, const Eigen::Quaterniond& b) {
  return deg_from_rad(a.angularDistance(b));
}

bool StillWindow::push(double t_s, const Eigen::Quaterniond& q) {
  recent_.push_back({t_s, q});
  while (recent_.size() > 1 && recent_[1].t_s <= t_s - window_s) recent_.pop_front();
  if (t_s - recent_.front().t_s < window_s - 1e-9) return false;  // not seen long enough
  for (const Pose& p : recent_)
    if (turn_deg(p.q, q) > still_deg) return false;
  return true;
}

}  // namespace stridefuse::fusion::drill
