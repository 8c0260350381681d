// `stridefuse drill` as a user runs it (issue 16): a simulated set printed
// rep by rep with the pelvis's moves, its events on the bus as `stridefuse
// sub` prints them, and every wrong command line answered by name.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/shell_command.hpp"
#include "support/truth_clocks.hpp"
#include "support/cli_under_test.hpp"

namespace {

using stridefuse::testing::run_shell;
using stridefuse::testing::cli;
using stridefuse::testing::any_port;

// A fixed port, for a subscriber that must know it before the publisher binds.
std::string drill_endpoint(int salt) { return "tcp://127.0.0.1:" + std::to_string(32000 + (getpid() * 11 + salt) % 8000); }

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(DrillCommand, WrongCommandLinesNameTheProblem) {
  struct Case {
    std::string args;
    std::string message;
  };
  const std::string sim = " --simulate --duration 1 --endpoint " + any_port();
  for (const auto& c : std::vector<Case>{
           {"drill" + sim, "'--exercise' is required"},
           {"drill --exercise squat" + sim, "unknown exercise 'squat': give one of bridge, single-leg-rdl"},
           {"drill --exercise single-leg-rdl" + sim, "single-leg-rdl is one-sided: give a side"},
           {"drill --exercise bridge --side up" + sim, "the side is left, right or both, not 'up'"},
           {"drill --exercise donkey-kick --side left --sensor-set pelvis,right" + sim,
            "donkey-kick on the left needs the left insole's IMU (there is no left insole stream)"},
           {"drill --exercise running-man --side right --sensor-set left,right" + sim, "needs the pelvis IMU"},
           {"drill --exercise bridge --tolerance -1" + sim, "tolerance must be a positive"},
           {"drill --exercise pigeon --side left --calibration-hinge" + sim,
            "a calibration hinge calibrates the hinge exercises (bridge, single-leg-rdl), not pigeon"},
           {"drill --exercise bridge --faults 3:spin:6" + sim, "faults"},
           {"drill --exercise bridge", "no sensors: give --simulate"},
           {"drill --exercise bridge --reps 3 --device tcp:127.0.0.1:1", "--reps sets up the simulated set"},
           {"drill --exercise bridge --pelvis /nonexistent.csv", "needs --out DIR"},
           {"drill --exercise bridge --pelvis p.csv --out d" + sim, "not both"},
           {"drill --exercise bridge --pelvis p.csv --out d --record r.sfrec", "--record goes with a live drill"},
       }) {
    const auto r = run_shell(cli() + " " + c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.out;
    EXPECT_NE(r.out.find(c.message), std::string::npos) << c.args << "\n" << r.out;
  }
}

// The simulated set's default faults (6 deg of rotation on reps 3 and, with 4
// reps, 4) are printed as they happen, each rep at its end, the set at the
// stop; a subscriber started first receives the same as JSON lines.
TEST(DrillCommand, ASimulatedSetPrintsRepsAndPublishesThemToASubscriber) {
  const auto endpoint = drill_endpoint(1);
  const auto dir = std::filesystem::temp_directory_path() / ("stridefuse_drill_cli_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const auto sub_out = (dir / "sub.jsonl").string();
  // About 17 s in real time: 2 s still, 4 reps of 2 s with a 0.5 s hold and 1 s rests.
  // One group, so that its stderr (the drill's log, the subscriber's) comes back with its stdout.
  const auto r = run_shell("{ " + cli() + " sub --endpoint " + endpoint + " --timeout 60 > " + sub_out +
                           " & sub=$!; sleep 1; " + cli() +
                           " drill --simulate --exercise single-leg-rdl --side left --reps 4 --tempo 2 --seed 5 " +
                           "--endpoint " + endpoint + "; rc=$?; sleep 1; kill $sub; exit $rc; }");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  for (int rep = 1; rep <= 4; ++rep)
    EXPECT_NE(r.out.find("rep " + std::to_string(rep) + " left t="), std::string::npos) << rep << "\n" << r.out;
  EXPECT_NE(r.out.find("pelvis moved: rep 3 left rotation"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("pelvis moved: rep 4 left rotation"), std::string::npos) << r.out;
  EXPECT_EQ(count_of(r.out, "pelvis moved: rep 1 "), 0u) << r.out;
  EXPECT_EQ(count_of(r.out, " MOVED (tolerance"), 2u) << r.out;
  EXPECT_NE(r.out.find("set single-leg-rdl left: 4 reps, 2 with the pelvis moved;"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("stridefuse drill: session ended: 4 reps;"), std::string::npos) << r.out;

  std::ifstream in(sub_out);
  const std::string sub((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(count_of(sub, R"("kind":"rep",)"), 4u) << sub;
  EXPECT_GE(count_of(sub, R"("kind":"pelvis_moved",)"), 2u) << sub;
  EXPECT_NE(sub.find(R"("axis":"rotation")"), std::string::npos) << sub;
  EXPECT_EQ(count_of(sub, R"("kind":"drill_set",)"), 1u) << sub;
  EXPECT_EQ(count_of(sub, R"("kind":"step",)"), 0u) << sub;
  // The subscriber's stop by a signal is a stop, not an error.
  EXPECT_EQ(r.out.find("stridefuse sub: error"), std::string::npos) << r.out;
  std::filesystem::remove_all(dir);
}

// A live set recorded with --record replays as `stridefuse record`'s
// recordings do: the recording keeps the drill's configuration, so replay
// runs the drill again and gets the same rep, pelvis_moved and set events.
TEST(DrillCommand, ARecordedLiveSetReplaysItsEventsByteForByte) {
  const auto recording = (std::filesystem::temp_directory_path() /
                          ("stridefuse_drill_" + std::to_string(getpid()) + ".sfrec")).string();
  const auto r = run_shell(cli() + " drill --simulate --exercise running-man --side right --reps 3 --tempo 2 --seed 3 " +
                           "--quiet --endpoint " + any_port() + " --record " + recording);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("recording to " + recording), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("session ended: 3 reps;"), std::string::npos) << r.out;
  const auto replay = run_shell(cli() + " replay " + recording + " --speed 0 --endpoint " + any_port());
  EXPECT_EQ(replay.exit_code, 0) << replay.out;
  EXPECT_NE(replay.out.find("identical: all "), std::string::npos) << replay.out;
  // The replay ran the drill, not the running engine: a subscriber gets its reps and no step.
  const auto endpoint = drill_endpoint(2);
  const auto sub = run_shell("{ " + cli() + " sub --endpoint " + endpoint + " --timeout 30 & sub=$!; " + cli() +
                             " replay " + recording + " --speed 0 --wait-subscribers 1 --endpoint " + endpoint +
                             " >/dev/null 2>&1; rc=$?; sleep 1; kill $sub; exit $rc; }");
  EXPECT_EQ(sub.exit_code, 0) << sub.out;
  EXPECT_EQ(count_of(sub.out, R"("kind":"rep",)"), 3u) << sub.out;
  EXPECT_EQ(count_of(sub.out, R"("kind":"drill_set",)"), 1u) << sub.out;
  EXPECT_EQ(count_of(sub.out, R"("kind":"step",)"), 0u) << sub.out;
  std::filesystem::remove(recording);
}

// A set opened by a calibration hinge: the simulated athlete does one, the
// drill does not count it, and the recording keeps it (replayed without it,
// the hinge would be a rep and the events would differ).
TEST(DrillCommand, ACalibrationHingeIsNoRepLiveOrReplayed) {
  const auto recording = (std::filesystem::temp_directory_path() /
                          ("stridefuse_drill_cal_" + std::to_string(getpid()) + ".sfrec")).string();
  const auto r = run_shell(cli() + " drill --simulate --exercise single-leg-rdl --side right --calibration-hinge " +
                           "--reps 3 --tempo 2 --seed 4 --endpoint " + any_port() + " --record " + recording);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("session ended: 3 reps;"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("rep 3 right t="), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("pelvis moved: rep 3 right"), std::string::npos) << r.out;
  const auto replay = run_shell(cli() + " replay " + recording + " --speed 0 --endpoint " + any_port());
  EXPECT_EQ(replay.exit_code, 0) << replay.out;
  EXPECT_NE(replay.out.find("identical: all "), std::string::npos) << replay.out;
  std::filesystem::remove(recording);
}

// Over files: `simulate --drill` writes a set (on the devices' own clocks),
// `drill --pelvis ... --out` finds its reps and writes the tables and report.
TEST(DrillCommand, OverFilesWritesRepsTheSetAndAReport) {
  const auto dir = std::filesystem::temp_directory_path() / ("stridefuse_drill_files_" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  const auto rec = dir / "rec";
  const auto out = dir / "out";
  const auto sim = run_shell(cli() + " simulate --drill donkey-kick --side right --reps 6 --seed 4 --out " + rec.string());
  ASSERT_EQ(sim.exit_code, 0) << sim.out;
  EXPECT_NE(sim.out.find("wrote 6 reps of donkey-kick"), std::string::npos) << sim.out;
  const std::string files = " --pelvis " + (rec / "pelvis.csv").string() + " --left " + (rec / "left.csv").string() +
                            " --left-layout " + (rec / "left_layout.json").string() + " --right " +
                            (rec / "right.csv").string() + " --right-layout " + (rec / "right_layout.json").string();
  // A drill has no running to match the files' clocks by: refused, with the way out named.
  const auto refused = run_shell(cli() + " drill --exercise donkey-kick --side right" + files + " --out " + out.string());
  EXPECT_EQ(refused.exit_code, 1) << refused.out;
  EXPECT_NE(refused.out.find("--left-offset"), std::string::npos) << refused.out;
  // Each insole file's offset from the devices' true clocks (drift over the set: < 5 ms).
  const auto r = run_shell(cli() + " drill --exercise donkey-kick --side right" + files +
                           stridefuse::testing::insole_offset_flags(rec) + " --out " + out.string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(count_of(r.out, " right t="), 6u) << r.out;
  // The default faults: reps 3 and 6 (the last), rotation.
  EXPECT_EQ(count_of(r.out, " MOVED (tolerance"), 2u) << r.out;
  EXPECT_NE(r.out.find("set donkey-kick right: 6 reps, 2 with the pelvis moved;"), std::string::npos) << r.out;

  std::ifstream reps(out / "reps.csv");
  std::string header, line;
  std::getline(reps, header);
  EXPECT_EQ(header.rfind("kind,t_s,exercise,side,rep,t_start_s,t_end_s,duration_s,range_of_motion_deg", 0), 0u) << header;
  std::size_t rows = 0;
  while (std::getline(reps, line)) rows += line.rfind("rep,", 0) == 0;
  EXPECT_EQ(rows, 6u);
  std::ifstream set_file(out / "drill_set.json");
  const std::string set((std::istreambuf_iterator<char>(set_file)), std::istreambuf_iterator<char>());
  EXPECT_NE(set.find(R"("kind":"drill_set")"), std::string::npos) << set;
  EXPECT_NE(set.find(R"("reps":6,"reps_moved":2)"), std::string::npos) << set;
  std::ifstream report_file(out / "report.html");
  const std::string report((std::istreambuf_iterator<char>(report_file)), std::istreambuf_iterator<char>());
  for (const char* part : {"<h1>Drill: donkey-kick, right</h1>", "id='set'", "id='excursion'", "id='reps'", "id='clocks'"})
    EXPECT_NE(report.find(part), std::string::npos) << part;
  std::filesystem::remove_all(dir);
}

// A set written with a calibration hinge: over its files the drill counts
// the reps alone when told of the hinge, and the hinge as a rep when not.
TEST(DrillCommand, OverFilesACalibrationHingeIsNoRepWhenDeclared) {
  const auto dir = std::filesystem::temp_directory_path() / ("stridefuse_drill_cal_files_" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  const auto rec = dir / "rec";
  const auto sim = run_shell(cli() + " simulate --drill single-leg-rdl --side right --reps 3 --calibration-hinge " +
                             "--seed 6 --out " + rec.string());
  ASSERT_EQ(sim.exit_code, 0) << sim.out;
  EXPECT_NE(sim.out.find("wrote 3 reps of single-leg-rdl"), std::string::npos) << sim.out;
  const std::string files = " --pelvis " + (rec / "pelvis.csv").string() + " --left " + (rec / "left.csv").string() +
                            " --left-layout " + (rec / "left_layout.json").string() + " --right " +
                            (rec / "right.csv").string() + " --right-layout " + (rec / "right_layout.json").string() +
                            stridefuse::testing::insole_offset_flags(rec);
  const auto declared = run_shell(cli() + " drill --exercise single-leg-rdl --side right --calibration-hinge" + files +
                                  " --out " + (dir / "declared").string());
  ASSERT_EQ(declared.exit_code, 0) << declared.out;
  EXPECT_EQ(count_of(declared.out, " right t="), 3u) << declared.out;
  const auto undeclared =
      run_shell(cli() + " drill --exercise single-leg-rdl --side right" + files + " --out " + (dir / "undeclared").string());
  ASSERT_EQ(undeclared.exit_code, 0) << undeclared.out;
  EXPECT_EQ(count_of(undeclared.out, " right t="), 4u) << undeclared.out;
  const auto misplaced = run_shell(cli() + " simulate --calibration-hinge --out " + (dir / "run").string());
  EXPECT_EQ(misplaced.exit_code, 2) << misplaced.out;
  EXPECT_NE(misplaced.out.find("--calibration-hinge goes with --drill"), std::string::npos) << misplaced.out;
  std::filesystem::remove_all(dir);
}

TEST(DrillCommand, HelpNamesTheExercisesAndBothWaysToRun) {
  const auto r = run_shell(cli() + " drill --help");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  for (const char* word : {"--exercise", "--side", "--tolerance", "--simulate", "--device", "--pelvis", "--out",
                           "banded-hip-extension", "--faults"})
    EXPECT_NE(r.out.find(word), std::string::npos) << word;
}

}  // namespace
