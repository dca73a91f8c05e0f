// ChainBatch: nothing visible before commit below the flush size, early
// flushes at the flush size, head pointers held back until everything else
// is written, and DirectWriter errors for closed entry types.
#include <gtest/gtest.h>

#include "engine/rawdb/accessors_chain.h"
#include "engine/rawdb/chain_batch.h"
#include "engine/rawdb/schema.h"
#include "tests/rawdb/rawdb_test_support.h"

namespace klay::rawdb {
namespace {

using testing::hash_of;

class ChainBatchTest : public ::testing::TestWithParam<kv::Backend> {
 protected:
  void SetUp() override { dbm_ = testing::open_manager(dir_.path(), testing::small_config(GetParam())); }
  bool has(EntryType t, ByteView key) { return *dbm_->db(t).has(key); }
  testing::ScratchDir dir_;
  std::unique_ptr<chaindata::DBManager> dbm_;
};

TEST_P(ChainBatchTest, NothingIsVisibleBeforeCommit) {
  ChainBatch b(*dbm_);
  ASSERT_TRUE(write_canonical_hash(b, 1, hash_of(1)));
  ASSERT_TRUE(write_body_rlp(b, 1, hash_of(1), Bytes{0xc1, 0xc0}));
  ASSERT_TRUE(write_head(b, Head::kBlock, hash_of(1)));
  EXPECT_EQ(b.pending_count(), 3u);
  EXPECT_FALSE(has(EntryType::kHeader, canonical_hash_key(1)));
  EXPECT_FALSE(has(EntryType::kBody, body_key(1, hash_of(1))));
  EXPECT_FALSE(has(EntryType::kHeader, as_view(kHeadBlockKey)));
  ASSERT_TRUE(b.commit());
  EXPECT_EQ(b.pending_count(), 0u);
  EXPECT_TRUE(has(EntryType::kHeader, canonical_hash_key(1)));
  EXPECT_TRUE(has(EntryType::kBody, body_key(1, hash_of(1))));
  EXPECT_EQ(*read_head(*dbm_, Head::kBlock), hash_of(1));
  EXPECT_EQ(b.early_flushes(), 0u);
}

TEST_P(ChainBatchTest, FlushesAnEntryTypeWhenItReachesTheFlushSize) {
  ChainBatch b(*dbm_, /*flush_bytes=*/1000);
  const Bytes big(600, 0x5a);
  ASSERT_TRUE(write_body_rlp(b, 1, hash_of(1), big));
  EXPECT_FALSE(has(EntryType::kBody, body_key(1, hash_of(1))));
  ASSERT_TRUE(write_body_rlp(b, 2, hash_of(2), big));  // crosses 1000 bytes: written now
  EXPECT_EQ(b.early_flushes(), 1u);
  EXPECT_TRUE(has(EntryType::kBody, body_key(1, hash_of(1))));
  EXPECT_TRUE(has(EntryType::kBody, body_key(2, hash_of(2))));
  ASSERT_TRUE(write_receipts(b, 1, hash_of(1), {}));  // another type's batch is independent
  EXPECT_FALSE(has(EntryType::kReceipts, receipts_key(1, hash_of(1))));
  ASSERT_TRUE(b.commit());
  EXPECT_TRUE(has(EntryType::kReceipts, receipts_key(1, hash_of(1))));
}

TEST_P(ChainBatchTest, DefaultFlushSizeIsTheIdealBatchSize) {
  ChainBatch b(*dbm_);
  const Bytes chunk(1024, 1);
  size_t i = 0;
  while (b.early_flushes() == 0) {
    ASSERT_TRUE(write_body_rlp(b, i, hash_of(static_cast<uint8_t>(i)), chunk));
    ++i;
    ASSERT_LT(i, 200u);
  }
  // Each write queues 1024 + 41 bytes of key and value; the flush happens on
  // the write that brings the batch to about 100 KiB, not before.
  EXPECT_LE((i - 1) * 1065, kv::kIdealBatchSize);
  EXPECT_GE(i * 1065, kv::kIdealBatchSize * 9 / 10);
  EXPECT_EQ(b.pending_count(), 0u);
}

TEST_P(ChainBatchTest, HeadPointersAreNeverFlushedEarly) {
  ChainBatch b(*dbm_, /*flush_bytes=*/64);
  // Header batch flushes early because of its size, but the head waits.
  ASSERT_TRUE(write_head(b, Head::kHeader, hash_of(3)));
  ASSERT_TRUE(write_canonical_hash(b, 3, hash_of(3)));
  ASSERT_TRUE(write_canonical_hash(b, 4, hash_of(4)));
  EXPECT_GE(b.early_flushes(), 1u);
  EXPECT_TRUE(has(EntryType::kHeader, canonical_hash_key(3)));
  EXPECT_FALSE(has(EntryType::kHeader, as_view(kHeadHeaderKey)));
  ASSERT_TRUE(b.commit());
  EXPECT_EQ(*read_head(*dbm_, Head::kHeader), hash_of(3));
}

TEST_P(ChainBatchTest, ReusableAfterCommitAndDiscardsOnDestruction) {
  {
    ChainBatch b(*dbm_);
    ASSERT_TRUE(write_canonical_hash(b, 8, hash_of(8)));
    ASSERT_TRUE(b.commit());
    ASSERT_TRUE(write_canonical_hash(b, 9, hash_of(9)));
    ASSERT_TRUE(b.commit());
    ASSERT_TRUE(write_canonical_hash(b, 10, hash_of(10)));
  }  // not committed
  EXPECT_EQ(*read_canonical_hash(*dbm_, 8), hash_of(8));
  EXPECT_EQ(*read_canonical_hash(*dbm_, 9), hash_of(9));
  EXPECT_TRUE(read_canonical_hash(*dbm_, 10).status().is_not_found());
}

TEST_P(ChainBatchTest, ClosedEntryTypeIsAnError) {
  // The migration target is not open unless a migration runs.
  ChainBatch b(*dbm_);
  Status s = b.put(EntryType::kStateTrieMigration, as_view("k"), as_view("v"));
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  DirectWriter w(*dbm_);
  EXPECT_EQ(w.put(EntryType::kStateTrieMigration, as_view("k"), as_view("v")).code(),
            Status::Code::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Backends, ChainBatchTest,
                         ::testing::Values(kv::Backend::kMemory, kv::Backend::kLevelDB),
                         testing::backend_param_name);

TEST(ChainBatchSingleDbTest, WorksWhenEveryEntryTypeSharesOneDatabase) {
  testing::ScratchDir dir;
  auto dbm = testing::open_manager(dir.path(), testing::small_config(kv::Backend::kLevelDB, 1, true));
  ChainBatch b(*dbm);
  ASSERT_TRUE(write_canonical_hash(b, 1, hash_of(1)));
  ASSERT_TRUE(write_total_score(b, 1, hash_of(1), uint256(1)));
  ASSERT_TRUE(write_head(b, Head::kBlock, hash_of(1)));
  ASSERT_TRUE(b.commit());
  EXPECT_EQ(*read_canonical_hash(*dbm, 1), hash_of(1));
  EXPECT_EQ(*read_total_score(*dbm, 1, hash_of(1)), uint256(1));
  EXPECT_EQ(*read_head(*dbm, Head::kBlock), hash_of(1));
}

}  // namespace
}  // namespace klay::rawdb
