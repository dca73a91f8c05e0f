#include "pruning/ext_rewrite.h"

#include "engine/core/rlp.h"
#include "engine/klaytn/account.h"

namespace klay::pruning {

namespace {

Status bad(const std::string& why) { return Status::corruption("not a trie node: " + why); }

// Appends the rewritten form of a child slot item.
Status put_child(Bytes& out, const rlp::Item& item, const ChildMap& child) {
  if (item.is_list() || item.payload.empty()) {
    append(out, item.encoded);  // embedded child or empty slot
    return Status::ok();
  }
  if (item.payload.size() != 32 && item.payload.size() != 39) return bad("a child reference of odd length");
  auto mapped = child(item.payload);
  if (!mapped) return mapped.status();
  rlp::encode_string(out, *mapped);
  return Status::ok();
}

Status put_value(Bytes& out, const rlp::Item& item, const ValueMap& value) {
  if (item.is_list()) return bad("a list where a value belongs");
  if (!value || item.payload.empty()) {
    append(out, item.encoded);
    return Status::ok();
  }
  auto mapped = value(item.payload);
  if (!mapped) return mapped.status();
  rlp::encode_string(out, *mapped);
  return Status::ok();
}

}  // namespace

Result<Bytes> rewrite_node(ByteView rlp_bytes, const ChildMap& child, const ValueMap& value) {
  auto items = rlp::decode_list_item(rlp_bytes);
  if (!items) return bad(items.status().message());
  Bytes payload;
  payload.reserve(rlp_bytes.size() + 128);
  if (items->size() == 17) {
    for (size_t i = 0; i < 16; ++i) {
      if (Status s = put_child(payload, (*items)[i], child); !s) return s;
    }
    if (Status s = put_value(payload, (*items)[16], value); !s) return s;
  } else if (items->size() == 2) {
    const rlp::Item& path = (*items)[0];
    if (path.is_list() || path.payload.empty()) return bad("a short node without a path");
    append(payload, path.encoded);
    const bool leaf = (path.payload[0] & 0x20) != 0;
    Status s = leaf ? put_value(payload, (*items)[1], value) : put_child(payload, (*items)[1], child);
    if (!s) return s;
  } else {
    return bad("a list of " + std::to_string(items->size()) + " items");
  }
  return rlp::wrap_list(payload);
}

Result<Bytes> hash_form(ByteView stored_rlp, bool account_trie) {
  ChildMap strip = [](ByteView key) -> Result<Bytes> { return Bytes(key.begin(), key.begin() + 32); };
  ValueMap unextend = nullptr;
  if (account_trie) unextend = [](ByteView v) -> Result<Bytes> { return unextend_account_value(v); };
  return rewrite_node(stored_rlp, strip, unextend);
}

}  // namespace klay::pruning
