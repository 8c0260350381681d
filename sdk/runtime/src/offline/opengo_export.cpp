// Moticon OpenGo text exports (opengo_export.hpp): '#' header lines, the
// last of them naming the tab-separated columns as "<name>[<unit>]", then
// one row per sample; an empty cell is a sample that foot did not deliver.

#include "opengo_export.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <string_view>

#include "stridefuse/core/units.hpp"

namespace stridefuse::offline {
namespace {

constexpr std::size_t opengo_cells = 16;  // pressure cells per insole in an OpenGo export
const char* const foot_name[2] = {"left", "right"};

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split_tabs(std::string_view line) {
  std::vector<std::string_view> out;
  for (std::size_t start = 0;;) {
    const std::size_t tab = line.find('\t', start);
    out.push_back(trim(line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start)));
    if (tab == std::string_view::npos) return out;
    start = tab + 1;
  }
}

// A column's quantity and how its values become SI: which channel of the
// foot's stream it feeds (or an event channel), and the factor.
enum class Role { pressure, acceleration, rate, force, cop_across, cop_along, steps, events };

struct Column {
  std::size_t index = 0;
  Role role = Role::force;
  int axis = 0;  // pressure cell 0..15, or X/Y/Z 0..2
};

struct FootColumns {
  std::vector<Column> pressure, acceleration, rate;
  std::optional<Column> force, cop_across, cop_along, steps, events;
};

// "left pressure 3[N/cm²]" -> foot 0, Role::pressure, cell 2; the unit must be the one OpenGo writes.
struct ColumnParse {
  std::filesystem::path path;
  std::size_t header_line = 0;
  std::array<FootColumns, 2> feet;

  [[noreturn]] void fail(const std::string& column, const std::string& what) const {
    throw RecordingFileError(path.string() + ": line " + std::to_string(header_line) + ", column '" + column + "': " +
                             what);
  }

  void unit_must_be(const std::string& column, std::string_view unit, std::initializer_list<std::string_view> known) const {
    for (auto k : known)
      if (unit == k) return;
    std::string list;
    for (auto k : known) list += (list.empty() ? "" : " or ") + ("'" + std::string(k) + "'");
    fail(column, "unit '" + std::string(unit) + "' is not one this reader knows (" + list + ")");
  }

