#include "engine/klaytn/rlp_fields.h"

namespace klay {

Status FieldReader::fail(const char* name, const std::string& detail) const {
  return Status::corruption(what_ + ": " + name + ": " + detail);
}

Status FieldReader::next(rlp::Item& out, const char* name) {
  if (reader_.done()) return fail(name, "missing (too few elements in the list)");
  auto it = reader_.next();
  if (!it) return fail(name, it.status().message());
  out = *it;
  return Status::ok();
}

Status FieldReader::item(rlp::Item& out, const char* name) { return next(out, name); }

Status FieldReader::list(rlp::Item& out, const char* name) {
  if (auto s = next(out, name); !s) return s;
  if (!out.is_list()) return fail(name, "expected a list");
  return Status::ok();
}

Status FieldReader::u64(uint64_t& out, const char* name) {
  rlp::Item it;
  if (auto s = next(it, name); !s) return s;
  auto v = rlp::decode_uint(it);
  if (!v) return fail(name, v.status().message());
  out = *v;
  return Status::ok();
}

Status FieldReader::u8(uint8_t& out, const char* name) {
  uint64_t v = 0;
  if (auto s = u64(v, name); !s) return s;
  if (v > 0xff) return fail(name, "value does not fit in 8 bits");
  out = static_cast<uint8_t>(v);
  return Status::ok();
}

Status FieldReader::u256(uint256& out, const char* name) {
  rlp::Item it;
  if (auto s = next(it, name); !s) return s;
  auto v = rlp::decode_uint256(it);
  if (!v) return fail(name, v.status().message());
  out = *v;
  return Status::ok();
}

Status FieldReader::boolean(bool& out, const char* name) {
  rlp::Item it;
  if (auto s = next(it, name); !s) return s;
  auto v = rlp_bool(it);
  if (!v) return fail(name, v.status().message());
  out = *v;
  return Status::ok();
}

Status FieldReader::address(Address& out, const char* name) {
  rlp::Item it;
  if (auto s = next(it, name); !s) return s;
  if (it.is_list()) return fail(name, "expected a 20-byte address, got a list");
  if (it.payload.size() != 20)
    return fail(name, "expected a 20-byte address, got " + std::to_string(it.payload.size()) + " bytes");
  out = Address::from(it.payload);
  return Status::ok();
}

Status FieldReader::opt_address(std::optional<Address>& out, const char* name) {
  rlp::Item it;
  if (auto s = next(it, name); !s) return s;
  if (it.is_list()) return fail(name, "expected an address or empty string, got a list");
  if (it.payload.empty()) {
    out.reset();
    return Status::ok();
  }
  if (it.payload.size() != 20)
    return fail(name, "expected a 20-byte address, got " + std::to_string(it.payload.size()) + " bytes");
  out = Address::from(it.payload);
  return Status::ok();
}

Status FieldReader::hash(Hash& out, const char* name) {
  rlp::Item it;
  if (auto s = next(it, name); !s) return s;
  if (it.is_list()) return fail(name, "expected a 32-byte hash, got a list");
  if (it.payload.size() != 32)
    return fail(name, "expected a 32-byte hash, got " + std::to_string(it.payload.size()) + " bytes");
  out = Hash::from(it.payload);
  return Status::ok();
}

Status FieldReader::bytes(Bytes& out, const char* name) {
  rlp::Item it;
  if (auto s = next(it, name); !s) return s;
  if (it.is_list()) return fail(name, "expected a byte string, got a list");
  out = to_bytes(it.payload);
  return Status::ok();
}

Status FieldReader::finish() {
  if (!reader_.done()) return Status::corruption(what_ + ": input list has too many elements");
  return Status::ok();
}

Result<uint64_t> rlp_u64(const rlp::Item& item) { return rlp::decode_uint(item); }
Result<uint256> rlp_u256(const rlp::Item& item) { return rlp::decode_uint256(item); }

Result<bool> rlp_bool(const rlp::Item& item) {
  if (item.is_list()) return Status::corruption("rlp: expected a boolean, got a list");
  if (item.payload.empty()) return false;
  if (item.payload.size() == 1 && item.payload[0] == 0x01) return true;
  return Status::corruption("rlp: invalid boolean (must be 0x80 or 0x01)");
}

}  // namespace klay
