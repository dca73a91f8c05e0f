#include "node/txpool/tx_list.h"

namespace klay::txpool {

bool can_replace(const PooledTx& old, const PooledTx& replacement, bool magma) {
  const TxType t = replacement.tx.type;
  if (t == TxType::kCancel || t == TxType::kFeeDelegatedCancel || t == TxType::kFeeDelegatedCancelWithRatio)
    return true;
  if (magma) return replacement.price > old.price;
  return false;
}

PooledTxRef TxList::get(uint64_t nonce) const {
  auto it = txs_.find(nonce);
  return it == txs_.end() ? nullptr : it->second;
}

TxList::AddResult TxList::add(PooledTxRef tx, bool magma) {
  auto it = txs_.find(tx->nonce());
  if (it == txs_.end()) {
    txs_.emplace(tx->nonce(), std::move(tx));
    return {true, nullptr};
  }
  if (!can_replace(*it->second, *tx, magma)) return {false, nullptr};
  PooledTxRef old = std::move(it->second);
  it->second = std::move(tx);
  return {true, std::move(old)};
}

PooledTxRef TxList::put(PooledTxRef tx) {
  PooledTxRef old;
  auto [it, fresh] = txs_.try_emplace(tx->nonce(), tx);
  if (!fresh) {
    old = std::move(it->second);
    it->second = std::move(tx);
  }
  return old;
}

PooledTxRef TxList::remove(uint64_t nonce) {
  auto it = txs_.find(nonce);
  if (it == txs_.end()) return nullptr;
  PooledTxRef tx = std::move(it->second);
  txs_.erase(it);
  return tx;
}

std::vector<PooledTxRef> TxList::forward(uint64_t threshold) {
  std::vector<PooledTxRef> out;
  auto end = txs_.lower_bound(threshold);
  for (auto it = txs_.begin(); it != end; ++it) out.push_back(std::move(it->second));
  txs_.erase(txs_.begin(), end);
  return out;
}

std::vector<PooledTxRef> TxList::filter(const std::function<bool(const PooledTx&)>& drop) {
  std::vector<PooledTxRef> out;
  for (auto it = txs_.begin(); it != txs_.end();) {
    if (drop(*it->second)) {
      out.push_back(std::move(it->second));
      it = txs_.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

std::vector<PooledTxRef> TxList::remove_above(uint64_t nonce) {
  std::vector<PooledTxRef> out;
  auto begin = txs_.upper_bound(nonce);
  for (auto it = begin; it != txs_.end(); ++it) out.push_back(std::move(it->second));
  txs_.erase(begin, txs_.end());
  return out;
}

std::vector<PooledTxRef> TxList::ready(uint64_t start, const std::optional<uint256>& min_price) {
  std::vector<PooledTxRef> out;
  uint64_t next = start;
  for (auto it = txs_.begin(); it != txs_.end() && it->first == next; ++next) {
    if (min_price && it->second->price < *min_price) break;
    out.push_back(std::move(it->second));
    it = txs_.erase(it);
  }
  return out;
}

std::vector<PooledTxRef> TxList::cap(size_t limit) {
  std::vector<PooledTxRef> out;
  while (txs_.size() > limit) {
    auto last = std::prev(txs_.end());
    out.push_back(std::move(last->second));
    txs_.erase(last);
  }
  return out;
}

std::vector<PooledTxRef> TxList::flatten() const {
  std::vector<PooledTxRef> out;
  out.reserve(txs_.size());
  for (const auto& [nonce, tx] : txs_) out.push_back(tx);
  return out;
}

}  // namespace klay::txpool
