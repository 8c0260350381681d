#include "stridefuse/fusion/finding_tracker.hpp"

#include <algorithm>

#include "rules.hpp"

namespace stridefuse::fusion {

struct FindingTracker::Impl {
  // Where a check is in its windows.
  struct CheckState {
    std::size_t run_length = 0;  ///< consecutive firing windows up to the newest
    std::size_t run_start = 0;   ///< first step of the run's first window
    bool active = false;         ///< the finding has started and not ended
  };

  FindingRules rules;
  std::vector<findings::RuleCheck> checks;
  std::vector<CheckState> states;
  std::deque<StepEvent> storage;  // stable addresses for the lists' pointers
  findings::StepList left, right, all;

  findings::StepList& list_of(FindingSide side) {
    return side == FindingSide::left ? left : side == FindingSide::right ? right : all;
  }

  static void insert(findings::StepList& list, const StepEvent* step) {
    const auto at = std::upper_bound(list.begin(), list.end(), step,
                                     [](const StepEvent* a, const StepEvent* b) { return a->t_ic_s < b->t_ic_s; });
    list.insert(at, step);
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
  d.storage.push_back(step);
  const StepEvent* s = &d.storage.back();
  Impl::insert(step.side == Side::left ? d.left : d.right, s);
  Impl::insert(d.all, s);
  const FindingSide side = step.side == Side::left ? FindingSide::left : FindingSide::right;
  for (std::size_t i = 0; i < d.checks.size(); ++i) {
    const auto& check = d.checks[i];
    if (check.side != side && check.side != FindingSide::both) continue;  // its windows did not change
    const auto& list = d.list_of(check.side);
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
  return changes;
}

std::vector<FindingChange> FindingTracker::finish() {
  std::vector<FindingChange> changes;
  auto& d = *impl_;
  for (std::size_t i = 0; i < d.checks.size(); ++i) {
    auto& state = d.states[i];
    if (state.active) {
      const auto& list = d.list_of(d.checks[i].side);
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

}  // namespace stridefuse::fusion
