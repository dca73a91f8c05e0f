#include "migration/trie_copier.h"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <array>
#include <mutex>
#include <optional>
#include <vector>

#include "engine/klaytn/account.h"
#include "engine/state/code_store.h"
#include "engine/state/state_options.h"
#include "engine/trie/node_view.h"
#include "migration/copy_writer.h"
#include "migration/migration_records.h"

namespace klay::migration {

namespace {

struct Child {
  trie::NodeKey key;
  uint8_t path_add = 0;  // nibbles between the parent and this child
  bool storage_root = false;
};

struct Frame {
  trie::NodeKey key;
  bool in_storage = false;
  size_t path_len = 0;
  uint64_t count = 1;
  uint8_t n = 0;
  uint8_t next = 0;
  std::array<Child, 17> kids;
};

// Shared by the top walk and the workers: how one node is read, written and expanded.
class NodeCopier {
 public:
  NodeCopier(kv::Database& source, kv::Database& target, SubtreeFilter& subtrees, SubtreeFilter& codes,
             CopyCounters& counters, const CopyOptions& options)
      : source_(source), target_(target), subtrees_(subtrees), codes_(codes), counters_(counters), options_(options) {}

  // The node count of a durably completed subtree under `key`, or nullopt.
  Result<std::optional<uint64_t>> completed(const trie::NodeKey& key) {
    if (options_.unsafe_skip_if_present) {
      auto has = target_.has(key.view());
      if (!has) return has.status();
      if (*has) {
        counters_.skipped.fetch_add(1, std::memory_order_relaxed);
        return std::optional<uint64_t>(1);
      }
      return std::optional<uint64_t>();
    }
    if (!subtrees_.maybe_contains(key.view())) return std::optional<uint64_t>();
    Bytes value;
    Status s = target_.get(done_record_key(key.view()), &value);
    if (s.is_not_found()) {
      counters_.false_hits.fetch_add(1, std::memory_order_relaxed);
      return std::optional<uint64_t>();
    }
    if (!s) return s;
    auto n = decode_done_count(value);
    if (!n) return n.status();
    counters_.skipped.fetch_add(*n, std::memory_order_relaxed);
    return std::optional<uint64_t>(*n);
  }

  // Reads `f.key` from the source, queues it in `w`, and fills f's children
  // (and copies the code of an account leaf).
  Status load(Frame& f, CopyWriter& w) {
    Status s = source_.get(f.key.view(), &scratch_);
    if (!s) return s.is_not_found() ? trie::missing_node(f.key.view()) : s;
    counters_.read.fetch_add(1, std::memory_order_relaxed);
    if (Status ws = w.put_node(f.key.view(), scratch_); !ws) return ws;
    if (Status ds = trie::decode_node_view(scratch_, &view_); !ds) {
      return Status::corruption("trie node " + f.key.hex() + ": " + ds.message());
    }
    f.n = 0;
    f.next = 0;
    // Embedded children need nothing: they live inside this node's RLP, and a
    // node small enough to embed can hold neither a hashed child nor an
    // account value with a storage root (both are >= 32 bytes).
    switch (view_.kind) {
      case trie::NodeView::Kind::kBranch:
        for (size_t i = 0; i < 16; ++i) {
          if (view_.children[i].kind == trie::ChildRef::Kind::kKey) {
            f.kids[f.n++] = Child{trie::NodeKey::from(view_.children[i].data), 1, false};
          }
        }
        break;
      case trie::NodeView::Kind::kExtension:
        if (view_.child.kind == trie::ChildRef::Kind::kKey) {
          f.kids[f.n++] = Child{trie::NodeKey::from(view_.child.data), static_cast<uint8_t>(view_.path.size()), false};
        }
        break;
      case trie::NodeView::Kind::kLeaf:
        if (!f.in_storage) return account_leaf(f, view_.value, w);
        break;
    }
    return Status::ok();
  }

