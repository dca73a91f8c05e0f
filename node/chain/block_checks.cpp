#include "node/chain/block_checks.h"

namespace klay::chain {

std::string block_label(uint64_t block_num, const Hash& hash) {
  return "block " + std::to_string(block_num) + " " + hash.hex();
}

Status check_parent_link(const Header& h, const Hash& hash, const Header& parent, const Hash& parent_hash) {
  if (h.number != parent.number + 1)
    return Status::invalid_argument(block_label(h.number, hash) + ": number must be parent's + 1 (parent is block " +
                                    std::to_string(parent.number) + ")");
  if (h.parent_hash != parent_hash)
    return Status::invalid_argument(block_label(h.number, hash) + ": unknown parent " + h.parent_hash.hex());
  if (h.time < parent.time)
    return Status::invalid_argument(block_label(h.number, hash) + ": invalid timestamp " + std::to_string(h.time) +
                                    " (before parent's " + std::to_string(parent.time) + ")");
  return Status::ok();
}

Status check_tx_root(const Block& block, const Hash& hash, DeriveShaImpl impl) {
  const Hash root = transactions_root(impl, block.transactions);
  if (root != block.header.tx_hash)
    return Status::invalid_argument(block_label(block.header.number, hash) + ": transaction root mismatch (header " +
                                    block.header.tx_hash.hex() + ", computed " + root.hex() + ")");
  return Status::ok();
}

Bloom receipts_bloom(const std::vector<Receipt>& receipts) {
  Bloom b;
  for (const Receipt& r : receipts)
    for (size_t i = 0; i < Bloom::kSize; ++i) b.bytes[i] |= r.bloom.bytes[i];
  return b;
}

Status check_execution(const Header& h, const Hash& hash, uint64_t gas_used, const std::vector<Receipt>& receipts,
                       DeriveShaImpl impl) {
  const std::string label = block_label(h.number, hash);
  if (gas_used != h.gas_used)
    return Status::invalid_argument(label + ": gas used mismatch (header " + std::to_string(h.gas_used) +
                                    ", computed " + std::to_string(gas_used) + ")");
  if (receipts_bloom(receipts) != h.bloom) return Status::invalid_argument(label + ": invalid bloom");
  const Hash root = receipts_root(impl, receipts);
  if (root != h.receipt_hash)
    return Status::invalid_argument(label + ": receipts root mismatch (header " + h.receipt_hash.hex() +
                                    ", computed " + root.hex() + ")");
  return Status::ok();
}

Status check_state_root(const Header& h, const Hash& hash, const Hash& computed_root) {
  if (computed_root != h.root)
    return Status::invalid_argument(block_label(h.number, hash) + ": state root mismatch (header " + h.root.hex() +
                                    ", computed " + computed_root.hex() + ")");
  return Status::ok();
}

void fill_receipt_context(std::vector<Receipt>& receipts, const std::vector<Hash>& txn_hashes, uint64_t block_num, const Hash& block_hash) {
  uint64_t log_index = 0;
  for (size_t i = 0; i < receipts.size(); ++i) {
    Receipt& r = receipts[i];
    r.tx_hash = txn_hashes[i];
    for (Log& l : r.logs) {
      l.block_number = block_num;
      l.tx_hash = txn_hashes[i];
      l.tx_index = i;
      l.block_hash = block_hash;
      l.index = log_index++;
    }
  }
}

}  // namespace klay::chain
