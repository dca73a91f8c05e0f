#include "node/txpool/tx_validation.h"

#include "node/execution/intrinsic_gas.h"
#include "node/execution/key_validation.h"
#include "node/execution/sender_validation.h"
#include "node/txpool/pool_errors.h"

namespace klay::txpool {

namespace {

Status fail(const char* msg) { return Status::invalid_argument(msg); }

bool is_anchoring(TxType t) {
  return t == TxType::kChainDataAnchoring || t == TxType::kFeeDelegatedChainDataAnchoring ||
         t == TxType::kFeeDelegatedChainDataAnchoringWithRatio;
}

bool is_contract_type(TxType t) {
  switch (t) {
    case TxType::kSmartContractDeploy:
    case TxType::kFeeDelegatedSmartContractDeploy:
    case TxType::kFeeDelegatedSmartContractDeployWithRatio:
    case TxType::kSmartContractExecution:
    case TxType::kFeeDelegatedSmartContractExecution:
    case TxType::kFeeDelegatedSmartContractExecutionWithRatio:
      return true;
    default:
      return false;
  }
}

bool is_klaytn_value_transfer(TxType t) {
  switch (t) {
    case TxType::kValueTransfer:
    case TxType::kFeeDelegatedValueTransfer:
    case TxType::kFeeDelegatedValueTransferWithRatio:
    case TxType::kValueTransferMemo:
    case TxType::kFeeDelegatedValueTransferMemo:
    case TxType::kFeeDelegatedValueTransferMemoWithRatio:
      return true;
    default:
      return false;
  }
}

bool is_protected(const Transaction& tx) {
  if (tx.type != TxType::kLegacy) return true;
  if (tx.signatures.empty()) return true;
  const uint256& v = tx.signatures.front().v;
  return !(v == uint256(27) || v == uint256(28));
}

// The recipient rules of the reference's tx.Validate / ValidateMutableValue,
// plus ours: anything that would run the EVM is refused.
Status check_recipient(const PooledTx& ptx, PoolState& state) {
  const Transaction& tx = ptx.tx;
  if (is_contract_type(tx.type)) return fail(errors::kEvmNotSupported);
  const bool eth_like = tx.type == TxType::kLegacy || is_ethereum_typed(tx.type);
  const bool klay_transfer = is_klaytn_value_transfer(tx.type);
  if (!eth_like && !klay_transfer) return Status::ok();
  if (!tx.to) return fail(errors::kEvmNotSupported);  // contract creation
  if (is_precompiled_address(*tx.to)) return fail(errors::kPrecompiledContractAddress);
  auto to = state.account(*tx.to);
  if (!to) return to.status();
  if (klay_transfer && to->program_account) return fail(errors::kNotForProgramAccount);
  if (eth_like && to->has_code) return fail(errors::kEvmNotSupported);
  return Status::ok();
}

// Validates the recovered signer keys against the accounts' current keys;
// returns the signature validation gas.
Result<uint64_t> check_signers(const PooledTx& ptx, const PoolRules& rules, PoolState& state) {
  auto lookup = [&state](const Address& addr) -> Result<AccountKey> {
    auto acc = state.account(addr);
    if (!acc) return acc.status();
    return acc->key;
  };
  return execution::validate_signers(ptx.tx, ptx.signers, lookup, rules.forks);
}

// An account update's new key must be able to replace the current one
// (reference: TxInternalDataAccountUpdate.ValidateMutableValue).
Status check_account_update(const PooledTx& ptx, const PoolAccount& sender) {
  const TxType t = ptx.tx.type;
  if (t != TxType::kAccountUpdate && t != TxType::kFeeDelegatedAccountUpdate &&
      t != TxType::kFeeDelegatedAccountUpdateWithRatio)
    return Status::ok();
  return execution::check_replaceable(sender.key, ptx.tx.key);
}

Result<PoolAccount> fee_payer_account(const PooledTx& ptx, const PoolAccount& sender, PoolState& state) {
  if (ptx.fee_payer == ptx.sender) return sender;
  return state.account(ptx.fee_payer);
}

}  // namespace

PoolRules rules_for(const ChainConfig& config, const PoolHead& head) {
  PoolRules r;
  r.block_num = head.block_num + 1;
  r.chain_id = config.chain_id.value_or(uint256(0));
  r.forks = execution::rules_at(config, r.block_num);
  r.eth_tx_types = r.forks.eth_tx_type;
  r.magma = r.forks.magma;
  if (r.magma && head.next_base_fee) {
    r.gas_price = *head.next_base_fee;
  } else if (r.magma && config.governance && config.governance->kip71) {
    r.gas_price = uint256(config.governance->kip71->lower_bound_base_fee);
  } else {
    r.gas_price = uint256(config.unit_price);
  }
  return r;
}

bool is_precompiled_address(const Address& addr) {
  if (addr.is_zero()) return false;
  for (size_t i = 0; i < 18; ++i)
    if (addr.bytes[i] != 0) return false;
  return addr.bytes[18] <= 0x03;
}

Result<PooledTx> prepare_tx(Transaction tx, uint64_t size, const TxPoolConfig& config, const uint256& chain_id) {
  if (size > config.max_tx_size) return fail(errors::kOversizedData);
  if (tx.type == TxType::kAccountCreation) return fail(errors::kTxTypeNotSupported);
  if (is_anchoring(tx.type) && !config.allow_anchor_txs) return fail(errors::kAnchoringNotAllowed);
  if (is_protected(tx) && tx_chain_id(tx) != chain_id) return fail(errors::kInvalidChainId);
  if (has_fee_ratio(tx.type) && (tx.fee_ratio < 1 || tx.fee_ratio > 99)) return fail(errors::kFeeRatioOutOfRange);
  if (tx.type == TxType::kEthereumDynamicFee && tx.gas_fee_cap < tx.gas_tip_cap)
    return fail(errors::kTipAboveFeeCap);

  auto signers = execution::recover_tx(tx, chain_id);
  if (!signers) {
    // Which side failed decides the reference's prefix; only failures pay for asking.
    const bool payer = is_fee_delegated(tx.type) && recover_sender_keys(tx, chain_id).has_value();
    return Status::invalid_argument(std::string(payer ? errors::kInvalidFeePayer : errors::kInvalidSender) + ": " +
                                    signers.status().message());
  }
  PooledTx p;
  p.sender = signers->sender;
  p.fee_payer = signers->fee_payer;
  p.signers = std::move(*signers);
  p.hash = tx_hash(tx);
  p.size = size;
  p.price = tx.type == TxType::kEthereumDynamicFee ? tx.gas_fee_cap : tx.gas_price;
  p.tx = std::move(tx);
  return p;
}

Status check_rules(const PooledTx& ptx, const PoolRules& rules) {
  const Transaction& tx = ptx.tx;
  if (is_ethereum_typed(tx.type) && !rules.eth_tx_types) return fail(errors::kTxTypeNotSupported);
  // Anything that needs the EVM is refused before any gas or state rule.
  const bool eth_like = tx.type == TxType::kLegacy || is_ethereum_typed(tx.type);
  if (is_contract_type(tx.type) || (eth_like && !tx.to)) return fail(errors::kEvmNotSupported);
  if (tx.type == TxType::kEthereumDynamicFee) {
    if (rules.magma) {
      if (rules.gas_price > tx.gas_fee_cap) return fail(errors::kFeeCapBelowBaseFee);
    } else {
      if (rules.gas_price != tx.gas_tip_cap) return fail(errors::kInvalidGasTipCap);
      if (rules.gas_price != tx.gas_fee_cap) return fail(errors::kInvalidGasFeeCap);
    }
    return Status::ok();
  }
  if (rules.magma) {
    if (rules.gas_price > tx.gas_price) return fail(errors::kGasPriceBelowBaseFee);
  } else if (rules.gas_price != tx.gas_price) {
    return fail(errors::kInvalidUnitPrice);
  }
  return Status::ok();
}

Status check_funds(const PooledTx& ptx, const PoolAccount& sender, const PoolAccount& fee_payer) {
  const Transaction& tx = ptx.tx;
  const Overflowing fee = checked_mul(ptx.price, uint256(tx.gas));
  const Overflowing cost = checked_add(fee.value, tx.value);
  const bool cost_overflows = fee.overflow || cost.overflow;
  if (!is_fee_delegated(tx.type)) {
    if (cost_overflows || sender.balance < cost.value) return fail(errors::kInsufficientFunds);
    return Status::ok();
  }
  if (fee.overflow) return fail(errors::kInsufficientFundsFeePayer);
  uint256 by_fee_payer = fee.value;
  uint256 by_sender;
  if (has_fee_ratio(tx.type)) {
    // fee * ratio / 100 exactly, without the 257-bit intermediate.
    const DivMod q = divmod(fee.value, uint256(100));
    by_fee_payer = q.quot * uint256(tx.fee_ratio) + (q.rem * uint256(tx.fee_ratio)) / uint256(100);
    by_sender = fee.value - by_fee_payer;
  }
  const Overflowing sender_cost = checked_add(tx.value, by_sender);
  if (sender_cost.overflow || sender.balance < sender_cost.value) return fail(errors::kInsufficientFundsFrom);
  if (fee_payer.balance < by_fee_payer) return fail(errors::kInsufficientFundsFeePayer);
  // One account bearing both shares must cover their sum.
  if (ptx.sender == ptx.fee_payer && (cost_overflows || sender.balance < cost.value))
    return fail(errors::kInsufficientFundsFrom);
  return Status::ok();
}

Status check_mutable(const PooledTx& ptx, const PoolRules& rules, PoolState& state) {
  auto gas = check_signers(ptx, rules, state);
  if (!gas) return gas.status();
  auto sender = state.account(ptx.sender);
  if (!sender) return sender.status();
  auto fee_payer = fee_payer_account(ptx, *sender, state);
  if (!fee_payer) return fee_payer.status();
  if (Status s = check_funds(ptx, *sender, *fee_payer); !s) return s;
  if (Status s = check_account_update(ptx, *sender); !s) return s;
  return check_recipient(ptx, state);
}

Status check_state(const PooledTx& ptx, const PoolRules& rules, PoolState& state) {
  // Reference order: signers (ours checks the fee payer's here too), nonce,
  // funds, intrinsic gas, then the type's own checks.
  auto sig_gas = check_signers(ptx, rules, state);
  if (!sig_gas) return sig_gas.status();
  auto sender = state.account(ptx.sender);
  if (!sender) return sender.status();
  if (ptx.tx.nonce < sender->nonce) return fail(errors::kNonceTooLow);
  auto fee_payer = fee_payer_account(ptx, *sender, state);
  if (!fee_payer) return fee_payer.status();
  if (Status s = check_funds(ptx, *sender, *fee_payer); !s) return s;
  auto type_gas = execution::type_intrinsic_gas(ptx.tx, rules.forks);
  if (!type_gas) return type_gas.status();
  auto need = execution::add_gas(*type_gas, *sig_gas);
  if (!need || ptx.tx.gas < *need) return fail(errors::kIntrinsicGas);
  if (Status s = check_account_update(ptx, *sender); !s) return s;
  return check_recipient(ptx, state);
}

}  // namespace klay::txpool
