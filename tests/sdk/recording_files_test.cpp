#include "stridefuse/runtime/recording_files.hpp"

#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <fstream>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "../../sdk/runtime/src/offline/fixed_decimal.hpp"

namespace stridefuse {
namespace {

namespace fs = std::filesystem;

class RecordingFiles : public ::testing::Test {
 protected:
  fs::path dir = fs::temp_directory_path() /
                 ("stridefuse_files_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
  void SetUp() override { fs::create_directories(dir); }
  void TearDown() override { fs::remove_all(dir); }
  fs::path write(const std::string& name, const std::string& text) {
    const auto p = dir / name;
    std::ofstream(p) << text;
    return p;
  }
  static std::string error_of(const std::function<void()>& f) {
    try {
      f();
    } catch (const RecordingFileError& e) {
      return e.what();
    }
    return "no error";
  }
};

TEST_F(RecordingFiles, ReadsPelvisCsvInAnyColumnOrderWithOptionalMagnetometer) {
  const auto p = write("pelvis.csv", "t,gx,gy,gz,ax,ay,az\n0.0,1,2,3,4,5,6\n0.005,1,2,3,4,5,7\r\n0.010,1,2,3,4,5,8\n");
  const auto rec = read_pelvis_csv(p);
  ASSERT_EQ(rec.t_s.size(), 3u);
  ASSERT_EQ(rec.stream.channels.size(), 6u);
  EXPECT_EQ(rec.stream.channels[0].name, "ax");
  EXPECT_DOUBLE_EQ(rec.values[0], 4.0);  // ax comes first whatever the file's order
  EXPECT_DOUBLE_EQ(rec.values[3], 1.0);  // gx
  EXPECT_DOUBLE_EQ(rec.values[2 * 6 + 2], 8.0);
  EXPECT_NEAR(rec.stream.nominal_rate_hz, 200.0, 1e-9);
  EXPECT_EQ(rec.stream.location, BodyLocation::pelvis);

  const auto m = write("mag.csv", "t,ax,ay,az,gx,gy,gz,mx,my,mz\n0,0,0,9.8,0,0,0,1,2,3\n1,0,0,9.8,0,0,0,1,2,3\n");
  EXPECT_EQ(read_pelvis_csv(m).stream.channels.size(), 9u);
}

TEST_F(RecordingFiles, ReadsInsoleWithLayoutAndOptionalImu) {
  const auto layout_path = write("left.json",
                                 R"({"side": "left", "length_mm": 260, "sensors": [
                                   {"x_mm": 20, "y_mm": 0, "area_mm2": 150},
                                   {"x_mm": 200, "y_mm": 10, "area_mm2": 150}]})");
  const auto layout = read_insole_layout(layout_path);
  EXPECT_EQ(layout.side, Side::left);
  ASSERT_EQ(layout.sensors.size(), 2u);
  EXPECT_DOUBLE_EQ(layout.sensors[1].x_mm, 200.0);

  const auto p = write("left.csv", "t,p0,p1,ax,ay,az,gx,gy,gz\n0,1,2,0,0,9.8,0,0,0\n0.01,3,4,0,0,9.8,0,0,0\n");
  const auto rec = read_insole_csv(p, layout);
  EXPECT_EQ(rec.stream.id, "left_insole");
  EXPECT_EQ(rec.stream.channels.size(), 8u);
  EXPECT_DOUBLE_EQ(rec.values[8 + 1], 4.0);

