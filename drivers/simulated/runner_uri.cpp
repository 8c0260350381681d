#include "runner_uri.hpp"

#include <functional>
#include <stdexcept>
#include <utility>

#include "uri_values.hpp"

namespace stridefuse::simulated {
namespace {

template <class T>
T number(const std::string& key, const std::string& text) {
  return uri_number<T>("simulated runner", key, text);
}

StrikePattern strike(const std::string& text) {
  for (const auto p : {StrikePattern::rearfoot, StrikePattern::midfoot, StrikePattern::forefoot})
    if (text == to_string(p)) return p;
  throw std::invalid_argument("simulated runner: strike_pattern='" + text + "' is not rearfoot, midfoot or forefoot");
}

sim::SpeedSource speed_source(const std::string& text) {
  if (text == "none") return sim::SpeedSource::none;
  if (text == "treadmill") return sim::SpeedSource::treadmill;
  if (text == "stream") return sim::SpeedSource::stream;
  throw std::invalid_argument("simulated runner: speed_source='" + text + "' is not none, treadmill or stream");
}

using Setter = UriSetter<RunnerLinkSettings>;

template <class T>
Setter field(T sim::RunnerConfig::*member) {
  return [member](RunnerLinkSettings& s, const std::string& key, const std::string& value) {
    s.runner.*member = number<T>(key, value);
  };
}

// One row per key: the name a URI uses is the RunnerConfig field's, unit included.
const UriSetters<RunnerLinkSettings>& setters() {
  static const UriSetters<RunnerLinkSettings> table = {
      {"seed", field(&sim::RunnerConfig::seed)},
      {"speed_mps", field(&sim::RunnerConfig::speed_mps)},
      {"cadence_spm", field(&sim::RunnerConfig::cadence_spm)},
      {"standing_s", field(&sim::RunnerConfig::standing_s)},
      {"foot_strike_distance_m", field(&sim::RunnerConfig::foot_strike_distance_m)},
      {"strike_pattern", [](RunnerLinkSettings& s, const std::string&, const std::string& v) {
         s.runner.strike_pattern = strike(v);
       }},
      {"tilt_offset_deg", field(&sim::RunnerConfig::tilt_offset_deg)},
      {"pelvic_drop_deg", field(&sim::RunnerConfig::pelvic_drop_deg)},
      {"rotation_amplitude_deg", field(&sim::RunnerConfig::rotation_amplitude_deg)},
      {"body_mass_kg", field(&sim::RunnerConfig::body_mass_kg)},
      {"leg_length_m", field(&sim::RunnerConfig::leg_length_m)},
      {"walking_s", field(&sim::RunnerConfig::walking_s)},
      {"walking_speed_mps", [](RunnerLinkSettings& s, const std::string& key, const std::string& v) {
         s.runner.walking.speed_mps = number<double>(key, v);
       }},
      {"walking_cadence_spm", [](RunnerLinkSettings& s, const std::string& key, const std::string& v) {
         s.runner.walking.cadence_spm = number<double>(key, v);
       }},
      {"sensors", [](RunnerLinkSettings& s, const std::string&, const std::string& v) {
         s.runner.sensors = sim::sensor_set_from(v);
       }},
      {"speed_source", [](RunnerLinkSettings& s, const std::string&, const std::string& v) {
         s.runner.speed_source = speed_source(v);
       }},
      {"speed_stream_rate_hz", [](RunnerLinkSettings& s, const std::string& key, const std::string& v) {
         s.runner.speed_stream.rate_hz = number<double>(key, v);
       }},
      {"time_scale", [](RunnerLinkSettings& s, const std::string& key, const std::string& v) {
         s.time_scale = number<double>(key, v);
       }},
      {"clock", [](RunnerLinkSettings& s, const std::string&, const std::string& v) {
         if (v != "host" && v != "virtual")
           throw std::invalid_argument("simulated runner: clock='" + v + "' is not host or virtual");
         s.own_clock = v == "virtual";
       }},
  };
  return table;
}

}  // namespace

RunnerLinkSettings runner_link_settings(const DriverOptions& params) {
  RunnerLinkSettings s;
  apply_uri_params("simulated runner", params, setters(), s);

  if (!(s.time_scale > 0.0) || s.time_scale > 1000.0)
    throw std::invalid_argument("simulated runner: time_scale must be in (0, 1000]");
  sim::validate(s.runner);
  return s;
}

std::vector<std::string> runner_uri_keys() { return uri_keys(setters()); }

}  // namespace stridefuse::simulated
