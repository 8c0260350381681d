#pragma once
// The mobgap lower-back walking trials (shared/data/mobgap, see its
// README.md): reading a trial, running the engine on its pelvis stream alone,
// and scoring the initial contacts as the README says. Used by the pelvis
// walking test and by tests/benchmarks/sensor_subsets_bench.cpp.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "stridefuse/fusion/engine.hpp"

namespace stridefuse::fusion::mobgap {

inline const std::vector<std::string>& trial_names() {
  static const std::vector<std::string> names = {"HA_001_Test5_Trial1", "HA_001_Test5_Trial2", "HA_001_Test11_Trial1"};
  return names;
}

struct Contact {
  double t_s = 0.0;
  Side side = Side::left;
};

struct Trial {
  std::string name;
  std::vector<double> t_s;
  std::vector<std::array<double, 6>> imu;  ///< ax, ay, az (m/s^2), gx, gy, gz (rad/s)
  std::string reference_system;            ///< Stereophoto, or INDIP where the trial has no Stereophoto contacts
  std::vector<Contact> reference_ic;       ///< in time order
};

inline std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  for (std::string cell; std::getline(in, cell, ',');) out.push_back(cell);
  return out;
}

/// Reads dir/name/pelvis.csv and dir/name/truth_contacts.csv. Throws std::runtime_error naming the file.
inline Trial load_trial(const std::string& dir, const std::string& name) {
  Trial trial;
  trial.name = name;
  const std::string pelvis = dir + "/" + name + "/pelvis.csv", truth = dir + "/" + name + "/truth_contacts.csv";
  std::ifstream imu(pelvis);
  if (!imu) throw std::runtime_error("cannot open " + pelvis);
  std::string line;
  std::getline(imu, line);
  if (line != "t,ax,ay,az,gx,gy,gz") throw std::runtime_error(pelvis + ": unexpected header " + line);
  while (std::getline(imu, line)) {
    const auto cells = split(line);
    if (cells.size() != 7) throw std::runtime_error(pelvis + ": a row without 7 fields: " + line);
    trial.t_s.push_back(std::stod(cells[0]));
    std::array<double, 6> v{};
    for (int i = 0; i < 6; ++i) v[static_cast<std::size_t>(i)] = std::stod(cells[static_cast<std::size_t>(i) + 1]);
    trial.imu.push_back(v);
  }
  std::ifstream contacts(truth);
  if (!contacts) throw std::runtime_error("cannot open " + truth);
  std::getline(contacts, line);
  std::vector<std::tuple<std::string, double, Side>> ics;
  while (std::getline(contacts, line)) {
    const auto cells = split(line);
    if (cells.size() != 4) throw std::runtime_error(truth + ": a row without 4 fields: " + line);
    if (cells[1] != "IC") continue;
    ics.emplace_back(cells[0], std::stod(cells[3]), cells[2] == "Left" ? Side::left : Side::right);
  }
  trial.reference_system =
      std::any_of(ics.begin(), ics.end(), [](const auto& c) { return std::get<0>(c) == "Stereophoto"; }) ? "Stereophoto"
                                                                                                         : "INDIP";
  for (const auto& [system, t, side] : ics)
    if (system == trial.reference_system) trial.reference_ic.push_back({t, side});
  std::sort(trial.reference_ic.begin(), trial.reference_ic.end(),
            [](const Contact& a, const Contact& b) { return a.t_s < b.t_s; });
  return trial;
}

