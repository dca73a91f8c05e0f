// Recursive Length Prefix encoding with a strict, canonical-only decoder.
//
// Encoding appends to a caller-owned Bytes. Decoding never copies: returned
// Items point into the input, which must outlive them.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/core/bytes.h"
#include "engine/core/status.h"

namespace klay::rlp {

// ---- encoding ----
void encode_string(Bytes& out, ByteView s);
void encode_uint(Bytes& out, uint64_t v);
// Big-endian unsigned integer given as bytes: leading zeros are stripped.
void encode_uint_bytes(Bytes& out, ByteView be);
void encode_list_header(Bytes& out, size_t payload_len);
// Appends a list whose already-encoded items are `payload`.
void encode_list(Bytes& out, ByteView payload);
Bytes wrap_list(ByteView payload);

// Encoded sizes, for pre-sizing.
size_t header_size(size_t payload_len);
size_t string_size(ByteView s);

// ---- decoding ----
enum class Kind { kString, kList };

struct Item {
  Kind kind = Kind::kString;
  ByteView payload;   // the string bytes, or the list's concatenated items
  ByteView encoded;   // the whole item including its header
  bool is_list() const { return kind == Kind::kList; }
};

// Decodes the first item of `in`; the rest of `in` is left for the caller.
Result<Item> decode_prefix(ByteView in);
// Decodes exactly one item spanning all of `in` (trailing bytes are an error).
Result<Item> decode(ByteView in);
// Splits a list payload into its items.
Result<std::vector<Item>> decode_list(ByteView list_payload);
// decode() that also requires a list, returning its items.
Result<std::vector<Item>> decode_list_item(ByteView in);
// A canonical unsigned integer (no leading zero bytes) of at most 8 bytes.
// For 256-bit integers see encode_uint256/decode_uint256 in engine/core/uint256.h.
Result<uint64_t> decode_uint(const Item& item);

// Sequential reader over a list payload.
class ListReader {
 public:
  explicit ListReader(ByteView payload) : rest_(payload) {}
  bool done() const { return rest_.empty(); }
  Result<Item> next();

 private:
  ByteView rest_;
};

}  // namespace klay::rlp
