#pragma once
// The output directory of `stridefuse analyze` (sdk/runtime/src/offline/FILES.md), written as
// the analysis goes: attitude.csv and events.jsonl row by row through
// buffers of 64 KB, steps.csv and report.html from the summary at the end.

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "stridefuse/runtime/offline_analysis.hpp"

namespace stridefuse::offline {

class CsvBlockWriter;

class AnalysisDirectoryWriter : public AnalysisSink {
 public:
  /// Nothing is created before start().
  explicit AnalysisDirectoryWriter(std::filesystem::path dir);
  ~AnalysisDirectoryWriter() override;

  /// Creates the directory and opens attitude.csv and events.jsonl. Throws
  /// std::runtime_error naming the directory or file it cannot create.
  void start(const std::vector<ClockAlignment>& alignments) override;
  void attitude(const AttitudeEvent& row) override;
  void event(const Event& event) override;
  /// Writes out the rest, steps.csv and report.html. Throws
  /// std::runtime_error naming a file that could not be written.
  void finish(const AnalysisSummary& summary, const AnalysisInputs& inputs);

 private:
  std::filesystem::path dir_;
  std::ofstream attitude_file_, events_file_;
  std::unique_ptr<CsvBlockWriter> attitude_rows_;
  std::string events_block_;
};

}  // namespace stridefuse::offline
