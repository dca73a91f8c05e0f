// klay::uint256: a 256-bit unsigned integer (balances, nonces beyond 64 bits,
// signature values, chain ids).
//
// Value type, four 64-bit limbs, least significant first. Arithmetic wraps
// modulo 2^256 like the EVM; use checked_add/sub/mul when wrapping is a bug.
// Thread-safe in the usual value-type sense: no shared state.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/core/bytes.h"
#include "engine/core/rlp.h"
#include "engine/core/status.h"
#include "engine/core/types.h"

namespace klay {

class uint256 {
 public:
  // limbs[0] holds bits 0..63, limbs[3] bits 192..255.
  std::array<uint64_t, 4> limbs{};

  constexpr uint256() noexcept = default;
  constexpr uint256(uint64_t v) noexcept : limbs{v, 0, 0, 0} {}  // NOLINT: implicit on purpose
  // Limbs given least significant first.
  constexpr explicit uint256(const std::array<uint64_t, 4>& le_limbs) noexcept : limbs(le_limbs) {}

  static constexpr uint256 max() noexcept { return uint256({~0ULL, ~0ULL, ~0ULL, ~0ULL}); }

  // ---- bytes ----
  // Big-endian bytes of any length up to 32 (leading zeros allowed, empty is
  // zero). More than 32 bytes is an InvalidArgument error.
  static Result<uint256> from_be_bytes(ByteView be);
  // Exactly 32 big-endian bytes. REQUIRES: p points at 32 readable bytes.
  static uint256 from_be32(const uint8_t* p) noexcept;
  static uint256 from_be32(const FixedBytes<32>& b) noexcept { return from_be32(b.data()); }
  // Writes 32 big-endian bytes. REQUIRES: out points at 32 writable bytes.
  void to_be32(uint8_t* out) const noexcept;
  FixedBytes<32> to_be32() const noexcept;
  // Big-endian without leading zeros; empty for zero (the RLP integer form).
  Bytes to_be_bytes() const;

  // ---- text ----
  // Decimal ("12345") or hex with a 0x/0X prefix ("0xff", "0x" alone is
  // rejected). No sign, no whitespace, no separators. Leading zeros are
  // accepted. Errors name the bad digit or report overflow past 2^256-1.
  static Result<uint256> from_string(std::string_view s);
  static Result<uint256> from_dec(std::string_view digits);
  static Result<uint256> from_hex(std::string_view digits);  // without prefix
  std::string to_string() const;  // decimal
  std::string to_hex() const;     // "0x" + lower-case minimal hex; "0x0" for zero

  // ---- queries ----
  constexpr bool is_zero() const noexcept { return (limbs[0] | limbs[1] | limbs[2] | limbs[3]) == 0; }
  constexpr explicit operator bool() const noexcept { return !is_zero(); }
  constexpr bool fits_u64() const noexcept { return (limbs[1] | limbs[2] | limbs[3]) == 0; }
  constexpr uint64_t low64() const noexcept { return limbs[0]; }
  unsigned bit_length() const noexcept;   // 0 for zero
  unsigned byte_length() const noexcept;  // 0 for zero

  // ---- arithmetic (wrapping modulo 2^256) ----
  uint256& operator+=(const uint256& b) noexcept;
  uint256& operator-=(const uint256& b) noexcept;
  uint256& operator*=(const uint256& b) noexcept;
  // REQUIRES: b != 0 (asserts in debug builds; yields 0 otherwise, as the EVM does).
  uint256& operator/=(const uint256& b) noexcept;
  uint256& operator%=(const uint256& b) noexcept;
  uint256& operator&=(const uint256& b) noexcept;
  uint256& operator|=(const uint256& b) noexcept;
  uint256& operator^=(const uint256& b) noexcept;
  // Shifts by 256 or more give zero.
  uint256& operator<<=(unsigned n) noexcept;
  uint256& operator>>=(unsigned n) noexcept;
  uint256& operator++() noexcept { return *this += 1; }
  uint256& operator--() noexcept { return *this -= 1; }

  friend constexpr bool operator==(const uint256& a, const uint256& b) noexcept = default;
  friend constexpr std::strong_ordering operator<=>(const uint256& a, const uint256& b) noexcept {
    for (int i = 3; i >= 0; --i)
      if (a.limbs[i] != b.limbs[i]) return a.limbs[i] <=> b.limbs[i];
    return std::strong_ordering::equal;
  }
};

inline uint256 operator+(uint256 a, const uint256& b) noexcept { return a += b; }
inline uint256 operator-(uint256 a, const uint256& b) noexcept { return a -= b; }
inline uint256 operator*(uint256 a, const uint256& b) noexcept { return a *= b; }
inline uint256 operator/(uint256 a, const uint256& b) noexcept { return a /= b; }
inline uint256 operator%(uint256 a, const uint256& b) noexcept { return a %= b; }
inline uint256 operator&(uint256 a, const uint256& b) noexcept { return a &= b; }
inline uint256 operator|(uint256 a, const uint256& b) noexcept { return a |= b; }
inline uint256 operator^(uint256 a, const uint256& b) noexcept { return a ^= b; }
inline uint256 operator<<(uint256 a, unsigned n) noexcept { return a <<= n; }
inline uint256 operator>>(uint256 a, unsigned n) noexcept { return a >>= n; }
inline uint256 operator~(uint256 a) noexcept {
  for (auto& l : a.limbs) l = ~l;
  return a;
}
inline uint256 operator-(const uint256& a) noexcept { return uint256() - a; }

struct DivMod {
  uint256 quot;
  uint256 rem;
};
// Full 256-by-256-bit division. REQUIRES: b != 0 (asserts in debug builds;
// yields {0, 0} otherwise).
DivMod divmod(const uint256& a, const uint256& b) noexcept;

// The exact result modulo 2^256 and whether the true result did not fit
// (for sub: whether a < b).
struct Overflowing {
  uint256 value;
  bool overflow = false;
};
Overflowing checked_add(const uint256& a, const uint256& b) noexcept;
Overflowing checked_sub(const uint256& a, const uint256& b) noexcept;
Overflowing checked_mul(const uint256& a, const uint256& b) noexcept;

namespace rlp {
// Appends `v` as a canonical RLP integer (minimal big-endian; zero is 0x80).
void encode_uint256(Bytes& out, const uint256& v);
// Strict: a string item, no leading zero byte, at most 32 bytes.
Result<uint256> decode_uint256(const Item& item);
}  // namespace rlp

}  // namespace klay
