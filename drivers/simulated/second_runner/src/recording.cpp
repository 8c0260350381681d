#include "stridefuse/second_runner/recording.hpp"

#include <cstdio>
#include <fstream>
#include <random>
#include <stdexcept>

#include "stridefuse/second_runner/insole.hpp"
#include "stridefuse/second_runner/pelvis_imu.hpp"

namespace stridefuse::second_runner {

namespace recording_detail {

std::ofstream open_for_writing(const std::filesystem::path& path) {
  std::ofstream out(path);
  if (!out) throw std::runtime_error("second runner: cannot write " + path.string());
  return out;
}

const char* pattern_name(StrikePattern p) {
  switch (p) {
    case StrikePattern::rearfoot: return "rearfoot";
    case StrikePattern::midfoot: return "midfoot";
    case StrikePattern::forefoot: return "forefoot";
    default: return "";
  }
}

// A footpod's speed: the forward speed over its last second, scaled by its
// calibration error, with noise; on the pelvis file's clock (FILES.md: a speed file shares it).
void write_footpod(const Scenario& sc, const Motion& motion, const std::filesystem::path& path) {
  auto out = open_for_writing(path);
  std::mt19937 random(sc.seed * 32452843u + 11u);
  std::normal_distribution<double> unit(0.0, 1.0);
  char line[96];
  std::snprintf(line, sizeof line, "t,speed_mps\n");
  out << line;
  const double end_s = motion.time_s(motion.size() - 1);
  for (double t = 1.0; t < end_s; t += 1.0 / sc.footpod_rate_hz) {
    const double speed = (motion.at(motion.com_m, t).x() - motion.at(motion.com_m, t - 1.0).x()) / 1.0;
    const double reported = std::max(0.0, speed * (1.0 + sc.footpod_scale_error + sc.footpod_noise * unit(random)));
    std::snprintf(line, sizeof line, "%.6f,%.4f\n", sc.pelvis_clock.device_from_true(t), reported);
    out << line;
  }
}

}  // namespace recording_detail

Recording write_recording(const Scenario& sc, const std::filesystem::path& dir) {
  using namespace recording_detail;
  std::filesystem::create_directories(dir);
  Recording rec{dir / "pelvis.csv", dir / "left.csv", dir / "left_layout.json", dir / "right.csv",
                dir / "right_layout.json", std::nullopt, dir / "truth_steps.csv", dir / "truth_clocks.csv", {}};
  const Motion motion = simulate_motion(sc);
  char line[256];
  {
    const ImuSamples imu = sample_imu(sc, motion, sensor_path(sc, motion));
    auto out = open_for_writing(rec.pelvis_csv);
    out << "t,ax,ay,az,gx,gy,gz\n";
    for (std::size_t i = 0; i < imu.device_t_s.size(); ++i) {
      const auto& a = imu.accel_mps2[i];
      const auto& g = imu.gyro_radps[i];
      std::snprintf(line, sizeof line, "%.6f,%.5f,%.5f,%.5f,%.6f,%.6f,%.6f\n", imu.device_t_s[i], a.x(), a.y(), a.z(), g.x(),
                    g.y(), g.z());
      out << line;
    }
  }
  const double length_mm = sc.foot_length_m * 1000.0;
  const auto cells = insole_layout(sc.insole_cells, length_mm);
  for (const Side side : {Side::left, Side::right}) {
    const bool left = side == Side::left;
    {
      auto layout = open_for_writing(left ? rec.left_layout : rec.right_layout);
      layout << "{\"side\": \"" << (left ? "left" : "right") << "\", \"length_mm\": " << length_mm << ", \"sensors\": [";
      for (std::size_t i = 0; i < cells.size(); ++i) {
        std::snprintf(line, sizeof line, "%s{\"x_mm\": %.2f, \"y_mm\": %.2f, \"area_mm2\": %.1f}", i ? ", " : "",
                      cells[i].x_mm, cells[i].y_mm, cells[i].area_mm2);
        layout << line;
      }
      layout << "]}\n";
    }
    const InsoleSamples samples = sample_insole(sc, motion, side, cells);
    auto out = open_for_writing(left ? rec.left_csv : rec.right_csv);
    out << 't';
    for (std::size_t i = 0; i < cells.size(); ++i) out << ",p" << i;
    out << '\n';
    for (std::size_t k = 0; k < samples.device_t_s.size(); ++k) {
      std::snprintf(line, sizeof line, "%.6f", samples.device_t_s[k]);
      out << line;
      for (double p : samples.pressure_kpa[k]) {
        std::snprintf(line, sizeof line, ",%.3f", p);
        out << line;
      }
      out << '\n';
    }
  }
  if (sc.speed_source == SpeedSource::footpod) {
    rec.speed_csv = dir / "speed.csv";
    write_footpod(sc, motion, *rec.speed_csv);
  }
  rec.contacts = contact_truth(sc, motion);
  {
    auto out = open_for_writing(rec.truth_csv);
    out << "side,t_ic_s,t_to_s,contact_time_s,strike_index_pct,strike_pattern,foot_strike_distance_m,step_length_m,"
           "braking_time_s,tilt_ic_deg,obliquity_ic_deg,rotation_ic_deg\n";
    for (const auto& c : rec.contacts) {
      std::snprintf(line, sizeof line, "%s,%.6f,%.6f,%.6f,%.2f,%s,%.4f,%.4f,%.4f,%.3f,%.3f,%.3f\n",
                    c.side == Side::left ? "left" : "right", c.ic_s, c.to_s, c.contact_time_s, c.strike_index_pct,
                    pattern_name(c.strike_pattern), c.foot_strike_distance_m, c.step_length_m, c.braking_time_s,
                    c.tilt_ic_deg, c.obliquity_ic_deg, c.rotation_ic_deg);
      out << line;
    }
  }
  {
    auto out = open_for_writing(rec.clocks_csv);
    out << "device,offset_s,drift_ppm\n";
    const std::pair<const char*, const DeviceClock*> clocks[] = {
        {"pelvis", &sc.pelvis_clock}, {"left", &sc.left_clock}, {"right", &sc.right_clock}};
    for (const auto& [name, clock] : clocks) {
      std::snprintf(line, sizeof line, "%s,%.6f,%.3f\n", name, clock->offset_s, clock->drift_ppm);
      out << line;
    }
  }
  return rec;
}

}  // namespace stridefuse::second_runner
