// sf_analyze: the offline analysis of a recording directory, named as
// `stridefuse simulate` writes it (pelvis.csv, left.csv + left_layout.json, ...).

#include <cmath>
#include <filesystem>
#include <optional>
#include <string>

#include "call_guard.hpp"
#include "event_view.hpp"
#include "stridefuse/runtime/offline_analysis.hpp"
#include "stridefuse/stridefuse.h"

namespace {

namespace fs = std::filesystem;
using stridefuse::c_api::CallError;

std::optional<fs::path> if_present(const fs::path& path) {
  if (fs::exists(path)) return path;
  return std::nullopt;
}

stridefuse::AnalysisInputs inputs_in(const fs::path& dir) {
  if (!fs::is_directory(dir))
    throw CallError{SF_ERROR_NOT_FOUND, "sf_analyze: input directory " + dir.string() + " does not exist"};
  stridefuse::AnalysisInputs in;
  // Any set of sensor files; present files are passed on as found: the
  // analysis itself rejects an insole without its layout.
  if (fs::exists(dir / "pelvis.csv")) in.pelvis_csv = dir / "pelvis.csv";
  in.left_csv = if_present(dir / "left.csv");
  in.left_layout = if_present(dir / "left_layout.json");
  in.right_csv = if_present(dir / "right.csv");
  in.right_layout = if_present(dir / "right_layout.json");
  in.speed_csv = if_present(dir / "speed.csv");
  if (in.pelvis_csv.empty() && !in.left_csv && !in.right_csv)
    throw CallError{SF_ERROR_NOT_FOUND, "sf_analyze: " + dir.string() + " has no pelvis.csv, left.csv or right.csv"};
  return in;
}

void check_optional_positive(double value, const char* name) {
  if (!(std::isfinite(value) && value >= 0.0))
    throw std::invalid_argument(std::string("sf_analyze: ") + name + " must be 0 (not given) or positive, not " +
                                std::to_string(value));
}

}  // namespace

extern "C" {

int sf_analyze_with(const char* input_dir, const char* output_dir, double speed_mps, double body_mass_kg,
                    size_t* steps) {
  return stridefuse::c_api::guarded([&] {
    stridefuse::c_api::require(input_dir, "input_dir");
    stridefuse::c_api::require(output_dir, "output_dir");
    check_optional_positive(speed_mps, "speed_mps");
    check_optional_positive(body_mass_kg, "body_mass_kg");
    auto in = inputs_in(input_dir);
    if (speed_mps > 0.0) in.speed_mps = speed_mps;
    if (body_mass_kg > 0.0) in.body_mass_kg = body_mass_kg;
    const auto summary = stridefuse::analyze_to_directory(in, output_dir);
    if (steps) *steps = summary.steps.size();
    return SF_OK;
  });
}

int sf_analyze_findings(const char* input_dir, const char* output_dir, double speed_mps, double body_mass_kg,
                        double leg_length_m, sf_finding_event* findings, size_t finding_capacity,
                        size_t* finding_count, sf_relation* relations, size_t relation_capacity,
                        size_t* relation_count) {
  return stridefuse::c_api::guarded([&] {
    stridefuse::c_api::require(input_dir, "input_dir");
    stridefuse::c_api::require(output_dir, "output_dir");
    if (finding_capacity > 0) stridefuse::c_api::require(findings, "findings");
    if (relation_capacity > 0) stridefuse::c_api::require(relations, "relations");
    check_optional_positive(speed_mps, "speed_mps");
    check_optional_positive(body_mass_kg, "body_mass_kg");
    check_optional_positive(leg_length_m, "leg_length_m");
    auto in = inputs_in(input_dir);
    if (speed_mps > 0.0) in.speed_mps = speed_mps;
    if (body_mass_kg > 0.0) in.body_mass_kg = body_mass_kg;
    if (leg_length_m > 0.0) in.leg_length_m = leg_length_m;
    const auto summary = stridefuse::analyze_to_directory(in, output_dir);
    for (std::size_t i = 0; i < summary.findings.size() && i < finding_capacity; ++i)
      stridefuse::c_api::to_c_finding(summary.findings[i], stridefuse::FindingState::ended, findings[i]);
    if (finding_count) *finding_count = summary.findings.size();
    std::size_t n = 0;
    for (const auto* list : {&summary.relations, &summary.session_relations})
      for (const auto& r : *list) {
        if (n < relation_capacity)
          relations[n] = sf_relation{stridefuse::c_api::to_c(r.side),
                                     r.predictor == stridefuse::fusion::PelvisPredictor::tilt_ic_deg
                                         ? SF_PREDICTOR_TILT_IC_DEG
                                         : SF_PREDICTOR_PELVIC_DROP_DEG,
                                     list == &summary.session_relations ? 1 : 0,
                                     r.t_start_s,
                                     r.t_end_s,
                                     r.fit.n,
                                     r.fit.slope,
                                     r.fit.slope_ci_low,
                                     r.fit.slope_ci_high,
                                     r.fit.r,
                                     r.fit.intercept};
        ++n;
      }
    if (relation_count) *relation_count = n;
    return SF_OK;
  });
}

int sf_analyze(const char* input_dir, const char* output_dir) {
  return sf_analyze_with(input_dir, output_dir, 0.0, 0.0, nullptr);
}

}  // extern "C"
