// The recording writer behind `stridefuse simulate`: files consistent with the
// simulation they come from, and clear failures.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "stridefuse/sim/recording_writer.hpp"
#include "stridefuse/sim/runner_simulation.hpp"

namespace stridefuse::sim {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> lines_of(const fs::path& p) {
  std::ifstream in(p);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

double first_number(const std::string& line) { return std::stod(line.substr(0, line.find(','))); }

TEST(RunnerRecording, FilesMatchTheSimulationRowForRow) {
  char name[] = "/tmp/stridefuse_runner_recording_XXXXXX";
  const fs::path dir = mkdtemp(name);
  RunnerConfig config;
  config.speed_source = SpeedSource::none;
  const auto summary = write_simulated_recording(config, 12.0, dir);

  RunnerSimulation sim(config);
  std::vector<SimulatedSample> pelvis, left;
  sim.advance_to(12.0, [&](const SimulatedSample& s) {
    if (s.stream == RunnerSimulation::pelvis_stream) pelvis.push_back(s);
    if (s.stream == RunnerSimulation::left_insole_stream) left.push_back(s);
  });
  const auto pelvis_rows = lines_of(dir / "pelvis.csv");
  const auto attitude_rows = lines_of(dir / "truth_attitude.csv");
  ASSERT_EQ(pelvis_rows.size(), pelvis.size() + 1);
  ASSERT_EQ(attitude_rows.size(), pelvis.size() + 1);
  EXPECT_EQ(summary.pelvis_samples, pelvis.size());
  for (std::size_t i = 0; i < pelvis.size(); i += 97) {
    EXPECT_DOUBLE_EQ(first_number(pelvis_rows[i + 1]), pelvis[i].device_time_s);
    EXPECT_DOUBLE_EQ(first_number(attitude_rows[i + 1]), pelvis[i].device_time_s);
  }
  EXPECT_EQ(lines_of(dir / "left.csv").size(), left.size() + 1);

  // Step times are in the pelvis clock; no speed source, so no step length.
  const auto steps = sim.completed_steps();
  const auto step_rows = lines_of(dir / "truth_steps.csv");
  ASSERT_EQ(step_rows.size(), steps.size() + 1);
  ASSERT_EQ(summary.steps, steps.size());
  const auto& clock = config.pelvis.clock;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const std::string& row = step_rows[i + 1];
    const auto comma = row.find(',');
    EXPECT_NEAR(std::stod(row.substr(comma + 1)), clock.offset_s + (1.0 + clock.drift_ppm * 1e-6) * steps[i].t_ic_s,
                1e-9);
    std::vector<std::string> cells;
    std::string cell;
    for (char c : row + ",") {
      if (c == ',') {
        cells.push_back(cell);
        cell.clear();
      } else {
        cell += c;
      }
    }
    ASSERT_EQ(cells.size(), 17u);  // the steps.csv columns up to vertical_oscillation_m, then gait_mode
    EXPECT_TRUE(cells[10].empty()) << row;
    EXPECT_EQ(cells[16], "running") << row;
  }
  EXPECT_FALSE(fs::exists(dir / "speed.csv"));
  fs::remove_all(dir);
}

TEST(RunnerRecording, BadDurationAndUnwritableDirectoryThrow) {
  EXPECT_THROW(write_simulated_recording(RunnerConfig{}, 0.0, "/tmp/never_written"), std::invalid_argument);
  EXPECT_THROW(write_simulated_recording(RunnerConfig{}, 2.0, "/proc/stridefuse_no_such_dir"), std::runtime_error);
  const fs::path file = fs::temp_directory_path() / "stridefuse_runner_recording_file";
  std::ofstream(file) << "x";
  EXPECT_THROW(write_simulated_recording(RunnerConfig{}, 2.0, file), std::runtime_error);
  fs::remove(file);
}

}  // namespace
}  // namespace stridefuse::sim
