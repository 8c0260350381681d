// Files that share a clock but are not declared so (--same-clock) are left
// on it: the force-acceleration match puts the pelvis several milliseconds
// behind the force on runners we did not write (the second runner model
// here, the RBDS runner), and a lag within that bias is taken as no shift
// (sdk/runtime/src/offline/README.md, "Putting the files on one clock").

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <unistd.h>

#include "stridefuse/runtime/offline_analysis.hpp"
#include "stridefuse/second_runner/recording.hpp"
#include "support/second_runner_inputs.hpp"

namespace stridefuse {
namespace {

TEST(RecordingAlignment, FilesOnOneClockAreLeftOnItWithTheLagFoundInTheNote) {
  auto sc = second_runner::draw_scenario(1, 20.0);
  sc.pelvis_gap_s = 0.0;
  sc.left_clock = sc.right_clock = sc.pelvis_clock;
  const auto dir = std::filesystem::temp_directory_path() / ("stridefuse-one-clock-" + std::to_string(getpid()));
  const auto rec = second_runner::write_recording(sc, dir);
  const auto result = analyze_recording(second_runner::analysis_inputs(rec, sc, false));
  std::filesystem::remove_all(dir);
  ASSERT_EQ(result.alignments.size(), 2u);
  for (const auto& a : result.alignments) {
    EXPECT_TRUE(a.from_data) << a.note;
    EXPECT_EQ(a.offset_s, 0.0) << a.note;
    EXPECT_EQ(a.drift_ppm, 0.0) << a.note;
    // The match's own lag is said, not applied (about 7 ms on this scenario).
    EXPECT_NE(a.note.find("within the match's own bias"), std::string::npos) << a.note;
    EXPECT_NE(a.note.find("kept on one clock"), std::string::npos) << a.note;
  }
}

}  // namespace
}  // namespace stridefuse
