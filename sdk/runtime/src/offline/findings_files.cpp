#include "findings_files.hpp"

#include <cstdio>

#include "stridefuse/fusion/form_findings.hpp"
#include "stridefuse/runtime/event_codec.hpp"

namespace stridefuse::offline {

void add_findings(AnalysisSummary& summary, const AnalysisInputs& inputs) {
  summary.findings = fusion::find_form_findings(summary.steps, {}, fusion::RunnerProfile{inputs.leg_length_m});
  summary.relations = fusion::foot_strike_relations(summary.steps);
  summary.session_relations = fusion::foot_strike_relations(summary.steps, 30, 20, true);
}

void write_findings_json(const std::vector<FormFinding>& findings, std::ostream& out) {
  out << '[';
  for (std::size_t i = 0; i < findings.size(); ++i) out << (i ? ",\n" : "\n") << finding_to_json(findings[i]);
  out << (findings.empty() ? "]\n" : "\n]\n");
}

void write_relations_csv(const AnalysisSummary& summary, std::ostream& out) {
  out << "side,predictor,scope,t_start_s,t_end_s,steps,slope_cm_per_deg,slope_ci_low_cm_per_deg,"
         "slope_ci_high_cm_per_deg,r,intercept_cm\n";
  const auto rows = [&out](const std::vector<fusion::FootStrikeRelation>& relations, const char* scope) {
    for (const auto& r : relations) {
      char line[320];
      std::snprintf(line, sizeof line, "%s,%s,%s,%.3f,%.3f,%zu,%.4f,%.4f,%.4f,%.4f,%.3f\n",
                    r.side == Side::left ? "left" : "right", fusion::to_string(r.predictor), scope, r.t_start_s,
                    r.t_end_s, r.fit.n, r.fit.slope, r.fit.slope_ci_low, r.fit.slope_ci_high, r.fit.r,
                    r.fit.intercept);
      out << line;
    }
  };
  rows(summary.relations, "window");
  rows(summary.session_relations, "session");
}

}  // namespace stridefuse::offline
