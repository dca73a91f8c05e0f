// StateReader: read-only view of the state at one root, for RPC-style queries
// (balance, nonce, code, slot, key, Merkle proofs) at any block.
//
// Ownership: borrows the NodeReader and CodeReader (must outlive it).
// Threading: not thread-safe (it caches loaded nodes and storage tries); use
// one per request or thread. Readers may be shared.
// Errors: absent accounts/slots give defaults; a root or node the store lacks
// gives state_unavailable() ("state not available at root 0x..: missing trie
// node 0x.. (pruned or missing)").
#pragma once

#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "engine/core/bytes.h"
#include "engine/core/status.h"
#include "engine/core/types.h"
#include "engine/core/uint256.h"
#include "engine/klaytn/account.h"
#include "engine/state/code_store.h"
#include "engine/state/state_errors.h"
#include "engine/state/state_options.h"
#include "engine/trie/secure_trie.h"

namespace klay::state {

class StateReader {
 public:
  // The state stored under `root_key` (32-byte root or 39-byte ExtHash). The
  // root node is read here, so an unknown or pruned root fails immediately.
  // REQUIRES: nodes != nullptr; `codes` may be null when code is never read.
  static Result<StateReader> open(const trie::NodeReader* nodes, const CodeReader* codes, ByteView root_key);

  StateReader(StateReader&&) noexcept = default;
  StateReader& operator=(StateReader&&) noexcept = default;

  // The stored account (storage root as stored: 39 bytes under live pruning).
  Result<std::optional<Account>> account(const Address& addr);
  Result<uint256> balance(const Address& addr);
  Result<uint64_t> nonce(const Address& addr);
  Result<AccountKey> account_key(const Address& addr);  // legacy key when absent
  Result<Hash> code_hash(const Address& addr);          // empty code hash when none
  Result<Bytes> code(const Address& addr);
  Result<Hash> storage(const Address& addr, const Hash& slot);  // zero when unset

  // EIP-1186-style proofs (hash-form node RLPs, root first). Verify the account
  // proof with trie::verify_proof(root, keccak(addr), proof) and a storage
  // proof against the account's storage root hash with keccak(slot).
  Result<std::vector<Bytes>> account_proof(const Address& addr);
  // Empty for an absent account or one without storage.
  Result<std::vector<Bytes>> storage_proof(const Address& addr, const Hash& slot);

  const trie::NodeKey& root_key() const { return root_key_; }

 private:
  StateReader(const trie::NodeReader* nodes, const CodeReader* codes, trie::SecureTrie trie,
              const trie::NodeKey& root_key);
  Status fail(const Status& s) const { return state_error(root_key_.view(), s); }
  // The storage trie of `account`, opened once per address.
  Result<trie::SecureTrie*> storage_trie(const Address& addr, const Account& account);

  const trie::NodeReader* nodes_;
  const CodeReader* codes_;
  trie::NodeKey root_key_;
  trie::SecureTrie trie_;
  std::unordered_map<Address, std::unique_ptr<trie::SecureTrie>, FixedBytesHasher> storage_;
};

}  // namespace klay::state
