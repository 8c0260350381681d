#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>
#include <charconv>
#include <cmath>
#include <fstream>
#include <iomanip>

#include "stridefuse/runtime/recording_files.hpp"

namespace stridefuse {

namespace pt = boost::property_tree;

namespace {

// Numbers are read as text and parsed here rather than with get<double>():
// this names the field in the error, and keeps GCC's -Wmaybe-uninitialized
// (a false positive inside Boost's optional<double> translator) out of
// optimised sanitizer builds.
double number_at(const pt::ptree& node, const std::string& key, const std::filesystem::path& path) {
  const auto text = node.get_optional<std::string>(key);
  if (!text) throw RecordingFileError(path.string() + ": layout field missing: \"" + key + "\"");
  double v = 0.0;
  const char* end = text->data() + text->size();
  const auto [ptr, ec] = std::from_chars(text->data(), end, v);
  if (text->empty() || ec != std::errc() || ptr != end)
    throw RecordingFileError(path.string() + ": layout field \"" + key + "\" is not a number: \"" + *text + "\"");
  return v;
}

}  // namespace

InsoleLayout read_insole_layout(const std::filesystem::path& path) {
  pt::ptree root;
  try {
    pt::read_json(path.string(), root);
  } catch (const pt::json_parser_error& e) {
    throw RecordingFileError(path.string() + ": not a valid layout JSON: " + e.message() + " (line " +
                             std::to_string(e.line()) + ")");
  }
  auto fail = [&](const std::string& what) { throw RecordingFileError(path.string() + ": " + what); };
  InsoleLayout layout;
  try {
    const auto side = root.get<std::string>("side");
    if (side == "left")
      layout.side = Side::left;
    else if (side == "right")
      layout.side = Side::right;
    else
      fail("\"side\" must be \"left\" or \"right\", not \"" + side + "\"");
    layout.length_mm = number_at(root, "length_mm", path);
    const auto sensors = root.get_child_optional("sensors");
    // An empty array: an insole that reports its own force and centre of
    // pressure (a commercial export), the layout giving its side and length.
    if (!sensors || !sensors->data().empty()) fail("\"sensors\" must be an array (empty for an insole that reports force)");
    for (const auto& [key, s] : *sensors) {
      if (!key.empty()) fail("\"sensors\" must be an array of objects");
      layout.sensors.push_back({number_at(s, "x_mm", path), number_at(s, "y_mm", path), number_at(s, "area_mm2", path)});
    }
  } catch (const pt::ptree_error& e) {
    fail(std::string("layout field missing or not a number: ") + e.what());
  }
  if (!(layout.length_mm > 0.0) || !std::isfinite(layout.length_mm)) fail("\"length_mm\" must be positive");
  for (std::size_t i = 0; i < layout.sensors.size(); ++i) {
    const auto& s = layout.sensors[i];
    if (!std::isfinite(s.x_mm) || !std::isfinite(s.y_mm) || !(s.area_mm2 > 0.0) || !std::isfinite(s.area_mm2))
      fail("sensor " + std::to_string(i) + " needs finite x_mm, y_mm and a positive area_mm2");
  }
  return layout;
}

void write_insole_layout(const InsoleLayout& layout, const std::filesystem::path& path) {
  // Written by hand: Boost.PropertyTree's writer would quote every number.
  std::ofstream out(path);
  if (!out) throw RecordingFileError(path.string() + ": cannot open for writing");
  out << std::setprecision(10) << "{\"side\": \"" << to_string(layout.side) << "\", \"length_mm\": " << layout.length_mm
      << ", \"sensors\": [";
  for (std::size_t i = 0; i < layout.sensors.size(); ++i) {
    const auto& s = layout.sensors[i];
    out << (i ? ",\n  " : "\n  ") << "{\"x_mm\": " << s.x_mm << ", \"y_mm\": " << s.y_mm << ", \"area_mm2\": " << s.area_mm2
        << "}";
  }
  out << "\n]}\n";
  if (!out) throw RecordingFileError(path.string() + ": write failed");
}

}  // namespace stridefuse
