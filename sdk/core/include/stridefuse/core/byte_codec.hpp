#pragma once
// Little-endian field readers and writers and the CRC shared by the bridge
// protocol, the simulated devices' packets and the BLE payload codecs: every
// multi-byte field on these wires is little-endian.

#include <boost/crc.hpp>
#include <boost/endian/conversion.hpp>
#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

namespace stridefuse::wire {

class ByteWriter {
 public:
  explicit ByteWriter(std::vector<std::uint8_t>& out) : out_(out) {}
  void u8(std::uint8_t v) { out_.push_back(v); }
  void i8(std::int8_t v) { out_.push_back(static_cast<std::uint8_t>(v)); }
  void u16(std::uint16_t v) { put(boost::endian::native_to_little(v)); }
  void i16(std::int16_t v) { put(boost::endian::native_to_little(v)); }
  void u32(std::uint32_t v) { put(boost::endian::native_to_little(v)); }
  /// float32 travels as its IEEE-754 bit pattern, little-endian like the integers.
  void f32(float v) { u32(std::bit_cast<std::uint32_t>(v)); }
  void bytes(std::span<const std::uint8_t> b) { out_.insert(out_.end(), b.begin(), b.end()); }
  void text(const std::string& s) { out_.insert(out_.end(), s.begin(), s.end()); }

 private:
  template <class T>
  void put(T v) {
    std::uint8_t b[sizeof v];
    std::memcpy(b, &v, sizeof v);
    // Byte by byte: GCC 12 at -O3 reports a false stringop-overflow for a range insert here.
    for (const auto byte : b) out_.push_back(byte);
  }
  std::vector<std::uint8_t>& out_;
};

/// Reads fields in order; once a read runs past the end, ok() is false and
/// every further read returns 0, so a parser checks ok() once at the end.
class ByteReader {
 public:
  explicit ByteReader(std::span<const std::uint8_t> in) : in_(in) {}
  std::uint8_t u8() { return get<std::uint8_t>(); }
  std::int8_t i8() { return static_cast<std::int8_t>(get<std::uint8_t>()); }
  std::uint16_t u16() { return boost::endian::little_to_native(get<std::uint16_t>()); }
  std::int16_t i16() { return boost::endian::little_to_native(get<std::int16_t>()); }
  std::uint32_t u32() { return boost::endian::little_to_native(get<std::uint32_t>()); }
  float f32() { return std::bit_cast<float>(u32()); }
  std::span<const std::uint8_t> bytes(std::size_t n) {
    if (n > remaining()) {
      ok_ = false;
      pos_ = in_.size();
      return {};
    }
    auto out = in_.subspan(pos_, n);
    pos_ += n;
    return out;
  }
  std::span<const std::uint8_t> rest() { return bytes(remaining()); }
  std::size_t remaining() const { return in_.size() - pos_; }
  bool ok() const { return ok_; }
  bool done() const { return ok_ && pos_ == in_.size(); }

 private:
  template <class T>
  T get() {
    if (sizeof(T) > remaining()) {
      ok_ = false;
      pos_ = in_.size();
      return T{};
    }
    T v;
    std::memcpy(&v, in_.data() + pos_, sizeof v);
    pos_ += sizeof v;
    return v;
  }
  std::span<const std::uint8_t> in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

/// CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final xor).
inline std::uint16_t crc16(std::span<const std::uint8_t> bytes) {
  boost::crc_ccitt_type crc;
  crc.process_bytes(bytes.data(), bytes.size());
  return static_cast<std::uint16_t>(crc.checksum());
}

}  // namespace stridefuse::wire
