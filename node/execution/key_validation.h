// Account-key rules (reference: blockchain/types/accountkey/*.go):
// which recovered signer keys satisfy an account's key for a role, and which
// new keys an account update may install.
//
// All functions are pure and thread-safe. Errors are InvalidArgument with the
// reference's reason as the message.
#pragma once

#include <span>

#include "engine/core/secp256k1.h"
#include "engine/core/status.h"
#include "engine/core/types.h"
#include "engine/klaytn/account_key.h"
#include "engine/klaytn/tx_types.h"
#include "node/execution/fork_rules.h"

namespace klay::execution {

// The role a transaction's sender signatures are checked under: account
// update types use kAccountUpdate, every other type kTransaction. (Fee-payer
// signatures always use kFeePayer.)
KeyRole validation_role(TxType type);

// The key a role-based key uses for `role`: roles()[role] when present, else
// the transaction key (roles()[0]). Other keys are returned as is.
// REQUIRES: a role-based key has at least one role (decoding guarantees it
// is well-formed only as far as the reference's CheckInstallable did).
const AccountKey& key_for_role(const AccountKey& key, KeyRole role);

// Whether `recovered` (the public keys recovered from a transaction's
// signatures, in order) satisfy `key` for `role`, for the account `from`:
//   nil        never (the reference treats it as a caller bug)
//   legacy     exactly one key, whose address is `from`
//   public     exactly one key, equal to the account's key
//   fail       never
//   multisig   the weights of the account keys found among the distinct
//              recovered keys sum to >= threshold; from Istanbul on, also
//              no more signatures than keys, and every distinct recovered
//              key must belong to the account
//   role-based the key for the role (see key_for_role)
// OK or InvalidArgument "invalid signature: <reason>".
Status validate_account_key(const AccountKey& key, const Address& from, std::span<const PublicKey> recovered,
                            KeyRole role, const ForkRules& rules);

// Legacy and Ethereum typed transactions: the sender's account must hold a
// legacy key (absent accounts read as legacy). InvalidArgument "a legacy
// transaction must be with a legacy account key" otherwise.
Status check_ethereum_sender_key(const AccountKey& key);

// Whether `key` may be installed as a new account key (CheckInstallable):
// nil is not installable; multisig needs 1..10 keys, non-zero weights, no
// duplicate keys, no weight-sum overflow and a reachable threshold;
// role-based needs 1..3 roles, none role-based itself, each installable.
// Legacy, public and fail keys are installable.
Status check_installable(const AccountKey& key);

// Whether an account holding `old_key` may replace it by `new_key`
// (CheckReplacable): a different type must be installable; the same type must
// be updatable: legacy→legacy ok; fail→fail and nil→nil refused; public and
// multisig: the new key installable; role-based: new roles are checked one by
// one (a nil role keeps the old role; a role beyond the old ones must be
// installable; others must be replaceable).
Status check_replaceable(const AccountKey& old_key, const AccountKey& new_key);

// The key the account holds after an update with `new_key` (the reference's
// Update/ReplaceKey): a role-based update onto a role-based key keeps every
// old role whose new role is nil and appends roles beyond the old length;
// any other update installs `new_key`. Fails as check_replaceable().
Result<AccountKey> updated_key(const AccountKey& old_key, const AccountKey& new_key);

}  // namespace klay::execution