  void add(std::size_t index, std::string_view text) {
    const std::string column(text);
    const auto bracket = text.find('[');
    const std::string name = lower(trim(text.substr(0, bracket)));
    const std::string_view unit =
        bracket == std::string_view::npos ? std::string_view{} : text.substr(bracket + 1, text.rfind(']') - bracket - 1);
    int foot = -1;
    std::string rest;
    for (int f = 0; f < 2; ++f)
      if (name.rfind(std::string(foot_name[f]) + " ", 0) == 0) {
        foot = f;
        rest = name.substr(std::string(foot_name[f]).size() + 1);
      }
    if (foot < 0) return;  // time, or a column of neither foot
    auto& feet_columns = feet[foot];
    auto axis_of = [&](const std::string& prefix) -> int {
      const std::string a = rest.substr(prefix.size());
      if (a == "x") return 0;
      if (a == "y") return 1;
      if (a == "z") return 2;
      fail(column, "axis '" + a + "' is not X, Y or Z");
    };
    if (rest.rfind("pressure ", 0) == 0) {
      unit_must_be(column, unit, {"N/cm²", "N/cm2"});
      int cell = 0;
      const std::string n = rest.substr(9);
      const auto r = std::from_chars(n.data(), n.data() + n.size(), cell);
      if (r.ec != std::errc{} || r.ptr != n.data() + n.size() || cell < 1 || cell > static_cast<int>(opengo_cells))
        fail(column, "pressure cell '" + n + "' is not 1 to 16");
      feet_columns.pressure.push_back({index, Role::pressure, cell - 1});
    } else if (rest.rfind("acceleration ", 0) == 0) {
      unit_must_be(column, unit, {"g"});
      feet_columns.acceleration.push_back({index, Role::acceleration, axis_of("acceleration ")});
    } else if (rest.rfind("angular ", 0) == 0) {
      unit_must_be(column, unit, {"dps"});
      feet_columns.rate.push_back({index, Role::rate, axis_of("angular ")});
    } else if (rest == "total force") {
      unit_must_be(column, unit, {"N"});
      feet_columns.force = Column{index, Role::force, 0};
    } else if (rest == "center of pressure x" || rest == "center of pressure y") {
      unit_must_be(column, unit, {"-0.5...+0.5"});
      // X runs along the insole: in every stance of the exports here it goes
      // from about -0.35 at the heel strike to +0.35 before the toe-off,
      // while Y stays within -0.3..+0.13 (FILES.md, "Moticon OpenGo exports").
      const bool along = rest.back() == 'x';
      (along ? feet_columns.cop_along : feet_columns.cop_across) = Column{index, along ? Role::cop_along : Role::cop_across, 0};
    } else if (rest == "steps") {
      feet_columns.steps = Column{index, Role::steps, 0};
    } else if (rest == "events") {
      feet_columns.events = Column{index, Role::events, 0};
    }
    // Other columns (COP velocity, event labels, ...) are not needed.
  }
};

double parse_number(std::string_view cell, const std::filesystem::path& path, std::size_t line, const std::string& column) {
  double v = 0.0;
  const auto r = std::from_chars(cell.data(), cell.data() + cell.size(), v);
  if (r.ec != std::errc{} || r.ptr != cell.data() + cell.size() || !std::isfinite(v))
    throw RecordingFileError(path.string() + ": line " + std::to_string(line) + ", column '" + column + "': '" +
                             std::string(cell) + "' is not a number");
  return v;
}

}  // namespace

bool is_opengo_export(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw RecordingFileError(path.string() + ": cannot open");
  // The '#' header (start time, duration, serial numbers, ...) ends with the
  // line naming the columns, "# time<TAB>...".
  std::string line;
  for (int n = 0; n < 64 && in.peek() == '#' && std::getline(in, line); ++n)
    if (line.rfind("# time\t", 0) == 0) return true;
  return false;
}

std::array<bool, 2> opengo_feet(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw RecordingFileError(path.string() + ": cannot open");
  std::string line, header;
  while (in.peek() == '#' && std::getline(in, line)) header = lower(line);
  return {header.find("\tleft ") != std::string::npos, header.find("\tright ") != std::string::npos};
}