  const auto wrong = write("wrong.csv", "t,p0,p1,p2\n0,1,2,3\n0.01,1,2,3\n");
  EXPECT_NE(error_of([&] { read_insole_csv(wrong, layout); }).find("3 pressure columns but the layout has 2"),
            std::string::npos);
}

TEST_F(RecordingFiles, LayoutRoundTripsThroughItsWriter) {
  InsoleLayout l{Side::right, 271.5, {{10.25, -3.5, 120}, {230, 4, 99.5}}};
  write_insole_layout(l, dir / "r.json");
  const auto back = read_insole_layout(dir / "r.json");
  EXPECT_EQ(back.side, Side::right);
  EXPECT_DOUBLE_EQ(back.length_mm, 271.5);
  ASSERT_EQ(back.sensors.size(), 2u);
  EXPECT_DOUBLE_EQ(back.sensors[0].y_mm, -3.5);
  EXPECT_DOUBLE_EQ(back.sensors[1].area_mm2, 99.5);
}

// The reader takes the file in blocks: rows across a block's edge,
// a row longer than a block, a last row without its newline and an error past
// the first block (with its line number) must read as in one piece.
TEST_F(RecordingFiles, FilesLargerThanTheReadBlockReadWhole) {
  std::string text = "t,v\n";
  const int rows = 400000;  // ~6 MB: at least two blocks
  for (int i = 0; i < rows; ++i) text += std::to_string(i) + "," + std::to_string(i % 997) + ".25\n";
  text += std::to_string(rows) + ",7";  // no newline at the end
  const auto table = read_numeric_csv(write("big.csv", text));
  ASSERT_EQ(table.rows(), static_cast<std::size_t>(rows) + 1);
  for (int i : {0, 1, 262143, 262144, 300001, rows - 1}) {
    EXPECT_EQ(table.values[2 * static_cast<std::size_t>(i)], i);
    EXPECT_EQ(table.values[2 * static_cast<std::size_t>(i) + 1], (i % 997) + 0.25);
  }
  EXPECT_EQ(table.values.back(), 7.0);

  const std::string wide_header = "t," + std::string(5 << 20, 'w') + "\n1,2\n2,3\n";
  const auto wide = read_numeric_csv(write("wide.csv", wide_header));
  ASSERT_EQ(wide.rows(), 2u);
  EXPECT_EQ(wide.columns[1].size(), std::size_t{5} << 20);

  text.back() = 'x';
  EXPECT_NE(error_of([&] { read_numeric_csv(write("bad_late.csv", text)); })
                .find("line " + std::to_string(rows + 2) + ": field 2 ('x') is not a number"),
            std::string::npos);
}

// Lines end in CRLF when a file comes from Windows; a field longer than a
// read block (a number with 300,000 digits), a truncated last row after many
// blocks and non-finite spellings must each read, or fail, as in a small file.
TEST_F(RecordingFiles, LineEndingsLongFieldsAndTruncationAcrossBlocks) {
  const auto crlf = read_numeric_csv(write("crlf.csv", "t,v\r\n0,1.5\r\n0.5, -2 \r\n\r\n1,3\r\n"));
  ASSERT_EQ(crlf.columns, (std::vector<std::string>{"t", "v"}));
  EXPECT_EQ(crlf.values, (std::vector<double>{0.0, 1.5, 0.5, -2.0, 1.0, 3.0}));

  const std::string long_number = "1." + std::string(300000, '0') + "1";
  const auto wide = read_numeric_csv(write("long.csv", "t,v\n0," + long_number + "\n1,2"));
  ASSERT_EQ(wide.rows(), 2u);
  EXPECT_EQ(wide.values[1], 1.0);
  EXPECT_EQ(wide.values[3], 2.0);
  EXPECT_NE(error_of([&] { read_numeric_csv(write("long_bad.csv", "t,v\n0,1\n1," + long_number + "x\n")); })
                .find("line 3: field 2 ("),
            std::string::npos);

  std::string rows = "t,a,b\n";
  for (int i = 0; i < 100000; ++i) rows += std::to_string(i) + ",0.125,-7\n";
  EXPECT_NE(error_of([&] { read_numeric_csv(write("cut.csv", rows + "100000,0.5")); })
                .find("line 100002: 2 fields, the header has 3 (truncated or malformed row)"),
            std::string::npos);
  EXPECT_EQ(read_numeric_csv(write("whole.csv", rows + "100000,0.5,1")).rows(), 100001u);

  const auto odd = read_numeric_csv(write("inf.csv", "t,v\n0,-inf\n1,INF\n2,NaN\n3,infinity\n"));
  EXPECT_EQ(odd.values[1], -std::numeric_limits<double>::infinity());
  EXPECT_EQ(odd.values[3], std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(odd.values[5]));
  EXPECT_EQ(odd.values[7], std::numeric_limits<double>::infinity());
  EXPECT_NE(error_of([&] { read_numeric_csv(write("infx.csv", "t,v\n0,infx\n")); }).find("field 2 ('infx') is not a number"),
            std::string::npos);
}

TEST_F(RecordingFiles, BadFilesGiveErrorsThatNameTheProblem) {
  EXPECT_NE(error_of([&] { read_pelvis_csv(dir / "missing.csv"); }).find("cannot open"), std::string::npos);
  EXPECT_NE(error_of([&] { read_pelvis_csv(write("e.csv", "")); }).find("empty"), std::string::npos);
  EXPECT_NE(error_of([&] { read_pelvis_csv(write("h.csv", "t,ax,ay,az,gx,gy,gz\n")); }).find("no data rows"),
            std::string::npos);
  EXPECT_NE(error_of([&] { read_pelvis_csv(write("x.csv", "t,ax,ay,az,gx,gy,gz\n0,1,2,3,4,5,6\n0.1,1,2,abc,4,5,6\n")); })
                .find("line 3: field 4 ('abc') is not a number"),
            std::string::npos);
  EXPECT_NE(error_of([&] { read_pelvis_csv(write("t.csv", "t,ax,ay,az,gx,gy,gz\n0,1,2,3,4,5,6\n0.1,1,2")); })
                .find("truncated"),
            std::string::npos);
  EXPECT_NE(error_of([&] { read_pelvis_csv(write("c.csv", "t,ax,ay,az,gx,gy\n0,1,2,3,4,5\n1,1,2,3,4,5\n")); })
                .find("no column 'gz'"),
            std::string::npos);
  EXPECT_NE(error_of([&] { read_pelvis_csv(write("b.csv", "t,ax,ay,az,gx,gy,gz\n1,1,2,3,4,5,6\n0.5,1,2,3,4,5,6\n")); })
                .find("time goes backwards"),
            std::string::npos);
  EXPECT_NE(error_of([&] { read_insole_layout(write("l.json", "{\"side\": \"middle\", \"length_mm\": 1, \"sensors\": []}")); })
                .find("\"side\""),
            std::string::npos);
  EXPECT_NE(error_of([&] { read_insole_layout(write("j.json", "{not json")); }).find("not a valid layout JSON"),
            std::string::npos);
  EXPECT_NE(error_of([&] {
              read_insole_layout(write("a.json", R"({"side":"left","length_mm":250,"sensors":[{"x_mm":1,"y_mm":2}]})"));
            }).find("missing"),
            std::string::npos);
}

// Files are read as a stream and checked row by row, but a file with several
// problems still reports the one it always did: a malformed row anywhere
// first, then a missing column, then the first bad time.
TEST_F(RecordingFiles, SeveralProblemsReportTheSameOneAsBefore) {
  const std::string no_gz_late_bad_row = "t,ax,ay,az,gx,gy\n0,1,2,3,4,5\n1,1,2,3,4,5\n2,1,2,3,4,oops\n";
  EXPECT_NE(error_of([&] { read_pelvis_csv(write("a.csv", no_gz_late_bad_row)); }).find("line 4: field 6 ('oops')"),
            std::string::npos);
  const std::string no_gz_backwards = "t,ax,ay,az,gx,gy\n1,1,2,3,4,5\n0,1,2,3,4,5\n";
  EXPECT_NE(error_of([&] { read_pelvis_csv(write("b.csv", no_gz_backwards)); }).find("no column 'gz'"),
            std::string::npos);
  const std::string backwards_then_nan = "t,ax,ay,az,gx,gy,gz\n1,1,2,3,4,5,6\n0,1,2,3,4,5,6\nnan,1,2,3,4,5,6\n";
  EXPECT_NE(error_of([&] { read_pelvis_csv(write("c.csv", backwards_then_nan)); }).find("data row 2: time goes backwards"),
            std::string::npos);
  const InsoleLayout two{Side::left, 250.0, {{20, 0, 150}, {200, 10, 150}}};
  EXPECT_NE(error_of([&] { read_insole_csv(write("d.csv", "p0,p1,p2\n1,2,3\n4,5,6\n"), two); })
                .find("3 pressure columns but the layout has 2"),
            std::string::npos);
  EXPECT_NE(error_of([&] { read_pelvis_csv(write("e.csv", "t,ax,ay,az,gx,gy,gz\n0,1,2,3,4,5,6\n")); })
                .find("needs at least two samples"),
            std::string::npos);
}

TEST_F(RecordingFiles, NonFiniteValuesAreReadAsSuchForTheEngineToFlag) {
  const auto rec = read_pelvis_csv(write("n.csv", "t,ax,ay,az,gx,gy,gz\n0,nan,2,3,4,5,6\n0.1,inf,2,3,4,5,6\n"));
  EXPECT_TRUE(std::isnan(rec.values[0]));
  EXPECT_TRUE(std::isinf(rec.values[6]));
}

}  // namespace
}  // namespace stridefuse

