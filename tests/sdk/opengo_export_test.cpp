// Moticon OpenGo text exports (sdk/runtime/src/offline/FILES.md): the real
// exports of shared/data/opengo read and analysed from the insoles alone,
// agreeing with the events Moticon's software marked; bad exports rejected
// with the file, the line and the problem.

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "stridefuse/runtime/offline_analysis.hpp"
#include "stridefuse/runtime/recording_files.hpp"

namespace stridefuse {
namespace {

namespace fs = std::filesystem;

const std::string data = std::string(STRIDEFUSE_SHARED_DIR) + "/data/opengo";

// The real exports live beside the repository (shared/data/opengo), not in
// it: a checkout without them skips these tests and says so.
#define STRIDEFUSE_NEEDS_OPENGO_DATA()                                                         \
  if (!fs::exists(data + "/230927_102114.txt")) GTEST_SKIP() << "OpenGo exports not found in " << data

fs::path scratch() { return fs::temp_directory_path() / ("stridefuse_opengo_" + std::to_string(::getpid())); }

TEST(OpenGoExport, ReadsBothFeetInSiUnitsAndMoticonsStepEvents) {
  STRIDEFUSE_NEEDS_OPENGO_DATA();
  const auto r = read_opengo_export(data + "/230927_102114.txt");
  EXPECT_EQ(r.insole_size, "7");
  ASSERT_EQ(r.insoles.size(), 2u);
  const auto& left = r.insoles[0];
  EXPECT_EQ(left.stream.id, "left_insole");
  ASSERT_TRUE(left.stream.insole && left.stream.insole->reports_force());
  EXPECT_EQ(left.stream.insole->length_mm, 0.0) << "the export does not give it";
  // force_n, cop_x_pct, cop_y_pct, then the insole's IMU.
  ASSERT_EQ(left.stream.channels.size(), 9u);
  EXPECT_EQ(left.stream.channels[0].name, "force_n");
  EXPECT_EQ(left.stream.channels[3].name, "ax");
  EXPECT_NEAR(left.stream.nominal_rate_hz, 100.0, 1.0);
  const std::size_t width = left.stream.channels.size();
  double max_force = 0.0;
  for (std::size_t i = 0; i < left.t_s.size(); ++i) {
    const double* v = left.values.data() + i * width;
    max_force = std::max(max_force, v[0]);
    if (std::isnan(v[1])) continue;  // the export's 0, 0: no centre
    EXPECT_GE(v[1], -1.0);           // % of the length from the heel
    EXPECT_LE(v[1], 101.0);
  }
  EXPECT_GT(max_force, 400.0);  // a walking adult, N
  // The first left sample against the file's text: g and dps to SI, the
  // centre of pressure from -0.5..+0.5 of the length to % from the heel.
  std::ifstream in(data + "/230927_102114.txt");
  std::string line;
  bool compared = false;
  while (!compared && std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream row(line);
    for (std::string c; std::getline(row, c, '\t');) cells.push_back(c);
    if (line[0] == '#' || cells.size() < 26 || cells[1].empty()) continue;
    EXPECT_DOUBLE_EQ(left.t_s.front(), std::stod(cells[0]));
    EXPECT_DOUBLE_EQ(left.values[3], std::stod(cells[17]) * 9.80665);  // left acceleration X [g]
    EXPECT_DOUBLE_EQ(left.values[6], std::stod(cells[20]) * 3.14159265358979323846 / 180.0);  // angular X [dps]
    EXPECT_DOUBLE_EQ(left.values[0], std::stod(cells[23]));  // total force [N]
    if (std::stod(cells[24]) == 0.0 && std::stod(cells[25]) == 0.0) {
      EXPECT_TRUE(std::isnan(left.values[1])) << "0, 0 is the export's 'no centre'";
    } else {
      EXPECT_DOUBLE_EQ(left.values[1], 100.0 * std::stod(cells[24]) + 50.0);  // centre of pressure X: along
      EXPECT_DOUBLE_EQ(left.values[2], 100.0 * std::stod(cells[25]));         // Y: across
    }
    compared = true;
  }
  EXPECT_TRUE(compared);
  // The export marks 11 / 21 for heel strikes and 15 / 25 for toe-offs.
  std::size_t strikes = 0, toe_offs = 0;
  for (const auto& m : r.marks) (m.initial_contact ? strikes : toe_offs) += 1;
  EXPECT_EQ(strikes, 14u);
  EXPECT_GT(toe_offs, 10u);
  // The other export's events: "Event" 1 heel strike, 2 toe-off.
  const auto w = read_opengo_export(data + "/walk_with_events.txt");
  std::size_t left_strikes = 0;
  for (const auto& m : w.marks) left_strikes += m.side == Side::left && m.initial_contact;
  EXPECT_EQ(left_strikes, 4u);
}

TEST(OpenGoExport, AnalysedFromTheInsolesAloneAgreeWithMoticonsEvents) {
  STRIDEFUSE_NEEDS_OPENGO_DATA();
  for (const char* file : {"230927_102114.txt", "230927_102137.txt", "walk_with_events.txt"}) {
    SCOPED_TRACE(file);
    AnalysisInputs in;
    in.insoles_export = data + "/" + file;
    const auto result = analyze_recording(in);
    const auto marks = read_opengo_export(*in.insoles_export).marks;
    std::vector<double> errors;
    std::size_t marked = 0;
    for (const auto& m : marks) {
      if (!m.initial_contact) continue;
      ++marked;
      double best = 1.0;
      for (const auto& s : result.steps)
        if (s.side == m.side && std::abs(s.t_ic_s - m.t_s) < std::abs(best)) best = s.t_ic_s - m.t_s;
      if (std::abs(best) < 0.25) errors.push_back(std::abs(best));
    }
    EXPECT_GE(errors.size() + 1, marked) << "at most the first contact, while the levels are learnt, is missed";
    std::sort(errors.begin(), errors.end());
    EXPECT_LT(errors[errors.size() / 2], 0.025);
    std::size_t rearfoot = 0;
    for (const auto& s : result.steps) rearfoot += s.strike_pattern == StrikePattern::rearfoot;
    EXPECT_GT(rearfoot, result.steps.size() / 2) << "walkers land on the heel";
    for (const auto& s : result.steps) {
      EXPECT_EQ(s.detected_by, StepSource::insole);
      EXPECT_TRUE(s.strike_index_pct.present() || s.strike_index_pct.absent_reason == AbsentReason::not_detected);
      EXPECT_EQ(s.tilt_ic_deg.absent_reason, AbsentReason::no_pelvis_sensor);
    }
    EXPECT_TRUE(result.attitude.empty());
  }
}

TEST(OpenGoExport, OneFootOfAnExportWithALayoutForItsLength) {
  STRIDEFUSE_NEEDS_OPENGO_DATA();
  const fs::path dir = scratch();
  fs::create_directories(dir);
  write_insole_layout(InsoleLayout{Side::right, 250.0, {}}, dir / "right.json");
  AnalysisInputs in;
  in.right_csv = data + "/230927_102137.txt";
  in.right_layout = dir / "right.json";
  const auto result = analyze_recording(in);
  ASSERT_GT(result.steps.size(), 5u);
  for (const auto& s : result.steps) EXPECT_EQ(s.side, Side::right);
  bool right_length = false;
  for (const auto& m : result.metrics)
    if (m.metric == "contact_time_s") {
      EXPECT_EQ(m.left, AbsentReason::no_insole);
      EXPECT_EQ(m.right, AbsentReason::none);
      right_length = true;
    }
  EXPECT_TRUE(right_length);
  fs::remove_all(dir);
}

// Each bad export, and the words its error must contain.
TEST(OpenGoExport, BadExportsNameTheFileLineAndProblem) {
  STRIDEFUSE_NEEDS_OPENGO_DATA();
  const fs::path dir = scratch();
  fs::create_directories(dir);
  std::vector<std::string> lines;
  {
    std::ifstream in(data + "/230927_102114.txt");
    for (std::string line; std::getline(in, line) && lines.size() < 200;) lines.push_back(line);
  }
  const std::size_t header = 8;  // the column line's index (line 9)
  auto write = [&](const std::string& name, std::vector<std::string> content) {
    std::ofstream out(dir / name);
    for (const auto& l : content) out << l << "\n";
    return (dir / name).string();
  };
  auto replace = [](std::string s, const std::string& from, const std::string& to) {
    const auto at = s.find(from);
    return at == std::string::npos ? s : s.replace(at, from.size(), to);
  };
  struct Case {
    std::string file, words;
  };
  std::vector<Case> cases;
  auto unknown_unit = lines;
  unknown_unit[header] = replace(unknown_unit[header], "left total force[N]", "left total force[kN]");
  cases.push_back({write("unit.txt", unknown_unit), "line 9, column 'left total force[kN]': unit 'kN'"});
  auto missing = lines;
  missing[header] = replace(missing[header], "right total force[N]", "right sum[N]");
  cases.push_back({write("missing.txt", missing), "line 9: no right total force column"});
  auto truncated = lines;
  truncated[30] = truncated[30].substr(0, truncated[30].size() / 2);
  cases.push_back({write("truncated.txt", truncated), "line 31: "});
  auto not_a_number = lines;  // "left pressure 1" of a row where the left insole delivered
  not_a_number[150] = replace(not_a_number[150], "\t", "\tx");
  cases.push_back({write("nan.txt", not_a_number), "line 151, column 'left pressure 1[N/cm²]': 'x"});
  auto backwards = lines;
  std::swap(backwards[45], backwards[46]);
  cases.push_back({write("time.txt", backwards), "line 47: time"});
  auto no_columns = lines;
  no_columns.erase(no_columns.begin() + static_cast<std::ptrdiff_t>(header));
  cases.push_back({write("nocolumns.txt", no_columns), "no '#' header ending in a '# time' column line"});
  for (const auto& c : cases) {
    AnalysisInputs in;
    in.insoles_export = c.file;
    try {
      analyze_recording(in);
      ADD_FAILURE() << c.file << " was accepted";
    } catch (const RecordingFileError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find(c.file), std::string::npos) << what;
      EXPECT_NE(what.find(c.words), std::string::npos) << what;
    }
  }
  // An unknown step event code in "right steps[]", the second-last column.
  auto events = lines;
  auto& row = events[50];
  ASSERT_EQ(row.substr(row.size() - 2), "\t\t");
  row = row.substr(0, row.size() - 2) + "\t17\t";
  AnalysisInputs in;
  in.insoles_export = write("code.txt", events);
  try {
    analyze_recording(in);
    ADD_FAILURE() << "an unknown event code was accepted";
  } catch (const RecordingFileError& e) {
    EXPECT_NE(std::string(e.what()).find("line 51: column 'right steps[]': step event code 17"), std::string::npos)
        << e.what();
  }
  fs::remove_all(dir);
}

TEST(OpenGoExport, InputsThatDoNotGoTogetherAreRefused) {
  AnalysisInputs in;
  EXPECT_THROW(analyze_recording(in), std::invalid_argument) << "no sensor file at all";
  in.insoles_export = data + "/230927_102114.txt";
  in.left_csv = data + "/230927_102137.txt";
  EXPECT_THROW(analyze_recording(in), std::invalid_argument) << "--insoles and --left";
}

}  // namespace
}  // namespace stridefuse
