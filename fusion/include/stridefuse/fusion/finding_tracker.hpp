#pragma once
// The form findings live (issue 15): step by step, when a finding starts and
// when it ends, by the same rules and windows as find_form_findings
// (fusion/FINDINGS.md, "Live").

#include <cstddef>
#include <memory>
#include <vector>

#include "stridefuse/core/events.hpp"
#include "stridefuse/core/form_finding.hpp"
#include "stridefuse/fusion/form_findings.hpp"

namespace stridefuse::fusion {

/// A finding that started or ended with the step just added.
struct FindingChange {
  enum class Kind { started, ended };
  Kind kind = Kind::started;
  /// Over its span so far when it starts (from the first step of the first
  /// window that fired to the newest step), over its whole span when it ends.
  FormFinding finding;
};

/// Each rule of find_form_findings asked of the newest window only, as each
/// step comes. A finding starts when its rule has fired in `sustain_windows`
/// windows in a row and ends at the first window that does not fire, or at
/// finish(). Unlike the session's findings, a side's findings are not merged
/// into `both` (neither side waits for the other), and two runs of firing
/// windows a few steps apart are two findings. Holds only the steps its rules
/// can still read (each side's first steps, the drift rule's baseline; the
/// steps of every finding or run of firing windows still going; the newest
/// windows) and releases the others: its memory does not grow with the
/// session, only with a finding that goes on.
class FindingTracker {
 public:
  /// Throws std::invalid_argument as validate().
  explicit FindingTracker(const FindingRules& rules = {}, const RunnerProfile& profile = {});
  ~FindingTracker();
  FindingTracker(FindingTracker&&) noexcept;
  FindingTracker& operator=(FindingTracker&&) noexcept;

  /// One step, as the engine emits it (walking steps are left out; a step
  /// older than the newest of its side is put in its place). Returns the
  /// findings it started or ended, in the rules' order.
  std::vector<FindingChange> add(const StepEvent& step);

  /// Ends every finding still going (the session ended).
  std::vector<FindingChange> finish();

  /// Findings going now.
  std::size_t active() const;

  /// Steps held now, counted once in their side's list and once in both
  /// sides' list: what the tracker's memory grows with.
  std::size_t held_steps() const;
  /// Entries of those lists, held steps and released ones not yet dropped
  /// (a few hundred at most): what the lists' own memory grows with.
  std::size_t list_entries() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace stridefuse::fusion
