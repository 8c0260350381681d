// The offline analysis streams its files (each read twice through a temporary
// copy, merged by SampleMerger, outputs written as they come). It must write
// exactly the bytes of the analysis done the simple way, which is what it
// replaced: every file in memory, the insoles aligned, the samples merged by
// time, fed to the engine, the results written at the end. Checked on short
// simulated sessions (4 streams: pelvis, insoles with IMUs, a speed stream;
// the pelvis alone; a pelvis file with a long gap).

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "stridefuse/fusion/metric_support.hpp"
#include "stridefuse/runtime/offline_analysis.hpp"
#include "stridefuse/runtime/recording_files.hpp"
#include "stridefuse/sim/recording_writer.hpp"

namespace stridefuse {
namespace {

namespace fs = std::filesystem;

// The reference: the analysis as it was before it streamed.
AnalysisResult in_memory_analysis(const AnalysisInputs& in) {
  std::vector<SensorRecording> recordings;
  recordings.push_back(read_pelvis_csv(in.pelvis_csv));
  if (in.left_csv) recordings.push_back(read_insole_csv(*in.left_csv, read_insole_layout(*in.left_layout)));
  if (in.right_csv) recordings.push_back(read_insole_csv(*in.right_csv, read_insole_layout(*in.right_layout)));
  if (in.speed_csv) recordings.push_back(read_speed_csv(*in.speed_csv));
  std::vector<const SensorRecording*> insoles;
  for (const auto& r : recordings)
    if (r.stream.kind == StreamKind::insole_pressure) insoles.push_back(&r);
  AnalysisResult result;
  result.alignments = align_insoles_to_pelvis(recordings.front(), insoles);
  std::vector<ClockAlignment> clocks;
  std::vector<StreamDescriptor> streams;
  for (const auto& r : recordings) {
    clocks.push_back(ClockAlignment{r.stream.id, 0.0, 0.0, 0.0, 0, false, ""});
    for (const auto& a : result.alignments)
      if (a.stream_id == r.stream.id) clocks.back() = a;
    streams.push_back(r.stream);
  }
  fusion::EngineConfig config;
  config.treadmill_speed_mps = in.speed_mps;
  config.body_mass_kg = in.body_mass_kg;
  config.attitude_event_rate_hz = 0.0;
  result.metrics = fusion::metric_support(streams, config);
  double last_live_s = -std::numeric_limits<double>::infinity();
  fusion::Engine engine(streams, config, [&](const Event& e) {
    if (const auto* a = std::get_if<AttitudeEvent>(&e)) {
      result.attitude.push_back(*a);
      if (a->t_s - last_live_s < 1.0 / 50.0 - 1e-9) return;  // the live stream's 50 Hz
      last_live_s = a->t_s;
    } else if (const auto* s = std::get_if<StepEvent>(&e)) {
      result.steps.push_back(*s);
    }
    result.events.push_back(e);
  });
  // Merge by time on the pelvis clock; equal times in stream order.
  std::vector<std::size_t> next(recordings.size(), 0);
  const auto time_of = [&](std::size_t k) {
    return next[k] < recordings[k].t_s.size() ? clocks[k].to_pelvis_s(recordings[k].t_s[next[k]])
                                              : std::numeric_limits<double>::infinity();
  };
  while (true) {
    std::size_t best = recordings.size();
    double best_t = std::numeric_limits<double>::infinity();
    for (std::size_t k = 0; k < recordings.size(); ++k)
      if (time_of(k) < best_t) best_t = time_of(k), best = k;
    if (best == recordings.size()) break;
    const auto& r = recordings[best];
    const std::size_t channels = r.stream.channels.size();
    Sample s;
    s.stream = static_cast<std::uint16_t>(best);
    s.t_s = best_t;
    s.device_tick = static_cast<std::uint64_t>(std::llround(r.t_s[next[best]] * 1e6));
    s.t_error_s = clocks[best].residual_s;
    s.channel_count = static_cast<std::uint8_t>(channels);
    for (std::size_t c = 0; c < channels; ++c) s.values[c] = r.values[next[best] * channels + c];
    ++next[best];
    engine.push(s);
  }
  engine.finish();
  result.engine_late_samples = engine.late_samples();
  return result;
}

std::string contents(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class OfflineStreaming : public ::testing::Test {
 protected:
  static fs::path dir() { return fs::temp_directory_path() / ("stridefuse_streaming_" + std::to_string(::getpid())); }
  static fs::path session() { return dir() / "session"; }

  static void SetUpTestSuite() {
    fs::remove_all(dir());
    sim::RunnerConfig c;
    c.seed = 3;
    c.insoles.with_imu = true;
    c.speed_source = sim::SpeedSource::stream;
    sim::write_simulated_recording(c, 45.0, session());
  }
  static void TearDownTestSuite() { fs::remove_all(dir()); }

  static AnalysisInputs all_files() {
    AnalysisInputs in;
    in.pelvis_csv = session() / "pelvis.csv";
    in.left_csv = session() / "left.csv";
    in.left_layout = session() / "left_layout.json";
    in.right_csv = session() / "right.csv";
    in.right_layout = session() / "right_layout.json";
    in.speed_csv = session() / "speed.csv";
    in.body_mass_kg = 68.0;
    return in;
  }

  // Both ways into two directories; every file must match byte for byte.
  static void expect_same_bytes(const AnalysisInputs& in, const std::string& name) {
    const auto reference_dir = dir() / (name + "_reference"), streamed_dir = dir() / (name + "_streamed");
    const auto reference = in_memory_analysis(in);
    write_analysis(reference, in, reference_dir);
    const auto summary = analyze_to_directory(in, streamed_dir);
    EXPECT_EQ(summary.attitude_rows, reference.attitude.size());
    EXPECT_EQ(summary.steps.size(), reference.steps.size());
    EXPECT_EQ(summary.events, reference.events.size());
    EXPECT_EQ(summary.engine_late_samples, 0u);
    for (const char* file : {"attitude.csv", "steps.csv", "events.jsonl", "metrics.csv", "report.html"}) {
      const auto a = contents(reference_dir / file), b = contents(streamed_dir / file);
      ASSERT_FALSE(a.empty()) << file;
      if (a == b) continue;
      std::size_t at = 0;
      while (at < a.size() && at < b.size() && a[at] == b[at]) ++at;
      ADD_FAILURE() << name << ": " << file << " differs from byte " << at << " (" << a.size() << " vs " << b.size()
                    << " bytes)";
    }
  }
};

TEST_F(OfflineStreaming, FourStreamsWriteTheBytesOfTheInMemoryAnalysis) {
  const auto in = all_files();
  expect_same_bytes(in, "four");
  // The in-memory convenience is the streamed analysis collected: the same rows.
  const auto collected = analyze_recording(in);
  const auto reference = in_memory_analysis(in);
  ASSERT_EQ(collected.attitude.size(), reference.attitude.size());
  for (std::size_t i = 0; i < collected.attitude.size(); i += 997)
    EXPECT_EQ(collected.attitude[i].orientation.w, reference.attitude[i].orientation.w) << i;
  ASSERT_EQ(collected.alignments.size(), 2u);
  EXPECT_TRUE(collected.alignments[0].from_data);
}

TEST_F(OfflineStreaming, PelvisAloneAndAPelvisFileWithALongGap) {
  AnalysisInputs in;
  in.pelvis_csv = session() / "pelvis.csv";
  expect_same_bytes(in, "pelvis");

  // The second half 300 s later: the merge must jump the gap, not walk it.
  std::ifstream original(in.pelvis_csv);
  std::ofstream gapped(dir() / "gapped.csv");
  std::string line;
  std::getline(original, line);
  gapped << line << '\n';
  std::vector<std::string> rows;
  while (std::getline(original, line)) rows.push_back(line);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i < rows.size() / 2) {
      gapped << rows[i] << '\n';
      continue;
    }
    const auto comma = rows[i].find(',');
    char t[64];
    std::snprintf(t, sizeof t, "%.6f", std::stod(rows[i].substr(0, comma)) + 300.0);
    gapped << t << rows[i].substr(comma) << '\n';
  }
  gapped.close();
  in.pelvis_csv = dir() / "gapped.csv";
  expect_same_bytes(in, "gapped");
}

// Every input is read and checked before anything is written: a malformed
// row at the end of the last file leaves no output directory behind.
TEST_F(OfflineStreaming, InputProblemsComeBeforeAnyOutput) {
  auto in = all_files();
  const auto broken = dir() / "broken_right.csv";
  fs::copy_file(session() / "right.csv", broken, fs::copy_options::overwrite_existing);
  std::ofstream(broken, std::ios::app) << "99999.0,1,2\n";
  in.right_csv = broken;
  const auto out = dir() / "never_written";
  try {
    (void)analyze_to_directory(in, out);
    ADD_FAILURE() << "no error";
  } catch (const RecordingFileError& e) {
    EXPECT_NE(std::string(e.what()).find("broken_right.csv: line "), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("(truncated or malformed row)"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(out));
}

// The temporary copies go to TMPDIR: without a usable one, the analysis
// says so, naming the directory, before writing any output.
TEST_F(OfflineStreaming, WithoutTemporarySpaceItSaysWhere) {
  const auto in = all_files();
  const auto out = dir() / "no_temp";  // the test's own paths, before TMPDIR goes astray
  const char* saved = std::getenv("TMPDIR");
  const std::string saved_value = saved ? saved : "";
  ::setenv("TMPDIR", "/proc/stridefuse_no_such_dir", 1);
  std::string message;
  try {
    (void)analyze_to_directory(in, out);
  } catch (const std::runtime_error& e) {
    message = e.what();
  }
  if (saved) ::setenv("TMPDIR", saved_value.c_str(), 1);
  else ::unsetenv("TMPDIR");
  EXPECT_NE(message.find("/proc/stridefuse_no_such_dir: cannot hold the offline analysis's temporary file"),
            std::string::npos)
      << message;
  EXPECT_FALSE(fs::exists(out));
}

}  // namespace
}  // namespace stridefuse
