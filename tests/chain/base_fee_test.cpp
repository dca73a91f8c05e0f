// KIP-71 dynamic base fee: the formula, the producer, and import checks.
#include <gtest/gtest.h>

#include "engine/klaytn/chain_config.h"
#include "node/chain/base_fee.h"
#include "node/chain/seal.h"
#include "tests/chain/chain_test_support.h"

namespace klay::chain {
namespace {

using testing::DevChain;

Kip71Config params(uint64_t lower, uint64_t upper, uint64_t target, uint64_t max_used, uint64_t denominator) {
  Kip71Config k;
  k.lower_bound_base_fee = lower;
  k.upper_bound_base_fee = upper;
  k.gas_target = target;
  k.max_block_gas_used_for_base_fee = max_used;
  k.base_fee_denominator = denominator;
  return k;
}

Header parent(uint64_t number, std::optional<uint64_t> base_fee, uint64_t gas_used) {
  Header h;
  h.number = number;
  if (base_fee) h.base_fee = uint256(*base_fee);
  h.gas_used = gas_used;
  return h;
}

constexpr uint64_t kGkei = 1'000'000'000ULL;

TEST(BaseFeeTest, FollowsKip71) {
  const Kip71Config d = params(25 * kGkei, 750 * kGkei, 30'000'000, 60'000'000, 20);
  // After genesis or a parent without a base fee: the lower bound.
  EXPECT_EQ(next_magma_base_fee(parent(0, 100 * kGkei, 50'000'000), d), uint256(25 * kGkei));
  EXPECT_EQ(next_magma_base_fee(parent(7, std::nullopt, 50'000'000), d), uint256(25 * kGkei));
  // At the target: unchanged.
  EXPECT_EQ(next_magma_base_fee(parent(7, 100 * kGkei, 30'000'000), d), uint256(100 * kGkei));
  // Above: + fee * (used - target) / target / denominator = 100 gkei * 1/3 / 20.
  EXPECT_EQ(next_magma_base_fee(parent(7, 100 * kGkei, 40'000'000), d), uint256(101'666'666'666ULL));
  // Gas used is capped at max_block_gas_used_for_base_fee: 100 gkei * 1 / 20.
  EXPECT_EQ(next_magma_base_fee(parent(7, 100 * kGkei, 90'000'000), d), uint256(105 * kGkei));
  // Below: - 100 gkei * 1/3 / 20, rounded down to even.
  EXPECT_EQ(next_magma_base_fee(parent(7, 100 * kGkei, 20'000'000), d), uint256(98'333'333'334ULL));
  // Clamped to the bounds, parent fee included.
  EXPECT_EQ(next_magma_base_fee(parent(7, 749 * kGkei, 60'000'000), d), uint256(750 * kGkei));
  EXPECT_EQ(next_magma_base_fee(parent(7, 900 * kGkei, 60'000'000), d), uint256(750 * kGkei));
  EXPECT_EQ(next_magma_base_fee(parent(7, 25 * kGkei, 0), d), uint256(25 * kGkei));
  EXPECT_EQ(next_magma_base_fee(parent(7, 26 * kGkei, 0), d), uint256(25 * kGkei));
  EXPECT_EQ(next_magma_base_fee(parent(7, 1, 0), d), uint256(25 * kGkei));
  // The increase is at least 1 (then rounded down to even: 1000 + 1 -> 1000).
  const Kip71Config tiny = params(2, 1'000'000, 30'000'000, 60'000'000, 20);
  EXPECT_EQ(next_magma_base_fee(parent(7, 1000, 30'000'001), tiny), uint256(1000));
  EXPECT_EQ(next_magma_base_fee(parent(7, 1001, 30'000'001), tiny), uint256(1002));
  // Odd bounds become even: lower rounded up, upper down.
  const Kip71Config odd = params(25, 751, 100, 200, 20);
  EXPECT_EQ(next_magma_base_fee(parent(0, std::nullopt, 0), odd), uint256(26));
  EXPECT_EQ(next_magma_base_fee(parent(7, 800, 200), odd), uint256(750));
  // A zero denominator counts as 64: 6400 * (200 - 100) / 100 / 64 = 100.
  const Kip71Config zero = params(2, 1'000'000, 100, 200, 0);
  EXPECT_EQ(next_magma_base_fee(parent(7, 6400, 200), zero), uint256(6500));
}

TEST(BaseFeeTest, DefaultsWithoutKip71Config) {
  ChainConfig c;
  const Kip71Config k = kip71_params(c);
  EXPECT_EQ(k.lower_bound_base_fee, 25 * kGkei);
  EXPECT_EQ(k.upper_bound_base_fee, 750 * kGkei);
  EXPECT_EQ(k.gas_target, 30'000'000u);
  EXPECT_EQ(k.max_block_gas_used_for_base_fee, 60'000'000u);
  EXPECT_EQ(k.base_fee_denominator, 20u);
}

// A dev genesis with Magma at block 0 and a small gas target, so that blocks
// of a few transfers move the base fee.
std::string magma_genesis(const Address& validator, const std::vector<Address>& funded) {
  std::string g = testing::dev_genesis_json(validator, funded);
  const std::string anchor = "\"istanbul\":";
  const size_t at = g.find(anchor);
  EXPECT_NE(at, std::string::npos);
  g.insert(at,
           "\"magmaCompatibleBlock\": 0, \"governance\": {\"kip71\": {\"lowerboundbasefee\": 25000000000,"
           " \"upperboundbasefee\": 750000000000, \"gastarget\": 63000, \"maxblockgasusedforbasefee\": 2000000,"
           " \"basefeedenominator\": 4}}, ");
  return g;
}

Transaction priced_transfer(const PrivateKey& key, uint64_t nonce, const Address& to, uint64_t gas_price) {
  Transaction t;
  t.type = TxType::kLegacy;
  t.nonce = nonce;
  t.gas_price = uint256(gas_price);
  t.gas = 21000;
  t.to = to;
  t.value = uint256(1);
  const Signature sig = key.sign(signing_hash(t, uint256(testing::kChainId)));
  t.signatures = {TxSignature{eip155_v(sig.recid, uint256(testing::kChainId)), sig.r, sig.s}};
  return t;
}

struct MagmaChain {
  MagmaChain() {
    for (int i = 0; i < 2; ++i) senders.push_back(testing::key_from_seed("magma-" + std::to_string(i)));
    genesis = magma_genesis(validator.address(), {senders[0].address(), senders[1].address()});
    dbm = testing::init_datadir(dir.path(), kv::Backend::kMemory, genesis);
    chain = testing::open_chain(*dbm);
  }
  testing::ScratchDir dir;
  PrivateKey validator = testing::key_from_seed("validator");
  std::vector<PrivateKey> senders;
  std::string genesis;
  std::unique_ptr<chaindata::DBManager> dbm;
  std::unique_ptr<BlockChain> chain;
};

TEST(BaseFeeTest, ProducerFollowsKip71AndImportChecksIt) {
  MagmaChain src;
  ASSERT_TRUE(src.chain->config().is_magma(0));
  testing::VectorSource source;
  ProducerOptions po;
  po.now_ms = testing::stepping_clock();
  auto producer = BlockProducer::create(*src.chain, src.validator, &source, po);
  ASSERT_TRUE(producer) << producer.status().to_string();
  const Address to = Address::from(keccak256(as_view("to")).view().subspan(12));
  // Gas used per block: 6 transfers = 126,000, twice the target (fee rises),
  // then 1 transfer = 21,000, a third of it (fee falls).
  const std::vector<size_t> per_block = {6, 6, 6, 1, 1, 3};
  std::vector<Block> blocks;
  uint64_t nonce = 0;
  for (size_t n : per_block) {
    for (size_t i = 0; i < n; ++i) source.add(priced_transfer(src.senders[0], nonce++, to, 750 * kGkei));
    auto produced = (*producer)->produce_now();
    ASSERT_TRUE(produced) << produced.status().to_string();
    ASSERT_EQ(produced->block.transactions.size(), n);
    blocks.push_back(produced->block);
  }
  Header prev = *src.chain->header_by_number(0);
  EXPECT_EQ(prev.base_fee, uint256(25 * kGkei));
  std::vector<uint256> fees;
  for (const Block& b : blocks) {
    ASSERT_TRUE(b.header.base_fee.has_value());
    EXPECT_EQ(*b.header.base_fee, next_magma_base_fee(prev, kip71_params(src.chain->config())));
    fees.push_back(*b.header.base_fee);
    prev = b.header;
  }
  // Block 1 follows genesis (lower bound); 2..4 rise (+1/4 each: 126000 is
  // target + target); 5 and 6 fall.
  EXPECT_EQ(fees[0], uint256(25 * kGkei));
  EXPECT_EQ(fees[1], uint256(31'250'000'000ULL));
  EXPECT_EQ(fees[2], uint256(39'062'500'000ULL));
  EXPECT_GT(fees[3], fees[2]);
  EXPECT_LT(fees[4], fees[3]);
  EXPECT_LT(fees[5], fees[4]);

  // Another node imports them.
  MagmaChain dst;
  auto ok = dst.chain->insert_blocks(std::span<const Block>(blocks).first(3));
  ASSERT_TRUE(ok) << ok.status().to_string();

  // A block with a base fee the parent does not imply is refused, even when
  // it is otherwise correct and properly sealed.
  Block bad = blocks[3];
  bad.header.base_fee = *bad.header.base_fee + uint256(2);
  ASSERT_TRUE(seal_header(bad.header, src.validator));
  Status s = dst.chain->insert_block(bad);
  EXPECT_FALSE(s);
  EXPECT_NE(s.message().find("invalid baseFee"), std::string::npos) << s.message();
  Block missing = blocks[3];
  missing.header.base_fee.reset();
  ASSERT_TRUE(seal_header(missing.header, src.validator));
  s = dst.chain->insert_block(missing);
  EXPECT_FALSE(s);
  EXPECT_NE(s.message().find("missing baseFee"), std::string::npos) << s.message();
  ASSERT_TRUE(dst.chain->insert_blocks(std::span<const Block>(blocks).subspan(3)));
  EXPECT_EQ(dst.chain->head().hash, src.chain->head().hash);
}

TEST(BaseFeeTest, NoBaseFeeBeforeMagma) {
  DevChain dev(kv::Backend::kMemory);
  auto blocks = dev.produce(1, 2);
  EXPECT_FALSE(blocks[0].header.base_fee.has_value());
  Block bad = blocks[0];
  bad.header.base_fee = uint256(25 * kGkei);
  ASSERT_TRUE(seal_header(bad.header, dev.validator));
  DevChain other(kv::Backend::kMemory);
  Status s = other.chain->insert_block(bad);
  EXPECT_FALSE(s);
  EXPECT_NE(s.message().find("before the Magma fork"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace klay::chain
