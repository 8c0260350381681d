// `stridefuse drill`: drill mode (fusion/DRILLS.md), live from the simulator
// or devices (publishing rep, pelvis_moved and drill_set events), or over
// recorded files (reps.csv, events.jsonl, drill_set.json, report.html).

#include <atomic>
#include <iostream>
#include <memory>

#include "command.hpp"
#include "drill_lines.hpp"
#include "recording_file_options.hpp"
#include "session_options.hpp"
#include "simulated_drill.hpp"
#include "stridefuse/fusion/drill_tracker.hpp"
#include "stridefuse/runtime/drill_analysis.hpp"

namespace stridefuse::cli {
namespace {

DrillConfig drill_config(const po::variables_map& vm, const std::string& exercise, const std::string& side,
                         double tolerance_deg) {
  try {
    return fusion::drill_config_from(exercise, vm.count("side") ? std::optional<std::string_view>(side) : std::nullopt,
                                     vm.count("tolerance") ? std::optional<double>(tolerance_deg) : std::nullopt,
                                     vm.count("calibration-hinge") > 0);
  } catch (const fusion::DrillSetupError& e) {
    throw UsageError(e.what());
  }
}

int run_offline(const po::variables_map& vm, const RecordingFileOptions& files, const DrillConfig& drill,
                const std::string& out) {
  if (out.empty()) throw UsageError("a drill over files needs --out DIR");
  AnalysisInputs in;
  fill_recording_inputs(vm, files, in);
  DrillAnalysis result;
  try {
    result = analyze_drill_to_directory(in, drill, out);
  } catch (const std::invalid_argument& e) {  // the inputs, or a sensor the exercise needs (DrillSetupError)
    throw UsageError(e.what());
  }
  log_alignments("drill", result.alignments, !files.pelvis.empty());
  for (const auto& r : result.reps) std::cout << format_rep_line(r) << "\n";
  if (result.set)
    for (const auto& line : format_drill_set_lines(*result.set)) std::cout << line << "\n";
  std::cout << "wrote " << out << "/{reps.csv,events.jsonl,drill_set.json,report.html}\n";
  return exit_ok;
}

int run_live(const po::variables_map& vm, SessionOptions& o, const DrillConfig& drill, SimulatedDrillOptions sim,
             const std::string& record_path) {
  check_session_options(vm, o);
  if (o.simulate) {
    sim.seed = o.seed;
    sim.sensors = o.sensor_set;
    if (vm.count("reps")) sim.reps = vm["reps"].as<std::uint32_t>();
    if (vm.count("tempo")) sim.tempo_s = vm["tempo"].as<double>();
    try {
      o.simulated_uri = simulated_drill_uri(drill, sim);
      check_device_uri(o.simulated_uri);  // a bad --faults or --reps, named, before anything opens
    } catch (const std::invalid_argument& e) {
      throw UsageError(e.what());
    }
    o.simulated_what = std::string("a simulated ") + to_string(drill.exercise) + " set";
    // The simulated set ends: without a duration the session runs it to its end.
    if (vm["duration"].defaulted()) o.duration_s = simulated_drill_length_s(drill, sim);
  }
  auto publishers = make_live_publishers(o);
  // The recording keeps the engine's drill configuration (SessionSetup), so
  // `stridefuse replay` runs the drill again and compares its events.
  const auto recorder = record_path.empty() ? nullptr : std::make_shared<SessionRecorder>(record_path);
  auto opened = open_session_devices(o, "drill", recorder);
  opened.config.engine.drill = drill;
  opened.config.engine.findings = false;
  std::vector<StreamDescriptor> streams;
  for (const auto& d : opened.devices)
    for (const auto& s : d.driver->streams()) streams.push_back(s);
  try {
    fusion::check_drill_streams(drill, streams);
  } catch (const fusion::DrillSetupError& e) {
    throw UsageError(e.what());
  }
  // Counted on the fusion thread, read after the session stopped.
  auto reps = std::make_shared<std::atomic<std::uint32_t>>(0);
  publishers.fanout->add(std::make_shared<CallbackPublisher>([reps](const Event& e) {
    if (std::holds_alternative<RepEvent>(e)) ++*reps;
  }));
  if (recorder) publishers.fanout->add(recorder->event_recorder());
  Session session(opened.config, publishers.fanout);
  if (recorder) session.record_to(recorder);
  for (auto& d : opened.devices) session.add_device(std::move(d.transport), std::move(d.driver));
  std::cerr << "stridefuse drill: " << to_string(drill.exercise) << " (" << to_string(drill.side) << ") on "
            << opened.what << ", publishing on " << o.endpoint << " as '" << o.athlete << "'"
            << (recorder ? ", recording to " + record_path : std::string()) << "\n";
  run_live_session(session, *publishers.zmq, o, "drill", [&] { return std::to_string(reps->load()) + " reps"; });
  if (recorder) finish_recording(*recorder, "drill", record_path);
  return exit_ok;
}

}  // namespace

int run_drill(const std::vector<std::string>& args) {
  po::options_description options("drill options");
  std::string exercise, side, out, record_path;
  double tolerance_deg = 0.0;
  SessionOptions live;
  SimulatedDrillOptions sim;
  RecordingFileOptions files;
  options.add_options()
      ("exercise", po::value(&exercise)->required(),
       "the exercise: bridge, single-leg-rdl, donkey-kick, banded-hip-extension, running-man or pigeon")
      ("side", po::value(&side), "the working side: left, right, or both (each side in turn); one-sided exercises need it")
      ("tolerance", po::value(&tolerance_deg), "how far the still axes may move, DEG (default: the exercise's, fusion/DRILLS.md)")
      ("calibration-hinge",
       "bridge, single-leg-rdl: the set opens with one hinge on both feet that calibrates the pelvis clip; not a rep "
       "(with --simulate the simulated athlete does one)");
  add_live_options(options, live);
  add_simulated_drill_options(options, sim);
  add_recording_file_options(options, files);
  options.add_options()("out", po::value(&out), "over files: the output directory")(
      "record", po::value(&record_path), "live: also record the session to FILE ('stridefuse replay' plays it back)");
  const auto vm = parse_command_line(
      "drill",
      "--exercise NAME [--side left|right|both] [--tolerance DEG] [--calibration-hinge] "
      "((--simulate [--reps N] [--tempo S] [--faults SPEC] | --device URI...) [--duration S] [--endpoint URL] "
      "[--record FILE] | "
      "--pelvis P.csv [--left L.csv --left-layout L.json] [--right R.csv --right-layout R.json] --out DIR)",
      options, args);
  if (!vm) return exit_ok;
  const DrillConfig drill = drill_config(*vm, exercise, side, tolerance_deg);
  const bool files_given = recording_files_given(*vm);
  const bool live_given = live.simulate || !live.devices.empty();
  if (files_given && live_given) throw UsageError("give sensor files or a live source (--simulate, --device), not both");
  if (!files_given && !live_given)
    throw UsageError("no sensors: give --simulate, --device URI, or sensor files (--pelvis, --left, --right) with --out");
  if (!live.simulate) check_simulated_drill_options_unused(*vm);
  if (files_given) {
    if (vm->count("record")) throw UsageError("--record goes with a live drill (--simulate, --device), not sensor files");
    return run_offline(*vm, files, drill, out);
  }
  if (vm->count("out")) throw UsageError("--out goes with sensor files; a live drill publishes its events");
  if (vm->count("record") && record_path.empty()) throw UsageError("--record needs a FILE");
  return run_live(*vm, live, drill, sim, record_path);
}

}  // namespace stridefuse::cli
