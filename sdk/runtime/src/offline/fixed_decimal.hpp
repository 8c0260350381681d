#pragma once
// Fixed-point decimal text for the common case, with the same characters as
// std::to_chars(..., std::chars_format::fixed, precision): attitude.csv formats
// ~6 million numbers an hour, and the general (exact, arbitrary-size)
// conversion cost more than the rest of writing. Here |v| * 10^precision is
// rounded in double arithmetic, which decides the same digits unless the exact
// value lies within rounding error of a half-way point: those (and large or
// non-finite values) are left to the caller's exact conversion.

#include <cmath>
#include <cstdint>

namespace stridefuse::offline {

/// fixed_decimal (below) for a precision known when compiling: the divisions
/// by 10^precision then compile to multiplications (a 64-bit division per
/// number was a good part of formatting attitude.csv).
template <int precision>
char* fixed_decimal_of(char* out, double v) {
  static_assert(precision >= 0 && precision <= 9);
  static constexpr double scale[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
  static constexpr std::uint64_t iscale[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000};
  // Below 2^33 the product's rounding error is under 1e-6, far inside the
  // 1e-5 kept clear of a half-way point; floor and the fraction are exact.
  const double x = std::fabs(v) * scale[precision];
  if (!(x < 8589934592.0)) return nullptr;
  const double whole = std::floor(x);
  const double frac = x - whole;
  if (std::fabs(frac - 0.5) < 1e-5) return nullptr;
  const std::uint64_t n = static_cast<std::uint64_t>(whole) + (frac > 0.5 ? 1 : 0);
  if (std::signbit(v)) *out++ = '-';
  std::uint64_t integer = n / iscale[precision], fraction = n % iscale[precision];
  char digits[24];
  int len = 0;
  do {
    digits[len++] = static_cast<char>('0' + integer % 10);
    integer /= 10;
  } while (integer != 0);
  while (len > 0) *out++ = digits[--len];
  if constexpr (precision == 0) {
    return out;
  } else {
    *out++ = '.';
    for (int i = precision - 1; i >= 0; --i) {
      out[i] = static_cast<char>('0' + fraction % 10);
      fraction /= 10;
    }
    return out + precision;
  }
}

/// Writes v with `precision` (0..9) decimals at `out` (room for 32 chars) and
/// returns the end, or nullptr (nothing written) when the exact conversion must decide.
inline char* fixed_decimal(char* out, double v, int precision) {
  switch (precision) {
    case 0: return fixed_decimal_of<0>(out, v);
    case 1: return fixed_decimal_of<1>(out, v);
    case 2: return fixed_decimal_of<2>(out, v);
    case 3: return fixed_decimal_of<3>(out, v);
    case 4: return fixed_decimal_of<4>(out, v);
    case 5: return fixed_decimal_of<5>(out, v);
    case 6: return fixed_decimal_of<6>(out, v);
    case 7: return fixed_decimal_of<7>(out, v);
    case 8: return fixed_decimal_of<8>(out, v);
    case 9: return fixed_decimal_of<9>(out, v);
    default: return nullptr;
  }
}

}  // namespace stridefuse::offline
