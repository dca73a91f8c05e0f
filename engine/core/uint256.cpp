#include "engine/core/uint256.h"

#include <algorithm>
#include <bit>
#include <cassert>

namespace klay {

namespace {

__extension__ typedef unsigned __int128 u128;

inline uint64_t add_carry(uint64_t a, uint64_t b, uint64_t carry_in, uint64_t& carry_out) {
  const u128 s = static_cast<u128>(a) + b + carry_in;
  carry_out = static_cast<uint64_t>(s >> 64);
  return static_cast<uint64_t>(s);
}

inline uint64_t sub_borrow(uint64_t a, uint64_t b, uint64_t borrow_in, uint64_t& borrow_out) {
  const uint64_t d = a - b - borrow_in;
  borrow_out = (a < b || (a == b && borrow_in)) ? 1 : 0;
  return d;
}

// Full 512-bit product of two 256-bit values, least significant limb first.
std::array<uint64_t, 8> mul_full(const uint256& a, const uint256& b) {
  std::array<uint64_t, 8> r{};
  for (int i = 0; i < 4; ++i) {
    uint64_t carry = 0;
    if (a.limbs[i] == 0) continue;
    for (int j = 0; j < 4; ++j) {
      const u128 t = static_cast<u128>(a.limbs[i]) * b.limbs[j] + r[i + j] + carry;
      r[i + j] = static_cast<uint64_t>(t);
      carry = static_cast<uint64_t>(t >> 64);
    }
    r[i + 4] = carry;
  }
  return r;
}

// Divides `a` by a single limb; returns the remainder.
uint64_t div_small(const uint256& a, uint64_t d, uint256& q) {
  u128 rem = 0;
  for (int i = 3; i >= 0; --i) {
    const u128 cur = (rem << 64) | a.limbs[i];
    q.limbs[i] = static_cast<uint64_t>(cur / d);
    rem = cur % d;
  }
  return static_cast<uint64_t>(rem);
}

int significant_limbs(const uint256& v) {
  int n = 4;
  while (n > 0 && v.limbs[n - 1] == 0) --n;
  return n;
}

// Knuth, TAOCP vol. 2, 4.3.1, Algorithm D, on 64-bit digits.
// REQUIRES: the divisor has at least two significant limbs and a >= b.
DivMod div_knuth(const uint256& a, const uint256& b) {
  const int n = significant_limbs(b);
  const int m = significant_limbs(a) - n;
  const int shift = std::countl_zero(b.limbs[n - 1]);

  uint64_t vn[4] = {};
  uint64_t un[5] = {};
  for (int i = n - 1; i > 0; --i)
    vn[i] = (b.limbs[i] << shift) | (shift ? b.limbs[i - 1] >> (64 - shift) : 0);
  vn[0] = b.limbs[0] << shift;
  const int an = n + m;
  un[an] = shift ? a.limbs[an - 1] >> (64 - shift) : 0;
  for (int i = an - 1; i > 0; --i)
    un[i] = (a.limbs[i] << shift) | (shift ? a.limbs[i - 1] >> (64 - shift) : 0);
  un[0] = a.limbs[0] << shift;

  DivMod out;
  const u128 base = static_cast<u128>(1) << 64;
  for (int j = m; j >= 0; --j) {
    const u128 num = (static_cast<u128>(un[j + n]) << 64) | un[j + n - 1];
    u128 qhat = num / vn[n - 1];
    u128 rhat = num % vn[n - 1];
    while (qhat >= base ||
           qhat * vn[n - 2] > ((rhat << 64) | un[j + n - 2])) {
      --qhat;
      rhat += vn[n - 1];
      if (rhat >= base) break;
    }
    // Multiply and subtract qhat * vn from un[j .. j+n].
    uint64_t borrow = 0;
    uint64_t carry = 0;
    for (int i = 0; i < n; ++i) {
      const u128 p = qhat * vn[i] + carry;
      carry = static_cast<uint64_t>(p >> 64);
      uint64_t bo;
      un[i + j] = sub_borrow(un[i + j], static_cast<uint64_t>(p), borrow, bo);
      borrow = bo;
    }
    uint64_t bo;
    un[j + n] = sub_borrow(un[j + n], carry, borrow, bo);
    if (bo) {
      // qhat was one too large: add the divisor back.
      --qhat;
      uint64_t c = 0;
      for (int i = 0; i < n; ++i) un[i + j] = add_carry(un[i + j], vn[i], c, c);
      un[j + n] += c;
    }
    out.quot.limbs[j] = static_cast<uint64_t>(qhat);
  }
  for (int i = 0; i < n; ++i)
    out.rem.limbs[i] = (un[i] >> shift) | (shift ? un[i + 1] << (64 - shift) : 0);
  return out;
}

// v = v * mul + add; returns false when the result does not fit.
bool mul_add_small(uint256& v, uint64_t mul, uint64_t add) {
  uint64_t carry = add;
  for (auto& l : v.limbs) {
    const u128 t = static_cast<u128>(l) * mul + carry;
    l = static_cast<uint64_t>(t);
    carry = static_cast<uint64_t>(t >> 64);
  }
  return carry == 0;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string describe_char(char c) {
  if (c >= 0x20 && c < 0x7f) return std::string("'") + c + "'";
  static constexpr char kDigits[] = "0123456789abcdef";
  const auto u = static_cast<unsigned char>(c);
  return std::string("byte 0x") + kDigits[u >> 4] + kDigits[u & 0xf];
}

}  // namespace

Result<uint256> uint256::from_be_bytes(ByteView be) {
  if (be.size() > 32)
    return Status::invalid_argument("uint256: " + std::to_string(be.size()) +
                                    " bytes do not fit in 256 bits");
  uint8_t buf[32] = {};
  std::copy(be.begin(), be.end(), buf + (32 - be.size()));
  return from_be32(buf);
}

uint256 uint256::from_be32(const uint8_t* p) noexcept {
  uint256 v;
  for (int i = 0; i < 4; ++i) v.limbs[3 - i] = get_be64(p + 8 * i);
  return v;
}

void uint256::to_be32(uint8_t* out) const noexcept {
  for (int i = 0; i < 4; ++i) put_be64(out + 8 * i, limbs[3 - i]);
}

FixedBytes<32> uint256::to_be32() const noexcept {
  FixedBytes<32> b;
  to_be32(b.data());
  return b;
}

Bytes uint256::to_be_bytes() const {
  uint8_t buf[32];
  to_be32(buf);
  const unsigned n = byte_length();
  return Bytes(buf + (32 - n), buf + 32);
}

unsigned uint256::bit_length() const noexcept {
  for (int i = 3; i >= 0; --i)
    if (limbs[i]) return 64 * i + (64 - std::countl_zero(limbs[i]));
  return 0;
}

unsigned uint256::byte_length() const noexcept { return (bit_length() + 7) / 8; }

Result<uint256> uint256::from_string(std::string_view s) {
  if (s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) return from_hex(s.substr(2));
  return from_dec(s);
}

Result<uint256> uint256::from_dec(std::string_view digits) {
  if (digits.empty()) return Status::invalid_argument("uint256: empty decimal number");
  uint256 v;
  for (size_t i = 0; i < digits.size(); ++i) {
    const char c = digits[i];
    if (c < '0' || c > '9')
      return Status::invalid_argument("uint256: bad decimal digit " + describe_char(c) +
                                      " at position " + std::to_string(i));
    if (!mul_add_small(v, 10, static_cast<uint64_t>(c - '0')))
      return Status::invalid_argument("uint256: decimal number exceeds 2^256-1");
  }
  return v;
}

Result<uint256> uint256::from_hex(std::string_view digits) {
  if (digits.empty()) return Status::invalid_argument("uint256: empty hex number");
  uint256 v;
  for (size_t i = 0; i < digits.size(); ++i) {
    const int d = hex_digit(digits[i]);
    if (d < 0)
      return Status::invalid_argument("uint256: bad hex digit " + describe_char(digits[i]) +
                                      " at position " + std::to_string(i));
    if (v.limbs[3] >> 60)
      return Status::invalid_argument("uint256: hex number exceeds 2^256-1");
    v <<= 4;
    v.limbs[0] |= static_cast<uint64_t>(d);
  }
  return v;
}

std::string uint256::to_string() const {
  if (is_zero()) return "0";
  constexpr uint64_t kChunk = 10000000000000000000ULL;  // 10^19
  std::string out;
  uint256 v = *this;
  while (!v.is_zero()) {
    uint256 q;
    uint64_t rem = div_small(v, kChunk, q);
    v = q;
    for (int i = 0; i < 19; ++i) {
      out.push_back(static_cast<char>('0' + rem % 10));
      rem /= 10;
      if (v.is_zero() && rem == 0) break;
    }
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::string uint256::to_hex() const {
  if (is_zero()) return "0x0";
  std::string h = klay::to_hex(to_be_bytes());
  if (h[0] == '0') h.erase(0, 1);
  return "0x" + h;
}

uint256& uint256::operator+=(const uint256& b) noexcept {
  uint64_t c = 0;
  for (int i = 0; i < 4; ++i) limbs[i] = add_carry(limbs[i], b.limbs[i], c, c);
  return *this;
}

uint256& uint256::operator-=(const uint256& b) noexcept {
  uint64_t br = 0;
  for (int i = 0; i < 4; ++i) limbs[i] = sub_borrow(limbs[i], b.limbs[i], br, br);
  return *this;
}

uint256& uint256::operator*=(const uint256& b) noexcept {
  // Only the low 256 bits: skip partial products that land above limb 3.
  std::array<uint64_t, 4> r{};
  for (int i = 0; i < 4; ++i) {
    uint64_t carry = 0;
    for (int j = 0; i + j < 4; ++j) {
      const u128 t = static_cast<u128>(limbs[i]) * b.limbs[j] + r[i + j] + carry;
      r[i + j] = static_cast<uint64_t>(t);
      carry = static_cast<uint64_t>(t >> 64);
    }
  }
  limbs = r;
  return *this;
}

uint256& uint256::operator/=(const uint256& b) noexcept { return *this = divmod(*this, b).quot; }
uint256& uint256::operator%=(const uint256& b) noexcept { return *this = divmod(*this, b).rem; }

uint256& uint256::operator&=(const uint256& b) noexcept {
  for (int i = 0; i < 4; ++i) limbs[i] &= b.limbs[i];
  return *this;
}
uint256& uint256::operator|=(const uint256& b) noexcept {
  for (int i = 0; i < 4; ++i) limbs[i] |= b.limbs[i];
  return *this;
}
uint256& uint256::operator^=(const uint256& b) noexcept {
  for (int i = 0; i < 4; ++i) limbs[i] ^= b.limbs[i];
  return *this;
}

uint256& uint256::operator<<=(unsigned n) noexcept {
  if (n >= 256) return *this = uint256();
  const unsigned limb_shift = n / 64;
  const unsigned bit_shift = n % 64;
  std::array<uint64_t, 4> r{};
  for (int i = 3; i >= static_cast<int>(limb_shift); --i) {
    r[i] = limbs[i - limb_shift] << bit_shift;
    if (bit_shift && i - static_cast<int>(limb_shift) - 1 >= 0)
      r[i] |= limbs[i - limb_shift - 1] >> (64 - bit_shift);
  }
  limbs = r;
  return *this;
}

uint256& uint256::operator>>=(unsigned n) noexcept {
  if (n >= 256) return *this = uint256();
  const unsigned limb_shift = n / 64;
  const unsigned bit_shift = n % 64;
  std::array<uint64_t, 4> r{};
  for (unsigned i = 0; i + limb_shift < 4; ++i) {
    r[i] = limbs[i + limb_shift] >> bit_shift;
    if (bit_shift && i + limb_shift + 1 < 4) r[i] |= limbs[i + limb_shift + 1] << (64 - bit_shift);
  }
  limbs = r;
  return *this;
}

DivMod divmod(const uint256& a, const uint256& b) noexcept {
  assert(!b.is_zero() && "uint256 division by zero");
  if (b.is_zero()) return {};
  if (a < b) return {uint256(), a};
  if (b.fits_u64()) {
    DivMod r;
    r.rem = div_small(a, b.limbs[0], r.quot);
    return r;
  }
  return div_knuth(a, b);
}

Overflowing checked_add(const uint256& a, const uint256& b) noexcept {
  Overflowing r;
  uint64_t c = 0;
  for (int i = 0; i < 4; ++i) r.value.limbs[i] = add_carry(a.limbs[i], b.limbs[i], c, c);
  r.overflow = c != 0;
  return r;
}

Overflowing checked_sub(const uint256& a, const uint256& b) noexcept {
  return {a - b, a < b};
}

Overflowing checked_mul(const uint256& a, const uint256& b) noexcept {
  const auto full = mul_full(a, b);
  Overflowing r;
  for (int i = 0; i < 4; ++i) r.value.limbs[i] = full[i];
  r.overflow = (full[4] | full[5] | full[6] | full[7]) != 0;
  return r;
}

namespace rlp {

void encode_uint256(Bytes& out, const uint256& v) {
  uint8_t buf[32];
  v.to_be32(buf);
  encode_uint_bytes(out, ByteView(buf, 32));
}

Result<uint256> decode_uint256(const Item& item) {
  if (item.is_list()) return Status::corruption("rlp: expected an integer, got a list");
  if (item.payload.size() > 32) return Status::corruption("rlp: integer larger than 256 bits");
  if (!item.payload.empty() && item.payload[0] == 0)
    return Status::corruption("rlp: integer has leading zero");
  return uint256::from_be_bytes(item.payload);
}

}  // namespace rlp

}  // namespace klay
