#include "pruning/live_pruner.h"

#include <spdlog/spdlog.h>

#include <sched.h>

#include <algorithm>
#include <cstring>

#include "engine/chaindata/shard_layout.h"
#include "engine/chaindata/sharded_database.h"
#include "engine/rawdb/accessors_meta.h"
#include "engine/rawdb/schema.h"

namespace klay::pruning {

namespace {

ExtHash mark_hash(const trie::NodeKey& k) {
  if (k.is_ext()) return ExtHash::from(k.view());
  return ExtHash::make(k.hash(), 0);
}

trie::NodeKey node_key_of(const ExtHash& e) {
  if (e.counter() == 0) return trie::NodeKey::plain(e.hash());
  return trie::NodeKey::from(e.view());
}

bool key_less(const ExtHash& a, const ExtHash& b) { return std::memcmp(a.data(), b.data(), ExtHash::size()) < 0; }

Bytes marks_start(uint64_t block_num) {
  Bytes b(8);
  put_be64(b.data(), block_num);
  return b;
}

}  // namespace

LivePruner::LivePruner(const chaindata::DBManager& dbm, LivePrunerOptions options, uint64_t next)
    : dbm_(dbm), options_(options), next_(next) {}

LivePruner::~LivePruner() { stop_background(); }

Result<std::unique_ptr<LivePruner>> LivePruner::open(const chaindata::DBManager& dbm, LivePrunerOptions options,
                                                     uint64_t head) {
  if (options.retention == 0)
    return Status::invalid_argument("--state.live-pruning-retention must be at least 1 block");
  if (options.max_marks_per_call == 0) options.max_marks_per_call = 1;
  if (options.min_blocks_per_pass == 0)
    options.min_blocks_per_pass = std::min<uint64_t>(64, std::max<uint64_t>(1, options.retention / 4));
  auto enabled = rawdb::read_pruning_enabled(dbm);
  if (!enabled) return enabled.status();
  if (!*enabled)
    return Status::invalid_argument("live pruning is not enabled in this datadir (misc has no PruningEnabled record)");
  uint64_t next = 0;
  auto lp = rawdb::read_last_pruned_block_number(dbm);
  if (lp) {
    next = *lp + 1;
  } else if (!lp.status().is_not_found()) {
    return lp.status();
  }
  std::unique_ptr<LivePruner> p(new LivePruner(dbm, options, next));
  auto orphans = p->discard_orphan_marks(head);
  if (!orphans) return orphans.status();
  if (*orphans > 0)
    spdlog::warn("pruning: deleted {} pruning marks of blocks past the head {} (written before a crash)", *orphans,
                 head);
  return p;
}

Status LivePruner::write_marks(rawdb::ChainWriter& w, uint64_t parent_block_num,
                               std::span<const trie::NodeKey> obsolete) {
  // In key order, for the reason deletions are (see the header): a block's
  // marks share their prefix and block number, so sorted they insert into the
  // memtable along one cached path instead of one cache-missing descent each.
  std::vector<ExtHash> marks;
  marks.reserve(obsolete.size());
  for (const trie::NodeKey& k : obsolete) {
    if (!k.empty()) marks.push_back(mark_hash(k));
  }
  std::sort(marks.begin(), marks.end(), key_less);
  return rawdb::write_pruning_marks(w, parent_block_num, marks);
}

Result<uint64_t> LivePruner::discard_orphan_marks(uint64_t head) {
  kv::Database& misc = dbm_.misc();
  kv::IteratorOptions opts;
  opts.prefix = to_bytes(rawdb::kPruningMarkPrefix);
  opts.start = marks_start(head);
  auto batch = misc.new_batch();
  uint64_t n = 0;
  {
    auto it = misc.new_iterator(opts);
    for (; it->valid(); it->next()) {
      batch->del(it->key());
      ++n;
      if (batch->value_bytes() >= kv::kIdealBatchSize) {
        if (Status s = misc.write(*batch); !s) return s;
        batch->clear();
      }
    }
    if (Status s = it->status(); !s) return s;
  }
  if (batch->count() > 0) {
    if (Status s = misc.write(*batch); !s) return s;
  }
  return n;
}

std::optional<uint64_t> LivePruner::limit(const ChainPosition& pos) const {
  const uint64_t h = pos.head;
  if (h < options_.retention || pos.durable_state_block == 0 || h < options_.memory_window) return std::nullopt;
  return std::min({h - options_.retention, pos.durable_state_block - 1, h - options_.memory_window});
}

uint64_t LivePruner::due_blocks(const ChainPosition& pos) const {
  const std::optional<uint64_t> lim = limit(pos);
  const uint64_t next = next_.load(std::memory_order_acquire);
  return lim && *lim >= next ? *lim - next + 1 : 0;
}

Result<PruneReport> LivePruner::prune(const ChainPosition& pos) {
  if (pos.durable_state_block > pos.head)
    return Status::invalid_argument("pruning: the durable state block " + std::to_string(pos.durable_state_block) +
                                    " is past the head " + std::to_string(pos.head));
  PruneReport report;
  const uint64_t next = next_.load(std::memory_order_acquire);
  report.last_pruned = last_pruned();
  report.first_block = next;
  const std::optional<uint64_t> bound = limit(pos);
  if (!bound || *bound < next) return report;
  const uint64_t lim = *bound;

  // 1. Marks in [last+1, lim], whole blocks, about max_marks_per_call of them.
  kv::Database& misc = dbm_.misc();
  kv::IteratorOptions opts;
  opts.prefix = to_bytes(rawdb::kPruningMarkPrefix);
  opts.start = marks_start(next);
  std::vector<rawdb::PruningMark> marks;
  uint64_t done_upto = lim;  // every mark <= done_upto is in marks
  {
    auto it = misc.new_iterator(opts);
    uint64_t current = next;
    for (; it->valid(); it->next()) {
      auto m = rawdb::parse_pruning_mark_key(it->key());
      if (!m) return Status::corruption("misc holds a malformed pruning mark key 0x" + to_hex(it->key()));
      if (m->block_num > lim) break;
      if (marks.size() >= options_.max_marks_per_call && m->block_num != current) {
        done_upto = m->block_num - 1;  // every mark below this block is collected
        report.more = true;
        break;
      }
      current = m->block_num;
      marks.push_back(*m);
      if (marks.size() % kScanSlice == 0) pause();
    }
    if (Status s = it->status(); !s) return s;
  }

  // 2. Delete the nodes, in key order (see the header).
  std::vector<ExtHash> nodes;
  nodes.reserve(marks.size());
  for (const rawdb::PruningMark& m : marks) nodes.push_back(m.node);
  if (Status s = delete_nodes(nodes, pos, report); !s) return s;

  // 3. The marks, then the progress record with the last slice of them.
  if (Status s = delete_marks(marks, done_upto); !s) return s;

  next_.store(done_upto + 1, std::memory_order_release);
  report.last_pruned = done_upto;
  report.marks = marks.size();
  return report;
}

Status LivePruner::delete_nodes(std::vector<ExtHash>& nodes, const ChainPosition& pos, PruneReport& report) {
  std::sort(nodes.begin(), nodes.end(), key_less);
  kv::Database& trie_db = dbm_.state_trie();
  // Each shard's deletions go straight to that shard from this thread (a
  // sorted list filtered by shard stays sorted): no task in the shared TBB
  // pool that the inserting thread could pick up.
  auto* sharded = dynamic_cast<chaindata::ShardedDatabase*>(&trie_db);
  const uint32_t num_shards = sharded ? sharded->num_shards() : 1;
  for (uint32_t shard = 0; shard < num_shards; ++shard) {
    kv::Database& db = sharded ? sharded->shard(shard) : trie_db;
    auto batch = db.new_batch();
    for (const ExtHash& e : nodes) {
      const trie::NodeKey key = node_key_of(e);
      if (chaindata::shard_index(key.view(), num_shards) != shard) continue;
      if (!key.is_ext() && std::find(pos.protected_roots.begin(), pos.protected_roots.end(), key) !=
                               pos.protected_roots.end()) {
        ++report.protected_skips;
        continue;
      }
      batch->del(key.view());
      if (batch->count() >= kDeleteSlice) {
        if (Status s = db.write(*batch); !s) return s;
        batch->clear();
        pause();
      }
    }
    if (batch->count() > 0) {
      if (Status s = db.write(*batch); !s) return s;
    }
  }
  return Status::ok();
}

Status LivePruner::delete_marks(std::span<const rawdb::PruningMark> marks, uint64_t done_upto) {
  // Slices may land before the progress record: a mark is deleted only after
  // its node, so a crash in between leaves some processed marks gone and the
  // rest to redo (see "Ordering of one prune() step" in the header).
  kv::Database& misc = dbm_.misc();
  auto meta = misc.new_batch();
  uint8_t mark_key[rawdb::kPruningMarkKeySize];
  for (const rawdb::PruningMark& m : marks) {
    rawdb::encode_pruning_mark_key(m.block_num, m.node, mark_key);
    meta->del(ByteView(mark_key, sizeof mark_key));
    if (meta->count() >= kMarkSlice) {
      if (Status s = misc.write(*meta); !s) return s;
      meta->clear();
      pause();
    }
  }
  uint8_t le[8];
  put_le64(le, done_upto);
  meta->put(as_view(rawdb::kLastPrunedBlockNumberKey), ByteView(le, 8));
  return misc.write(*meta);
}

void LivePruner::pause() const {
  if (options_.yield_between_slices) sched_yield();
}

Result<PruneReport> LivePruner::prune_all(const ChainPosition& pos) {
  PruneReport total;
  total.last_pruned = last_pruned();
  total.first_block = next_.load(std::memory_order_acquire);
  for (;;) {
    auto r = prune(pos);
    if (!r) return r;
    total.marks += r->marks;
    total.protected_skips += r->protected_skips;
    total.last_pruned = r->last_pruned;
    if (!r->more) return total;
  }
}

Status LivePruner::check_state_available(uint64_t block_num) const {
  const uint64_t m = last_pruned();
  if (!any_pruned() || block_num > m) return Status::ok();
  return Status::not_found("state at block " + std::to_string(block_num) + " is pruned (live pruning keeps the last " +
                           std::to_string(options_.retention) + " blocks; last pruned block " + std::to_string(m) +
                           ")");
}

Status LivePruner::check_state_available(uint64_t block_num, uint64_t head) const {
  if (Status s = check_state_available(block_num); !s) return s;
  if (head < options_.retention || block_num > head - options_.retention) return Status::ok();
  return Status::not_found("state at block " + std::to_string(block_num) + " is pruned (live pruning keeps the last " +
                           std::to_string(options_.retention) + " blocks: " +
                           std::to_string(head - options_.retention + 1) + " to the head " + std::to_string(head) +
                           ")");
}

Status LivePruner::check_rewind(uint64_t target) const {
  const uint64_t m = last_pruned();
  if (!any_pruned() || target > m) return Status::ok();
  return Status::invalid_argument("cannot rewind the head to block " + std::to_string(target) +
                                  ": live pruning already deleted the state of every block up to " +
                                  std::to_string(m) + " (the oldest block to rewind to is " + std::to_string(m + 1) +
                                  ")");
}

// ---- background mode ----

void LivePruner::start_background() {
  std::lock_guard lock(mu_);
  stop_ = false;
  thread_ = std::thread([this] { background_loop(); });
}

void LivePruner::notify(ChainPosition pos) {
  {
    std::lock_guard lock(mu_);
    latest_ = std::move(pos);
    has_pending_ = true;
  }
  cv_.notify_all();
}

void LivePruner::stop_background() {
  {
    std::lock_guard lock(mu_);
    if (!thread_.joinable()) return;
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void LivePruner::wait_idle() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return (!has_pending_ && !busy_) || stop_ || !thread_.joinable(); });
}

