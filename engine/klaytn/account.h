// Klaytn accounts as stored in the state trie.
//
// Three account types:
//   Legacy (0): plain rlp([nonce, balance, storageRoot(32), codeHash])
//   EOA    (1): rlp(1) ++ rlp([nonce, balance, humanReadable, keyType, keyBody...])
//   SCA    (2): rlp(2) ++ rlp([[nonce, balance, humanReadable, keyType, keyBody...],
//                               storageRoot, codeHash, codeInfo])
// codeInfo = vmVersion << 4 | codeFormat.
//
// ExtHash storage roots (live pruning): an SCA's storage root is a 39-byte
// ExtHash. The trie value ("storage form", kPreserveExtHash) writes it as a
// 39-byte string when its counter is non-zero and as the plain 32-byte hash
// otherwise; the form that is hashed into the Merkle root (kHashForm) always
// writes the 32-byte hash. Decoding accepts both lengths (a 32-byte root is
// zero-extended).
//
// Account is a value type. Thread-safe as a value.
#pragma once

#include <cstdint>
#include <optional>

#include "engine/core/bytes.h"
#include "engine/core/status.h"
#include "engine/core/types.h"
#include "engine/core/uint256.h"
#include "engine/klaytn/account_key.h"

namespace klay {

enum class AccountType : uint8_t { kLegacy = 0, kEOA = 1, kSCA = 2 };

enum class ExtHashMode {
  kHashForm,         // 32-byte storage roots: the bytes hashed into the trie root
  kPreserveExtHash,  // 39-byte storage roots when extended: the bytes stored in the trie node
};

inline uint8_t make_code_info(uint8_t vm_version, uint8_t code_format) {
  return static_cast<uint8_t>((vm_version << 4) | (code_format & 0x0f));
}

struct Account {
  AccountType type = AccountType::kEOA;
  uint64_t nonce = 0;
  uint256 balance;
  bool human_readable = false;           // EOA and SCA
  AccountKey key = AccountKey::legacy();  // EOA and SCA
  ExtHash storage_root;                   // Legacy and SCA (Legacy: counter always 0)
  Hash code_hash = empty_code_hash();     // Legacy and SCA
  uint8_t code_info = 0;                  // SCA

  uint8_t code_format() const { return code_info & 0x0f; }
  uint8_t vm_version() const { return code_info >> 4; }
  bool is_program_account() const { return type != AccountType::kEOA; }
  // nonce 0, balance 0 and (for program accounts) the empty code hash.
  bool empty() const;

  // A fresh externally owned account with a legacy key.
  static Account eoa(uint64_t nonce, const uint256& balance);
  // A smart contract account as the reference's genesis/contract creation
  // makes it; the storage root is the empty-trie root.
  static Account sca(uint64_t nonce, const uint256& balance, const AccountKey& key,
                     const Hash& code_hash, uint8_t code_info);

  bool operator==(const Account&) const = default;
};

// Serializes as described in the file comment.
Bytes encode_account(const Account& account, ExtHashMode mode = ExtHashMode::kPreserveExtHash);

// Decodes a trie value: the whole input must be one account.
Result<Account> decode_account(ByteView encoded);

// The reference's "unextend" step used when hashing trie value nodes: if
// `value` decodes as an SCA it is re-encoded in hash form, otherwise it is
// returned unchanged (values of storage tries, EOAs, legacy accounts).
Bytes unextend_account_value(ByteView value);

// The same, shaped as engine/trie's LeafValueTransform (TrieOptions::
// leaf_value_for_hash): returns true and fills *hash_value only when `stored`
// is an SCA whose storage root is extended. Pure and thread-safe.
bool account_leaf_value_for_hash(ByteView stored, Bytes* hash_value);

}  // namespace klay
