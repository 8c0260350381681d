#include "drill_uri.hpp"

#include <functional>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "uri_values.hpp"

namespace stridefuse::simulated {
namespace {

const std::string device = "sim:drill";

[[noreturn]] void bad(const std::string& key, const std::string& value, const std::string& expected) {
  throw std::invalid_argument(device + ": " + key + "='" + value + "' is not " + expected);
}

template <class T>
T number(const std::string& key, const std::string& text) {
  return uri_number<T>(device, key, text);
}

// "3:rotation:6,7:obliquity:-5": rep, axis, degrees per fault; "none": a clean set.
std::vector<sim::DrillFault> faults_from(const std::string& key, const std::string& text) {
  const std::string expected = "a list of rep:axis:degrees (e.g. 3:rotation:6,7:obliquity:-5) or none";
  std::vector<sim::DrillFault> out;
  if (text == "none") return out;
  std::stringstream list(text);
  std::string item;
  while (std::getline(list, item, ',')) {
    const auto a = item.find(':'), b = item.rfind(':');
    if (a == std::string::npos || a == b) bad(key, text, expected);
    sim::DrillFault f;
    f.rep = uri_number<std::uint32_t>(device, key, item.substr(0, a));
    const std::string axis = item.substr(a + 1, b - a - 1);
    if (axis == "tilt") f.axis = PelvisAxis::tilt;
    else if (axis == "obliquity") f.axis = PelvisAxis::obliquity;
    else if (axis == "rotation") f.axis = PelvisAxis::rotation;
    else bad(key, text, expected + ": '" + axis + "' is not tilt, obliquity or rotation");
    f.deg = uri_number<double>(device, key, item.substr(b + 1));
    out.push_back(f);
  }
  if (out.empty()) bad(key, text, expected);
  return out;
}

std::array<double, 3> three_numbers(const std::string& key, const std::string& text) {
  std::array<double, 3> out{};
  std::stringstream list(text);
  std::string item;
  std::size_t n = 0;
  while (std::getline(list, item, ',')) {
    if (n == 3) bad(key, text, "three comma-separated numbers (x,y,z)");
    out[n++] = uri_number<double>(device, key, item);
  }
  if (n != 3) bad(key, text, "three comma-separated numbers (x,y,z)");
  return out;
}

bool flag(const std::string& key, const std::string& text) {
  if (text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  bad(key, text, "true or false");
}

using Setter = UriSetter<DrillLinkSettings>;

template <class T>
Setter field(T sim::DrillSimConfig::*member) {
  return [member](DrillLinkSettings& s, const std::string& key, const std::string& value) {
    s.drill.*member = number<T>(key, value);
  };
}
template <class T>
Setter optional_field(std::optional<T> sim::DrillSimConfig::*member) {
  return [member](DrillLinkSettings& s, const std::string& key, const std::string& value) {
    s.drill.*member = number<T>(key, value);
  };
}

// One row per key: named as the DrillSimConfig field, unit included.
const UriSetters<DrillLinkSettings>& setters() {
  static const UriSetters<DrillLinkSettings> table = {
      {"exercise", [](DrillLinkSettings& s, const std::string& key, const std::string& v) {
         const auto e = drill_exercise_from(v);
         if (!e) bad(key, v, "bridge, single-leg-rdl, donkey-kick, banded-hip-extension, running-man or pigeon");
         s.drill.exercise = *e;
       }},
      {"side", [](DrillLinkSettings& s, const std::string& key, const std::string& v) {
         const auto side = drill_side_from(v);
         if (!side) bad(key, v, "left, right or both");
         s.drill.side = *side;
       }},
      {"reps", field(&sim::DrillSimConfig::reps)},
      {"tempo_s", optional_field(&sim::DrillSimConfig::tempo_s)},
      {"hold_s", optional_field(&sim::DrillSimConfig::hold_s)},
      {"rest_s", field(&sim::DrillSimConfig::rest_s)},
      {"rom_deg", optional_field(&sim::DrillSimConfig::rom_deg)},
      {"faults", [](DrillLinkSettings& s, const std::string& key, const std::string& v) {
         s.drill.faults = faults_from(key, v);
       }},
      {"sway_deg", field(&sim::DrillSimConfig::sway_deg)},
      {"start_standing_s", field(&sim::DrillSimConfig::start_standing_s)},
      {"transition_s", field(&sim::DrillSimConfig::transition_s)},
      {"start_still_s", field(&sim::DrillSimConfig::start_still_s)},
      {"end_still_s", field(&sim::DrillSimConfig::end_still_s)},
      {"seed", field(&sim::DrillSimConfig::seed)},
      {"body_mass_kg", field(&sim::DrillSimConfig::body_mass_kg)},
      {"sensors", [](DrillLinkSettings& s, const std::string&, const std::string& v) {
         s.drill.sensors = sim::sensor_set_from(v);
       }},
      {"calibration_hinge", [](DrillLinkSettings& s, const std::string& key, const std::string& v) {
         s.drill.calibration_hinge = flag(key, v);
       }},
      {"insole_imu", [](DrillLinkSettings& s, const std::string& key, const std::string& v) {
         s.drill.insoles.with_imu = flag(key, v);
       }},
      {"pelvis_rate_hz", [](DrillLinkSettings& s, const std::string& key, const std::string& v) {
         s.drill.pelvis.rate_hz = number<double>(key, v);
       }},
      {"insole_rate_hz", [](DrillLinkSettings& s, const std::string& key, const std::string& v) {
         s.drill.insoles.rate_hz = number<double>(key, v);
       }},
      {"mount_error_deg", [](DrillLinkSettings& s, const std::string& key, const std::string& v) {
         s.drill.mount_error_deg = three_numbers(key, v);
       }},
      {"gyro_bias_radps", [](DrillLinkSettings& s, const std::string& key, const std::string& v) {
         s.drill.pelvis.noise.gyro_bias_radps = s.drill.insoles.imu_noise.gyro_bias_radps = number<double>(key, v);
       }},
      {"time_scale", [](DrillLinkSettings& s, const std::string& key, const std::string& v) {
         s.time_scale = number<double>(key, v);
       }},
      {"clock", [](DrillLinkSettings& s, const std::string& key, const std::string& v) {
         if (v != "host" && v != "virtual") bad(key, v, "host or virtual");
         s.own_clock = v == "virtual";
       }},
  };
  return table;
}

}  // namespace

bool names_a_drill(const DriverOptions& params) { return params.contains("exercise"); }

DrillLinkSettings drill_link_settings(const DriverOptions& params) {
  DrillLinkSettings s;
  apply_uri_params(device, params, setters(), s);

  if (!params.contains("exercise"))
    throw std::invalid_argument(device + " needs exercise= (bridge, single-leg-rdl, donkey-kick, "
                                         "banded-hip-extension, running-man or pigeon)");
  if (s.drill.exercise != DrillExercise::bridge && !params.contains("side"))
    throw std::invalid_argument(device + ": " + to_string(s.drill.exercise) +
                                " is one-sided: give side=left, right or both");
  if (!(s.time_scale > 0.0) || s.time_scale > 1000.0)
    throw std::invalid_argument(device + ": time_scale must be in (0, 1000]");
  sim::validate(s.drill);
  return s;
}

std::vector<std::string> drill_uri_keys() { return uri_keys(setters()); }

}  // namespace stridefuse::simulated