 private:
  Status account_leaf(Frame& f, ByteView value, CopyWriter& w) {
    auto account = decode_account(value);
    if (!account) return Status::corruption("account leaf " + f.key.hex() + ": " + account.status().message());
    if (!account->is_program_account()) return Status::ok();
    if (account->storage_root.hash() != empty_root()) {
      f.kids[f.n++] = Child{state::storage_root_key(account->storage_root), 0, true};
    }
    if (account->code_hash != empty_code_hash()) return copy_code(account->code_hash, w);
    return Status::ok();
  }

  // Code is one value: present in the target means complete, so the plain
  // presence check (behind the filter) is exact here.
  Status copy_code(const Hash& code_hash, CopyWriter& w) {
    const Bytes key = state::code_db_key(code_hash);
    if (codes_.maybe_contains(code_hash.view())) {
      auto has = target_.has(key);
      if (!has) return has.status();
      if (*has) {
        counters_.codes_skipped.fetch_add(1, std::memory_order_relaxed);
        return Status::ok();
      }
    }
    Status s = source_.get(key, &code_);
    if (s.is_not_found()) return Status::not_found("missing code 0x" + to_hex(code_hash.view()));
    if (!s) return s;
    codes_.insert(code_hash.view());
    return w.put_code(key, code_);
  }

