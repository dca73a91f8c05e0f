#include "node/execution/state_transition.h"

#include <limits>
#include <string>

#include "node/execution/fork_rules.h"
#include "node/execution/intrinsic_gas.h"
#include "node/execution/key_validation.h"

namespace klay::execution {

namespace {

TxType base_type(TxType t) { return static_cast<TxType>(static_cast<uint16_t>(t) & ~uint16_t{7}); }

bool is_value_transfer_type(TxType t) {
  const TxType b = base_type(t);
  return is_klaytn_type(t) && (b == TxType::kValueTransfer || b == TxType::kValueTransferMemo);
}

bool is_ethereum_kind(TxType t) { return t == TxType::kLegacy || is_ethereum_typed(t); }

// Checks that need no gas: type support, forks, recipient, fee ratio, key replaceability.
Status static_checks(state::StateDB& state, const Transaction& txn, const RecoveredTx& rec, const ForkRules& rules) {
  if (is_ethereum_typed(txn.type) && !rules.eth_tx_type)
    return Status::invalid_argument(to_string(txn.type) + " is not accepted before the EthTxType fork");
  if (is_klaytn_type(txn.type)) {
    switch (base_type(txn.type)) {
      case TxType::kSmartContractDeploy:
      case TxType::kSmartContractExecution:
        return Status::not_supported("EVM not supported yet: " + to_string(txn.type));
      case TxType::kAccountCreation:
        return Status::not_supported(to_string(txn.type) + " is disabled by the protocol");
      default:
        break;
    }
  } else if (!is_ethereum_kind(txn.type)) {
    return Status::not_supported(to_string(txn.type) + " is not a supported transaction type");
  }
  if (has_fee_ratio(txn.type) && (txn.fee_ratio < 1 || txn.fee_ratio > 99))
    return Status::invalid_argument("fee ratio is out of range [1, 99]: " + std::to_string(txn.fee_ratio));

  if (is_value_transfer_type(txn.type)) {
    if (!txn.to) return Status::invalid_argument(to_string(txn.type) + " has no recipient");
    if (is_precompiled_address(*txn.to))
      return Status::invalid_argument("the address " + txn.to->hex() + " is reserved for pre-compiled contracts");
    auto program = state.is_program_account(*txn.to);
    if (!program) return program.status();
    if (*program)
      return Status::invalid_argument("this type transaction cannot be sent to contract addresses (" + txn.to->hex() +
                                      " is a program account)");
  } else if (is_ethereum_kind(txn.type)) {
    if (!txn.to) return Status::not_supported("EVM not supported yet: contract creation");
    if (is_precompiled_address(*txn.to))
      return Status::invalid_argument("the address " + txn.to->hex() + " is reserved for pre-compiled contracts");
    auto code_hash = state.code_hash(*txn.to);
    if (!code_hash) return code_hash.status();
    if (*code_hash != empty_code_hash())
      return Status::not_supported("EVM not supported yet: call to " + txn.to->hex() + ", which holds code");
  } else if (base_type(txn.type) == TxType::kAccountUpdate) {
    auto old_key = state.account_key(rec.sender);
    if (!old_key) return old_key.status();
    if (auto s = check_replaceable(*old_key, txn.key); !s) return s;
  }
  return Status::ok();
}

// Moves `value` like the reference's EVM Call to an account without code.
Status transfer(state::StateDB& state, const Address& from, const Address& to, const uint256& value) {
  if (value.is_zero()) {
    auto exists = state.exists(to);
    if (!exists) return exists.status();
    if (!*exists) return Status::ok();
  }
  if (auto s = state.sub_balance(from, value); !s) return s;
  return state.add_balance(to, value);
}

// Charges (sign = buy) or refunds `amount` between sender and fee payer.
Status charge(state::StateDB& state, const Transaction& txn, const RecoveredTx& rec, const uint256& amount) {
  if (has_fee_ratio(txn.type)) {
    const FeeSplit split = split_fee(txn.fee_ratio, amount);
    auto payer_balance = state.balance(rec.fee_payer);
    if (!payer_balance) return payer_balance.status();
    if (*payer_balance < split.fee_payer)
      return Status::invalid_argument("insufficient fee payer's balance for gas: " + rec.fee_payer.hex() + " has " +
                                      payer_balance->to_string() + ", needs " + split.fee_payer.to_string());
    auto sender_balance = state.balance(rec.sender);
    if (!sender_balance) return sender_balance.status();
    if (*sender_balance < split.sender)
      return Status::invalid_argument("insufficient balance for gas: " + rec.sender.hex() + " has " +
                                      sender_balance->to_string() + ", needs " + split.sender.to_string());
    if (auto s = state.sub_balance(rec.fee_payer, split.fee_payer); !s) return s;
    return state.sub_balance(rec.sender, split.sender);
  }
  auto balance = state.balance(rec.fee_payer);
  if (!balance) return balance.status();
  if (*balance < amount)
    return Status::invalid_argument(std::string(is_fee_delegated(txn.type) ? "insufficient fee payer's balance"
                                                                           : "insufficient balance") +
                                    " for gas: " + rec.fee_payer.hex() + " has " + balance->to_string() + ", needs " +
                                    amount.to_string());
  return state.sub_balance(rec.fee_payer, amount);
}

Status refund(state::StateDB& state, const Transaction& txn, const RecoveredTx& rec, const uint256& amount) {
  if (has_fee_ratio(txn.type)) {
    const FeeSplit split = split_fee(txn.fee_ratio, amount);
    if (auto s = state.add_balance(rec.fee_payer, split.fee_payer); !s) return s;
    return state.add_balance(rec.sender, split.sender);
  }
  return state.add_balance(rec.fee_payer, amount);
}

// Runs the type's effect after the nonce increment. Returns the receipt status,
// or a Status for errors of the state itself.
Result<uint64_t> execute(state::StateDB& state, const Transaction& txn, const RecoveredTx& rec) {
  if (is_value_transfer_type(txn.type) || is_ethereum_kind(txn.type)) {
    if (auto s = transfer(state, rec.sender, *txn.to, txn.value); !s) return s;
    return kReceiptStatusSuccessful;
  }
  if (base_type(txn.type) == TxType::kAccountUpdate) {
    auto account = state.account(rec.sender);
    if (!account) return account.status();
    // Legacy-type (and program) accounts cannot change keys: the reference's
    // "account key is not modifiable", recorded as ReceiptStatusErrDefault.
    if (!*account || (*account)->type != AccountType::kEOA) return kReceiptStatusErrDefault;
    auto key = updated_key((*account)->key, txn.key);
    if (!key) return kReceiptStatusErrDefault;
    if (auto s = state.set_account_key(rec.sender, *key); !s) return s;
    return kReceiptStatusSuccessful;
  }
  return kReceiptStatusSuccessful;  // cancel, chain data anchoring: nonce and gas only
}

}  // namespace

bool is_precompiled_address(const Address& addr) {
  for (size_t i = 0; i < 18; ++i)
    if (addr.bytes[i] != 0) return false;
  const unsigned tail = (unsigned{addr.bytes[18]} << 8) | addr.bytes[19];
  return tail != 0 && tail <= 0x3ff;
}

FeeSplit split_fee(uint8_t fee_ratio, const uint256& fee) {
  FeeSplit s;
  s.fee_payer = divmod(fee * uint256(fee_ratio), uint256(100)).quot;
  s.sender = fee - s.fee_payer;
  return s;
}

bool fees_deferred(const ChainConfig& config) {
  return config.governance && config.governance->reward && config.governance->reward->deferred_tx_fee;
}

uint256 effective_gas_price(const BlockEnv& env, const Transaction& txn) {
  if (env.base_fee) return *env.base_fee;
  if (txn.type == TxType::kEthereumDynamicFee) return txn.gas_fee_cap;
  return txn.gas_price;
}

Result<Receipt> apply_transaction(state::StateDB& state, const BlockEnv& env, const Transaction& txn,
                                  const RecoveredTx& rec, uint64_t cumulative_gas) {
  const ChainConfig& config = *env.config;
  const ForkRules rules = rules_at(config, env.block_num);

  if (auto s = static_checks(state, txn, rec, rules); !s) return s;

  auto type_gas = type_intrinsic_gas(txn, rules);
  if (!type_gas) return type_gas.status();
  auto sig_gas = validate_signers(
      txn, rec, [&state](const Address& a) { return state.account_key(a); }, rules);
  if (!sig_gas) return sig_gas.status();
  auto intrinsic = add_gas(*type_gas, *sig_gas);
  if (!intrinsic) return intrinsic.status();

  auto nonce = state.nonce(rec.sender);
  if (!nonce) return nonce.status();
  if (txn.nonce != *nonce)
    return Status::invalid_argument(std::string(txn.nonce > *nonce ? "nonce too high" : "nonce too low") +
                                    ": transaction nonce " + std::to_string(txn.nonce) + ", account " +
                                    rec.sender.hex() + " nonce " + std::to_string(*nonce));
  if (*nonce == std::numeric_limits<uint64_t>::max())
    return Status::invalid_argument("nonce has max value: " + rec.sender.hex());
  if (env.gas_limit && (cumulative_gas > *env.gas_limit || txn.gas > *env.gas_limit - cumulative_gas))
    return Status::invalid_argument("gas limit reached: transaction gas " + std::to_string(txn.gas) +
                                    " exceeds the block's remaining gas");

  const uint256 price = effective_gas_price(env, txn);
  const Overflowing gas_fee = checked_mul(uint256(txn.gas), price);
  if (gas_fee.overflow) return Status::invalid_argument("gas × gas price overflows 256 bits");

  const int snap = state.snapshot();
  auto fail = [&](Status s) -> Status {
    (void)state.revert_to(snap);
    return s;
  };
  if (auto s = charge(state, txn, rec, gas_fee.value); !s) return fail(s);
  if (auto s = check_intrinsic_gas(txn.gas, *intrinsic); !s) return fail(s);
  if (!txn.value.is_zero()) {
    auto balance = state.balance(rec.sender);
    if (!balance) return fail(balance.status());
    if (*balance < txn.value)
      return fail(Status::invalid_argument("insufficient balance for transfer: " + rec.sender.hex() + " has " +
                                           balance->to_string() + ", value " + txn.value.to_string()));
  }

  // Execution: from here on the transaction is included.
  if (auto s = state.set_nonce(rec.sender, *nonce + 1); !s) return fail(s);
  const int exec_snap = state.snapshot();
  auto status = execute(state, txn, rec);
  if (!status) return fail(status.status());
  if (*status != kReceiptStatusSuccessful) {
    if (auto s = state.revert_to(exec_snap); !s) return fail(s);
  }

  const uint64_t gas_used = *intrinsic;  // non-EVM types use no execution gas
  if (auto s = refund(state, txn, rec, uint256(txn.gas - gas_used) * price); !s) return fail(s);
  if (!fees_deferred(config)) {
    const uint256 fee = uint256(gas_used) * price;
    Status s = rules.magma ? state.add_balance(env.rewardbase, fee >> 1)
                           : state.add_balance(env.proposer.value_or(env.rewardbase), fee);
    if (!s) return fail(s);
  }
  if (auto s = state.finalise(); !s) return s;

  Receipt receipt;
  receipt.status = *status;
  receipt.gas_used = gas_used;
  receipt.tx_hash = tx_hash(txn);
  return receipt;
}

Result<Receipt> apply_transaction(state::StateDB& state, const BlockEnv& env, const Transaction& txn,
                                  const Address& sender, uint64_t cumulative_gas) {
  if (!env.config->chain_id) return Status::invalid_argument("the chain config has no chain id");
  auto rec = recover_tx(txn, *env.config->chain_id);
  if (!rec) return rec.status();
  if (rec->sender != sender)
    return Status::invalid_argument("the transaction's sender is " + rec->sender.hex() + ", not " + sender.hex());
  return apply_transaction(state, env, txn, *rec, cumulative_gas);
}

}  // namespace klay::execution
