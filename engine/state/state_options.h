// Options of the state layer and the trie options they imply.
#pragma once

#include "engine/core/bytes.h"
#include "engine/core/types.h"
#include "engine/klaytn/account.h"
#include "engine/trie/ext_hash_counter.h"
#include "engine/trie/node_store.h"
#include "engine/trie/trie.h"

namespace klay::state {

struct StateOptions {
  // Live pruning (KIP-111): every storage-trie node and every non-root
  // account-trie node is written under a fresh 39-byte ExtHash; SCA accounts
  // then store a 39-byte storage root. Merkle roots are the same as without it.
  // Default: false.
  bool ext_hash = false;
  // Source of ExtHash counters; nullptr means trie::process_ext_hash_counter().
  // Not owned; must outlive every StateDB using it. Default: nullptr.
  trie::ExtHashCounter* counter = nullptr;
  // EIP-158/161 as the reference node always applies it: accounts touched in a
  // transaction that end up empty (nonce 0, balance 0, no code) are deleted at
  // finalise(). Default: true.
  bool delete_empty_objects = true;
};

// The account trie: ExtHash per options (root keeps zero extension) and the
// leaf transform that hashes SCA values with their 32-byte storage root.
trie::TrieOptions account_trie_options(const StateOptions& options);
// The storage trie of an account of `type`. A Legacy account can only hold a
// 32-byte storage root, so its storage-trie root keeps zero extension.
trie::TrieOptions storage_trie_options(const StateOptions& options, AccountType type);

// The account trie's LeafValueTransform: an SCA value whose storage root is a
// 39-byte ExtHash is hashed as if it held the 32-byte hash; every other value
// is hashed as stored. Pure and thread-safe.
bool account_value_for_hash(ByteView stored_value, Bytes* hash_value);

// The storage trie an account-trie leaf value names, shaped as
// trie::LeafChildResolver (NodeDatabaseOptions::leaf_child): the storage-root
// key of an SCA or Legacy account whose storage is not empty; false for EOAs,
// empty storage and anything that is not an account. Pure and thread-safe.
bool account_storage_child(ByteView stored_value, trie::NodeKey* child);

// The node key a storage root names: 32 bytes when its counter is zero, else 39.
trie::NodeKey storage_root_key(const ExtHash& root);
// The storage root an account records for a trie stored under `key`.
ExtHash storage_root_of(const trie::NodeKey& key);

// Storage slot values as the reference stores them: RLP of the 32-byte value
// with leading zero bytes trimmed; a zero value is no entry (empty bytes).
Bytes encode_storage_value(const Hash& value);
// Decodes a stored slot value (a byte string of at most 32 bytes, right-aligned).
Result<Hash> decode_storage_value(ByteView stored);

}  // namespace klay::state
