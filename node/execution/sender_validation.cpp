#include "node/execution/sender_validation.h"

#include "node/execution/intrinsic_gas.h"
#include "node/execution/key_validation.h"

namespace klay::execution {

Result<RecoveredTx> recover_tx(const Transaction& txn, const uint256& chain_id) {
  RecoveredTx out;
  auto keys = recover_sender_keys(txn, chain_id);
  if (!keys) return keys.status();
  out.sender_keys = std::move(*keys);
  out.sender = is_klaytn_type(txn.type) ? txn.from : address_of(out.sender_keys.front());
  out.fee_payer = out.sender;
  if (is_fee_delegated(txn.type)) {
    auto payer_keys = recover_fee_payer_keys(txn, chain_id);
    if (!payer_keys) return payer_keys.status();
    out.fee_payer_keys = std::move(*payer_keys);
    out.fee_payer = txn.fee_payer;
  }
  return out;
}

Result<uint64_t> validate_signers(const Transaction& txn, const RecoveredTx& recovered, const KeyLookup& lookup,
                                  const ForkRules& rules) {
  auto sender_key = lookup(recovered.sender);
  if (!sender_key) return sender_key.status();
  if (!is_klaytn_type(txn.type)) {
    if (auto s = check_ethereum_sender_key(*sender_key); !s)
      return Status::invalid_argument("invalid sender: " + s.message());
    return uint64_t{0};
  }
  if (recovered.sender_keys.empty()) return Status::invalid_argument("invalid sender: no recovered signer keys");
  const KeyRole role = validation_role(txn.type);
  auto gas = sig_validation_gas(*sender_key, role, recovered.sender_keys.size(), rules);
  if (!gas) return Status::invalid_argument("invalid sender: " + gas.status().message());
  if (auto s = validate_account_key(*sender_key, recovered.sender, recovered.sender_keys, role, rules); !s)
    return Status::invalid_argument("invalid sender: " + s.message());
  if (!is_fee_delegated(txn.type)) return gas;

  if (recovered.fee_payer_keys.empty()) return Status::invalid_argument("invalid fee payer: no recovered signer keys");
  auto payer_key = lookup(recovered.fee_payer);
  if (!payer_key) return payer_key.status();
  auto payer_gas = sig_validation_gas(*payer_key, KeyRole::kFeePayer, recovered.fee_payer_keys.size(), rules);
  if (!payer_gas) return Status::invalid_argument("invalid fee payer: " + payer_gas.status().message());
  if (auto s = validate_account_key(*payer_key, recovered.fee_payer, recovered.fee_payer_keys, KeyRole::kFeePayer,
                                    rules);
      !s)
    return Status::invalid_argument("invalid fee payer: " + s.message());
  return add_gas(*gas, *payer_gas);
}

}  // namespace klay::execution
