#include "pruning/offline_pruner.h"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <array>
#include <condition_variable>
#include <thread>
#include <atomic>
#include <filesystem>
#include <mutex>

#include "engine/core/keccak.h"
#include "engine/rawdb/accessors_chain.h"
#include "engine/rawdb/accessors_meta.h"
#include "engine/rawdb/schema.h"
#include "pruning/live_pruning_rules.h"
#include "pruning/reachable_marker.h"
#include "pruning/state_blocks.h"

namespace klay::pruning {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// The target block and every newer canonical block whose state root is on disk.
Result<std::vector<RetainedRoot>> choose_roots(const chaindata::DBManager& dbm, std::optional<uint64_t> block) {
  auto head = read_head_block_number(dbm);
  if (!head) return head.status();
  auto target = block ? checked_state_block(dbm, *block) : newest_state_block(dbm);
  if (!target) return target.status();
  std::vector<RetainedRoot> roots;
  for (uint64_t n = *target; n <= *head; ++n) {
    auto root = state_root_at(dbm, n);
    if (!root) return root.status();
    if (!roots.empty() && roots.back().root == *root) continue;
    if (n != *target) {
      auto present = state_root_on_disk(dbm.state_trie(), *root);
      if (!present) return present.status();
      if (!*present) continue;
    }
    roots.push_back(RetainedRoot{n, *root});
  }
  return roots;
}

struct SweepCounters {
  std::atomic<uint64_t> scanned{0}, nodes{0}, codes{0}, bytes{0};
};

// Deletes, in keys [lo, hi) (hi == 0x100: to the end), every unmarked trie node and code entry.
Status sweep_range(kv::Database& db, const NodeBloom& filter, unsigned lo, unsigned hi, SweepCounters& c,
                   const OfflinePruneOptions& options, std::mutex& progress_mu, uint64_t total) {
  kv::IteratorOptions opts;
  opts.start = Bytes{static_cast<uint8_t>(lo)};
  auto batch = db.new_batch();
  auto flush = [&]() -> Status {
    if (batch->count() == 0) return Status::ok();
    if (Status s = db.write(*batch); !s) return s;
    batch->clear();
    if (options.after_sweep_batch) options.after_sweep_batch();
    return Status::ok();
  };
  auto it = db.new_iterator(opts);
  uint64_t local = 0;
  for (; it->valid(); it->next()) {
    const ByteView key = it->key();
    if (hi <= 0xff && key[0] >= hi) break;
    ++local;
    if ((local & 0xffff) == 0) {
      const uint64_t done = c.scanned.fetch_add(0x10000, std::memory_order_relaxed) + 0x10000;
      if (options.on_progress) {
        std::lock_guard lock(progress_mu);
        options.on_progress(OfflinePruneProgress{PrunePhase::kSweep, done, total});
      }
    }
    bool garbage = false;
    bool is_code = false;
    if (key.size() == 32) {
      garbage = !filter.maybe_contains(key) && equal(keccak256(it->value()).view(), key);
    } else if (key.size() == 33 && key[0] == rawdb::kCodePrefix[0]) {
      is_code = true;
      garbage = !filter.maybe_contains(key) && equal(keccak256(it->value()).view(), key.subspan(1));
    }
    if (!garbage) continue;
    (is_code ? c.codes : c.nodes).fetch_add(1, std::memory_order_relaxed);
    c.bytes.fetch_add(key.size() + it->value().size(), std::memory_order_relaxed);
    batch->del(key);
    if (batch->value_bytes() >= kv::kIdealBatchSize) {
      if (Status s = flush(); !s) return s;
    }
  }
  if (Status s = it->status(); !s) return s;
  c.scanned.fetch_add(local & 0xffff, std::memory_order_relaxed);
  return flush();
}

Status sweep(kv::Database& db, const NodeBloom& filter, const OfflinePruneOptions& options, SweepCounters& c,
             uint64_t total) {
  constexpr unsigned kRanges = 16;
  std::array<Status, kRanges> results;
  std::mutex progress_mu;
  const int n = options.threads == 0 ? tbb::task_arena::automatic : static_cast<int>(options.threads);
  tbb::task_arena arena(n);
  arena.execute([&] {
    tbb::parallel_for(0u, kRanges, [&](unsigned r) {
      results[r] = sweep_range(db, filter, r * 16, (r + 1) * 16, c, options, progress_mu, total);
    });
  });
  for (const Status& s : results) {
    if (!s) return s;
  }
  return Status::ok();
}

Status compact_state_trie(kv::Database& db, const OfflinePruneOptions& options) {
  constexpr unsigned kRanges = 16;
  for (unsigned r = 0; r < kRanges; ++r) {
    const Bytes begin{static_cast<uint8_t>(r * 16)};
    const Bytes end{static_cast<uint8_t>((r + 1) * 16)};
    std::optional<ByteView> b = r == 0 ? std::nullopt : std::optional<ByteView>(begin);
    std::optional<ByteView> e = r + 1 == kRanges ? std::nullopt : std::optional<ByteView>(end);
    if (Status s = db.compact(b, e); !s) return s;
    if (options.on_progress) options.on_progress(OfflinePruneProgress{PrunePhase::kCompact, r + 1, kRanges});
  }
  return Status::ok();
}

}  // namespace

