// Which sensor times each foot's contacts: its insole while that delivers,
// else the pelvis (PelvisStepDetector), else nothing. The pelvis decides its
// contacts decision_delay_s late (anchored_decision_delay_s where the other
// foot's insole settles their side), so while any foot is timed by the pelvis
// every contact event (the insoles' too) waits in contact_queue and is
// handled in time order up to what the pelvis has decided. With both insoles
// delivering, events are handled as they come, as before.

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

#include "engine_impl.hpp"
#include "stridefuse/fusion/metric_support.hpp"

namespace stridefuse::fusion {

using engine::max_step_interval_s;

namespace {

// A pelvis contact this close after the foot's last insole contact is that
// contact seen again (around the moment an insole is lost or comes back).
constexpr double same_contact_s = 0.2;

int index_of(Side side) { return side == Side::left ? 0 : 1; }

}  // namespace

bool Engine::Impl::insole_live(Side side) const {
  const auto& slot = insole_of_side[index_of(side)];
  return slot && !health[insoles[*slot].stream].silent;
}

bool Engine::Impl::pelvis_live() const { return pelvis_stream && !health[*pelvis_stream].silent; }

void Engine::Impl::contact_ic(Side side, double t_ic_s) {
  if (pelvis_steps) pelvis_steps->anchor(side, t_ic_s);  // settles the pelvis's side alternation
  if (!contacts_queued) {
    last_ic_of[index_of(side)] = t_ic_s;
    on_initial_contact(side, t_ic_s);
    return;
  }
  contact_queue.push_back(QueuedContact{t_ic_s, side, std::nullopt});
}

void Engine::Impl::contact_ended(CompletedStep step) {
  if (!contacts_queued) return on_contact_ended(std::move(step));
  const double t = std::isnan(step.contact.t_to_s) ? step.contact.t_ic_s : step.contact.t_to_s;
  const Side side = step.side;
  contact_queue.push_back(QueuedContact{t, side, std::move(step)});
}

void Engine::Impl::feed_pelvis_steps(double t_s, const Eigen::Vector3d& linear, const Eigen::Vector3d& rate, bool ok) {
  if (!pelvis_steps) return;
  pelvis_steps->push(PelvisMotionSample{t_s, linear, rate, ok});
}

/// Queues the pelvis's contacts of the feet it times (an initial contact
/// event and a completed step at its end), but not a contact an insole already gave.
void Engine::Impl::queue_pelvis_contacts(const std::vector<PelvisContact>& contacts) {
  for (const auto& c : contacts) {
    if (!pelvis_timed[index_of(c.side)]) continue;
    const auto& last = last_ic_of[index_of(c.side)];
    if (last && c.t_ic_s <= *last + same_contact_s) continue;
    CompletedStep step;
    step.side = c.side;
    step.contact.t_ic_s = c.t_ic_s;
    step.contact.t_to_s = c.t_to_s;
    step.info.t_ic_s = c.t_ic_s;
    step.source = StepSource::pelvis;
    step.mode = c.mode;
    contact_queue.push_back(QueuedContact{c.t_ic_s, c.side, std::nullopt});
    const double end = std::isnan(c.t_to_s) ? c.t_ic_s : c.t_to_s;
    contact_queue.push_back(QueuedContact{end, c.side, std::move(step)});
  }
}

/// Takes the pelvis's decided contacts and handles the queued events up to
/// what it has decided (`final`: all of them).
void Engine::Impl::advance_contacts(double now_s, bool final) {
  if (!contacts_queued) return;
  double horizon = final ? std::numeric_limits<double>::infinity() : now_s;
  if (pelvis_steps && pelvis_live()) {
    queue_pelvis_contacts(final ? pelvis_steps->take_remaining() : pelvis_steps->take_decided());
    if (!final) horizon = std::min(now_s, pelvis_steps->decided_until_s());
  }
  // Initial contacts before the ends at the same time: a step is closed by the next one.
  std::stable_sort(contact_queue.begin(), contact_queue.end(), [](const QueuedContact& a, const QueuedContact& b) {
    return a.t_s < b.t_s || (a.t_s == b.t_s && !a.ended && b.ended);
  });
  while (!contact_queue.empty() && contact_queue.front().t_s <= horizon) {
    QueuedContact q = std::move(contact_queue.front());
    contact_queue.pop_front();
    const int k = index_of(q.side);
    if (!q.ended) {
      // The other foot's contact just before this one: both feet's contacts
      // are in time order only here.
      opposite_before[k] = {q.t_s, std::nullopt};
      if (last_ic && last_ic->side != q.side && last_ic->t_s < q.t_s && q.t_s - last_ic->t_s < max_step_interval_s)
        opposite_before[k].second = last_ic->t_s;
      last_ic_of[k] = q.t_s;
      on_initial_contact(q.side, q.t_s);
      continue;
    }
    if (opposite_before[k].first == q.ended->contact.t_ic_s) q.ended->info.previous_ic_s = opposite_before[k].second;
    on_contact_ended(std::move(*q.ended));
  }
  if (!final) flush_overdue(horizon);
}

/// Whether some foot is now timed by the pelvis; what the live streams give
/// (reported with the status event that changed it).
void Engine::Impl::update_timing(double t_s) {
  const std::array<bool, 2> now{pelvis_times(Side::left), pelvis_times(Side::right)};
  if (now == pelvis_timed) return;
  // A foot the pelvis timed until now keeps the pelvis's contacts up to now
  // (they come decision_delay_s late); then the events wait or not as the
  // feet's timing now says.
  if (contacts_queued) advance_contacts(t_s, !now[0] && !now[1]);
  pelvis_timed = now;
  contacts_queued = now[0] || now[1];
}

std::vector<MetricSupport> Engine::Impl::live_support() const {
  std::vector<bool> live(streams.size());
  for (std::size_t i = 0; i < streams.size(); ++i) live[i] = !health[i].silent;
  return metric_support(streams, config, live);
}

}  // namespace stridefuse::fusion
