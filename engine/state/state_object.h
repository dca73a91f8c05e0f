// StateObject: one account being read or modified by a StateDB (internal to
// engine/state; the node uses StateDB).
//
// Holds the decoded account, its code once loaded, its storage trie once
// opened (lazily, from the account's storage root) and two slot caches:
// `origin` (values as of the last finalise) and `dirty` (this transaction's
// writes, not yet in the trie). Owned by its StateDB (or, once replaced, by a
// journal entry). Not thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <unordered_map>

#include "engine/core/types.h"
#include "engine/klaytn/account.h"
#include "engine/state/state_options.h"
#include "engine/trie/secure_trie.h"

namespace klay::state {

using SlotMap = std::unordered_map<Hash, Hash, FixedBytesHasher>;

class StateObject {
 public:
  StateObject(const Address& address, Account account) : address(address), account(std::move(account)) {}

  // Program accounts (Legacy and SCA) have code and storage; EOAs have neither.
  bool has_storage() const { return account.type != AccountType::kEOA; }

  // The storage trie, opened on first use. REQUIRES: has_storage().
  // Errors are the trie's (missing_node for an absent root node).
  Result<trie::SecureTrie*> storage_trie(const trie::NodeReader* reader, const StateOptions& options);
  // The slot value as of the last finalise (origin cache, then the trie).
  Result<Hash> committed_slot(const Hash& slot, const trie::NodeReader* reader, const StateOptions& options);
  // The current slot value (this transaction's write, else committed_slot).
  Result<Hash> slot(const Hash& slot, const trie::NodeReader* reader, const StateOptions& options);
  // Moves the dirty slots into the storage trie (and the origin cache).
  // Sets `storage_changed` when the trie changed.
  Status flush_storage(const trie::NodeReader* reader, const StateOptions& options);

  Address address;
  Account account;
  std::optional<Bytes> code;  // loaded or set code
  bool dirty_code = false;    // set by set_code and not yet written
  std::unique_ptr<trie::SecureTrie> trie;
  SlotMap origin;
  SlotMap dirty;
  bool created = false;          // created in the running transaction
  bool self_destructed = false;  // deleted at the next finalise
  bool deleted = false;          // removed from the account trie
  bool storage_changed = false;  // trie updated since account.storage_root was last set
  // The storage root as stored (read from the account trie or last committed);
  // zero when this object's storage was never stored.
  ExtHash stored_root;
};

}  // namespace klay::state
