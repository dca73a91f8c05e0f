#include "node/chain/import_export.h"

#include <gtest/gtest.h>

#include <fstream>

#include "node/chain/seal.h"
#include "tests/chain/chain_test_support.h"

namespace klay::chain {
namespace {

using testing::DevChain;

Bytes read_all(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void write_all(const std::filesystem::path& p, ByteView b) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

struct Target {
  explicit Target(const std::string& genesis, kv::Backend backend) {
    dbm = testing::init_datadir(dir.path(), backend, genesis);
    chain = testing::open_chain(*dbm);
  }
  testing::ScratchDir dir;
  std::unique_ptr<chaindata::DBManager> dbm;
  std::unique_ptr<BlockChain> chain;
};

TEST(ImportExport, ExportThenImportIntoAnotherBackendGivesTheSameChain) {
  DevChain src(kv::Backend::kLevelDB);
  src.produce(12, 5);
  const auto file = src.dir.path() / "chain.rlp";
  std::vector<ChainTransferProgress> export_progress;
  auto exported = export_blocks(*src.chain, file, 0, 12, [&](const auto& p) { export_progress.push_back(p); });
  ASSERT_TRUE(exported) << exported.status().message();
  EXPECT_EQ(exported->blocks, 13u);
  EXPECT_FALSE(export_progress.empty());
  EXPECT_FALSE(std::filesystem::exists(file.string() + ".tmp"));

  Target dst(src.genesis_json, kv::Backend::kRocksDB);
  ImportOptions io;
  io.batch_blocks = 5;
  size_t calls = 0;
  io.progress = [&](const ChainTransferProgress&) { ++calls; };
  auto imported = import_blocks(*dst.chain, file, io);
  ASSERT_TRUE(imported) << imported.status().message();
  EXPECT_EQ(imported->blocks, 13u);
  EXPECT_EQ(imported->inserted, 12u);
  EXPECT_EQ(imported->skipped, 1u);  // genesis
  EXPECT_EQ(imported->txns, 60u);
  EXPECT_EQ(calls, 3u);
  EXPECT_EQ(dst.chain->head().hash, src.chain->head().hash);
  EXPECT_EQ(dst.chain->head().header.root, src.chain->head().header.root);
  auto st = dst.chain->state_reader_at(12);
  ASSERT_TRUE(st) << st.status().message();
  auto src_st = src.chain->state_reader_at(12);
  EXPECT_EQ(*st->balance(src.recipient), *src_st->balance(src.recipient));

  // Importing again skips everything.
  auto again = import_blocks(*dst.chain, file);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->inserted, 0u);
  EXPECT_EQ(again->skipped, 13u);
}

TEST(ImportExport, PartialRangesAndBadRanges) {
  DevChain src(kv::Backend::kMemory);
  src.produce(4, 1);
  const auto file = src.dir.path() / "part.rlp";
  EXPECT_FALSE(export_blocks(*src.chain, file, 3, 2));
  auto past = export_blocks(*src.chain, file, 0, 5);
  ASSERT_FALSE(past);
  EXPECT_NE(past.status().message().find("the head is block 4"), std::string::npos);
  ASSERT_TRUE(export_blocks(*src.chain, file, 3, 4));

  // Blocks 3..4 alone do not extend a fresh chain at genesis.
  Target dst(src.genesis_json, kv::Backend::kMemory);
  auto r = import_blocks(*dst.chain, file);
  ASSERT_FALSE(r);
  EXPECT_NE(r.status().message().find("block 3"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("unknown parent"), std::string::npos) << r.status().message();
}

TEST(ImportExport, FirstBadBlockStopsTheImportAndIsNamed) {
  DevChain src(kv::Backend::kMemory);
  auto blocks = src.produce(6, 2);
  // Re-encode the stream with block 4's state root broken (and re-sealed).
  Block bad = blocks[3];
  bad.header.root.bytes[3] ^= 0x10;
  ASSERT_TRUE(seal_header(bad.header, src.validator));
  Bytes stream;
  for (size_t i = 0; i < blocks.size(); ++i) append(stream, encode_block(i == 3 ? bad : blocks[i]));
  const auto file = src.dir.path() / "bad.rlp";
  write_all(file, stream);

  Target dst(src.genesis_json, kv::Backend::kMemory);
  auto r = import_blocks(*dst.chain, file, ImportOptions{2, {}});
  ASSERT_FALSE(r);
  EXPECT_NE(r.status().message().find("block 4 " + header_hash(bad.header).hex()), std::string::npos)
      << r.status().message();
  EXPECT_NE(r.status().message().find("state root mismatch"), std::string::npos);
  EXPECT_EQ(dst.chain->head().number, 3u);  // blocks before the bad one stay
}

TEST(ImportExport, TruncatedOrGarbageFilesAreRefused) {
  DevChain src(kv::Backend::kMemory);
  src.produce(2, 1);
  const auto file = src.dir.path() / "t.rlp";
  ASSERT_TRUE(export_blocks(*src.chain, file, 1, 2));
  Bytes data = read_all(file);
  data.resize(data.size() - 7);
  write_all(file, data);
  Target dst(src.genesis_json, kv::Backend::kMemory);
  auto r = import_blocks(*dst.chain, file);
  ASSERT_FALSE(r);
  EXPECT_NE(r.status().message().find("item 1"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("truncated"), std::string::npos) << r.status().message();
  EXPECT_EQ(dst.chain->head().number, 0u);  // nothing inserted: the batch never reached insert

  write_all(file, as_view(std::string("hello world")));
  r = import_blocks(*dst.chain, file);
  ASSERT_FALSE(r);
  EXPECT_NE(r.status().message().find("not a block"), std::string::npos) << r.status().message();
  EXPECT_FALSE(import_blocks(*dst.chain, src.dir.path() / "missing.rlp"));
}

}  // namespace
}  // namespace klay::chain
