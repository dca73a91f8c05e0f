#include "engine/state/state_options.h"

#include "engine/core/rlp.h"

namespace klay::state {

trie::TrieOptions account_trie_options(const StateOptions& options) {
  trie::TrieOptions t;
  t.ext_hash = options.ext_hash;
  t.root_zero_extension = true;
  t.counter = options.counter;
  t.leaf_value_for_hash = &account_value_for_hash;
  return t;
}

trie::TrieOptions storage_trie_options(const StateOptions& options, AccountType type) {
  trie::TrieOptions t;
  t.ext_hash = options.ext_hash;
  t.root_zero_extension = type == AccountType::kLegacy;
  t.counter = options.counter;
  return t;
}

bool account_value_for_hash(ByteView stored, Bytes* hash_value) {
  // Only SCA values (rlp(2) ++ body) can carry an extended storage root; the
  // check below avoids decoding any other value.
  if (stored.size() < 2 || stored[0] != 0x02) return false;
  auto body = rlp::decode(stored.subspan(1));
  if (!body || !body->is_list()) return false;
  rlp::ListReader fields(body->payload);
  auto common = fields.next();
  if (!common) return false;
  auto root = fields.next();
  if (!root || root->is_list() || root->payload.size() != ExtHash::kSize) return false;
  const ByteView rest(root->encoded.data() + root->encoded.size(),
                      body->payload.data() + body->payload.size());
  Bytes payload;
  payload.reserve(body->payload.size());
  append(payload, common->encoded);
  rlp::encode_string(payload, root->payload.first(32));
  append(payload, rest);
  hash_value->clear();
  hash_value->push_back(0x02);
  rlp::encode_list(*hash_value, payload);
  return true;
}

bool account_storage_child(ByteView stored, trie::NodeKey* child) {
  // SCA: rlp(2) ++ [[common...], storageRoot, codeHash, codeInfo];
  // Legacy: [nonce, balance, storageRoot, codeHash]. EOAs (rlp(1) ++ ...) and
  // storage values (byte strings) name nothing.
  ByteView list;
  bool sca = false;
  if (stored.size() >= 2 && stored[0] == 0x02) {
    list = stored.subspan(1);
    sca = true;
  } else if (!stored.empty() && stored[0] >= 0xc0) {
    list = stored;
  } else {
    return false;
  }
  auto body = rlp::decode(list);
  if (!body || !body->is_list() || body->encoded.size() != list.size()) return false;
  rlp::ListReader fields(body->payload);
  const int skip = sca ? 1 : 2;
  for (int i = 0; i < skip; ++i)
    if (!fields.next()) return false;
  auto root = fields.next();
  if (!root || root->is_list()) return false;
  const size_t n = root->payload.size();
  if (n != 32 && !(sca && n == ExtHash::kSize)) return false;
  const trie::NodeKey key = n == 32 ? trie::NodeKey::from(root->payload)
                                    : storage_root_key(ExtHash::from(root->payload));
  if (key.hash() == empty_root()) return false;
  *child = key;
  return true;
}

trie::NodeKey storage_root_key(const ExtHash& root) {
  if (root.counter() == 0) return trie::NodeKey::plain(root.hash());
  return trie::NodeKey::from(root.view());
}

ExtHash storage_root_of(const trie::NodeKey& key) {
  if (key.is_ext()) return ExtHash::from(key.view());
  return ExtHash::make(key.hash(), 0);
}

Bytes encode_storage_value(const Hash& value) {
  Bytes out;
  size_t i = 0;
  while (i < 32 && value.bytes[i] == 0) ++i;
  if (i == 32) return out;
  rlp::encode_string(out, ByteView(value.data() + i, 32 - i));
  return out;
}

Result<Hash> decode_storage_value(ByteView stored) {
  Hash value;
  if (stored.empty()) return value;
  auto item = rlp::decode(stored);
  if (!item) return Status::corruption("storage value: " + item.status().message());
  if (item->is_list() || item->payload.size() > 32)
    return Status::corruption("storage value: expected a byte string of at most 32 bytes");
  std::copy(item->payload.begin(), item->payload.end(), value.bytes.end() - item->payload.size());
  return value;
}

}  // namespace klay::state
