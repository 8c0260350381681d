#include <cmath>
#include <cstdio>

#include "rules.hpp"
#include "window_stats.hpp"

namespace stridefuse::fusion::findings {

ValueOf metric_value(Metric StepEvent::*member) {
  return [member](const StepEvent& s) -> std::optional<double> {
    const Metric& m = s.*member;
    if (!m.present()) return std::nullopt;
    return m.value;
  };
}

std::vector<StepSpan> firing_spans(std::size_t n, std::size_t window, std::size_t sustain,
                                   const std::function<bool(std::size_t)>& fires) {
  std::vector<StepSpan> spans;
  if (window == 0 || n < window) return spans;
  // Runs of consecutive firing windows; a run shorter than `sustain` is chance
  // (many overlapping windows each have a 5 % chance of a bound past the threshold).
  std::size_t run_start = 0, run_length = 0;
  const auto close_run = [&] {
    if (run_length == 0 || run_length < sustain) return;
    const StepSpan w{run_start, run_start + run_length - 1 + window - 1};
    if (!spans.empty() && w.first <= spans.back().last + 1)
      spans.back().last = w.last;
    else
      spans.push_back(w);
  };
  for (std::size_t first = 0; first + window <= n; ++first) {
    if (fires(first)) {
      if (run_length++ == 0) run_start = first;
    } else {
      close_run();
      run_length = 0;
    }
  }
  close_run();
  return spans;
}

std::vector<double> values_in(const StepList& steps, std::size_t first, std::size_t count, const ValueOf& value) {
  std::vector<double> out;
  out.reserve(count);
  for (std::size_t i = first; i < first + count && i < steps.size(); ++i)
    if (const auto v = value(*steps[i])) out.push_back(*v);
  return out;
}

FormFinding finding_over(FindingCode code, FindingSide side, const StepList& steps, StepSpan span,
                         const ValueOf& value, std::string metric, std::string unit, double threshold, bool above) {
  FormFinding f;
  f.code = code;
  f.side = side;
  f.metric = std::move(metric);
  f.unit = std::move(unit);
  f.t_start_s = steps[span.first]->t_ic_s;
  f.t_end_s = steps[span.last]->t_ic_s;
  const auto values = values_in(steps, span.first, span.last - span.first + 1, value);
  const Summary s = summarize(values);
  f.steps = s.n;
  f.value = s.mean;
  f.threshold = threshold;
  f.strength = (above ? f.value - threshold : threshold - f.value) / std::abs(threshold);
  return f;
}

FindingSide side_of(Side side) { return side == Side::left ? FindingSide::left : FindingSide::right; }

std::string side_word(FindingSide side, bool capital) {
  switch (side) {
    case FindingSide::left: return capital ? "Left" : "left";
    case FindingSide::right: return capital ? "Right" : "right";
    case FindingSide::both: return capital ? "Both sides" : "both sides";
  }
  return "?";
}

std::string clock_text(double t_s) {
  const long total = std::lround(std::max(0.0, t_s));
  char b[32];
  std::snprintf(b, sizeof b, "%ld:%02ld", total / 60, total % 60);
  return b;
}

std::string number(double v, int decimals) {
  char b[48];
  std::snprintf(b, sizeof b, "%.*f", decimals, v);
  return b;
}

}  // namespace stridefuse::fusion::findings
