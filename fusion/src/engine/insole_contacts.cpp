// Insole samples to foot contacts. A completed contact waits in `pending`
// until the other foot's next initial contact closes its flight (or it is overdue).

#include <cmath>
#include <span>
#include <utility>

#include "engine_impl.hpp"

namespace stridefuse::fusion {

using engine::max_step_interval_s;

namespace {

constexpr double max_flight_wait_s = 1.0;  // a step whose next IC has not come by then is emitted without it

}  // namespace

void Engine::Impl::on_insole(InsoleState& ins, const Sample& s) {
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
          c.cop_load_n.push_back(r.cop.load_n);
        }
      }
      ins.current = std::move(c);
      contact_ic(ins.side, ins.current->t_ic_s);
      break;
    }
    case T::contact_ended:
      if (ins.current) {
        contact_ended(CompletedStep{ins.side, ins.detector.last_contact(), std::move(*ins.current)});
        ins.current.reset();
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
      ins.current->cop_load_n.push_back(cop.load_n);
    }
  }
}

/// The insole IMU's stride integration, its zero-velocity intervals within
/// the contacts this insole's pressure detects.
void Engine::Impl::on_foot_imu(InsoleState& ins, const Sample& s) {
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

void Engine::Impl::on_initial_contact(Side side, double t_ic_s) {
  while (!pending.empty() && pending.front().contact.t_ic_s < t_ic_s) {
    auto step = std::move(pending.front());
    pending.pop_front();
    finalize(step, LastIc{t_ic_s, side});
  }
  if (!last_ic || t_ic_s > last_ic->t_s) last_ic = LastIc{t_ic_s, side};
}

void Engine::Impl::on_contact_ended(CompletedStep step) {
  pending.push_back(std::move(step));
  // Walking: the other foot may already have landed (double support).
  if (last_ic && last_ic->t_s > pending.back().contact.t_ic_s) {
    auto done = std::move(pending.back());
    pending.pop_back();
    finalize(done, *last_ic);
  }
}

void Engine::Impl::flush_overdue(double now_s) {
  // A pelvis-timed step without a final contact waits from its initial contact.
  const auto end_of = [](const CompletedStep& s) { return std::isnan(s.contact.t_to_s) ? s.contact.t_ic_s : s.contact.t_to_s; };
  while (!pending.empty() && now_s - end_of(pending.front()) > max_flight_wait_s) {
    auto step = std::move(pending.front());
    pending.pop_front();
    finalize(step, std::nullopt);
  }
}

}  // namespace stridefuse::fusion
