#include "recording_file_options.hpp"

#include <iostream>

namespace stridefuse::cli {

void add_recording_file_options(po::options_description& description, RecordingFileOptions& o) {
  description.add_options()
      ("pelvis", po::value(&o.pelvis), "pelvis IMU CSV: t,ax,ay,az,gx,gy,gz[,mx,my,mz]")
      ("left", po::value(&o.left), "left insole: CSV t,p0..pN[,ax..gz], or a Moticon OpenGo text export")
      ("left-layout", po::value(&o.left_layout), "left insole layout JSON (needed for a CSV)")
      ("right", po::value(&o.right), "right insole: CSV or OpenGo export")
      ("right-layout", po::value(&o.right_layout), "right insole layout JSON (needed for a CSV)")
      ("insoles", po::value(&o.insoles), "one Moticon OpenGo text export with both feet (instead of --left/--right)")
      ("same-clock", po::bool_switch(), "the insole files were recorded on the pelvis file's clock: do not re-align them")
      ("left-offset", po::value(&o.left_offset_s), "seconds added to the left insole file's times to put them on the pelvis file's clock")
      ("right-offset", po::value(&o.right_offset_s), "seconds added to the right insole file's times to put them on the pelvis file's clock");
}

bool recording_files_given(const po::variables_map& vm) {
  for (const char* file : {"pelvis", "left", "right", "insoles"})
    if (vm.count(file)) return true;
  return false;
}

void fill_recording_inputs(const po::variables_map& vm, const RecordingFileOptions& o, AnalysisInputs& in) {
  in.pelvis_csv = o.pelvis;
  if (vm.count("insoles")) in.insoles_export = o.insoles;
  if (vm.count("left")) in.left_csv = o.left;
  if (vm.count("left-layout")) in.left_layout = o.left_layout;
  if (vm.count("right")) in.right_csv = o.right;
  if (vm.count("right-layout")) in.right_layout = o.right_layout;
  in.same_clock = vm["same-clock"].as<bool>();
  if (vm.count("left-offset")) in.left_offset_s = o.left_offset_s;
  if (vm.count("right-offset")) in.right_offset_s = o.right_offset_s;
}

void log_alignments(const char* command, const std::vector<ClockAlignment>& alignments, bool pelvis_given) {
  for (const auto& a : alignments)
    std::cerr << "stridefuse " << command << ": " << a.stream_id << " on the " << (pelvis_given ? "pelvis" : "first insole")
              << " file's clock: offset " << a.offset_s << " s, drift " << a.drift_ppm << " ppm, residual "
              << a.residual_s * 1e3 << " ms (" << a.note << ")\n";
}

}  // namespace stridefuse::cli
