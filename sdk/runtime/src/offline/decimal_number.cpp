// The table of decimal_number.hpp: 5^e for e in [-64, 64], each as a 128-bit
// mantissa truncated towards zero, computed when compiling with a small big
// integer (the truncation is what the parser's error bound assumes).

#include "decimal_number.hpp"

namespace stridefuse::offline {
namespace {

// Unsigned integer of up to 320 bits, little-endian 64-bit limbs (a plain
// array: the compiler's budget for constant evaluation counts every call).
struct Big {
  static constexpr int limbs = 5;
  std::uint64_t limb[limbs]{};

  constexpr int bit_length() const {
    for (int i = limbs - 1; i >= 0; --i)
      if (limb[i] != 0) return 64 * i + 64 - std::countl_zero(limb[i]);
    return 0;
  }
  constexpr bool bit(int i) const { return ((limb[i / 64] >> (i % 64)) & 1) != 0; }
  constexpr void multiply(std::uint64_t f) {
    detail::uint128 carry = 0;
    for (auto& l : limb) {
      const detail::uint128 v = static_cast<detail::uint128>(l) * f + carry;
      l = static_cast<std::uint64_t>(v);
      carry = v >> 64;
    }
  }
  constexpr void shift_left_one() {
    for (int i = limbs - 1; i > 0; --i) limb[i] = (limb[i] << 1) | (limb[i - 1] >> 63);
    limb[0] <<= 1;
  }
  constexpr bool at_least(const Big& o) const {
    for (int i = limbs - 1; i >= 0; --i)
      if (limb[i] != o.limb[i]) return limb[i] > o.limb[i];
    return true;
  }
  constexpr void subtract(const Big& o) {
    std::uint64_t borrow = 0;
    for (int i = 0; i < limbs; ++i) {
      const std::uint64_t d = limb[i] - o.limb[i];
      const std::uint64_t next_borrow = (limb[i] < o.limb[i] || d < borrow) ? 1 : 0;
      limb[i] = d - borrow;
      borrow = next_borrow;
    }
  }
  // Bits [from, from + 128) as (high, low) 64-bit words; bits below 0 are zero.
  constexpr PowerOfFive window(int from) const {
    PowerOfFive r{0, 0, 0};
    for (int i = 0; i < 128; ++i) {
      const int src = from + i;
      if (src < 0 || !bit(src)) continue;
      if (i >= 64) r.high |= std::uint64_t{1} << (i - 64);
      else r.low |= std::uint64_t{1} << i;
    }
    return r;
  }
};

constexpr Big power_of_five(int k) {
  Big b;
  b.limb[0] = 1;
  for (int i = 0; i < k; ++i) b.multiply(5);
  return b;
}

constexpr PowerOfFive entry(int e) {
  if (e >= 0) {
    // 5^e = floor(5^e / 2^(n - 128)) * 2^(n - 128) + rest, n its bit length.
    const Big p = power_of_five(e);
    const int n = p.bit_length();
    PowerOfFive r = p.window(n - 128);
    r.binary_exponent = n - 128;
    return r;
  }
  // 5^e = 2^(127 + n) / 5^-e * 2^-(127 + n), n the bit length of 5^-e: the
  // quotient lies in (2^127, 2^128). Long division one quotient bit at a
  // time; the dividend's bits above 127 leave the remainder 2^(n - 1).
  const Big divisor = power_of_five(-e);
  const int n = divisor.bit_length();
  Big remainder, quotient;
  remainder.limb[(n - 1) / 64] = std::uint64_t{1} << ((n - 1) % 64);
  for (int i = 127; i >= 0; --i) {
    remainder.shift_left_one();
    if (remainder.at_least(divisor)) {
      remainder.subtract(divisor);
      quotient.limb[i / 64] |= std::uint64_t{1} << (i % 64);
    }
  }
  PowerOfFive r = quotient.window(0);
  r.binary_exponent = -(127 + n);
  return r;
}

constexpr PowerOfFiveTable table() {
  PowerOfFiveTable t{};
  for (int e = min_table_exponent; e <= max_table_exponent; ++e) t[static_cast<std::size_t>(e - min_table_exponent)] = entry(e);
  return t;
}

}  // namespace

constexpr PowerOfFiveTable powers_of_five = table();

// The parser's error bound assumes normalised mantissas.
static_assert([] {
  for (const auto& p : powers_of_five)
    if ((p.high >> 63) != 1) return false;
  return true;
}());
static_assert(powers_of_five[-min_table_exponent].high == std::uint64_t{1} << 63 &&
              powers_of_five[-min_table_exponent].low == 0 && powers_of_five[-min_table_exponent].binary_exponent == -127);

}  // namespace stridefuse::offline
