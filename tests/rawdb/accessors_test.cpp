// Round trips of every accessor, on the memory backend and on LevelDB,
// reading back after closing and reopening the DBManager.
#include <gtest/gtest.h>

#include "engine/core/rlp.h"
#include "engine/rawdb/accessors_chain.h"
#include "engine/rawdb/accessors_meta.h"
#include "engine/rawdb/accessors_state.h"
#include "engine/rawdb/schema.h"
#include "tests/rawdb/rawdb_test_support.h"

namespace klay::rawdb {
namespace {

using testing::hash_of;

Header sample_header(uint64_t num) {
  Header h;
  h.parent_hash = hash_of(0x11);
  h.root = hash_of(0x22);
  h.tx_hash = hash_of(0x33);
  h.receipt_hash = hash_of(0x44);
  h.block_score = uint256(1);
  h.number = num;
  h.gas_used = 21000;
  h.time = 1600000000;
  h.extra = Bytes(32, 0xab);
  h.governance = {};
  h.vote = {};
  h.base_fee = uint256(25000000000ULL);
  return h;
}

Transaction sample_txn() {
  Transaction t;
  t.type = TxType::kLegacy;
  t.nonce = 7;
  t.gas_price = uint256(25000000000ULL);
  t.gas = 21000;
  Address to;
  to.bytes.fill(0x5a);
  t.to = to;
  t.value = uint256(1000);
  t.signatures = {TxSignature{uint256(16469), uint256(12345), uint256(67890)}};
  return t;
}

Receipt sample_receipt() {
  Receipt r;
  r.status = 1;
  r.gas_used = 21000;
  r.tx_hash = hash_of(0x77);
  Log l;
  l.address.bytes.fill(0x01);
  l.topics = {hash_of(0x02)};
  l.data = {1, 2, 3};
  l.block_number = 5;
  l.tx_hash = hash_of(0x77);
  l.block_hash = hash_of(0x88);
  r.logs = {l};
  r.bloom = logs_bloom(r.logs);
  return r;
}

class AccessorsTest : public ::testing::TestWithParam<kv::Backend> {
 protected:
  std::unique_ptr<chaindata::DBManager> open() { return testing::open_manager(dir_.path(), testing::small_config(GetParam())); }
  testing::ScratchDir dir_;
};

TEST_P(AccessorsTest, ChainRecordsRoundTrip) {
  const Header header = sample_header(5);
  const Hash hash = header_hash(header);
  const Body body{{sample_txn()}};
  const std::vector<Receipt> receipts{sample_receipt()};
  const Hash txn = tx_hash(body.transactions[0]);
  {
    auto dbm = open();
    DirectWriter w(*dbm);
    EXPECT_TRUE(read_canonical_hash(*dbm, 5).status().is_not_found());
    EXPECT_TRUE(read_header(*dbm, 5, hash).status().is_not_found());
    EXPECT_TRUE(read_head(*dbm, Head::kBlock).status().is_not_found());
    ASSERT_TRUE(write_canonical_hash(w, 5, hash));
    ASSERT_TRUE(write_header(w, header, hash));
    ASSERT_TRUE(write_body(w, 5, hash, body));
    ASSERT_TRUE(write_receipts(w, 5, hash, receipts));
    ASSERT_TRUE(write_total_score(w, 5, hash, uint256(123456789)));
    ASSERT_TRUE(write_head(w, Head::kHeader, hash));
    ASSERT_TRUE(write_head(w, Head::kBlock, hash_of(0x99)));
    ASSERT_TRUE(write_head(w, Head::kFastBlock, hash_of(0x98)));
    ASSERT_TRUE(write_tx_lookup_entries(w, hash, 5, body.transactions));
    ASSERT_TRUE(dbm->close());  // memory stores keep their data for the next open in this process
  }
  auto dbm = open();
  EXPECT_EQ(*read_canonical_hash(*dbm, 5), hash);
  EXPECT_EQ(*read_header_number(*dbm, hash), 5u);
  EXPECT_EQ(*read_header(*dbm, 5, hash), header);
  EXPECT_EQ(*read_header_rlp(*dbm, 5, hash), encode_header(header));
  EXPECT_TRUE(*has_header(*dbm, 5, hash));
  EXPECT_FALSE(*has_header(*dbm, 6, hash));
  EXPECT_EQ(*read_body(*dbm, 5, hash), body);
  EXPECT_EQ(*read_receipts(*dbm, 5, hash), receipts);
  EXPECT_EQ(*read_total_score(*dbm, 5, hash), uint256(123456789));
  EXPECT_EQ(*read_head(*dbm, Head::kHeader), hash);
  EXPECT_EQ(*read_head(*dbm, Head::kBlock), hash_of(0x99));
  EXPECT_EQ(*read_head(*dbm, Head::kFastBlock), hash_of(0x98));
  EXPECT_EQ(*read_tx_lookup(*dbm, txn), (TxLookupEntry{hash, 5, 0}));
}

TEST_P(AccessorsTest, RecordsLiveInTheReferenceDatabases) {
  const Header header = sample_header(9);
  const Hash hash = header_hash(header);
  auto dbm = open();
  DirectWriter w(*dbm);
  ASSERT_TRUE(write_header(w, header, hash));
  ASSERT_TRUE(write_total_score(w, 9, hash, uint256(9)));
  ASSERT_TRUE(write_head(w, Head::kBlock, hash));
  ASSERT_TRUE(write_code(w, hash_of(0xc0), Bytes{1}));
  ASSERT_TRUE(write_tx_lookup(w, hash_of(0x10), TxLookupEntry{hash, 9, 2}));
  Bytes v;
  EXPECT_TRUE(dbm->db(EntryType::kHeader).get(header_key(9, hash), &v));
  EXPECT_TRUE(dbm->db(EntryType::kHeader).get(header_number_key(hash), &v));
  EXPECT_TRUE(dbm->db(EntryType::kHeader).get(as_view("LastBlock"), &v));
  EXPECT_TRUE(dbm->db(EntryType::kMisc).get(total_score_key(9, hash), &v));
  EXPECT_TRUE(dbm->db(EntryType::kMisc).get(as_view("LastBlock"), &v).is_not_found());
  EXPECT_TRUE(dbm->db(EntryType::kStateTrie).get(code_key(hash_of(0xc0)), &v));
  EXPECT_TRUE(dbm->db(EntryType::kTxLookup).get(tx_lookup_key(hash_of(0x10)), &v));
  // rlp([blockHash, 9, 2])
  Bytes payload;
  rlp::encode_string(payload, hash.view());
  rlp::encode_uint(payload, 9);
  rlp::encode_uint(payload, 2);
  EXPECT_EQ(v, rlp::wrap_list(payload));
}

TEST_P(AccessorsTest, DeletesRemoveRecords) {
  const Header header = sample_header(3);
  const Hash hash = header_hash(header);
  auto dbm = open();
  DirectWriter w(*dbm);
  ASSERT_TRUE(write_canonical_hash(w, 3, hash));
  ASSERT_TRUE(write_header(w, header, hash));
  ASSERT_TRUE(write_body(w, 3, hash, Body{}));
  ASSERT_TRUE(write_receipts(w, 3, hash, {}));
  ASSERT_TRUE(write_total_score(w, 3, hash, uint256(3)));
  ASSERT_TRUE(write_tx_lookup(w, hash_of(1), TxLookupEntry{hash, 3, 0}));
  ASSERT_TRUE(write_code(w, hash_of(2), Bytes{9}));
  ASSERT_TRUE(delete_canonical_hash(w, 3));
  ASSERT_TRUE(delete_header(w, 3, hash));
  ASSERT_TRUE(delete_body(w, 3, hash));
  ASSERT_TRUE(delete_receipts(w, 3, hash));
  ASSERT_TRUE(delete_total_score(w, 3, hash));
  ASSERT_TRUE(delete_tx_lookup(w, hash_of(1)));
  ASSERT_TRUE(delete_code(w, hash_of(2)));
  EXPECT_TRUE(read_canonical_hash(*dbm, 3).status().is_not_found());
  EXPECT_TRUE(read_header(*dbm, 3, hash).status().is_not_found());
  EXPECT_TRUE(read_header_number(*dbm, hash).status().is_not_found());
  EXPECT_TRUE(read_body(*dbm, 3, hash).status().is_not_found());
  EXPECT_TRUE(read_receipts(*dbm, 3, hash).status().is_not_found());
  EXPECT_TRUE(read_total_score(*dbm, 3, hash).status().is_not_found());
  EXPECT_TRUE(read_tx_lookup(*dbm, hash_of(1)).status().is_not_found());
  EXPECT_FALSE(*has_code(*dbm, hash_of(2)));
  // Deleting again is fine.
  EXPECT_TRUE(delete_header(w, 3, hash));
}

TEST_P(AccessorsTest, StateAndMetaRecordsRoundTrip) {
  const Hash genesis = hash_of(0x42);
  const std::string config = R"({"chainId":8217,"deriveShaImpl":2})";
  const std::map<Hash, Bytes> preimages{{hash_of(5), Bytes{1, 2}}, {hash_of(6), Bytes{3}}};
  const PruningMark m1{10, ExtHash::make(hash_of(0xa1), 7)};
  const PruningMark m2{12, ExtHash::make(hash_of(0xa2), 8)};
  const PruningMark m3{20, ExtHash::make(hash_of(0xa3), 9)};
  auto dbm = open();
  DirectWriter w(*dbm);
  EXPECT_EQ(*read_migration_status(*dbm), 0u);
  EXPECT_EQ(*read_migration_old_db_path(*dbm), "");
  EXPECT_FALSE(*read_pruning_enabled(*dbm));
  EXPECT_TRUE(read_database_version(*dbm).status().is_not_found());
  EXPECT_TRUE(read_last_pruned_block_number(*dbm).status().is_not_found());

  ASSERT_TRUE(write_code(w, hash_of(7), Bytes{0x60, 0x80}));
  ASSERT_TRUE(write_preimages(w, preimages));
  ASSERT_TRUE(write_chain_config_json(w, genesis, config));
  ASSERT_TRUE(write_database_version(w, kDatabaseVersion));
  ASSERT_TRUE(write_migration_status(w, 84482070));
  ASSERT_TRUE(write_migration_old_db_path(w, "statetrie"));
  ASSERT_TRUE(write_pruning_enabled(w));
  for (const auto& m : {m1, m2, m3}) ASSERT_TRUE(write_pruning_mark(w, m));
  ASSERT_TRUE(write_last_pruned_block_number(w, 77));

  EXPECT_EQ(*read_code(*dbm, hash_of(7)), (Bytes{0x60, 0x80}));
  EXPECT_TRUE(*has_code(*dbm, hash_of(7)));
  EXPECT_EQ(*read_preimage(*dbm, hash_of(5)), (Bytes{1, 2}));
  EXPECT_EQ(*read_preimage(*dbm, hash_of(6)), (Bytes{3}));
  EXPECT_EQ(*read_chain_config_json(*dbm, genesis), config);
  auto cfg = read_chain_config(*dbm, genesis);
  ASSERT_TRUE(cfg) << cfg.status().message();
  EXPECT_EQ(*cfg->chain_id, uint256(8217));
  EXPECT_EQ(*read_database_version(*dbm), kDatabaseVersion);
  EXPECT_EQ(*read_migration_status(*dbm), 84482070u);
  EXPECT_EQ(*read_migration_old_db_path(*dbm), "statetrie");
  EXPECT_TRUE(*read_pruning_enabled(*dbm));
  EXPECT_EQ(*read_pruning_marks(*dbm, 10, 13), (std::vector<PruningMark>{m1, m2}));
  EXPECT_EQ(*read_pruning_marks(*dbm, 11, 100), (std::vector<PruningMark>{m2, m3}));
  EXPECT_EQ(*read_last_pruned_block_number(*dbm), 77u);
  ASSERT_TRUE(delete_pruning_mark(w, m2));
  EXPECT_EQ(*read_pruning_marks(*dbm, 0, 100), (std::vector<PruningMark>{m1, m3}));
  ASSERT_TRUE(delete_migration_old_db_path(w));
  EXPECT_EQ(*read_migration_old_db_path(*dbm), "");
}

TEST_P(AccessorsTest, CorruptValuesNameTheKey) {
  auto dbm = open();
  const Hash hash = hash_of(0x31);
  auto& header_db = dbm->db(EntryType::kHeader);
  ASSERT_TRUE(header_db.put(header_key(4, hash), Bytes{0xc1, 0x01}));
  ASSERT_TRUE(header_db.put(header_number_key(hash), Bytes{1, 2, 3}));
  ASSERT_TRUE(header_db.put(canonical_hash_key(4), Bytes{1}));
  ASSERT_TRUE(dbm->db(EntryType::kMisc).put(total_score_key(4, hash), Bytes{0x00, 0x01}));
  ASSERT_TRUE(dbm->db(EntryType::kTxLookup).put(tx_lookup_key(hash), Bytes{0xc0}));
  ASSERT_TRUE(dbm->db(EntryType::kMisc).put(config_key(hash), as_view("not json")));
  const auto expect_corrupt = [](const Status& s, const Bytes& key) {
    EXPECT_EQ(s.code(), Status::Code::kCorruption) << s.message();
    EXPECT_NE(s.message().find(to_hex(key)), std::string::npos) << s.message();
  };
  expect_corrupt(read_header(*dbm, 4, hash).status(), header_key(4, hash));
  expect_corrupt(read_header_number(*dbm, hash).status(), header_number_key(hash));
  expect_corrupt(read_canonical_hash(*dbm, 4).status(), canonical_hash_key(4));
  expect_corrupt(read_total_score(*dbm, 4, hash).status(), total_score_key(4, hash));
  expect_corrupt(read_tx_lookup(*dbm, hash).status(), tx_lookup_key(hash));
  expect_corrupt(read_chain_config(*dbm, hash).status(), config_key(hash));
}

INSTANTIATE_TEST_SUITE_P(Backends, AccessorsTest,
                         ::testing::Values(kv::Backend::kMemory, kv::Backend::kLevelDB),
                         testing::backend_param_name);

TEST(SchemaTest, KeysMatchTheReferenceLayout) {
  const Hash h = hash_of(0xee);
  const Bytes num = {0, 0, 0, 0, 0, 0, 0x01, 0x02};
  Bytes expect = to_bytes("h");
  append(expect, num);
  append(expect, h.view());
  EXPECT_EQ(header_key(0x102, h), expect);
  Bytes td = expect;
  td.push_back('t');
  EXPECT_EQ(total_score_key(0x102, h), td);
  Bytes canon = to_bytes("h");
  append(canon, num);
  canon.push_back('n');
  EXPECT_EQ(canonical_hash_key(0x102), canon);
  EXPECT_EQ(header_number_key(h).size(), 33u);
  EXPECT_EQ(header_number_key(h)[0], 'H');
  EXPECT_EQ(body_key(0x102, h)[0], 'b');
  EXPECT_EQ(receipts_key(0x102, h)[0], 'r');
  EXPECT_EQ(tx_lookup_key(h)[0], 'l');
  EXPECT_EQ(code_key(h)[0], 'c');
  EXPECT_EQ(as_string_view(preimage_key(h)).substr(0, 11), "secure-key-");
  EXPECT_EQ(as_string_view(config_key(h)).substr(0, 12), "klay-config-");
  const ExtHash e = ExtHash::make(h, 5);
  const Bytes mark = pruning_mark_key(0x102, e);
  EXPECT_EQ(mark.size(), 8u + 8u + 39u);
  auto parsed = parse_pruning_mark_key(mark);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->block_num, 0x102u);
  EXPECT_EQ(parsed->node, e);
  EXPECT_FALSE(parse_pruning_mark_key(header_key(1, h)));
  EXPECT_EQ(kHeaderDb, EntryType::kHeader);
  EXPECT_EQ(kTotalScoreDb, EntryType::kMisc);
  EXPECT_EQ(kTxLookupDb, EntryType::kTxLookup);
  EXPECT_EQ(kPreimageDb, EntryType::kStateTrie);
}

}  // namespace
}  // namespace klay::rawdb
