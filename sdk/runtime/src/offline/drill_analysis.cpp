// Drill mode over files: analyze_streaming with the engine in drill mode,
// keeping the drill's events; the files of `stridefuse drill --out`.

#include "stridefuse/runtime/drill_analysis.hpp"

#include <fstream>

#include "drill_report.hpp"
#include "output_files.hpp"
#include "stridefuse/runtime/event_codec.hpp"
#include "stridefuse/runtime/event_csv.hpp"

namespace stridefuse {
namespace {

// Keeps the drill's events, and hands every event on to `also` when given.
class DrillCollector : public AnalysisSink {
 public:
  explicit DrillCollector(DrillAnalysis& out, std::ofstream* events = nullptr) : out_(out), events_(events) {}
  void attitude(const AttitudeEvent&) override {}
  void event(const Event& e) override {
    if (const auto* rep = std::get_if<RepEvent>(&e)) out_.reps.push_back(*rep);
    if (const auto* moved = std::get_if<PelvisMovedEvent>(&e)) out_.pelvis_moved.push_back(*moved);
    if (const auto* set = std::get_if<DrillSetEvent>(&e)) out_.set = *set;
    if (events_) *events_ << event_to_json(e) << '\n';
  }

 private:
  DrillAnalysis& out_;
  std::ofstream* events_;
};

fusion::EngineConfig engine_config(const DrillConfig& drill) {
  fusion::EngineConfig config;
  config.drill = drill;
  config.findings = false;  // running form: not in a drill
  return config;
}

}  // namespace

DrillAnalysis analyze_drill(const AnalysisInputs& inputs, const DrillConfig& drill) {
  DrillAnalysis out;
  DrillCollector collect(out);
  out.alignments = analyze_streaming(inputs, collect, engine_config(drill)).alignments;
  return out;
}

DrillAnalysis analyze_drill_to_directory(const AnalysisInputs& inputs, const DrillConfig& drill,
                                         const std::filesystem::path& dir) {
  using namespace offline;
  // The inputs are read and checked (and the drill's sensors) before anything is created.
  class DirectorySink : public DrillCollector {
   public:
    DirectorySink(DrillAnalysis& out, std::ofstream& events, const std::filesystem::path& dir)
        : DrillCollector(out, &events), events_(events), dir_(dir) {}
    void start(const std::vector<ClockAlignment>&) override {
      create_output_directory(dir_);
      events_ = open_for_writing(dir_ / "events.jsonl");
    }

   private:
    std::ofstream& events_;
    std::filesystem::path dir_;
  };
  DrillAnalysis result;
  std::ofstream events;
  DirectorySink sink(result, events, dir);
  result.alignments = analyze_streaming(inputs, sink, engine_config(drill)).alignments;
  check_written(events, dir / "events.jsonl");

  auto reps = open_for_writing(dir / "reps.csv");
  reps << event_table_header("rep") << '\n';
  for (const auto& r : result.reps) reps << event_table_row(r) << '\n';
  check_written(reps, dir / "reps.csv");

  auto set = open_for_writing(dir / "drill_set.json");
  if (result.set) set << event_to_json(*result.set) << '\n';
  check_written(set, dir / "drill_set.json");

  auto report = open_for_writing(dir / "report.html");
  write_drill_report(result, inputs, drill, report);
  check_written(report, dir / "report.html");
  return result;
}

}  // namespace stridefuse