OpenGoScan scan_opengo_export(const std::filesystem::path& path, const OpenGoFeet& feet,
                              const std::function<void(int foot, double t_s, std::span<const double> channels)>& on_row) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw RecordingFileError(path.string() + ": cannot open");
  auto fail_at = [&](std::size_t line, const std::string& what) {
    throw RecordingFileError(path.string() + ": line " + std::to_string(line) + ": " + what);
  };
  OpenGoScan scan;
  std::string line, header;
  std::size_t line_no = 0, header_line = 0;
  // Header: '#' lines; the last one names the columns.
  while (in.peek() == '#' && std::getline(in, line)) {
    ++line_no;
    const std::string_view text = trim(std::string_view(line).substr(1));
    if (text.rfind("Size:", 0) == 0) scan.insole_size = std::string(trim(text.substr(5)));
    header = std::string(text);
    header_line = line_no;
  }
  const auto names = split_tabs(header);
  if (header_line == 0 || names.empty() || lower(names[0]) != "time")
    throw RecordingFileError(path.string() + ": not a Moticon OpenGo text export (no '# time ...' column line before the data)");
  ColumnParse columns{path, header_line, {}};
  for (std::size_t i = 1; i < names.size(); ++i) columns.add(i, names[i]);

  // Each foot asked for: its channels and where they come from.
  struct Foot {
    bool asked = false;
    std::vector<std::pair<std::size_t, double>> sources;  // column, factor (cop: see below)
    std::vector<std::size_t> checked;  // every column of the foot this reader knows: numbers or empty
    bool cop = false;        // force, along, across: the centre of pressure needs an offset
    std::size_t samples = 0;
    double first_t = 0.0, last_t = 0.0;
  };
  std::array<Foot, 2> foot;
  for (int f = 0; f < 2; ++f) {
    if (!feet[f]) continue;
    const auto& c = columns.feet[f];
    const InsoleLayout& layout = *feet[f];
    auto missing = [&](const std::string& what) {
      throw RecordingFileError(path.string() + ": line " + std::to_string(header_line) + ": no " + foot_name[f] + " " +
                               what + " column");
    };
    auto& ft = foot[f];
    ft.asked = true;
    for (const auto* group : {&c.pressure, &c.acceleration, &c.rate})
      for (const auto& column : *group) ft.checked.push_back(column.index);
    for (const auto& column : {c.force, c.cop_along, c.cop_across})
      if (column) ft.checked.push_back(column->index);
    if (layout.reports_force()) {
      if (!c.force) missing("total force");
      if (!c.cop_along || !c.cop_across) missing("center of pressure X and Y");
      ft.cop = true;
      ft.sources = {{c.force->index, 1.0}, {c.cop_along->index, 100.0}, {c.cop_across->index, 100.0}};
    } else {
      if (c.pressure.size() != layout.sensors.size())
        throw RecordingFileError(path.string() + ": line " + std::to_string(header_line) + ": " +
                                 std::to_string(c.pressure.size()) + " " + foot_name[f] +
                                 " pressure columns but the layout has " + std::to_string(layout.sensors.size()) +
                                 " sensors");
      auto cells = c.pressure;
      std::sort(cells.begin(), cells.end(), [](const Column& a, const Column& b) { return a.axis < b.axis; });
      for (const auto& p : cells) ft.sources.emplace_back(p.index, 10.0);  // N/cm² = 10 kPa
    }
    const bool imu = c.acceleration.size() == 3 && c.rate.size() == 3;
    if (imu) {
      auto acc = c.acceleration, rate = c.rate;
      const auto by_axis = [](const Column& a, const Column& b) { return a.axis < b.axis; };
      std::sort(acc.begin(), acc.end(), by_axis);
      std::sort(rate.begin(), rate.end(), by_axis);
      for (const auto& a : acc) ft.sources.emplace_back(a.index, standard_gravity_mps2);
      for (const auto& r : rate) ft.sources.emplace_back(r.index, rad_from_deg(1.0));
    }
    StreamDescriptor s;
    s.id = f == 0 ? "left_insole" : "right_insole";
    s.kind = StreamKind::insole_pressure;
    s.location = f == 0 ? BodyLocation::left_foot : BodyLocation::right_foot;
    s.insole = layout;
    s.insole->side = f == 0 ? Side::left : Side::right;
    s.channels = insole_channels(layout, imu);
    scan.streams[f] = std::move(s);
  }

  std::vector<double> channels;
  double previous_t = -std::numeric_limits<double>::infinity();
  while (std::getline(in, line)) {
    ++line_no;
    if (trim(line).empty()) continue;
    const auto cells = split_tabs(line);
    if (cells.size() != names.size())
      fail_at(line_no, std::to_string(cells.size()) + " fields where the header names " + std::to_string(names.size()) +
                           " (a truncated row?)");
    const double t = parse_number(cells[0], path, line_no, std::string(names[0]));
    if (!(t > previous_t)) fail_at(line_no, "time " + std::string(cells[0]) + " is not after the previous row's");
    previous_t = t;
    for (int f = 0; f < 2; ++f) {
      // Moticon's step events, whether or not the foot is read.
      const auto& c = columns.feet[f];
      for (const auto& event : {c.steps, c.events}) {
        if (!event || cells[event->index].empty()) continue;
        const std::string column(names[event->index]);
        const double code = parse_number(cells[event->index], path, line_no, column);
        // "steps": 11 / 21 heel strike, 15 / 25 toe-off (left / right);
        // "Events": 1 heel strike, 2 toe-off.
        const bool steps = event->role == Role::steps;
        const double strike = steps ? (f == 0 ? 11 : 21) : 1, toe_off = steps ? (f == 0 ? 15 : 25) : 2;
        if (code != strike && code != toe_off)
          fail_at(line_no, "column '" + column + "': step event code " + std::string(cells[event->index]) +
                               " is not one this reader knows");
        scan.marks.push_back({f == 0 ? Side::left : Side::right, code == strike, t});
      }
      auto& ft = foot[f];
      if (!ft.asked) continue;
      // Columns not used (the pressures of an insole read by its force) must still be numbers.
      for (const std::size_t column : ft.checked)
        if (!cells[column].empty()) parse_number(cells[column], path, line_no, std::string(names[column]));
      std::size_t empty = 0;
      for (const auto& [column, factor] : ft.sources) empty += cells[column].empty();
      if (empty == ft.sources.size()) continue;  // not delivered this row
      channels.clear();
      for (const auto& [column, factor] : ft.sources) {
        if (cells[column].empty())
          fail_at(line_no, "column '" + std::string(names[column]) + "' is empty while the foot's other values are not");
        channels.push_back(factor * parse_number(cells[column], path, line_no, std::string(names[column])));
      }
      // Centre of pressure: from -0.5..+0.5 of the length (heel to toe) to %
      // of the length from the heel; across, % of the width from the axis.
      // The export writes exactly 0, 0 where it has no centre (the foot
      // unloaded, or too lightly loaded): not a centre at mid-foot.
      if (ft.cop) {
        if (channels[1] == 0.0 && channels[2] == 0.0) channels[1] = channels[2] = std::numeric_limits<double>::quiet_NaN();
        else channels[1] += 50.0;
      }
      if (ft.samples++ == 0) ft.first_t = t;
      ft.last_t = t;
      on_row(f, t, channels);
    }
  }
  for (int f = 0; f < 2; ++f) {
    if (!foot[f].asked) continue;
    if (foot[f].samples < 2)
      throw RecordingFileError(path.string() + ": the " + foot_name[f] + " insole has " +
                               std::to_string(foot[f].samples) + " samples; at least two are needed");
    auto& s = *scan.streams[f];
    s.nominal_rate_hz = static_cast<double>(foot[f].samples - 1) / (foot[f].last_t - foot[f].first_t);
    s.tick_rate_hz = 1e6;  // offline files carry seconds: a microsecond counter keeps their resolution
    s.tick_bits = 64;
    validate(s);
  }
  return scan;
}

}  // namespace stridefuse::offline

