// TxPool: promotion, demotion, limits, expiry and head changes (the
// reference's promoteExecutables, demoteUnexecutables, removeTx, reset and
// the eviction loop).
#include <algorithm>
#include <limits>
#include <queue>
#include <tuple>

#include "node/txpool/tx_pool.h"

namespace klay::txpool {

void TxPool::forget_all_locked(const std::vector<PooledTxRef>& txs, bool from_pending) {
  (from_pending ? pending_count_ : queued_count_) -= txs.size();
  for (const auto& tx : txs) forget_locked(tx);
}

void TxPool::enqueue_locked(SenderTxs& s, const PooledTxRef& tx) {
  if (PooledTxRef old = s.queued.put(tx)) {
    forget_locked(old);  // cannot happen while a nonce lives in one list only; keep counts right anyway
  } else {
    ++queued_count_;
  }
  if (!s.beat) s.beat = now();
}

void TxPool::erase_if_empty_locked(const Address& addr) {
  auto it = senders_.find(addr);
  if (it != senders_.end() && it->second.pending.empty() && it->second.queued.empty()) senders_.erase(it);
}

bool TxPool::still_valid_locked(const PooledTx& tx) {
  // Only a failed check drops a transaction; a state that cannot be read
  // (pruned or missing node) keeps it for a later head.
  const Status s = check_mutable(tx, rules_, *state_);
  return s.is_ok() || s.code() != Status::Code::kInvalidArgument;
}

void TxPool::drop_locked(const PooledTxRef& tx) {
  if (!tx) return;
  auto it = senders_.find(tx->sender);
  if (it != senders_.end()) {
    SenderTxs& s = it->second;
    if (auto p = s.pending.get(tx->nonce()); p && p->hash == tx->hash) {
      s.pending.remove(tx->nonce());
      --pending_count_;
      // Successors can no longer execute: back to the queue.
      auto later = s.pending.remove_above(tx->nonce());
      pending_count_ -= later.size();
      for (const auto& t : later) enqueue_locked(s, t);
    } else if (auto q = s.queued.get(tx->nonce()); q && q->hash == tx->hash) {
      s.queued.remove(tx->nonce());
      --queued_count_;
    }
  }
  forget_locked(tx);
  erase_if_empty_locked(tx->sender);
}

void TxPool::promote_sender_locked(const Address& addr, Notes& notes) {
  auto it = senders_.find(addr);
  if (it == senders_.end() || it->second.queued.empty()) return;
  SenderTxs& s = it->second;
  auto nonce = account_nonce_locked(addr);
  if (!nonce) return;  // state unreadable: leave the sender as it is
  forget_all_locked(s.queued.forward(*nonce), false);
  forget_all_locked(s.queued.filter([this](const PooledTx& t) { return !still_valid_locked(t); }), false);

  const uint64_t start = s.pending.empty() ? *nonce : s.pending.last_nonce() + 1;
  std::optional<uint256> min_price;
  if (rules_.magma) min_price = rules_.gas_price;
  auto ready = s.queued.ready(start, min_price);
  for (const auto& t : ready) {
    s.pending.put(t);
    notes.push_back(t);
  }
  queued_count_ -= ready.size();
  pending_count_ += ready.size();
  if (!ready.empty()) s.beat = now();

  forget_all_locked(s.queued.cap(config_.non_exec_slots_account), false);
  erase_if_empty_locked(addr);
}

void TxPool::promote_locked(const std::vector<Address>& addrs, Notes& notes) {
  for (const auto& addr : addrs) promote_sender_locked(addr, notes);
  enforce_pending_cap_locked();
  enforce_queued_cap_locked();
}

void TxPool::enforce_pending_cap_locked() {
  if (pending_count_ <= config_.exec_slots_all) return;
  // Trim the largest senders first, one transaction (the highest nonce) at a
  // time, never below exec_slots_account (reference: the spammer
  // equalisation of promoteExecutables). Between equally large senders the
  // one whose last transaction arrived latest goes first.
  using Entry = std::tuple<size_t, uint64_t, Address>;
  std::priority_queue<Entry> spammers;
  auto push = [&](const Address& addr, const TxList& pending) {
    if (pending.size() > config_.exec_slots_account)
      spammers.emplace(pending.size(), pending.get(pending.last_nonce())->seq, addr);
  };
  for (const auto& [addr, s] : senders_) push(addr, s.pending);
  while (pending_count_ > config_.exec_slots_all && !spammers.empty()) {
    const Address addr = std::get<2>(spammers.top());
    spammers.pop();
    SenderTxs& s = senders_.at(addr);
    forget_all_locked(s.pending.cap(s.pending.size() - 1), true);
    push(addr, s.pending);
    erase_if_empty_locked(addr);
  }
}

void TxPool::enforce_queued_cap_locked() {
  if (queued_count_ <= config_.non_exec_slots_all) return;
  // Reference: accounts sorted by heartbeat, dropped from the most recently
  // active one, each from its highest nonce.
  std::vector<std::pair<Clock::time_point, Address>> by_beat;
  for (const auto& [addr, s] : senders_)
    if (!s.queued.empty()) by_beat.emplace_back(s.beat.value_or(Clock::time_point{}), addr);
  std::sort(by_beat.begin(), by_beat.end());
  size_t excess = queued_count_ - config_.non_exec_slots_all;
  for (auto it = by_beat.rbegin(); it != by_beat.rend() && excess > 0; ++it) {
    SenderTxs& s = senders_.at(it->second);
    const size_t keep = s.queued.size() > excess ? s.queued.size() - excess : 0;
    auto dropped = s.queued.cap(keep);
    excess -= dropped.size();
    forget_all_locked(dropped, false);
    erase_if_empty_locked(it->second);
  }
}

void TxPool::demote_locked() {
  std::vector<Address> addrs;
  for (const auto& [addr, s] : senders_)
    if (!s.pending.empty()) addrs.push_back(addr);
  for (const auto& addr : addrs) {
    SenderTxs& s = senders_.at(addr);
    auto nonce = account_nonce_locked(addr);
    if (!nonce) continue;
    forget_all_locked(s.pending.forward(*nonce), true);

    auto drops = s.pending.filter([this](const PooledTx& t) { return !still_valid_locked(t); });
    if (!drops.empty()) {
      uint64_t lowest = std::numeric_limits<uint64_t>::max();
      for (const auto& t : drops) lowest = std::min(lowest, t->nonce());
      auto later = s.pending.remove_above(lowest);
      pending_count_ -= later.size();
      for (const auto& t : later) enqueue_locked(s, t);
      forget_all_locked(drops, true);
    }
    // A gap in front (should not happen): everything waits in the queue.
    if (!s.pending.empty() && s.pending.first_nonce() != *nonce) {
      auto all = s.pending.cap(0);
      pending_count_ -= all.size();
      for (const auto& t : all) enqueue_locked(s, t);
    }
    // After Magma, the first transaction priced below the new base fee and
    // its successors wait in the queue.
    if (rules_.magma) {
      std::optional<uint64_t> first_low;
      for (const auto& [n, t] : s.pending.items()) {
        if (t->price < rules_.gas_price) {
          first_low = n;
          break;
        }
      }
      if (first_low) {
        auto moved = s.pending.remove_above(*first_low);
        moved.push_back(s.pending.remove(*first_low));
        pending_count_ -= moved.size();
        for (const auto& t : moved) enqueue_locked(s, t);
      }
    }
    erase_if_empty_locked(addr);
  }
}

size_t TxPool::evict_expired_locked() {
  const Clock::time_point t = now();
  size_t dropped = 0;
  std::vector<Address> expired;
  for (auto& [addr, s] : senders_)
    if (s.beat && t - *s.beat > config_.lifetime) expired.push_back(addr);
  for (const auto& addr : expired) {
    SenderTxs& s = senders_.at(addr);
    auto gone = s.queued.cap(0);
    dropped += gone.size();
    forget_all_locked(gone, false);
    s.beat.reset();
    erase_if_empty_locked(addr);
  }
  return dropped;
}

size_t TxPool::evict_expired() {
  std::lock_guard lock(mu_);
  return evict_expired_locked();
}

bool TxPool::drop(const Hash& hash) {
  std::lock_guard lock(mu_);
  auto it = all_.find(hash);
  if (it == all_.end()) return false;
  PooledTxRef tx = it->second;
  drop_locked(tx);
  return true;
}

void TxPool::reset(std::unique_ptr<PoolState> state, PoolHead head) {
  Notes notes;
  {
    std::lock_guard lock(mu_);
    state_ = std::move(state);
    rules_ = rules_for(chain_config_, head);
    included_nonce_.clear();
    demote_locked();
    std::vector<Address> addrs;
    for (const auto& [addr, s] : senders_)
      if (!s.queued.empty()) addrs.push_back(addr);
    promote_locked(addrs, notes);
  }
  notify(std::move(notes));
}

void TxPool::remove_included(std::span<const Transaction> txs) {
  std::vector<Address> senders;
  senders.reserve(txs.size());
  for (const auto& tx : txs) {
    if (is_klaytn_type(tx.type)) {
      senders.push_back(tx.from);
    } else if (PooledTxRef known = get(tx_hash(tx))) {
      senders.push_back(known->sender);
    } else if (auto from = tx_sender(tx, chain_id_)) {
      senders.push_back(*from);
    } else {
      senders.push_back(Address{});  // unrecoverable: no pool transaction can match it
    }
  }
  remove_included(txs, senders);
}

void TxPool::remove_included(std::span<const Transaction> txs, std::span<const Address> senders) {
  Notes notes;
  {
    std::lock_guard lock(mu_);
    std::vector<Address> touched;
    for (size_t i = 0; i < txs.size() && i < senders.size(); ++i) {
      if (senders[i].is_zero()) continue;
      uint64_t& next = included_nonce_[senders[i]];
      next = std::max(next, txs[i].nonce + 1);
      touched.push_back(senders[i]);
    }
    std::sort(touched.begin(), touched.end());
    touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
    for (const auto& addr : touched) {
      auto it = senders_.find(addr);
      if (it == senders_.end()) continue;
      const uint64_t next = included_nonce_[addr];
      forget_all_locked(it->second.pending.forward(next), true);
      forget_all_locked(it->second.queued.forward(next), false);
      erase_if_empty_locked(addr);
    }
    promote_locked(touched, notes);
  }
  notify(std::move(notes));
}

}  // namespace klay::txpool
