#include "stridefuse/fusion/finding_tracker.hpp"

#include <algorithm>
#include <memory>

#include "rules.hpp"

namespace stridefuse::fusion {

namespace {

// Released entries are dropped from a list once there are this many.
constexpr std::size_t compact_after_entries = 256;

}  // namespace

struct FindingTracker::Impl {
  // Where a check is in its windows.
  struct CheckState {
    std::size_t run_length = 0;  ///< consecutive firing windows up to the newest
    std::size_t run_start = 0;   ///< first step of the run's first window
    bool active = false;         ///< the finding has started and not ended
  };

  // One list of running steps (a side's, or both sides'). The rules index a
  // list from its first running step; the steps are owned entry by entry and
  // released once no check can read them again (release), and the released
  // entries are dropped from the list now and then, which keeps a long
  // session's memory flat.
  struct OwnedList {
    findings::StepList steps;
    std::vector<std::shared_ptr<const StepEvent>> owners;
    std::size_t released_to = 0;  ///< entries [its checks' first_window, released_to) are released (null)
    std::size_t held = 0;         ///< entries not released
  };

  FindingRules rules;
  std::vector<findings::RuleCheck> checks;
  std::vector<CheckState> states;
  OwnedList left, right, all;

  OwnedList& list_of(FindingSide side) {
    return side == FindingSide::left ? left : side == FindingSide::right ? right : all;
  }

  // In time order; a step older than the newest goes in its place among the
  // entries still held (steps come in order or nearly).
  static void insert(OwnedList& list, const std::shared_ptr<const StepEvent>& step) {
    std::size_t at = list.steps.size();
    while (at > 0 && list.steps[at - 1] && list.steps[at - 1]->t_ic_s > step->t_ic_s) --at;
    const auto offset = static_cast<std::ptrdiff_t>(at);
    list.steps.insert(list.steps.begin() + offset, step.get());
    list.owners.insert(list.owners.begin() + offset, step);
    ++list.held;
  }

  // Releases the steps of `list` that no check reading it can reach again:
  // those before every run of firing windows still going and before the
  // newest window (less a window's margin, for a step that comes late), but
  // not its first `first_window` steps, the drift rule's baseline.
  void release(FindingSide side) {
    OwnedList& list = list_of(side);
    const std::size_t n = list.steps.size();
    std::size_t keep_from = n, baseline = 0, margin = 0;
    for (std::size_t i = 0; i < checks.size(); ++i) {
      if (checks[i].side != side) continue;
      const std::size_t window = checks[i].window;
      const std::size_t newest_window = n > window ? n - window : 0;
      keep_from = std::min(keep_from, states[i].run_length > 0 ? states[i].run_start : newest_window);
      baseline = std::max(baseline, checks[i].first_window);
      margin = std::max(margin, window);
    }
    keep_from = keep_from > margin ? keep_from - margin : 0;
    for (std::size_t i = std::max(list.released_to, baseline); i < keep_from; ++i) {
      if (!list.steps[i]) continue;
      list.steps[i] = nullptr;
      list.owners[i].reset();
      --list.held;
    }
    list.released_to = std::max(list.released_to, keep_from);
    // Now and then the released entries go too, so the list itself stays
    // short: the entries after them move down, and with them the runs'
    // starts. The baseline keeps its place (the drift rule reads it there).
    const std::size_t released = list.released_to > baseline ? list.released_to - baseline : 0;
    if (released < compact_after_entries) return;
    const auto from = static_cast<std::ptrdiff_t>(baseline), to = static_cast<std::ptrdiff_t>(list.released_to);
    list.steps.erase(list.steps.begin() + from, list.steps.begin() + to);
    list.owners.erase(list.owners.begin() + from, list.owners.begin() + to);
    for (std::size_t i = 0; i < checks.size(); ++i)
      if (checks[i].side == side && states[i].run_length > 0) states[i].run_start -= released;
    list.released_to = baseline;
  }
};

FindingTracker::FindingTracker(const FindingRules& rules, const RunnerProfile& profile) : impl_(std::make_unique<Impl>()) {
  validate(rules, profile);
  impl_->rules = rules;
  impl_->checks = findings::rule_checks(rules, profile);
  impl_->states.resize(impl_->checks.size());
}

FindingTracker::~FindingTracker() = default;
FindingTracker::FindingTracker(FindingTracker&&) noexcept = default;
FindingTracker& FindingTracker::operator=(FindingTracker&&) noexcept = default;

std::vector<FindingChange> FindingTracker::add(const StepEvent& step) {
  std::vector<FindingChange> changes;
  if (step.gait_mode == GaitMode::walking) return changes;
  auto& d = *impl_;
  const auto s = std::make_shared<const StepEvent>(step);
  Impl::insert(step.side == Side::left ? d.left : d.right, s);
  Impl::insert(d.all, s);
  const FindingSide side = step.side == Side::left ? FindingSide::left : FindingSide::right;
  for (std::size_t i = 0; i < d.checks.size(); ++i) {
    const auto& check = d.checks[i];
    if (check.side != side && check.side != FindingSide::both) continue;  // its windows did not change
    const auto& list = d.list_of(check.side).steps;
    if (list.size() < check.first_window + check.window) continue;
    const std::size_t first = list.size() - check.window;
    auto& state = d.states[i];
    if (check.fires(list, first)) {
      if (state.run_length++ == 0) state.run_start = first;
      if (!state.active && state.run_length >= d.rules.sustain_windows) {
        state.active = true;
        changes.push_back({FindingChange::Kind::started, check.describe(list, {state.run_start, list.size() - 1})});
      }
    } else {
      if (state.active)  // its last firing window ended one step ago
        changes.push_back({FindingChange::Kind::ended, check.describe(list, {state.run_start, list.size() - 2})});
      state = {};
    }
  }
  d.release(side);
  d.release(FindingSide::both);
  return changes;
}

std::vector<FindingChange> FindingTracker::finish() {
  std::vector<FindingChange> changes;
  auto& d = *impl_;
  for (std::size_t i = 0; i < d.checks.size(); ++i) {
    auto& state = d.states[i];
    if (state.active) {
      const auto& list = d.list_of(d.checks[i].side).steps;
      changes.push_back({FindingChange::Kind::ended, d.checks[i].describe(list, {state.run_start, list.size() - 1})});
    }
    state = {};
  }
  return changes;
}

std::size_t FindingTracker::active() const {
  return static_cast<std::size_t>(std::count_if(impl_->states.begin(), impl_->states.end(),
                                                [](const auto& s) { return s.active; }));
}

std::size_t FindingTracker::held_steps() const { return impl_->left.held + impl_->right.held + impl_->all.held; }

std::size_t FindingTracker::list_entries() const {
  return impl_->left.steps.size() + impl_->right.steps.size() + impl_->all.steps.size();
}

}  // namespace stridefuse::fusion
