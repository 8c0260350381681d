#pragma once
// findings.json and relations.csv of `stridefuse analyze`
// (sdk/runtime/src/offline/FILES.md, fusion/FINDINGS.md).

#include <ostream>
#include <vector>

#include "stridefuse/runtime/offline_analysis.hpp"

namespace stridefuse::offline {

/// What needs the whole session's steps: the findings and the relation
/// (fusion/FINDINGS.md), with the runner's leg length of the inputs. One
/// place for analyze_streaming and write_analysis, so both write the same.
void add_findings(AnalysisSummary& summary, const AnalysisInputs& inputs);

/// A JSON list of the findings, one object a line (finding_to_json); "[]" for none.
void write_findings_json(const std::vector<FormFinding>& findings, std::ostream& out);

/// One row per relation: the windows of each side, then the whole session's.
void write_relations_csv(const AnalysisSummary& summary, std::ostream& out);

}  // namespace stridefuse::offline
