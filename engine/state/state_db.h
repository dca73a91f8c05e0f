// StateDB: the mutable world state of a block being executed, over the secure
// account trie (keys keccak(address), values Klaytn account encodings) and one
// storage trie per program account (keys keccak(slot), values RLP of the
// trimmed 32-byte value).
//
// Life of a block:
//   auto st = StateDB::open(&nodes, &codes, parent_root_key);
//   for each txn: int snap = st->snapshot(); ...mutations...;
//                 if (failed) st->revert_to(snap); st->finalise();
//                 receipt root: st->intermediate_root();
//   auto c = st->commit(node_writer, code_writer);   // c->root, c->obsolete
//
// Ownership: borrows the NodeReader and CodeReader (both must outlive the
// StateDB); during commit() it borrows the writers. Nodes written by commit()
// must be readable through the NodeReader afterwards (e.g. a NodeDatabase that
// is both) for the StateDB to keep working after the commit.
// Threading: not thread-safe; one StateDB per executing thread. Several
// StateDBs may share the readers (readers allow concurrent get()).
// Errors: reads of absent accounts/slots return defaults. A node or code the
// stores lack fails the call with state_unavailable() ("state not available at
// root 0x..: missing trie node 0x.. (pruned or missing)"); a failed mutation
// leaves the state as it was before the call.
#pragma once

#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "engine/core/bytes.h"
#include "engine/core/status.h"
#include "engine/core/types.h"
#include "engine/core/uint256.h"
#include "engine/klaytn/account.h"
#include "engine/klaytn/account_key.h"
#include "engine/state/code_store.h"
#include "engine/state/journal.h"
#include "engine/state/state_errors.h"
#include "engine/state/state_object.h"
#include "engine/state/state_options.h"
#include "engine/trie/node_store.h"
#include "engine/trie/secure_trie.h"

namespace klay::state {

struct StateCommit {
  Hash root;                // Merkle state root (goes into the block header)
  trie::NodeKey root_key;   // key the account-trie root is stored under (32 bytes; the
                            // empty root when the state is empty); StateDB::open accepts it
  size_t nodes_written = 0;  // account and storage trie nodes handed to the node writer
  size_t bytes_written = 0;
  size_t codes_written = 0;
  // Keys of stored nodes that this block's updates replaced or deleted, from
  // every trie touched (the pruning marks), sorted and unique. In ExtHash mode
  // they include every node of the storage tries of deleted or replaced
  // accounts, and none is reachable from the new root. In plain mode they hold
  // only the tries' own replacements and identical content may still be
  // shared elsewhere: not safe to delete without reference counting.
  std::vector<trie::NodeKey> obsolete;
  // Root keys of the storage tries written by this commit (children of account
  // leaves, e.g. for trie::NodeDatabase::reference(storage_root, root_key)).
  std::vector<trie::NodeKey> storage_roots;
};

class StateDB {
 public:
  // The state stored under `root_key` (a 32-byte state root, or a 39-byte
  // ExtHash); a 32-byte empty_root() opens the empty state. The root node is
  // read once here so a pruned or unknown root fails now with state_unavailable().
  // REQUIRES: nodes != nullptr. `codes` may be null when no code is ever read.
  static Result<StateDB> open(const trie::NodeReader* nodes, const CodeReader* codes, ByteView root_key,
                              StateOptions options = {});

  StateDB(StateDB&&) noexcept = default;
  StateDB& operator=(StateDB&&) noexcept = default;

  // ---- reads (defaults for absent or deleted accounts) ----
  Result<bool> exists(const Address& addr);
  // Absent, or nonce 0, balance 0 and no code (EIP-161).
  Result<bool> is_empty(const Address& addr);
  Result<uint256> balance(const Address& addr);
  Result<uint64_t> nonce(const Address& addr);
  // The legacy key for absent and Legacy accounts (as the reference answers).
  Result<AccountKey> account_key(const Address& addr);
  // The empty code hash for absent accounts and EOAs.
  Result<Hash> code_hash(const Address& addr);
  Result<Bytes> code(const Address& addr);
  Result<bool> is_program_account(const Address& addr);
  Result<bool> has_self_destructed(const Address& addr);
  // The account as currently held; its storage_root is refreshed only by
  // intermediate_root() and commit(). nullopt when absent.
  Result<std::optional<Account>> account(const Address& addr);
  // The slot's current value (zero when unset or for accounts without storage).
  Result<Hash> storage(const Address& addr, const Hash& slot);
  // The slot's value at the start of the running transaction.
  Result<Hash> committed_storage(const Address& addr, const Hash& slot);

