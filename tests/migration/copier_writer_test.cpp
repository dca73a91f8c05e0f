// The copier's internals: when a CopyWriter lets a completion record reach
// the target (never in the write that carries the subtree's own nodes), and a
// TrieCopier with more workers than cores and constant small flushes into a
// sharded target (nested per-shard write tasks inside the copy tasks).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <vector>

#include "engine/kv/open.h"
#include "migration/copy_writer.h"
#include "migration/migration_records.h"
#include "migration/trie_copier.h"
#include "tests/migration/migration_test_support.h"

namespace klay::migration {
namespace {

using chaindata::EntryType;
using testing::ChainShape;
using testing::ScratchDir;
using testing::TestChain;

// Forwards to a memory database and remembers the keys of every write().
class RecordingDatabase final : public kv::Database {
 public:
  explicit RecordingDatabase(std::unique_ptr<kv::Database> inner) : inner_(std::move(inner)) {}

  Status get(ByteView key, Bytes* value) override { return inner_->get(key, value); }
  Status get_view(ByteView key, const std::function<void(ByteView)>& fn) override { return inner_->get_view(key, fn); }
  Result<bool> has(ByteView key) override { return inner_->has(key); }
  Status put(ByteView key, ByteView value) override { return inner_->put(key, value); }
  Status del(ByteView key) override { return inner_->del(key); }
  std::unique_ptr<kv::WriteBatch> new_batch() override { return inner_->new_batch(); }
  Status write(kv::WriteBatch& batch) override {
    struct Keys final : kv::BatchHandler {
      std::set<Bytes> keys;
      void put(ByteView k, ByteView) override { keys.insert(to_bytes(k)); }
      void del(ByteView k) override { keys.insert(to_bytes(k)); }
    } seen;
    batch.replay(seen);
    writes.push_back(std::move(seen.keys));
    return inner_->write(batch);
  }
  std::unique_ptr<kv::Iterator> new_iterator(const kv::IteratorOptions& o) override { return inner_->new_iterator(o); }
  Status compact(std::optional<ByteView> b, std::optional<ByteView> e) override { return inner_->compact(b, e); }
  Result<kv::DbStats> stats() override { return inner_->stats(); }
  Status close() override { return inner_->close(); }
  std::string_view backend_name() const override { return inner_->backend_name(); }

  std::vector<std::set<Bytes>> writes;

