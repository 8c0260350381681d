#include "reference_insole_payload.hpp"

#include <algorithm>
#include <cmath>

#include "stridefuse/core/batch_framing.hpp"
#include "stridefuse/core/sample_batch.hpp"

namespace stridefuse::reference_insole {
namespace {

constexpr std::uint8_t flag_imu = 0x01;

constexpr std::size_t imu_bytes = 12;  // ax..gz, i16 each
std::size_t sample_bytes(bool has_imu) { return 2 + 2 * site_count + (has_imu ? imu_bytes : 0); }

// Site positions as fractions of the insole length (x from the heel, y to the
// foot's left) and areas as fractions of length squared: rows of two sites
// either side of the long axis, each site standing for the patch of sole
// between its row's neighbours.
struct SiteFraction {
  double x, y, area;
};
constexpr std::array<SiteFraction, site_count> sites{{
    {0.08, 0.045, 0.0150}, {0.08, -0.045, 0.0150},  // heel
    {0.24, 0.050, 0.0170}, {0.24, -0.050, 0.0170},  // rear midfoot
    {0.42, 0.055, 0.0180}, {0.42, -0.055, 0.0180},  // midfoot
    {0.60, 0.065, 0.0210}, {0.60, -0.065, 0.0210},  // metatarsal heads
    {0.74, 0.065, 0.0190}, {0.74, -0.065, 0.0190},  // forefoot
    {0.88, 0.045, 0.0150}, {0.88, -0.045, 0.0150},  // toes
}};

}  // namespace

std::size_t max_samples(bool has_imu) { return wire::max_batch_samples(max_payload_bytes, sample_bytes(has_imu)); }

std::vector<std::uint8_t> encode(const MeasurementPacket& packet) {
  std::vector<std::uint8_t> out;
  wire::ByteWriter w(out);
  wire::write_batch_header(w, "reference insole packet", format_version, packet.has_imu ? flag_imu : 0,
                           packet.samples.size(), max_samples(packet.has_imu));
  for (const auto& s : packet.samples) {
    w.u16(s.tick);
    for (double p : s.pressure_kpa)
      w.u16(wire::quantize_u16(p, pressure_lsb_kpa));
    if (packet.has_imu) {
      for (int i = 0; i < 3; ++i) w.i16(wire::quantize_i16(s.imu[i], accel_lsb_mps2));
      for (int i = 3; i < 6; ++i) w.i16(wire::quantize_i16(s.imu[i], gyro_lsb_radps));
    }
  }
  return out;
}

namespace {

// The header, and whether its samples carry the IMU; nothing for a malformed value.
std::optional<bool> read_header(wire::ByteReader& r) {
  const auto header = wire::read_batch_header(r, format_version, flag_imu, [](std::uint8_t flags) {
    return sample_bytes((flags & flag_imu) != 0);
  });
  if (!header) return std::nullopt;
  return (header->flags & flag_imu) != 0;
}

}  // namespace

bool decode_into(std::span<const std::uint8_t> payload, bool with_imu,
                 const std::function<Sample&(std::uint16_t tick)>& add_sample) {
  wire::ByteReader r(payload);
  const auto has_imu = read_header(r);
  // An insole found by scanning is declared without IMU (its name does not
  // say), yet the IMU model sends the IMU fields: its pressures are as good,
  // so they are delivered and the undeclared fields skipped. The other way
  // round a declared IMU channel would have no value: that value is malformed.
  if (!has_imu || (with_imu && !*has_imu)) return false;
  while (r.remaining() > 0) {
    Sample& s = add_sample(r.u16());
    for (std::size_t i = 0; i < site_count; ++i) s.values[i] = r.u16() * pressure_lsb_kpa;
    if (with_imu) {
      for (std::size_t i = 0; i < 3; ++i) s.values[site_count + i] = r.i16() * accel_lsb_mps2;
      for (std::size_t i = 3; i < 6; ++i) s.values[site_count + i] = r.i16() * gyro_lsb_radps;
    } else if (*has_imu) {
      r.bytes(imu_bytes);
    }
  }
  return true;
}

std::optional<MeasurementPacket> decode(std::span<const std::uint8_t> payload) {
  wire::ByteReader peek(payload);
  const auto has_imu = read_header(peek);
  if (!has_imu) return std::nullopt;
  SampleBatch batch;
  decode_into(payload, *has_imu, [&](std::uint16_t tick) -> Sample& {
    return batch.add(0, tick, site_count + (*has_imu ? 6 : 0));
  });
  MeasurementPacket packet{*has_imu, {}};
  for (const auto& s : batch) {
    InsoleSample& out = packet.samples.emplace_back();
    out.tick = static_cast<std::uint16_t>(s.device_tick);
    std::copy_n(s.values.begin(), site_count, out.pressure_kpa.begin());
    if (*has_imu) std::copy_n(s.values.begin() + site_count, 6, out.imu.begin());
  }
  return packet;
}

std::optional<InsoleIdentity> parse_advertised_name(const std::string& name) {
  if (name.size() < 9 || !name.starts_with("SFI-") || name[5] != '-') return std::nullopt;
  InsoleIdentity id;
  if (name[4] == 'L')
    id.side = Side::left;
  else if (name[4] == 'R')
    id.side = Side::right;
  else
    return std::nullopt;
  const std::string digits = name.substr(6);
  if (digits.empty() || digits.size() > 3 || !std::ranges::all_of(digits, [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  id.length_mm = std::stoi(digits);
  if (id.length_mm < 180 || id.length_mm > 340) return std::nullopt;
  return id;
}

std::string advertised_name(const InsoleIdentity& identity) {
  return std::string("SFI-") + (identity.side == Side::left ? "L" : "R") + "-" +
         std::to_string(static_cast<int>(std::lround(identity.length_mm)));
}

InsoleLayout layout(const InsoleIdentity& identity) {
  InsoleLayout l;
  l.side = identity.side;
  l.length_mm = identity.length_mm;
  const double len = identity.length_mm;
  for (const auto& s : sites) l.sensors.push_back({s.x * len, s.y * len, s.area * len * len});
  return l;
}

StreamDescriptor stream(const InsoleIdentity& identity, bool with_imu) {
  StreamDescriptor d;
  d.id = identity.side == Side::left ? "left_insole" : "right_insole";
  d.kind = StreamKind::insole_pressure;
  d.location = identity.side == Side::left ? BodyLocation::left_foot : BodyLocation::right_foot;
  d.nominal_rate_hz = sample_rate_hz;
  d.channels = insole_channels(site_count, with_imu);
  // The payload's full scales: the largest u16 pressure, the largest i16 IMU reading.
  for (std::size_t c = 0; c < site_count; ++c) d.channels[c].full_scale = 65535 * pressure_lsb_kpa;
  if (with_imu) declare_imu_full_scale(d.channels, site_count, 32767 * accel_lsb_mps2, 32767 * gyro_lsb_radps);
  d.insole = layout(identity);
  d.tick_rate_hz = tick_rate_hz;
  d.tick_bits = tick_bits;
  return d;
}

}  // namespace stridefuse::reference_insole