  // ---- mutations (journaled) ----
  // Adds to the balance, creating an EOA when the account is absent (the
  // reference's value transfer to a fresh address). Adding zero to an empty or
  // absent account only touches it (deleted again at finalise()).
  // InvalidArgument on overflow past 2^256-1.
  Status add_balance(const Address& addr, const uint256& amount);
  // InvalidArgument ("insufficient balance ...") when the balance is smaller;
  // nothing changes then.
  Status sub_balance(const Address& addr, const uint256& amount);
  Status set_balance(const Address& addr, const uint256& amount);
  // Creates an EOA when absent.
  Status set_nonce(const Address& addr, uint64_t nonce);
  // NotFound when the account does not exist; InvalidArgument for a Legacy
  // account (it has no key field).
  Status set_account_key(const Address& addr, const AccountKey& key);
  // Creates (or replaces) the account, carrying over the balance of any account
  // already there. Defaults follow the reference: an EOA gets nonce 0 and the
  // given key; an SCA gets nonce 1 (EIP-161), the given key (reference default:
  // the fail key) and `code_info`; Legacy gets nonce 0.
  Status create_eoa(const Address& addr, bool human_readable = false, const AccountKey& key = AccountKey::legacy());
  Status create_sca(const Address& addr, uint8_t code_info, const AccountKey& key = AccountKey::fail(),
                    bool human_readable = false);
  Status create_account(const Address& addr, AccountType type);
  // Sets the code. An absent account becomes an SCA (nonce 1, fail key); an
  // EOA turns into an SCA keeping nonce, balance, key and human-readable flag;
  // an SCA takes `code_info`; a Legacy account keeps its type (it has no
  // codeInfo field).
  Status set_code(const Address& addr, ByteView code, uint8_t code_info);
  // Sets a storage slot; a zero value deletes it. An absent account becomes an
  // SCA (nonce 1, fail key, codeInfo 0), as in the reference.
  // InvalidArgument for an EOA (it has no storage).
  Status set_storage(const Address& addr, const Hash& slot, const Hash& value);
  // Marks the account self-destructed and zeroes its balance; it is deleted at
  // finalise(). No effect on an absent account.
  Status self_destruct(const Address& addr);

  // ---- transactions ----
  // An id for the current revision; valid until reverted past or finalise().
  int snapshot();
  // Undoes every change since snapshot `id` (and forgets later snapshots).
  // InvalidArgument for an unknown id.
  Status revert_to(int id);
  // Ends a transaction: deletes self-destructed (and, per options, touched
  // empty) accounts, moves dirty slots into the storage tries, updates the
  // account trie, and clears the journal (no revert across it).
  Status finalise();

  // ---- roots and commit ----
  // finalise(), then the state root with every storage root brought up to date.
  // Nothing is written.
  Result<Hash> intermediate_root();
  // finalise(), then writes every changed storage trie (and new code), then the
  // account trie, through the writers; returns the new root and the pruning
  // marks. After success the StateDB continues from the new root.
  Result<StateCommit> commit(trie::NodeWriter& nodes, CodeWriter& codes);

  // The key of the root this state was opened at or last committed to.
  const trie::NodeKey& root_key() const { return root_key_; }
  const StateOptions& options() const { return options_; }

 private:
  StateDB(const trie::NodeReader* nodes, const CodeReader* codes, trie::SecureTrie trie,
          const trie::NodeKey& root_key, StateOptions options);

  Status fail(const Status& s) const { return state_error(root_key_.view(), s); }
  // The cached or stored object, deleted ones included; nullptr when absent.
  Result<StateObject*> load_object(const Address& addr);
  // As load_object, but nullptr for deleted objects.
  Result<StateObject*> live_object(const Address& addr);
  Result<StateObject*> live_or_new_eoa(const Address& addr);
  // Creates `account` at addr, replacing (and journaling) any object there.
  Result<StateObject*> create_object(const Address& addr, Account account, bool carry_balance);
  Result<Bytes> load_code(StateObject& obj);
  void undo(journal::Entry& e);
  Status write_account(StateObject& obj);
  void harvest_obsolete(StateObject& obj);
  // ExtHash mode: the object's stored storage trie is gone for good (account
  // deleted or replaced); marks every ExtHash-keyed node of it obsolete.
  Status drop_stored_storage(StateObject& obj);

  const trie::NodeReader* nodes_;
  const CodeReader* codes_;
  StateOptions options_;
  trie::NodeKey root_key_;
  trie::SecureTrie trie_;
  std::unordered_map<Address, std::unique_ptr<StateObject>, FixedBytesHasher> objects_;
  std::unordered_set<Address, FixedBytesHasher> dirty_objects_;  // finalised, not committed
  journal::Journal journal_;
  std::vector<std::pair<int, size_t>> revisions_;  // (id, journal size)
  int next_revision_ = 0;
  std::vector<trie::NodeKey> dropped_obsolete_;  // from storage tries of replaced objects
};

}  // namespace klay::state
