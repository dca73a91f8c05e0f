// Typed field access over RLP lists, with the decoding rules of the Go
// reference's reflection-based RLP decoder (canonical integers, booleans that
// are exactly 0x80 or 0x01, fixed-size byte arrays that must have their exact
// length). Used by every Klaytn type in this folder.
//
// FieldReader borrows the payload it reads; the payload must outlive it and
// every Item it hands out. Not thread-safe per object.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "engine/core/bytes.h"
#include "engine/core/rlp.h"
#include "engine/core/status.h"
#include "engine/core/types.h"
#include "engine/core/uint256.h"

namespace klay {

class FieldReader {
 public:
  // `what` names the structure in error messages ("header", "account", ...).
  FieldReader(ByteView list_payload, std::string what)
      : reader_(list_payload), what_(std::move(what)) {}

  bool done() const { return reader_.done(); }
  // The underlying reader, for fields that span several items (account keys).
  rlp::ListReader& raw() { return reader_; }

  Status item(rlp::Item& out, const char* name);
  Status list(rlp::Item& out, const char* name);  // the item must be a list
  Status u64(uint64_t& out, const char* name);
  Status u8(uint8_t& out, const char* name);
  Status u256(uint256& out, const char* name);
  Status boolean(bool& out, const char* name);
  Status address(Address& out, const char* name);
  // An empty string decodes to "no address" (the reference's `rlp:"nil"`).
  Status opt_address(std::optional<Address>& out, const char* name);
  Status hash(Hash& out, const char* name);
  Status bytes(Bytes& out, const char* name);
  // OK when every item was consumed; otherwise a "too many elements" error.
  Status finish();

  // Error helper: "<what>: <name>: <detail>".
  Status fail(const char* name, const std::string& detail) const;

 private:
  Status next(rlp::Item& out, const char* name);
  rlp::ListReader reader_;
  std::string what_;
};

// Single-item helpers with the same rules.
Result<uint64_t> rlp_u64(const rlp::Item& item);
Result<uint256> rlp_u256(const rlp::Item& item);
Result<bool> rlp_bool(const rlp::Item& item);

// Encoding helpers.
inline void rlp_bool_append(Bytes& out, bool v) { out.push_back(v ? 0x01 : 0x80); }
inline void rlp_opt_address_append(Bytes& out, const std::optional<Address>& a) {
  if (a) rlp::encode_string(out, a->view());
  else out.push_back(0x80);
}

}  // namespace klay