// attitude.csv's fast fixed-point text must be exactly std::to_chars's, or
// the command's output would depend on which path formatted a number.
TEST(FixedDecimal, SameCharactersAsToCharsOrDeclines) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> unit(-1.0, 1.0);
  std::uniform_int_distribution<int> exponent(-12, 12);
  std::size_t declined = 0, checked = 0;
  auto check = [&](double v, int precision) {
    char fast[64], exact[64];
    char* end = stridefuse::offline::fixed_decimal(fast, v, precision);
    if (end == nullptr) {
      ++declined;
      return;
    }
    const auto r = std::to_chars(exact, exact + sizeof exact, v, std::chars_format::fixed, precision);
    ASSERT_EQ(std::string(fast, end), std::string(exact, r.ptr)) << "v=" << v << " precision=" << precision;
    ++checked;
  };
  for (int i = 0; i < 300000; ++i) {
    const double v = unit(rng) * std::pow(10.0, exponent(rng));
    for (int precision : {0, 3, 6, 7, 9}) check(v, precision);
  }
  // Half-way points, zeros of both signs, tiny negatives and the grid of a 200 Hz clock.
  for (double v : {0.0, -0.0, 0.5, 1.5, 2.5, -2.5, 0.0005, 0.0015, 0.0025, 1.0005, -0.0000001, -1e-12, 1e-12,
                   3599.995, 3600.0, 123456.789, 1e9, 9e12})
    for (int precision : {0, 3, 6, 7}) check(v, precision);
  EXPECT_GT(checked, 1000000u);
  // What attitude.csv holds (times to 6 decimals, quaternion parts to 7, angles to 3) takes the fast path.
  declined = checked = 0;
  for (int k = 0; k < 720000; k += 7) check(3.7 + 0.005 * k, 6);
  for (int i = 0; i < 100000; ++i) check(unit(rng), 7), check(180.0 * unit(rng), 3);
  EXPECT_LT(declined, checked / 1000);
  char buf[64];
  EXPECT_EQ(stridefuse::offline::fixed_decimal(buf, std::nan(""), 3), nullptr);
  EXPECT_EQ(stridefuse::offline::fixed_decimal(buf, 1e300, 3), nullptr);
}
