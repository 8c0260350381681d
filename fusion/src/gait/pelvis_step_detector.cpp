// PelvisStepDetector: a sliding window of pelvis motion, analysed every
// analysis_interval_s; contacts are reported once they are decision_delay_s
// old, with their side from the bout's alternation (pelvis_contacts.hpp finds them).

#include "stridefuse/fusion/pelvis_step_detector.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "pelvis_contacts.hpp"

namespace stridefuse::fusion {

using pelvis_gait::FoundContact;
using pelvis_gait::MotionWindow;

namespace {

constexpr double anchor_match_s = 0.08;   // an insole's contact and a pelvis contact this close are the same
constexpr double same_contact_s = 0.1;    // a contact this close to the last reported one is that one
constexpr double max_running_step_s = 1.0;  // consecutive running contacts further apart are another bout

double max_step_of(const PelvisStepDetectorConfig& c, GaitMode mode) {
  return mode == GaitMode::running ? max_running_step_s : c.max_step_s;
}

Side other(Side s) { return s == Side::left ? Side::right : Side::left; }

}  // namespace

PelvisStepDetector::PelvisStepDetector(PelvisStepDetectorConfig config) : config_(config) {
  const auto& c = config_;
  if (!(c.decision_delay_s > 0.0) || !(c.anchored_decision_delay_s > 0.0) ||
      !(c.anchored_decision_delay_s <= c.decision_delay_s) || !(c.window_s > c.decision_delay_s + c.max_step_s) || !(c.analysis_interval_s > 0.0) ||
      !(c.flight_level_mps2 > 0.0) || !(c.min_flight_s > 0.0) || !(c.min_contact_s > 0.0) ||
      !(c.max_contact_s > c.min_contact_s) || !(c.min_loading_mps2 > 0.0) || !(c.slope_half_span_s > 0.0) ||
      !(c.rise_half_span_s > 0.0) || !(c.min_rise_mps2 > 0.0) || !(c.relative_rise > 0.0) || !(c.refractory_s > 0.0) ||
      !(c.min_step_s > 0.0) || !(c.max_step_s > c.min_step_s) || !(c.max_step_ratio >= 1.0) || c.min_bout_steps < 2 ||
      !(c.regular_tolerance > 0.0) || c.side_vote_steps < 1)
    throw std::invalid_argument("PelvisStepDetector: durations, levels and counts must be positive and consistent");
}

void PelvisStepDetector::push(const PelvisMotionSample& s) {
  if (!window_.empty() && !(s.t_s > window_.back().t_s)) return;
  window_.push_back(s);
  while (!window_.empty() && s.t_s - window_.front().t_s > config_.window_s) window_.pop_front();
  while (!anchors_.empty() && s.t_s - anchors_.front().second > config_.window_s) anchors_.pop_front();
}

void PelvisStepDetector::anchor(Side side, double t_ic_s) {
  if (std::isfinite(t_ic_s)) anchors_.emplace_back(side, t_ic_s);
}

void PelvisStepDetector::reset() {
  window_.clear();
  last_reported_.reset();
}

std::vector<PelvisContact> PelvisStepDetector::take_decided() {
  if (window_.empty()) return {};
  const double now = window_.back().t_s;
  if (now - last_analysis_s_ < config_.analysis_interval_s) return {};
  last_analysis_s_ = now;
  return analyse(now - config_.decision_delay_s, now - config_.anchored_decision_delay_s);
}

std::vector<PelvisContact> PelvisStepDetector::take_remaining() {
  if (window_.empty()) return {};
  return analyse(window_.back().t_s, window_.back().t_s);
}

std::vector<PelvisContact> PelvisStepDetector::analyse(double decide_until_s, double anchored_until_s) {
  MotionWindow w;
  w.t_s.reserve(window_.size());
  for (const auto& s : window_) {
    w.t_s.push_back(s.t_s);
    w.vertical_mps2.push_back(s.linear_mps2.z());
    w.horizontal_mps2.emplace_back(s.linear_mps2.x(), s.linear_mps2.y());
    w.rate_radps.push_back(s.rate_radps);
    w.ok.push_back(s.ok && s.linear_mps2.allFinite() && s.rate_radps.allFinite());
  }
  auto found = pelvis_gait::running_contacts(w, config_);
  const auto walking = pelvis_gait::walking_contacts(w, config_, found);
  found.insert(found.end(), walking.begin(), walking.end());
  std::sort(found.begin(), found.end(), [](const FoundContact& a, const FoundContact& b) { return a.t_ic_s < b.t_ic_s; });

  // Contacts k and k + 1 belong to one bout when they are one step apart in the same gait.
  auto same_bout = [&](std::size_t k) {
    return found[k + 1].mode == found[k].mode &&
           found[k + 1].t_ic_s - found[k].t_ic_s <= max_step_of(config_, found[k].mode);
  };
  auto anchored = [&](double t) -> std::optional<Side> {
    for (const auto& [side, t_ic] : anchors_)
      if (std::abs(t_ic - t) <= anchor_match_s) return side;
    return std::nullopt;
  };

  std::vector<PelvisContact> out;
  const double after = last_reported_ ? last_reported_->t_ic_s + same_contact_s : -1e300;
  // Contacts are reported in time order: the first one not decidable yet
  // holds back those after it.
  for (std::size_t k = 0; k < found.size(); ++k) {
    const auto& f = found[k];
    if (f.t_ic_s <= after) continue;
    if (f.t_ic_s > anchored_until_s) break;
    // The bout's steps around this one (up to side_vote_steps each way):
    // an insole's contact among them settles the side by the alternation,
    // else their side cues are voted with it.
    const auto votes = static_cast<std::size_t>(config_.side_vote_steps);
    std::size_t begin = k, end = k;
    while (begin > 0 && k - begin < votes && same_bout(begin - 1)) --begin;
    while (end + 1 < found.size() && end - k < votes && same_bout(end)) ++end;
    std::optional<Side> side;
    for (std::size_t m = begin; m <= end && !side; ++m)
      if (const auto a = anchored(found[m].t_ic_s)) side = (m + k) % 2 == 0 ? *a : other(*a);
    // Early, a contact is decided only by an anchor, in running (a running
    // contact lies between two flights: none can appear beside it later),
    // with the next contact of its bout found.
    const bool early_ok = side && f.mode == GaitMode::running && k + 1 < found.size() && same_bout(k);
    if (f.t_ic_s > decide_until_s && !early_ok) break;
    if (!side) {
      double vote = 0.0;
      for (std::size_t m = begin; m <= end; ++m) vote += (m + k) % 2 == 0 ? found[m].cue : -found[m].cue;
      side = vote >= 0.0 ? Side::left : Side::right;
    }
    PelvisContact c{*side, f.t_ic_s, f.t_to_s, f.mode};
    out.push_back(c);
    last_reported_ = c;
  }
  // Nothing is reported at or before the last reported contact any more,
  // nor before the full delay.
  decided_until_s_ = std::max(decided_until_s_, decide_until_s);
  if (last_reported_) decided_until_s_ = std::max(decided_until_s_, last_reported_->t_ic_s);
  return out;
}

}  // namespace stridefuse::fusion
