#pragma once
// Decimal text to double, exactly as std::from_chars (chars_format::general)
// reads it: the same value bit for bit and the same end, or from_chars itself
// decides. The offline analysis reads every number of an hour's CSV files
// (~17 million) and the CSV reading was the largest cost after the engine.
//
// Two exact paths, and a decline to from_chars whenever neither can be sure:
// - w * 10^e with the decimal significand w <= 2^53 and |e| <= 22: both are
//   exact doubles, so one IEEE multiplication or division rounds once, to the
//   nearest double (the classic fast path, Clinger 1990).
// - otherwise (16-19 digits, as shortest round-trip text mostly has): w times
//   a 128-bit truncation of 5^e (table in decimal_number.cpp), of which the
//   top 54 bits and whether anything below them is non-zero decide the
//   rounding. The truncation and the unseen lower bits err by less than one
//   unit of the product's middle 64-bit word; when that word is all ones (the
//   error could carry into the kept bits) or a tie cannot be told from a
//   value just above it, from_chars decides.
// Digits are taken eight at a time with 64-bit integer arithmetic.

#include <array>
#include <bit>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <system_error>

namespace stridefuse::offline {

/// 5^e ~= mantissa * 2^binary_exponent with 2^127 <= mantissa < 2^128, the
/// mantissa truncated (exact where 5^e fits in 128 bits).
struct PowerOfFive {
  std::uint64_t high, low;
  int binary_exponent;
};
inline constexpr int min_table_exponent = -64, max_table_exponent = 64;
/// Entry e - min_table_exponent is 5^e.
using PowerOfFiveTable = std::array<PowerOfFive, max_table_exponent - min_table_exponent + 1>;
extern const PowerOfFiveTable powers_of_five;

namespace detail {

// 64 x 64 -> 128-bit products (GCC and Clang; __extension__ keeps -Wpedantic quiet).
__extension__ typedef unsigned __int128 uint128;

inline bool eight_digits_at(const char* p, std::uint64_t& chunk) {
  std::memcpy(&chunk, p, 8);
  // Every byte 0x30..0x39: high nibble 3, and adding 6 leaves it 3.
  constexpr std::uint64_t high_nibbles = 0xF0F0F0F0F0F0F0F0ull, threes = 0x3030303030303030ull;
  return (chunk & high_nibbles) == threes && ((chunk + 0x0606060606060606ull) & high_nibbles) == threes;
}

// The value of eight ASCII digits (first digit most significant, in the lowest
// byte as memcpy loads it on a little-endian machine): pairs, then quads, then
// the two halves, each step a multiply-add on lanes twice as wide.
inline std::uint64_t value_of_eight_digits(std::uint64_t chunk) {
  chunk -= 0x3030303030303030ull;
  chunk = (chunk * 10 + (chunk >> 8)) & 0x00FF00FF00FF00FFull;     // 16-bit lanes: d0d1, d2d3, ...
  chunk = (chunk * 100 + (chunk >> 16)) & 0x0000FFFF0000FFFFull;   // 32-bit lanes: d0..d3, d4..d7
  return (chunk & 0xFFFFFFFFull) * 10000 + (chunk >> 32);
}

// Appends the digits at p to w; returns how many.
inline int take_digits(const char*& p, const char* end, std::uint64_t& w) {
  const char* const start = p;
  if constexpr (std::endian::native == std::endian::little) {
    std::uint64_t chunk;
    while (end - p >= 8 && eight_digits_at(p, chunk)) {
      w = w * 100000000 + value_of_eight_digits(chunk);
      p += 8;
    }
  }
  while (p != end && static_cast<unsigned>(*p - '0') <= 9) w = w * 10 + static_cast<unsigned>(*p++ - '0');
  return static_cast<int>(p - start);
}

inline constexpr double exact_powers_of_ten[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                                 1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                                 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

// w * 10^e correctly rounded, w != 0; false when it cannot be sure.
inline bool scaled_exactly(std::uint64_t w, int e, bool negative, double& value) {
  if (w <= (std::uint64_t{1} << 53) && e >= -22 && e <= 22) {
    const double d = static_cast<double>(w);
    const double v = e < 0 ? d / exact_powers_of_ten[-e] : d * exact_powers_of_ten[e];
    value = negative ? -v : v;
    return true;
  }
  if (e < min_table_exponent || e > max_table_exponent) return false;
  const PowerOfFive& p5 = powers_of_five[e - min_table_exponent];
  const int lz = std::countl_zero(w);
  const std::uint64_t wn = w << lz;  // top bit set
  const uint128 a = static_cast<uint128>(wn) * p5.high, b = static_cast<uint128>(wn) * p5.low;
  // The 192-bit product: top = high word, then middle, then lowest.
  const std::uint64_t a_low = static_cast<std::uint64_t>(a), b_high = static_cast<std::uint64_t>(b >> 64);
  const std::uint64_t middle = a_low + b_high;
  const std::uint64_t top = static_cast<std::uint64_t>(a >> 64) + (middle < a_low ? 1 : 0);
  // The exact product exceeds the computed one by less than wn < 2^64, one unit of `middle`.
  if (middle == ~std::uint64_t{0}) return false;
  const bool below_nonzero = (middle | static_cast<std::uint64_t>(b)) != 0;
  // top >= 2^62: keep 53 bits from its highest set bit; the next is the rounding bit.
  const int shift = static_cast<int>(top >> 63) + 10;
  std::uint64_t m = top >> shift;
  const bool round_bit = ((top >> (shift - 1)) & 1) != 0;
  const bool sticky = (top & ((std::uint64_t{1} << (shift - 1)) - 1)) != 0;
  if (round_bit && !sticky && !below_nonzero) return false;  // a tie, or just above one: cannot tell
  if (round_bit && (sticky || below_nonzero || (m & 1))) ++m;
  int exponent2 = shift + 128 + p5.binary_exponent + e - lz;  // value = m * 2^exponent2
  if (m == (std::uint64_t{1} << 53)) {
    m >>= 1;
    ++exponent2;
  }
  const int biased = exponent2 + 1075;
  if (biased <= 0 || biased >= 2047) return false;  // subnormal or overflow: rare, from_chars decides
  const std::uint64_t bits = (static_cast<std::uint64_t>(negative) << 63) |
                             (static_cast<std::uint64_t>(biased) << 52) | (m & ((std::uint64_t{1} << 52) - 1));
  value = std::bit_cast<double>(bits);
  return true;
}

// [-]digits[.digits][(e|E)[+|-]digits]; nullptr for anything else or when not sure.
inline const char* parse_fast(const char* p, const char* end, double& value) {
  const bool negative = p != end && *p == '-';
  if (negative) ++p;
  const char* const mantissa_start = p;
  while (p != end && *p == '0') ++p;  // leading zeros are not significant digits
  std::uint64_t w = 0;
  int digits = take_digits(p, end, w);
  int e = 0;
  bool any_digit = p != mantissa_start;
  if (p != end && *p == '.') {
    ++p;
    const char* const fraction_start = p;
    if (digits == 0)
      while (p != end && *p == '0') ++p;
    digits += take_digits(p, end, w);
    if (p - fraction_start > 100000) return nullptr;  // keeps e an int; far beyond any table entry
    e = -static_cast<int>(p - fraction_start);
    any_digit = any_digit || p != fraction_start;
  }
  if (!any_digit || digits > 19) return nullptr;
  if (p != end && (*p == 'e' || *p == 'E')) {
    const char* q = p + 1;
    const bool negative_exponent = q != end && *q == '-';
    if (q != end && (*q == '-' || *q == '+')) ++q;
    int x = 0;
    const char* const exponent_start = q;
    while (q != end && static_cast<unsigned>(*q - '0') <= 9 && x < 10000) x = x * 10 + (*q++ - '0');
    if (q == exponent_start || (q != end && static_cast<unsigned>(*q - '0') <= 9)) return nullptr;
    e += negative_exponent ? -x : x;
    p = q;
  }
  if (w == 0) {
    value = negative ? -0.0 : 0.0;
    return p;
  }
  return scaled_exactly(w, e, negative, value) ? p : nullptr;
}

}  // namespace detail

/// std::from_chars(first, last, value) for doubles, with its result.
inline std::from_chars_result parse_double(const char* first, const char* last, double& value) {
  if (const char* end = detail::parse_fast(first, last, value)) return {end, std::errc()};
  return std::from_chars(first, last, value);
}

}  // namespace stridefuse::offline