/// The engine on the trial's pelvis stream alone; its steps.
inline std::vector<StepEvent> pelvis_steps(const Trial& trial) {
  StreamDescriptor pelvis;
  pelvis.id = "pelvis";
  pelvis.kind = StreamKind::imu;
  pelvis.location = BodyLocation::pelvis;
  pelvis.channels = imu_channels(false);
  pelvis.nominal_rate_hz = static_cast<double>(trial.t_s.size() - 1) / (trial.t_s.back() - trial.t_s.front());
  pelvis.tick_rate_hz = 1e6;
  pelvis.tick_bits = 64;
  std::vector<StepEvent> steps;
  Engine engine({pelvis}, {}, [&](const Event& e) {
    if (const auto* s = std::get_if<StepEvent>(&e)) steps.push_back(*s);
  });
  for (std::size_t i = 0; i < trial.t_s.size(); ++i) {
    Sample s;
    s.t_s = trial.t_s[i];
    s.device_tick = static_cast<std::uint64_t>(std::llround(trial.t_s[i] * 1e6));
    s.channel_count = 6;
    std::copy(trial.imu[i].begin(), trial.imu[i].end(), s.values.begin());
    engine.push(s);
  }
  engine.finish();
  return steps;
}

/// The scoring of shared/data/mobgap/README.md.
struct Score {
  std::size_t reference = 0;  ///< reference initial contacts
  std::size_t detected = 0;   ///< detections inside the reference's bouts
  std::size_t matched = 0;
  std::size_t side_right = 0;  ///< matched with the right side
  std::vector<double> errors_s;

  double recall() const { return reference ? static_cast<double>(matched) / static_cast<double>(reference) : NAN; }
  double precision() const { return detected ? static_cast<double>(matched) / static_cast<double>(detected) : NAN; }
  double side_share() const { return matched ? static_cast<double>(side_right) / static_cast<double>(matched) : NAN; }
  /// Quantile q of |error| in ms (nearest rank).
  double abs_error_ms(double q) const {
    if (errors_s.empty()) return NAN;
    std::vector<double> a;
    for (double e : errors_s) a.push_back(std::abs(e) * 1e3);
    std::sort(a.begin(), a.end());
    const auto k = static_cast<std::size_t>(std::ceil(q * static_cast<double>(a.size())));
    return a[k == 0 ? 0 : k - 1];
  }
  void merge(const Score& o) {
    reference += o.reference;
    detected += o.detected;
    matched += o.matched;
    side_right += o.side_right;
    errors_s.insert(errors_s.end(), o.errors_s.begin(), o.errors_s.end());
  }
};

/// Bouts: reference contacts less than 2.5 s apart, widened by 0.6 s at each
/// end; only detections inside them count. Each detection is matched to the
/// nearest reference contact within 0.5 s, one to one, closest pairs first.
inline Score score(const std::vector<Contact>& reference, const std::vector<Contact>& detected) {
  Score s;
  s.reference = reference.size();
  std::vector<std::pair<double, double>> bouts;
  for (const auto& r : reference) {
    if (!bouts.empty() && r.t_s - bouts.back().second < 2.5) bouts.back().second = r.t_s;
    else bouts.emplace_back(r.t_s, r.t_s);
  }
  std::vector<Contact> inside;
  for (const auto& d : detected)
    for (const auto& [from, to] : bouts)
      if (d.t_s >= from - 0.6 && d.t_s <= to + 0.6) {
        inside.push_back(d);
        break;
      }
  s.detected = inside.size();
  std::vector<std::tuple<double, std::size_t, std::size_t>> pairs;
  for (std::size_t i = 0; i < inside.size(); ++i)
    for (std::size_t j = 0; j < reference.size(); ++j)
      if (std::abs(inside[i].t_s - reference[j].t_s) <= 0.5)
        pairs.emplace_back(std::abs(inside[i].t_s - reference[j].t_s), i, j);
  std::sort(pairs.begin(), pairs.end());
  std::vector<bool> used_d(inside.size()), used_r(reference.size());
  for (const auto& [error, i, j] : pairs) {
    if (used_d[i] || used_r[j]) continue;
    used_d[i] = used_r[j] = true;
    ++s.matched;
    s.side_right += inside[i].side == reference[j].side;
    s.errors_s.push_back(inside[i].t_s - reference[j].t_s);
  }
  return s;
}

}  // namespace stridefuse::fusion::mobgap