void LivePruner::drain() {
  std::unique_lock lock(mu_);
  if (!thread_.joinable()) return;
  drain_ = true;
  has_pending_ = true;
  cv_.notify_all();
  cv_.wait(lock, [&] { return (!drain_ && !has_pending_ && !busy_) || stop_; });
}

Status LivePruner::background_status() const {
  std::lock_guard lock(mu_);
  return bg_status_;
}

void LivePruner::background_loop() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return stop_ || has_pending_; });
    if (stop_) break;
    const ChainPosition pos = latest_;
    const bool drain = drain_;
    has_pending_ = false;
    busy_ = true;
    lock.unlock();
    Status status;
    bool superseded = false;  // a newer position arrived: start over with it
    if (drain || due_blocks(pos) >= std::max<uint64_t>(options_.min_blocks_per_pass, 1)) {
      // One bounded step at a time, re-checking for stop and newer positions between steps.
      for (;;) {
        auto r = prune(pos);
        if (!r) {
          status = r.status();
          spdlog::error("pruning: {}", status.message());
          break;
        }
        std::lock_guard check(mu_);
        if (stop_ || !r->more) break;
        if (has_pending_) {
          superseded = true;
          break;
        }
      }
    }
    lock.lock();
    busy_ = false;
    // A drain ends when its position was handled to the end, or on an error.
    if (drain && (!superseded || !status)) drain_ = false;
    bg_status_ = status;
    cv_.notify_all();
  }
  busy_ = false;
  cv_.notify_all();
}

}  // namespace klay::pruning