namespace stridefuse {

OpenGoRecording read_opengo_export(const std::filesystem::path& path, const std::optional<InsoleLayout>& left_layout,
                                   const std::optional<InsoleLayout>& right_layout) {
  if (!offline::is_opengo_export(path))
    throw RecordingFileError(path.string() + ": not a Moticon OpenGo text export (no '#' header ending in a '# time' column line)");
  const auto has = offline::opengo_feet(path);
  offline::OpenGoFeet feet;
  for (int f = 0; f < 2; ++f) {
    if (!has[f]) continue;
    const auto& given = f == 0 ? left_layout : right_layout;
    feet[f] = given ? *given : InsoleLayout{f == 0 ? Side::left : Side::right, 0.0, {}};
  }
  OpenGoRecording out;
  std::array<SensorRecording, 2> rec;
  auto scan = offline::scan_opengo_export(path, feet, [&](int f, double t, std::span<const double> channels) {
    rec[f].t_s.push_back(t);
    rec[f].values.insert(rec[f].values.end(), channels.begin(), channels.end());
  });
  for (int f = 0; f < 2; ++f)
    if (scan.streams[f]) {
      rec[f].stream = *scan.streams[f];
      out.insoles.push_back(std::move(rec[f]));
    }
  out.marks = std::move(scan.marks);
  out.insole_size = std::move(scan.insole_size);
  return out;
}

}  // namespace stridefuse
