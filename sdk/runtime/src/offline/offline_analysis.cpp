#include "stridefuse/runtime/offline_analysis.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "huge_pages.hpp"
#include "stridefuse/runtime/recording_files.hpp"

namespace stridefuse {
namespace {

// The live stream's attitude rate: events.jsonl carries what a subscriber would have seen.
constexpr double live_attitude_rate_hz = 50.0;

void check(const AnalysisInputs& in) {
  if (in.pelvis_csv.empty()) throw std::invalid_argument("--pelvis is required");
  if (in.left_csv.has_value() != in.left_layout.has_value())
    throw std::invalid_argument("--left and --left-layout go together");
  if (in.right_csv.has_value() != in.right_layout.has_value())
    throw std::invalid_argument("--right and --right-layout go together");
  if (in.speed_csv && in.speed_mps) throw std::invalid_argument("give --speed or --speed-csv, not both");
  if (in.speed_mps && !(*in.speed_mps > 0.0 && std::isfinite(*in.speed_mps)))
    throw std::invalid_argument("--speed must be a positive number of m/s");
  if (in.body_mass_kg && !(*in.body_mass_kg > 0.0 && std::isfinite(*in.body_mass_kg)))
    throw std::invalid_argument("--body-mass must be a positive number of kg");
}

// A recording on the pelvis clock: times mapped, values as read.
struct Feed {
  const SensorRecording* recording;
  ClockAlignment alignment;
  std::size_t next = 0;
  std::size_t released = 0;  // samples up to here (whole huge pages of them) went back to the kernel
  double time_s() const {
    return next < recording->t_s.size() ? alignment.to_pelvis_s(recording->t_s[next])
                                        : std::numeric_limits<double>::infinity();
  }
  // The merge reads each file once, in order: what it has passed goes back
  // to the kernel, which hands the same pages to the outputs growing
  // meanwhile (new pages cost far more than reused ones; see huge_pages.hpp).
  void release_passed() {
    constexpr std::size_t every_samples = std::size_t{1} << 16;
    if (next - released < every_samples) return;
    const std::size_t channels = recording->stream.channels.size();
    offline::release_consumed(recording->values.data(), recording->values.data() + next * channels);
    offline::release_consumed(recording->t_s.data(), recording->t_s.data() + next);
    released = next;
  }
};

}  // namespace

AnalysisResult analyze_recording(const AnalysisInputs& in, fusion::EngineConfig config) {
  check(in);
  std::vector<SensorRecording> recordings;
  recordings.push_back(read_pelvis_csv(in.pelvis_csv));
  if (in.left_csv) {
    auto layout = read_insole_layout(*in.left_layout);
    if (layout.side != Side::left) throw RecordingFileError(in.left_layout->string() + ": layout is for the right foot");
    recordings.push_back(read_insole_csv(*in.left_csv, layout));
  }
  if (in.right_csv) {
    auto layout = read_insole_layout(*in.right_layout);
    if (layout.side != Side::right) throw RecordingFileError(in.right_layout->string() + ": layout is for the left foot");
    recordings.push_back(read_insole_csv(*in.right_csv, layout));
  }
  if (in.speed_csv) recordings.push_back(read_speed_csv(*in.speed_csv));

  AnalysisResult result;
  std::vector<const SensorRecording*> insoles;
  for (const auto& r : recordings)
    if (r.stream.kind == StreamKind::insole_pressure) insoles.push_back(&r);
  result.alignments = align_insoles_to_pelvis(recordings.front(), insoles);

  std::vector<Feed> feeds;
  std::vector<StreamDescriptor> streams;
  for (const auto& r : recordings) {
    ClockAlignment a{r.stream.id, 0.0, 0.0, 0.0, 0, false, "the reference clock"};
    for (const auto& found : result.alignments)
      if (found.stream_id == r.stream.id) a = found;
    // A speed file has no force to match; it is taken to share the pelvis clock.
    if (r.stream.kind == StreamKind::speed) a.note = "assumed on the pelvis clock";
    feeds.push_back({&r, a});
    streams.push_back(r.stream);
  }

  if (in.speed_mps) config.treadmill_speed_mps = in.speed_mps;
  if (in.body_mass_kg) config.body_mass_kg = in.body_mass_kg;
  config.attitude_event_rate_hz = 0.0;  // attitude.csv has a row per pelvis sample
  // One attitude row per pelvis sample and ~live rate events a second are known
  // up front: reserving spares reallocating and copying hundreds of MB for an hour.
  const auto& pelvis_t = recordings.front().t_s;
  result.attitude.reserve(pelvis_t.size());
  const double pelvis_duration_s = pelvis_t.back() - pelvis_t.front();
  // Only hints: capped by the sample count, so that a file whose times jump
  // far ahead cannot ask for more memory than its samples could fill.
  const auto hint = [&](double per_s, std::size_t spare) {
    return std::min(static_cast<std::size_t>(std::min(pelvis_duration_s * per_s, 1e12)), pelvis_t.size()) + spare;
  };
  result.events.reserve(hint(live_attitude_rate_hz * 1.1, 1024));
  // Steps: at most ~4 a second (240 steps/min) while running; only what is used is ever touched.
  result.steps.reserve(hint(4.0, 64));
  offline::advise_huge_pages(result.attitude);
  offline::advise_huge_pages(result.events);
  double last_live_attitude_s = -std::numeric_limits<double>::infinity();
  fusion::Engine engine(streams, config, [&](const Event& e) {
    if (const auto* a = std::get_if<AttitudeEvent>(&e)) {
      result.attitude.push_back(*a);
      if (a->t_s - last_live_attitude_s < 1.0 / live_attitude_rate_hz - 1e-9) return;
      last_live_attitude_s = a->t_s;
    } else if (const auto* s = std::get_if<StepEvent>(&e)) {
      result.steps.push_back(*s);
    }
    result.events.push_back(e);
  });

  // Merge the files in time order on the pelvis clock.
  Sample sample;
  while (true) {
    std::size_t best = feeds.size();
    double best_t = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < feeds.size(); ++i)
      if (feeds[i].time_s() < best_t) best_t = feeds[i].time_s(), best = i;
    if (best == feeds.size()) break;
    auto& f = feeds[best];
    const std::size_t channels = f.recording->stream.channels.size();
    sample.stream = static_cast<std::uint16_t>(best);
    sample.t_s = best_t;
    sample.device_tick = static_cast<std::uint64_t>(std::llround(f.recording->t_s[f.next] * 1e6));
    sample.t_error_s = f.alignment.residual_s;
    sample.channel_count = static_cast<std::uint8_t>(channels);
    for (std::size_t c = 0; c < channels; ++c) sample.values[c] = f.recording->values[f.next * channels + c];
    ++f.next;
    f.release_passed();
    engine.push(sample);
  }
  engine.finish();
  result.engine_late_samples = engine.late_samples();
  return result;
}

}  // namespace stridefuse
