#include "node/execution/block_processor.h"

#include <atomic>
#include <optional>
#include <string>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace klay::execution {

namespace {

// Same code as `s`, message prefixed with the transaction's index and hash.
Status at_txn(size_t index, const Transaction& txn, const Status& s) {
  return with_context(s, "transaction " + std::to_string(index) + " (" + tx_hash(txn).hex() + ")");
}

}  // namespace

Result<std::vector<RecoveredTx>> recover_senders(std::span<const Transaction> txns, const uint256& chain_id) {
  std::vector<std::optional<RecoveredTx>> slots(txns.size());
  std::vector<Status> errors(txns.size());
  std::atomic<bool> failed{false};
  tbb::parallel_for(tbb::blocked_range<size_t>(0, txns.size(), 16), [&](const tbb::blocked_range<size_t>& r) {
    for (size_t i = r.begin(); i != r.end(); ++i) {
      auto rec = recover_tx(txns[i], chain_id);
      if (rec) {
        slots[i] = std::move(*rec);
      } else {
        errors[i] = rec.status();
        failed.store(true, std::memory_order_relaxed);
      }
    }
  });
  std::vector<RecoveredTx> out;
  out.reserve(txns.size());
  for (size_t i = 0; i < txns.size(); ++i) {
    if (failed.load(std::memory_order_relaxed) && !errors[i].is_ok()) return at_txn(i, txns[i], errors[i]);
    out.push_back(std::move(*slots[i]));
  }
  return out;
}

Result<std::vector<Address>> recover_sender_addresses(std::span<const Transaction> txns, const uint256& chain_id) {
  auto recovered = recover_senders(txns, chain_id);
  if (!recovered) return recovered.status();
  std::vector<Address> out;
  out.reserve(recovered->size());
  for (const auto& r : *recovered) out.push_back(r.sender);
  return out;
}

Result<BlockResult> process_block(state::StateDB& state, const BlockEnv& env, std::span<const Transaction> txns,
                                  std::span<const RecoveredTx> recovered) {
  if (recovered.size() != txns.size())
    return Status::invalid_argument("process_block: " + std::to_string(recovered.size()) + " recovered senders for " +
                                    std::to_string(txns.size()) + " transactions");
  BlockResult result;
  result.receipts.reserve(txns.size());
  for (size_t i = 0; i < txns.size(); ++i) {
    auto receipt = apply_transaction(state, env, txns[i], recovered[i], result.gas_used);
    if (!receipt) return at_txn(i, txns[i], receipt.status());
    result.gas_used += receipt->gas_used;
    result.receipts.push_back(std::move(*receipt));
  }
  auto reward = apply_block_reward(state, env, result.gas_used);
  if (!reward) return reward.status();
  result.reward = *reward;
  if (auto s = state.finalise(); !s) return s;
  return result;
}

}  // namespace klay::execution
