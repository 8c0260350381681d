#include <iostream>

#include "command.hpp"
#include "recording_file_options.hpp"
#include "stridefuse/runtime/offline_analysis.hpp"

namespace stridefuse::cli {

int run_analyze(const std::vector<std::string>& args) {
  po::options_description options("analyze options");
  RecordingFileOptions files;
  std::string speed_csv, out;
  double speed = 0.0, body_mass = 0.0, leg_length = 0.0;
  add_recording_file_options(options, files);
  options.add_options()
      ("speed", po::value(&speed), "constant running speed (treadmill setting), m/s")
      ("speed-csv", po::value(&speed_csv), "speed CSV: t,speed_mps")
      ("body-mass", po::value(&body_mass), "body mass, kg")
      ("leg-length", po::value(&leg_length),
       "leg length (centre of mass height standing), m: the overstride finding then reads the landing angle")
      ("out", po::value(&out)->required(), "output directory: attitude.csv, steps.csv, events.jsonl, report.html");
  const auto vm = parse_command_line(
      "analyze",
      "[--pelvis P.csv] [--left L.csv --left-layout L.json] [--right R.csv --right-layout R.json | "
      "--insoles OPENGO.txt] [--speed V | --speed-csv S.csv] [--body-mass KG] [--same-clock | --left-offset S --right-offset S] [--leg-length M] --out DIR (any set of sensors)",
      options, args);
  if (!vm) return exit_ok;

  AnalysisInputs in;
  fill_recording_inputs(*vm, files, in);
  if (vm->count("speed-csv")) in.speed_csv = speed_csv;
  if (vm->count("speed")) in.speed_mps = speed;
  if (vm->count("body-mass")) in.body_mass_kg = body_mass;
  if (vm->count("leg-length")) in.leg_length_m = leg_length;

  AnalysisSummary result;
  try {
    result = analyze_to_directory(in, out);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  log_alignments("analyze", result.alignments, !files.pelvis.empty());
  for (const auto& m : result.metrics)
    if (m.left != AbsentReason::none || m.right != AbsentReason::none)
      std::cerr << "stridefuse analyze: " << m.metric << ": left " << to_string(m.left) << ", right "
                << to_string(m.right) << "\n";
  std::cout << "analyzed " << result.steps.size() << " steps and " << result.attitude_rows
            << " pelvis samples; wrote " << out << "/{attitude.csv,steps.csv,events.jsonl,metrics.csv,report.html}\n";
  return exit_ok;
}

}  // namespace stridefuse::cli