  kv::Database& source_;
  kv::Database& target_;
  SubtreeFilter& subtrees_;
  SubtreeFilter& codes_;
  CopyCounters& counters_;
  const CopyOptions& options_;
  Bytes scratch_;
  Bytes code_;
  trie::NodeView view_;
};

struct Task {
  trie::NodeKey key;
  bool in_storage = false;
};

struct Worker {
  Worker(kv::Database& source, kv::Database& target, SubtreeFilter& subtrees, SubtreeFilter& codes,
         CopyCounters& counters, const CopyOptions& options)
      : nodes(source, target, subtrees, codes, counters, options), writer(target, subtrees, counters, options.flush_interval),
        counters(counters) {}
  NodeCopier nodes;
  CopyWriter writer;
  CopyCounters& counters;
  std::vector<Frame> stack;
};

// Depth-first copy of one subtree; returns the nodes it covers.
Result<uint64_t> copy_subtree(Worker& wk, const Task& t, uint64_t record_min, const std::atomic<bool>& stop) {
  auto& stack = wk.stack;
  stack.clear();
  stack.emplace_back();
  stack.back().key = t.key;
  stack.back().in_storage = t.in_storage;
  if (Status s = wk.nodes.load(stack.back(), wk.writer); !s) return s;
  uint64_t total = 0;
  while (!stack.empty()) {
    if (stop.load(std::memory_order_relaxed)) return Status::aborted("state migration stopped");
    Frame& f = stack.back();
    if (f.next < f.n) {
      const Child c = f.kids[f.next++];
      if (const uint64_t local = wk.writer.locally_completed(c.key); local != 0) {
        wk.counters.skipped.fetch_add(local, std::memory_order_relaxed);
        f.count += local;
        continue;
      }
      auto done = wk.nodes.completed(c.key);
      if (!done) return done.status();
      if (*done) {
        f.count += **done;
        continue;
      }
      const bool in_storage = f.in_storage || c.storage_root;
      stack.emplace_back();
      Frame& child = stack.back();
      child.key = c.key;
      child.in_storage = in_storage;
      if (Status s = wk.nodes.load(child, wk.writer); !s) return s;
      continue;
    }
    const uint64_t count = f.count;
    if (count >= record_min) wk.writer.complete(f.key, count);
    stack.pop_back();
    if (stack.empty()) {
      total = count;
    } else {
      stack.back().count += count;
    }
  }
  return total;
}

}  // namespace

TrieCopier::TrieCopier(kv::Database& source, kv::Database& target, SubtreeFilter& subtrees, SubtreeFilter& codes,
                       CopyCounters& counters, const CopyOptions& options, const std::atomic<bool>& stop)
    : source_(source), target_(target), subtrees_(subtrees), codes_(codes), counters_(counters), options_(options),
      stop_(stop) {}

Status TrieCopier::copy(const trie::NodeKey& root) {
  if (root.empty() || (root.len == 32 && root.hash() == empty_root())) return Status::ok();
  counters_.units_total.store(0, std::memory_order_relaxed);
  counters_.units_done.store(0, std::memory_order_relaxed);

  Worker top(source_, target_, subtrees_, codes_, counters_, options_);
  {
    auto done = top.nodes.completed(root);
    if (!done) return done.status();
    if (*done) return Status::ok();
  }

  // Top walk: nodes shallower than split_nibbles, depth first; deeper
  // children become tasks (those already complete are skipped here).
  std::vector<Task> tasks;
  uint64_t top_nodes = 0;
  std::atomic<uint64_t> covered{0};
  {
    std::vector<Frame> stack;
    stack.emplace_back();
    stack.back().key = root;
    if (Status s = top.nodes.load(stack.back(), top.writer); !s) return s;
    ++top_nodes;
    while (!stack.empty()) {
      if (stop_.load(std::memory_order_relaxed)) return Status::aborted("state migration stopped");
      Frame& tf = stack.back();
      if (tf.next == tf.n) {
        stack.pop_back();
        continue;
      }
      const Child c = tf.kids[tf.next++];
      const size_t depth = tf.path_len + c.path_add;
      const bool in_storage = tf.in_storage || c.storage_root;
      auto done = top.nodes.completed(c.key);
      if (!done) return done.status();
      if (*done) {
        covered.fetch_add(**done, std::memory_order_relaxed);
        continue;
      }
      if (depth >= options_.split_nibbles || c.storage_root) {
        tasks.push_back(Task{c.key, in_storage});
        continue;
      }
      Frame next;
      next.key = c.key;
      next.in_storage = in_storage;
      next.path_len = depth;
      if (Status s = top.nodes.load(next, top.writer); !s) return s;
      ++top_nodes;
      stack.push_back(next);
    }
  }
  counters_.units_total.store(tasks.size(), std::memory_order_relaxed);

  std::mutex mu;
  Status first_error;
  std::atomic<bool> failed{false};
  auto fail = [&](const Status& s) {
    std::lock_guard lock(mu);
    if (first_error) first_error = s;
    failed = true;
  };
  tbb::enumerable_thread_specific<std::unique_ptr<Worker>> workers;
  const int threads = options_.threads == 0 ? tbb::task_arena::automatic : static_cast<int>(options_.threads);
  tbb::task_arena arena(threads);
  arena.execute([&] {
    tbb::parallel_for(
        tbb::blocked_range<size_t>(0, tasks.size(), 1),
        [&](const tbb::blocked_range<size_t>& r) {
          // Isolated: a sharded target writes its shards with nested TBB
          // tasks, and a thread waiting for them must not pick up another
          // subtree task, which would reuse this thread's Worker (its stack
          // and its half-written batch) in the middle of a flush.
          tbb::this_task_arena::isolate([&] {
            for (size_t i = r.begin(); i != r.end(); ++i) {
              if (failed.load(std::memory_order_relaxed) || stop_.load(std::memory_order_relaxed)) return;
              auto& wk = workers.local();
              if (!wk) wk = std::make_unique<Worker>(source_, target_, subtrees_, codes_, counters_, options_);
              if (options_.before_subtree) options_.before_subtree(i, tasks[i].key);
              auto n = copy_subtree(*wk, tasks[i], options_.record_min_nodes, stop_);
              if (!n) return fail(n.status());
              covered.fetch_add(*n, std::memory_order_relaxed);
              counters_.units_done.fetch_add(1, std::memory_order_relaxed);
            }
          });
        },
        tbb::simple_partitioner());
  });
  // Flush every worker even after a failure: what was written stays useful.
  for (auto& wk : workers) {
    if (Status s = wk->writer.finish(); !s) fail(s);
  }
  if (failed.load()) return first_error;
  if (stop_.load()) return Status::aborted("state migration stopped");
  // Every task's nodes are durable now; the root's record goes after the top nodes.
  top.writer.complete(root, top_nodes + covered.load());
  return top.writer.finish();
}

}  // namespace klay::migration
