// TxPool: admission, queries and notification. Promotion, demotion, limits
// and expiry live in tx_pool_maintenance.cpp.
#include "node/txpool/tx_pool.h"

#include <algorithm>
#include <queue>

#include "node/txpool/pool_errors.h"

namespace klay::txpool {

TxPool::TxPool(ChainConfig chain_config, TxPoolConfig config, std::unique_ptr<PoolState> state, PoolHead head)
    : chain_config_(std::move(chain_config)),
      config_(std::move(config)),
      chain_id_(chain_config_.chain_id.value_or(uint256(0))),
      state_(std::move(state)),
      rules_(rules_for(chain_config_, head)) {}

Clock::time_point TxPool::now() const { return config_.now ? config_.now() : Clock::now(); }

Result<Hash> TxPool::add(ByteView raw) {
  if (raw.size() > config_.max_tx_size) return Status::invalid_argument(errors::kOversizedData);
  auto tx = decode_transaction(raw);
  if (!tx) return tx.status();
  if (Status s = check_known(tx_hash(*tx)); !s) return s;
  auto ptx = prepare_tx(std::move(*tx), raw.size(), config_, chain_id_);
  if (!ptx) return ptx.status();
  return add_prepared(std::move(*ptx));
}

Result<Hash> TxPool::add(Transaction tx) {
  const uint64_t size = encode_transaction(tx).size();
  if (Status s = check_known(tx_hash(tx)); !s) return s;
  auto ptx = prepare_tx(std::move(tx), size, config_, chain_id_);
  if (!ptx) return ptx.status();
  return add_prepared(std::move(*ptx));
}

// A cheap early answer for resent transactions, before signature recovery;
// insert_locked() checks again under the same lock as the insertion.
Status TxPool::check_known(const Hash& hash) const {
  std::lock_guard lock(mu_);
  if (all_.count(hash)) return Status::invalid_argument(std::string(errors::kKnownTransaction) + ": " + hash.hex());
  return Status::ok();
}

Result<Hash> TxPool::add_prepared(PooledTx ptx) {
  Notes notes;
  const Hash hash = ptx.hash;
  {
    std::lock_guard lock(mu_);
    ptx.seq = next_seq_++;
    ptx.added = now();
    if (Status s = insert_locked(std::make_shared<const PooledTx>(std::move(ptx)), notes); !s) return s;
  }
  notify(std::move(notes));
  return hash;
}

Status TxPool::insert_locked(const PooledTxRef& tx, Notes& notes) {
  if (all_.count(tx->hash))
    return Status::invalid_argument(std::string(errors::kKnownTransaction) + ": " + tx->hash.hex());
  if (Status s = check_rules(*tx, rules_); !s) return s;
  if (Status s = check_state(*tx, rules_, *state_); !s) return s;
  if (auto it = included_nonce_.find(tx->sender); it != included_nonce_.end() && tx->nonce() < it->second)
    return Status::invalid_argument(errors::kNonceTooLow);

  // Full pool (reference TxPool.add): only a transaction filling a nonce gap
  // of its sender's queue gets in, by evicting that queue's highest nonce.
  const uint64_t capacity = config_.exec_slots_all + config_.non_exec_slots_all;
  if (slots_ + tx->slots() > capacity) {
    auto it = senders_.find(tx->sender);
    if (it == senders_.end() || it->second.queued.empty())
      return Status::invalid_argument(std::string(errors::kPoolFull) + ": " + std::to_string(all_.size()));
    TxList& queued = it->second.queued;
    if (queued.get(tx->nonce()) || queued.last_nonce() < tx->nonce())
      return Status::invalid_argument(std::string(errors::kPoolFullNoMissingNonce) + ": " +
                                      std::to_string(all_.size()));
    drop_locked(queued.get(queued.last_nonce()));
    if (slots_ + tx->slots() > capacity)
      return Status::invalid_argument(std::string(errors::kPoolFull) + ": " + std::to_string(all_.size()));
  }

  SenderTxs& s = sender_locked(tx->sender);
  if (s.pending.get(tx->nonce())) {
    auto r = s.pending.add(tx, rules_.magma);
    if (!r.inserted) return Status::invalid_argument(errors::kAlreadyNonceExist);
    forget_locked(r.replaced);
    all_.emplace(tx->hash, tx);
    slots_ += tx->slots();
    notes.push_back(tx);
    return Status::ok();
  }
  auto r = s.queued.add(tx, rules_.magma);
  if (!r.inserted) {
    erase_if_empty_locked(tx->sender);
    return Status::invalid_argument(errors::kAlreadyNonceExist);
  }
  if (r.replaced) {
    forget_locked(r.replaced);
  } else {
    ++queued_count_;
  }
  all_.emplace(tx->hash, tx);
  slots_ += tx->slots();
  if (!s.beat) s.beat = now();
  promote_locked({tx->sender}, notes);
  return Status::ok();
}

void TxPool::forget_locked(const PooledTxRef& tx) {
  if (!tx) return;
  if (all_.erase(tx->hash)) slots_ -= tx->slots();
}

std::vector<PooledTxRef> TxPool::pending(size_t max_txs) const {
  std::lock_guard lock(mu_);
  struct Head {
    const TxList::Map* list;
    TxList::Map::const_iterator it;
  };
  auto worse = [](const Head& a, const Head& b) {
    const PooledTx& x = *a.it->second;
    const PooledTx& y = *b.it->second;
    if (x.price != y.price) return x.price < y.price;
    return x.seq > y.seq;
  };
  std::priority_queue<Head, std::vector<Head>, decltype(worse)> heads(worse);
  for (const auto& [addr, s] : senders_)
    if (!s.pending.empty()) heads.push({&s.pending.items(), s.pending.items().begin()});
  std::vector<PooledTxRef> out;
  out.reserve(max_txs ? std::min(max_txs, pending_count_) : pending_count_);
  while (!heads.empty() && (max_txs == 0 || out.size() < max_txs)) {
    Head h = heads.top();
    heads.pop();
    out.push_back(h.it->second);
    if (++h.it != h.list->end()) heads.push(h);
  }
  return out;
}

TxPool::Content TxPool::content() const {
  std::lock_guard lock(mu_);
  Content c;
  for (const auto& [addr, s] : senders_) {
    if (!s.pending.empty()) c.pending[addr] = s.pending.flatten();
    if (!s.queued.empty()) c.queued[addr] = s.queued.flatten();
  }
  return c;
}

PooledTxRef TxPool::get(const Hash& hash) const {
  std::lock_guard lock(mu_);
  auto it = all_.find(hash);
  return it == all_.end() ? nullptr : it->second;
}

TxStatus TxPool::status(const Hash& hash) const {
  std::lock_guard lock(mu_);
  auto it = all_.find(hash);
  if (it == all_.end()) return TxStatus::kUnknown;
  const PooledTx& tx = *it->second;
  auto s = senders_.find(tx.sender);
  if (s != senders_.end()) {
    auto p = s->second.pending.get(tx.nonce());
    if (p && p->hash == hash) return TxStatus::kPending;
  }
  return TxStatus::kQueued;
}

Result<uint64_t> TxPool::account_nonce_locked(const Address& addr) const {
  auto acc = state_->account(addr);
  if (!acc) return acc.status();
  uint64_t nonce = acc->nonce;
  if (auto it = included_nonce_.find(addr); it != included_nonce_.end()) nonce = std::max(nonce, it->second);
  return nonce;
}

Result<uint64_t> TxPool::pending_nonce(const Address& addr) const {
  std::lock_guard lock(mu_);
  auto s = senders_.find(addr);
  if (s != senders_.end() && !s->second.pending.empty()) return s->second.pending.last_nonce() + 1;
  return account_nonce_locked(addr);
}

PoolStats TxPool::stats() const {
  std::lock_guard lock(mu_);
  return PoolStats{pending_count_, queued_count_, slots_, senders_.size()};
}

uint256 TxPool::gas_price() const {
  std::lock_guard lock(mu_);
  return rules_.gas_price;
}

void TxPool::on_new_pending(NewPendingCallback cb) {
  std::lock_guard lock(cb_mu_);
  callback_ = std::move(cb);
}

void TxPool::notify(Notes notes) {
  if (notes.empty()) return;
  NewPendingCallback cb;
  {
    std::lock_guard lock(cb_mu_);
    cb = callback_;
  }
  if (cb) cb(notes);
}

}  // namespace klay::txpool
