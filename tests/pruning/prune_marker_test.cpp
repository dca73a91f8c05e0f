// The offline pruner's marker file and bloom filter: round trip, atomicity
// (a leftover tmp file is never taken for a marker), damage detection.
#include <gtest/gtest.h>

#include <fstream>

#include "pruning/node_bloom.h"
#include "pruning/offline_pruner.h"
#include "pruning/prune_marker.h"
#include "tests/pruning/pruning_test_support.h"

namespace klay::pruning {
namespace {

using testing::ScratchDir;

Bytes key_of(uint64_t i) {
  uint8_t b[8];
  put_be64(b, i);
  return to_bytes(keccak256(ByteView(b, 8)).view());
}

TEST(NodeBloom, NoFalseNegativesAndFewFalsePositives) {
  NodeBloom f(100'000);
  for (uint64_t i = 0; i < 100'000; ++i) f.insert(key_of(i));
  for (uint64_t i = 0; i < 100'000; ++i) ASSERT_TRUE(f.maybe_contains(key_of(i)));
  uint64_t fp = 0;
  for (uint64_t i = 100'000; i < 200'000; ++i) fp += f.maybe_contains(key_of(i));
  EXPECT_LT(fp, 2'000u);  // ~1 % expected at 10 bits/key
  EXPECT_EQ(f.byte_size(), 100'000u * 10 / 8);
  EXPECT_FALSE(NodeBloom::from_words({}, 7));
  EXPECT_FALSE(NodeBloom::from_words({1}, 0));
}

TEST(PruneMarker, RoundTripAndAtomicity) {
  ScratchDir dir;
  std::filesystem::create_directories(dir.path() / "klay");
  const auto path = prune_marker_path(dir.path());
  NodeBloom f(70'000);
  for (uint64_t i = 0; i < 5000; ++i) f.insert(key_of(i));
  std::vector<RetainedRoot> roots{{7, keccak256(as_view("a"))}, {9, keccak256(as_view("b"))}};

  // Nothing yet; a leftover tmp (a crash mid-write) is not a marker and is removed.
  {
    std::ofstream tmp(path.string() + ".tmp", std::ios::binary);
    tmp << "KPRUNEM1 half written";
  }
  auto none = read_prune_marker(path);
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
  EXPECT_FALSE(std::filesystem::exists(path.string() + ".tmp"));

  ASSERT_TRUE(write_prune_marker(path, roots, f));
  EXPECT_FALSE(std::filesystem::exists(path.string() + ".tmp"));
  auto got = read_prune_marker(path);
  ASSERT_TRUE(got) << got.status().message();
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->roots, roots);
  EXPECT_EQ((*got)->filter->words(), f.words());
  EXPECT_EQ((*got)->filter->probes(), f.probes());
  for (uint64_t i = 0; i < 5000; ++i) ASSERT_TRUE((*got)->filter->maybe_contains(key_of(i)));

  // Truncated or flipped: Corruption, never used.
  const auto size = std::filesystem::file_size(path);
  std::filesystem::resize_file(path, size - 3);
  auto cut = read_prune_marker(path);
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.status().code(), Status::Code::kCorruption);
  ASSERT_TRUE(write_prune_marker(path, roots, f));
  {
    std::fstream io(path, std::ios::in | std::ios::out | std::ios::binary);
    io.seekp(100);
    char c = 0;
    io.read(&c, 1);
    io.seekp(100);
    c = static_cast<char>(c ^ 0x40);
    io.write(&c, 1);
  }
  auto flipped = read_prune_marker(path);
  ASSERT_FALSE(flipped);
  EXPECT_NE(flipped.status().message().find("checksum mismatch"), std::string::npos) << flipped.status().message();
  ASSERT_TRUE(remove_prune_marker(path));
  EXPECT_FALSE(std::filesystem::exists(path));
  ASSERT_TRUE(remove_prune_marker(path));  // absent is fine
}

TEST(PruneMarker, DamagedMarkerStopsThePruneBeforeAnyDeletion) {
  ScratchDir dir;
  auto dbm = testing::open_manager(dir.path());
  testing::MiniChainOptions o;
  o.ext_hash = false;
  o.write_marks = false;
  testing::MiniChain chain(*dbm, o);
  chain.add_blocks(20);
  const uint64_t before = testing::count_node_keys(dbm->state_trie());
  const auto path = prune_marker_path(dir.path());
  {
    std::ofstream m(path, std::ios::binary);
    m << "KPRUNEM1garbage";
  }
  OfflinePruneOptions po;
  po.free_space_headroom = 1 << 20;
  auto r = prune_offline(*dbm, po);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), Status::Code::kCorruption);
  EXPECT_EQ(testing::count_node_keys(dbm->state_trie()), before);
  // A half-written tmp beside no marker: a fresh prune runs.
  std::filesystem::remove(path);
  {
    std::ofstream m(path.string() + ".tmp", std::ios::binary);
    m << "KPRUNEM1";
  }
  auto ok = prune_offline(*dbm, po);
  ASSERT_TRUE(ok) << ok.status().message();
  EXPECT_FALSE(ok->resumed);
  EXPECT_LT(testing::count_node_keys(dbm->state_trie()), before);
}

TEST(OfflinePruner, RefusesWhenFreeSpaceIsShort) {
  ScratchDir dir;
  auto dbm = testing::open_manager(dir.path());
  testing::MiniChainOptions o;
  o.ext_hash = false;
  o.write_marks = false;
  testing::MiniChain chain(*dbm, o);
  chain.add_blocks(3);
  OfflinePruneOptions po;
  po.free_space_headroom = uint64_t{1} << 62;
  auto r = prune_offline(*dbm, po);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), Status::Code::kNoSpace);
  EXPECT_FALSE(std::filesystem::exists(prune_marker_path(dir.path())));
}

}  // namespace
}  // namespace klay::pruning