 private:
  std::unique_ptr<kv::Database> inner_;
};

Bytes node_key(uint64_t i) {
  const Hash h = testing::word(i);
  return Bytes(h.view().begin(), h.view().end());
}

// The index of the first write holding `key`, or writes.size().
size_t first_write_with(const RecordingDatabase& db, const Bytes& key) {
  for (size_t i = 0; i < db.writes.size(); ++i) {
    if (db.writes[i].contains(key)) return i;
  }
  return db.writes.size();
}

TEST(CopyWriter, RecordsRideInTheWriteAfterTheirNodes) {
  auto mem = kv::open_database(kv::Backend::kMemory, "copier-writer-records");
  ASSERT_TRUE(mem) << mem.status().message();
  RecordingDatabase target(std::move(*mem));
  SubtreeFilter filter(1024);
  CopyCounters counters;
  CopyWriter w(target, filter, counters, std::chrono::hours(1));

  const Bytes value(100, 0x42);
  const trie::NodeKey root = trie::NodeKey::from(node_key(0));
  ASSERT_TRUE(w.put_node(node_key(0), value));
  ASSERT_TRUE(w.put_node(node_key(1), value));
  w.complete(root, 2);
  EXPECT_EQ(w.locally_completed(root), 2u);
  EXPECT_FALSE(filter.maybe_contains(root.view()));

  // Queue past kCopyBatchBytes: the writer writes on its own, nodes only.
  uint64_t n = 2;
  while (target.writes.empty()) {
    ASSERT_LT(n, 2 * kCopyBatchBytes / value.size()) << "no write after twice the batch size";
    ASSERT_TRUE(w.put_node(node_key(n++), value));
  }
  const Bytes record = done_record_key(root.view());
  EXPECT_EQ(first_write_with(target, node_key(0)), 0u);
  EXPECT_EQ(first_write_with(target, record), target.writes.size()) << "record written with its own nodes";
  EXPECT_FALSE(filter.maybe_contains(root.view())) << "filter hit before the record is durable";
  EXPECT_EQ(w.locally_completed(root), 2u);

  // The next write carries the record; only then does the filter know it.
  ASSERT_TRUE(w.flush());
  ASSERT_EQ(target.writes.size(), 2u);
  EXPECT_TRUE(target.writes[1].contains(record));
  EXPECT_TRUE(filter.maybe_contains(root.view()));
  EXPECT_EQ(w.locally_completed(root), 0u);
  Bytes stored;
  ASSERT_TRUE(target.get(record, &stored));
  auto count = decode_done_count(stored);
  ASSERT_TRUE(count);
  EXPECT_EQ(*count, 2u);
  EXPECT_EQ(counters.written.load(), n);
  EXPECT_EQ(counters.pending.load(), 0u);
  EXPECT_EQ(counters.records.load(), 1u);
}

TEST(CopyWriter, FinishWritesTheRecordsOfTheLastBatchAfterIt) {
  auto mem = kv::open_database(kv::Backend::kMemory, "copier-writer-finish");
  ASSERT_TRUE(mem) << mem.status().message();
  RecordingDatabase target(std::move(*mem));
  SubtreeFilter filter(1024);
  CopyCounters counters;
  CopyWriter w(target, filter, counters, std::chrono::hours(1));
  const trie::NodeKey root = trie::NodeKey::from(node_key(7));
  ASSERT_TRUE(w.put_node(node_key(7), Bytes(40, 1)));
  w.complete(root, 1);
  ASSERT_TRUE(w.finish());
  ASSERT_EQ(target.writes.size(), 2u);
  EXPECT_TRUE(target.writes[0].contains(node_key(7)));
  EXPECT_FALSE(target.writes[0].contains(done_record_key(root.view())));
  EXPECT_TRUE(target.writes[1].contains(done_record_key(root.view())));
  EXPECT_TRUE(filter.maybe_contains(root.view()));
}

// Four workers on a sharded target, flushing every 64 nodes: each flush runs
// per-shard write tasks while other copy tasks are queued in the same arena.
// Every reachable node must arrive, the counts must add up, and a second copy
// must find the whole state recorded.
TEST(TrieCopier, ManyWorkersAndSmallFlushesIntoShardsCopyEverything) {
  ScratchDir dir;
  auto dbm = testing::open_manager(dir.path(), testing::small_config(kv::Backend::kMemory, 4));
  ChainShape shape;
  shape.contracts = 160;
  shape.shared_groups = 5;
  shape.slots = 24;
  TestChain chain(*dbm, shape);
  chain.add_blocks(3);
  const trie::NodeKey root = chain.roots.back();
  Status missing;
  const std::set<Bytes> expected = testing::reachable_keys(dbm->state_trie(), root, &missing);
  ASSERT_TRUE(missing) << missing.message();

  ASSERT_TRUE(dbm->open_entry(EntryType::kStateTrieMigration, "statetrie_copier_test"));
  kv::Database& target = dbm->db(EntryType::kStateTrieMigration);
  SubtreeFilter subtrees(expected.size()), codes(1024);
  CopyCounters counters;
  CopyOptions opts;
  opts.threads = 4;
  opts.split_nibbles = 2;
  opts.record_min_nodes = 2;
  opts.flush_interval = std::chrono::milliseconds(0);
  std::atomic<bool> stop{false};
  {
    TrieCopier copier(dbm->state_trie(), target, subtrees, codes, counters, opts, stop);
    ASSERT_TRUE(copier.copy(root));
  }
  for (const Bytes& k : expected) {
    auto has = target.has(k);
    ASSERT_TRUE(has);
    ASSERT_TRUE(*has) << "missing " << to_hex(k);
  }
  Status after;
  (void)testing::reachable_keys(target, root, &after);
  EXPECT_TRUE(after) << after.message();
  EXPECT_GT(counters.skipped.load(), 0u) << "the shared storage tries were not deduplicated";
  EXPECT_EQ(counters.pending.load(), 0u);
  EXPECT_EQ(counters.written.load(), counters.read.load());
  EXPECT_EQ(counters.units_done.load(), counters.units_total.load());

  // Everything is recorded now: a rerun reads nothing.
  CopyCounters again;
  TrieCopier copier(dbm->state_trie(), target, subtrees, codes, again, opts, stop);
  ASSERT_TRUE(copier.copy(root));
  EXPECT_EQ(again.read.load(), 0u);
}

}  // namespace
}  // namespace klay::migration
