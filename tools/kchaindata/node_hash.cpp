#include "tools/kchaindata/node_hash.h"

#include "engine/core/keccak.h"
#include "engine/core/rlp.h"
#include "engine/klaytn/account.h"

namespace klay::kchaindata {

namespace {

Status append_hash_form(ByteView node, Bytes& out);

// A child reference: empty, 32-byte hash, 39-byte ExtHash or an embedded node.
Status append_child(const rlp::Item& item, Bytes& out) {
  if (item.is_list()) return append_hash_form(item.encoded, out);
  if (item.payload.size() == 39) {
    rlp::encode_string(out, item.payload.subspan(0, 32));
    return Status::ok();
  }
  if (!item.payload.empty() && item.payload.size() != 32) {
    return Status::corruption("child reference of " + std::to_string(item.payload.size()) + " bytes");
  }
  append(out, item.encoded);
  return Status::ok();
}

void append_value(const rlp::Item& item, Bytes& out) {
  Bytes hashed;
  if (!item.payload.empty() && account_leaf_value_for_hash(item.payload, &hashed)) {
    rlp::encode_string(out, hashed);
  } else {
    append(out, item.encoded);
  }
}

Status append_hash_form(ByteView node, Bytes& out) {
  auto items = rlp::decode_list_item(node);
  if (!items) return Status::corruption("not an RLP list");
  Bytes payload;
  payload.reserve(node.size());
  if (items->size() == 17) {
    for (size_t i = 0; i < 16; ++i) {
      if (Status s = append_child((*items)[i], payload); !s) return s;
    }
    if ((*items)[16].is_list()) return Status::corruption("branch value is a list");
    append_value((*items)[16], payload);
  } else if (items->size() == 2) {
    const rlp::Item& path = (*items)[0];
    if (path.is_list() || path.payload.empty()) return Status::corruption("bad short-node path");
    const bool leaf = (path.payload[0] >> 4) >= 2;
    append(payload, path.encoded);
    if (leaf) {
      if ((*items)[1].is_list()) return Status::corruption("leaf value is a list");
      append_value((*items)[1], payload);
    } else if (Status s = append_child((*items)[1], payload); !s) {
      return s;
    }
  } else {
    return Status::corruption("a node list of " + std::to_string(items->size()) + " items");
  }
  rlp::encode_list(out, payload);
  return Status::ok();
}

}  // namespace

Result<Hash> stored_node_merkle_hash(ByteView stored) {
  Bytes hash_form;
  if (Status s = append_hash_form(stored, hash_form); !s) return s;
  return keccak256(hash_form);
}

}  // namespace klay::kchaindata