Result<OfflinePruneReport> prune_offline(chaindata::DBManager& dbm, const OfflinePruneOptions& options) {
  auto live = rawdb::read_pruning_enabled(dbm);
  if (!live) return live.status();
  if (*live)
    return Status::invalid_argument("datadir " + dbm.datadir().string() +
                                    " has live pruning enabled: it prunes itself while the node runs, and offline "
                                    "prune only handles plain-key state tries");
  kv::Database& db = dbm.state_trie();
  const fs::path marker_path = prune_marker_path(dbm.datadir());
  OfflinePruneReport report;

  auto marker = read_prune_marker(marker_path);
  if (!marker) return marker.status();
  std::unique_ptr<NodeBloom> filter;
  if (*marker) {
    report.resumed = true;
    report.roots = (*marker)->roots;
    filter = std::move((*marker)->filter);
    if (report.roots.empty()) return Status::corruption("the prune marker " + marker_path.string() + " names no root");
    report.block_num = report.roots.front().block_num;
  } else {
    auto roots = choose_roots(dbm, options.block_num);
    if (!roots) return roots.status();
    report.roots = std::move(*roots);
    report.block_num = report.roots.front().block_num;
    auto stats = db.stats();
    if (!stats) return stats.status();
    filter = std::make_unique<NodeBloom>(stats->estimated_keys, options.bits_per_key);

    const auto t0 = Clock::now();
    StorageRootSet seen;
    MarkCounters counters;
    // A reporter thread, so a long walk shows progress.
    std::mutex mu;
    std::condition_variable cv;
    bool marking = true;
    std::thread reporter;
    if (options.on_progress) {
      reporter = std::thread([&] {
        std::unique_lock lock(mu);
        while (!cv.wait_for(lock, std::chrono::milliseconds(200), [&] { return !marking; })) {
          options.on_progress(OfflinePruneProgress{PrunePhase::kMark, counters.nodes.load(), stats->estimated_keys});
        }
      });
    }
    auto stop_reporter = [&] {
      {
        std::lock_guard lock(mu);
        marking = false;
      }
      cv.notify_all();
      if (reporter.joinable()) reporter.join();
    };
    for (const RetainedRoot& r : report.roots) {
      if (r.root == empty_root()) continue;
      Status s = mark_reachable(db, trie::NodeKey::plain(r.root), *filter, seen, counters, options.threads);
      if (!s) {
        stop_reporter();
        return Status::not_found("the state of block " + std::to_string(r.block_num) +
                                 " is incomplete, nothing was pruned: " + s.message());
      }
    }
    stop_reporter();
    if (options.on_progress)
      options.on_progress(OfflinePruneProgress{PrunePhase::kMark, counters.nodes.load(), counters.nodes.load()});
    report.nodes_marked = counters.nodes.load();
    report.codes_marked = counters.codes.load();
    report.mark_seconds = since(t0);

    std::error_code ec;
    const auto space = fs::space(marker_path.parent_path(), ec);
    if (ec) return Status::io_error("cannot read the free space of " + marker_path.parent_path().string() + ": " + ec.message());
    const uint64_t need = filter->byte_size() + options.free_space_headroom;
    if (space.available < need) {
      return Status::no_space("offline prune needs " + std::to_string(need >> 20) + " MiB free in " +
                              marker_path.parent_path().string() + " (the filter file plus headroom) but only " +
                              std::to_string(space.available >> 20) + " MiB are available");
    }
    if (Status s = write_prune_marker(marker_path, report.roots, *filter); !s) return s;
  }
  report.filter_bytes = filter->byte_size();

  const auto t1 = Clock::now();
  SweepCounters c;
  uint64_t total = 0;
  if (auto st = db.stats()) total = st->estimated_keys;
  if (Status s = sweep(db, *filter, options, c, total); !s) return s;
  report.keys_scanned = c.scanned.load();
  report.nodes_deleted = c.nodes.load();
  report.codes_deleted = c.codes.load();
  report.bytes_deleted = c.bytes.load();
  report.sweep_seconds = since(t1);
  if (options.on_progress)
    options.on_progress(OfflinePruneProgress{PrunePhase::kSweep, report.keys_scanned, report.keys_scanned});
  if (Status s = remove_prune_marker(marker_path); !s) return s;

  if (options.compact) {
    const auto t2 = Clock::now();
    if (Status s = compact_state_trie(db, options); !s) return s;
    report.compact_seconds = since(t2);
  }
  return report;
}

}  // namespace klay::pruning
