// Byte containers shared by every layer.
//
// `Bytes` owns its storage; `ByteView` borrows it and is only valid while the
// owner is alive and unmodified. Functions taking a ByteView never keep it past
// the call unless their documentation says so.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace klay {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

inline ByteView as_view(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}
inline std::string_view as_string_view(ByteView b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}
inline Bytes to_bytes(ByteView b) { return Bytes(b.begin(), b.end()); }
inline Bytes to_bytes(std::string_view s) { return Bytes(s.begin(), s.end()); }

inline bool equal(ByteView a, ByteView b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}
// Lexicographic byte order (the order every backend iterates in).
inline int compare(ByteView a, ByteView b) {
  return as_string_view(a).compare(as_string_view(b));
}
inline bool starts_with(ByteView b, ByteView prefix) {
  return b.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), b.begin());
}

// Appends `b` to `out`.
inline void append(Bytes& out, ByteView b) { out.insert(out.end(), b.begin(), b.end()); }

// Lower-case hex without prefix; `from_hex` accepts an optional 0x prefix and
// returns false on odd length or a non-hex digit.
std::string to_hex(ByteView b);
bool from_hex(std::string_view hex, Bytes& out);

// Big-endian fixed-width integers (the key schema's BE64).
inline void put_be64(uint8_t* out, uint64_t v) {
  for (int i = 7; i >= 0; --i) { out[i] = static_cast<uint8_t>(v); v >>= 8; }
}
inline uint64_t get_be64(const uint8_t* in) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | in[i];
  return v;
}
inline void put_le64(uint8_t* out, uint64_t v) {
  for (int i = 0; i < 8; ++i) { out[i] = static_cast<uint8_t>(v); v >>= 8; }
}
inline uint64_t get_le64(const uint8_t* in) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | in[i];
  return v;
}

}  // namespace klay
