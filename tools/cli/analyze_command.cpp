#include <iostream>

#include "command.hpp"
#include "stridefuse/runtime/offline_analysis.hpp"

namespace stridefuse::cli {

int run_analyze(const std::vector<std::string>& args) {
  po::options_description options("analyze options");
  std::string pelvis, left, left_layout, right, right_layout, insoles, speed_csv, out;
  double speed = 0.0, body_mass = 0.0, left_offset = 0.0, right_offset = 0.0, leg_length = 0.0;
  options.add_options()
      ("pelvis", po::value(&pelvis), "pelvis IMU CSV: t,ax,ay,az,gx,gy,gz[,mx,my,mz]")
      ("left", po::value(&left), "left insole: CSV t,p0..pN[,ax..gz], or a Moticon OpenGo text export")
      ("left-layout", po::value(&left_layout), "left insole layout JSON (needed for a CSV)")
      ("right", po::value(&right), "right insole: CSV or OpenGo export")
      ("right-layout", po::value(&right_layout), "right insole layout JSON (needed for a CSV)")
      ("insoles", po::value(&insoles), "one Moticon OpenGo text export with both feet (instead of --left/--right)")
      ("speed", po::value(&speed), "constant running speed (treadmill setting), m/s")
      ("speed-csv", po::value(&speed_csv), "speed CSV: t,speed_mps")
      ("body-mass", po::value(&body_mass), "body mass, kg")
      ("same-clock", po::bool_switch(), "the insole files were recorded on the pelvis file's clock: do not re-align them")
      ("left-offset", po::value(&left_offset), "seconds added to the left insole file's times to put them on the pelvis file's clock")
      ("right-offset", po::value(&right_offset), "seconds added to the right insole file's times to put them on the pelvis file's clock")
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
  in.pelvis_csv = pelvis;
  if (vm->count("insoles")) in.insoles_export = insoles;
  if (vm->count("left")) in.left_csv = left;
  if (vm->count("left-layout")) in.left_layout = left_layout;
  if (vm->count("right")) in.right_csv = right;
  if (vm->count("right-layout")) in.right_layout = right_layout;
  if (vm->count("speed-csv")) in.speed_csv = speed_csv;
  if (vm->count("speed")) in.speed_mps = speed;
  if (vm->count("body-mass")) in.body_mass_kg = body_mass;
  in.same_clock = (*vm)["same-clock"].as<bool>();
  if (vm->count("left-offset")) in.left_offset_s = left_offset;
  if (vm->count("right-offset")) in.right_offset_s = right_offset;
  if (vm->count("leg-length")) in.leg_length_m = leg_length;

  AnalysisSummary result;
  try {
    result = analyze_to_directory(in, out);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  for (const auto& a : result.alignments)
    std::cerr << "stridefuse analyze: " << a.stream_id << " on the " << (pelvis.empty() ? "first insole" : "pelvis")
              << " file's clock: offset " << a.offset_s << " s, drift "
              << a.drift_ppm << " ppm, residual " << a.residual_s * 1e3 << " ms (" << a.note << ")\n";
  for (const auto& m : result.metrics)
    if (m.left != AbsentReason::none || m.right != AbsentReason::none)
      std::cerr << "stridefuse analyze: " << m.metric << ": left " << to_string(m.left) << ", right "
                << to_string(m.right) << "\n";
  std::cout << "analyzed " << result.steps.size() << " steps and " << result.attitude_rows
            << " pelvis samples; wrote " << out << "/{attitude.csv,steps.csv,events.jsonl,metrics.csv,report.html}\n";
  return exit_ok;
}

}  // namespace stridefuse::cli
