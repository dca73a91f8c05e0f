#include "engine/klaytn/receipt.h"

#include <gtest/gtest.h>

#include <bitset>

#include "engine/core/keccak.h"
#include "engine/core/rlp.h"

namespace klay {
namespace {

Receipt sample() {
  Receipt r;
  r.status = 1;
  r.gas_used = 21000;
  r.tx_hash = keccak256(as_view("tx"));
  r.contract_address = Address::from(keccak256(as_view("c")).view().subspan(0, 20));
  Log l;
  l.address = Address::from(keccak256(as_view("a")).view().subspan(0, 20));
  l.topics = {keccak256(as_view("t0")), keccak256(as_view("t1"))};
  l.data = {1, 2, 3};
  l.block_number = 77;
  l.tx_hash = r.tx_hash;
  l.tx_index = 2;
  l.block_hash = keccak256(as_view("b"));
  l.index = 5;
  r.logs = {l};
  r.bloom = logs_bloom(r.logs);
  return r;
}

size_t popcount(const Bloom& b) {
  size_t n = 0;
  for (uint8_t x : b.bytes) n += std::bitset<8>(x).count();
  return n;
}

TEST(Receipt, StoredRoundTrip) {
  const Receipt r = sample();
  auto d = decode_receipt_stored(encode_receipt_stored(r));
  ASSERT_TRUE(d) << d.status().to_string();
  EXPECT_EQ(*d, r);
  auto list = decode_block_receipts(encode_block_receipts({r, r}));
  ASSERT_TRUE(list) << list.status().to_string();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[1], r);
}

TEST(Receipt, ConsensusFormDropsContext) {
  const Receipt r = sample();
  const Bytes enc = encode_receipt_consensus(r);
  auto items = rlp::decode_list_item(enc);
  ASSERT_TRUE(items);
  ASSERT_EQ(items->size(), 4u);  // [status, gasUsed, bloom, logs]
  auto d = decode_receipt_consensus(enc);
  ASSERT_TRUE(d) << d.status().to_string();
  EXPECT_EQ(d->status, 1u);
  EXPECT_EQ(d->gas_used, 21000u);
  EXPECT_EQ(d->logs.size(), 1u);
  EXPECT_EQ(d->logs[0].topics, r.logs[0].topics);
  EXPECT_EQ(d->logs[0].block_number, 0u);  // not in the consensus form
  EXPECT_EQ(receipts_root(DeriveShaImpl::kConcat, {r}), keccak256(enc));
}

TEST(Receipt, Bloom) {
  const Receipt r = sample();
  // 3 items (address + 2 topics), 3 bits each, possibly overlapping.
  EXPECT_GE(popcount(r.bloom), 3u);
  EXPECT_LE(popcount(r.bloom), 9u);
  EXPECT_TRUE(logs_bloom({}).is_zero());
  // Every bit of a single item's bloom is inside the combined bloom.
  Log only_addr;
  only_addr.address = r.logs[0].address;
  const Bloom a = logs_bloom({only_addr});
  EXPECT_EQ(popcount(a) > 0, true);
  for (size_t i = 0; i < Bloom::kSize; ++i) EXPECT_EQ(a.bytes[i] & r.bloom.bytes[i], a.bytes[i]);
}

TEST(Receipt, DecodeErrors) {
  EXPECT_FALSE(decode_receipt_consensus(Bytes{0xc0}));
  EXPECT_FALSE(decode_receipt_stored(Bytes{0xc1, 0x01}));
  Bytes enc = encode_receipt_stored(sample());
  enc.push_back(0);
  EXPECT_FALSE(decode_receipt_stored(enc));
}

}  // namespace
}  // namespace klay
