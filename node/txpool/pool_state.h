// PoolState: the pool's read-only view of the accounts at the chain head.
//
// The pool knows no database: it asks a PoolState for the nonce, balance,
// account key and kind of an address. The node adapts a state::StateReader at
// the head block (StateReaderPoolState below); tests supply a map.
//
// Ownership: the pool takes a PoolState by unique_ptr at construction and at
// every reset(), and destroys the previous one.
// Threading: implementations need not be thread-safe. TxPool calls a
// PoolState only while holding its own mutex, so calls never overlap.
// Errors: an address the state does not hold is not an error (a default
// PoolAccount); a state the store cannot read (pruned or missing trie node)
// is a non-ok Status, which the pool reports to the caller of add().
#pragma once

#include <memory>

#include "engine/core/status.h"
#include "engine/core/types.h"
#include "engine/core/uint256.h"
#include "engine/klaytn/account_key.h"
#include "engine/state/state_reader.h"

namespace klay::txpool {

// What the pool needs to know about one account.
struct PoolAccount {
  uint64_t nonce = 0;
  uint256 balance;
  // The key that validates the account's signatures: the legacy key for an
  // absent account and for a Legacy-type account (reference: GetKey).
  AccountKey key = AccountKey::legacy();
  // The reference's IsProgramAccount: a Legacy-type or SCA account (both carry
  // a code hash and a storage root). Klaytn value transfers to such an
  // address are invalid.
  bool program_account = false;
  // The account holds code (its code hash is not the empty code hash). A call
  // to it would need the EVM.
  bool has_code = false;
};

class PoolState {
 public:
  virtual ~PoolState() = default;
  // The account at `addr`; a default PoolAccount when absent.
  virtual Result<PoolAccount> account(const Address& addr) = 0;
};

// A PoolState over a state::StateReader (normally the head block's state).
// Owns the reader; the reader's NodeReader and CodeReader must outlive this
// object. Not thread-safe (neither is StateReader); see the file comment.
class StateReaderPoolState final : public PoolState {
 public:
  explicit StateReaderPoolState(state::StateReader reader) : reader_(std::move(reader)) {}
  Result<PoolAccount> account(const Address& addr) override;

 private:
  state::StateReader reader_;
};

// Converts a stored account as StateReaderPoolState does (exposed for tests
// and for other adapters, e.g. over a StateDB).
PoolAccount pool_account_of(const Account& account);

}  // namespace klay::txpool
