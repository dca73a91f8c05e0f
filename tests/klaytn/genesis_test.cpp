#include "engine/klaytn/genesis.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "engine/core/keccak.h"
#include "engine/core/rlp.h"
#include "engine/klaytn/derive_sha.h"
#include "engine/klaytn/istanbul_extra.h"

namespace klay {
namespace {

const std::string kCypressGenesis = std::string(KLAY_SHARED_FIXTURES_DIR) + "/cypress-genesis.json";


TEST(Genesis, CypressGenesisHash) {
  auto g = load_genesis_file(kCypressGenesis);
  ASSERT_TRUE(g) << g.status().to_string();
  auto block = build_genesis_block(*g);
  ASSERT_TRUE(block) << block.status().to_string();
  EXPECT_EQ(block->hash.hex(), "0xc72e5293c3c3ba38ed8ae910f780e4caaa9fb95e79784f7ab74c3c262ea7137e");
  // The hash is over the re-encoded header: decoding and re-encoding keeps it.
  auto enc = encode_header(block->header);
  auto dec = decode_header(enc);
  ASSERT_TRUE(dec) << dec.status().to_string();
  EXPECT_EQ(*dec, block->header);
  EXPECT_EQ(header_hash(*dec), block->hash);
}

TEST(Genesis, CypressConfigFields) {
  auto g = load_genesis_file(kCypressGenesis);
  ASSERT_TRUE(g) << g.status().to_string();
  const auto& c = g->config;
  ASSERT_TRUE(c.chain_id);
  EXPECT_EQ(*c.chain_id, uint256(8217));
  EXPECT_EQ(c.derive_sha_impl, 2);
  EXPECT_EQ(c.unit_price, 25000000000ULL);
  ASSERT_TRUE(c.governance && c.governance->reward);
  // 9600000000000000000 does not fit in int64; it must survive exactly.
  EXPECT_EQ(c.governance->reward->minting_amount->to_string(), "9600000000000000000");
  EXPECT_EQ(c.governance->reward->ratio, "34/54/12");
  ASSERT_TRUE(c.istanbul);
  EXPECT_EQ(c.istanbul->sub, 22u);
  EXPECT_EQ(g->timestamp, 0x5d10c5d1u);
  EXPECT_EQ(g->alloc.size(), 7u);
}

TEST(Genesis, CypressGovernanceJson) {
  auto g = load_genesis_file(kCypressGenesis);
  ASSERT_TRUE(g) << g.status().to_string();
  EXPECT_EQ(genesis_governance_json(g->config),
            "{\"governance.governancemode\":\"single\","
            "\"governance.governingnode\":\"0x52d41ca72af615a1ac3301b0a93efa222ecc7541\","
            "\"governance.unitprice\":25000000000,"
            "\"istanbul.committeesize\":22,\"istanbul.epoch\":604800,\"istanbul.policy\":2,"
            "\"reward.deferredtxfee\":true,\"reward.minimumstake\":\"5000000\","
            "\"reward.mintingamount\":\"9600000000000000000\","
            "\"reward.proposerupdateinterval\":3600,\"reward.ratio\":\"34/54/12\","
            "\"reward.stakingupdateinterval\":86400,\"reward.useginicoeff\":true}");
  // The header field is the RLP string of that JSON.
  auto field = genesis_governance_field(g->config);
  auto item = rlp::decode(field);
  ASSERT_TRUE(item);
  EXPECT_EQ(as_string_view(item->payload), genesis_governance_json(g->config));
}

TEST(Genesis, CypressHeaderFields) {
  auto g = load_genesis_file(kCypressGenesis);
  ASSERT_TRUE(g);
  auto block = build_genesis_block(*g);
  ASSERT_TRUE(block);
  const Header& h = block->header;
  EXPECT_EQ(h.tx_hash, keccak256(ByteView()));  // deriveShaImpl 2 (concat) over nothing
  EXPECT_EQ(h.receipt_hash, h.tx_hash);
  EXPECT_EQ(h.block_score, uint256(1));
  EXPECT_EQ(h.number, 0u);
  EXPECT_TRUE(h.bloom.is_zero());
  EXPECT_TRUE(h.rewardbase.is_zero());
  EXPECT_FALSE(h.base_fee);
  EXPECT_FALSE(h.random_reveal);
  auto ist = decode_istanbul_extra(h.extra);
  ASSERT_TRUE(ist) << ist.status().to_string();
  EXPECT_EQ(ist->validators.size(), 19u);
  EXPECT_EQ(ist->validators.back().hex(), "0x52d41ca72af615a1ac3301b0a93efa222ecc7541");
  EXPECT_EQ(ist->seal, Bytes(65, 0));
  EXPECT_TRUE(ist->committed_seals.empty());
}

TEST(Genesis, AllocAccountTypes) {
  auto g = load_genesis_file(kCypressGenesis);
  ASSERT_TRUE(g);
  auto block = build_genesis_block(*g);
  ASSERT_TRUE(block);
  size_t scas = 0, eoas = 0;
  for (const auto& a : block->accounts) {
    if (a.account.type == AccountType::kSCA) {
      ++scas;
      EXPECT_FALSE(a.code.empty());
      EXPECT_EQ(a.account.key.type(), AccountKeyType::kFail);
      EXPECT_EQ(a.account.code_hash, keccak256(a.code));
      EXPECT_EQ(a.account.storage_root.hash(), empty_root());
      EXPECT_EQ(a.account.nonce, 0u);
    } else {
      ++eoas;
      EXPECT_EQ(a.account.type, AccountType::kEOA);
      EXPECT_EQ(a.account.key.type(), AccountKeyType::kLegacy);
    }
  }
  EXPECT_EQ(scas, 2u);
  EXPECT_EQ(eoas, 5u);
}

// A genesis with storage, nonce, Magma and Randao at block 0 and the default
// block score: exercises the optional paths (values computed independently).
TEST(Genesis, OptionalPaths) {
  const char* doc = R"({
    "config": {"chainId": 1001, "deriveShaImpl": 0, "magmaCompatibleBlock": 0,
               "randaoCompatibleBlock": 0, "koreCompatibleBlock": 0,
               "istanbul": {"epoch": 30, "policy": 2, "sub": 1},
               "governance": {"governanceMode": "none", "kip71": {"lowerboundbasefee": 7},
                              "reward": {"mintingAmount": 123456789012345678901234567890,
                                         "kip82ratio": "20/80"}}},
    "timestamp": 5,
    "extraData": "0x",
    "alloc": {
      "0x00000000000000000000000000000000000000aa": {"balance": "100", "nonce": "0x3"},
      "00000000000000000000000000000000000000bb": {"balance": "0x0", "storage": {"0x01": "0x02"}}
    }})";
  auto g = parse_genesis(doc);
  ASSERT_TRUE(g) << g.status().to_string();
  EXPECT_EQ(g->config.governance->reward->minting_amount->to_string(), "123456789012345678901234567890");
  auto block = build_genesis_block(*g);
  ASSERT_TRUE(block) << block.status().to_string();
  const Header& h = block->header;
  ASSERT_TRUE(h.base_fee);
  EXPECT_EQ(*h.base_fee, uint256(7));
  ASSERT_TRUE(h.random_reveal && h.mix_hash);
  EXPECT_EQ(h.random_reveal->size(), 96u);
  EXPECT_EQ(h.mix_hash->size(), 32u);
  EXPECT_EQ(h.block_score, uint256(131072));
  EXPECT_EQ(h.tx_hash, empty_root());  // deriveShaImpl 0 over nothing
  // Defaults were applied (reward intervals) and Kore items included.
  const std::string gov = genesis_governance_json(g->config);
  EXPECT_NE(gov.find("\"reward.stakingupdateinterval\":86400"), std::string::npos);
  EXPECT_NE(gov.find("\"governance.deriveshaimpl\":0"), std::string::npos);
  EXPECT_NE(gov.find("\"reward.kip82ratio\":\"20/80\""), std::string::npos);
  EXPECT_NE(gov.find("\"kip71.lowerboundbasefee\":7"), std::string::npos);
  EXPECT_EQ(gov.find("istanbul.timeout"), std::string::npos);
  // Storage: a SCA whose storage root is the secure trie of slot 1 -> rlp(0x02).
  ASSERT_EQ(block->accounts.size(), 2u);
  const auto& sca = block->accounts[1];
  EXPECT_EQ(sca.account.type, AccountType::kSCA);
  EXPECT_NE(sca.account.storage_root.hash(), empty_root());
  EXPECT_EQ(sca.account.code_hash, empty_code_hash());
  EXPECT_EQ(block->accounts[0].account.nonce, 3u);
  // Round trip of the header with its optional tail.
  auto dec = decode_header(encode_header(h));
  ASSERT_TRUE(dec) << dec.status().to_string();
  EXPECT_EQ(*dec, h);
}

TEST(Genesis, Errors) {
  EXPECT_FALSE(parse_genesis("not json"));
  EXPECT_FALSE(parse_genesis(R"({"alloc": {}})"));                       // no config
  EXPECT_FALSE(parse_genesis(R"({"config": {"chainId": 1}})"));          // no alloc
  EXPECT_FALSE(parse_genesis(R"({"config": {}, "alloc": {}})"));         // no chainId
  EXPECT_FALSE(parse_genesis(R"({"config": {"chainId": 1}, "alloc": {"zz": {"balance": "1"}}})"));
  EXPECT_FALSE(parse_genesis(R"({"config": {"chainId": 1}, "alloc": {"00000000000000000000000000000000000000aa": {}}})"));
  EXPECT_FALSE(parse_genesis(R"({"config": {"chainId": 1}, "timestamp": "0xzz", "alloc": {}})"));
  // single governance mode requires the governing node among the validators
  EXPECT_FALSE(parse_genesis(R"({"config": {"chainId": 1, "istanbul": {},
      "governance": {"governanceMode": "single", "governingNode": "0x00000000000000000000000000000000000000aa"}},
      "extraData": "0x0000000000000000000000000000000000000000000000000000000000000000c3c08080", "alloc": {}})"));
  auto missing = load_genesis_file("/nonexistent/genesis.json");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.status().message().find("cannot open"), std::string::npos);
}

TEST(DeriveSha, Implementations) {
  std::vector<Bytes> items = {{0x01}, {0xc1, 0x02}, {0x83, 'a', 'b', 'c'}};
  // concat: keccak of the concatenation
  Bytes cat;
  for (auto& i : items) append(cat, i);
  EXPECT_EQ(derive_sha(DeriveShaImpl::kConcat, items), keccak256(cat));
  // simple: pairwise tree with the odd last node duplicated
  auto pair = [](const Hash& a, const Hash& b) {
    Bytes x(a.bytes.begin(), a.bytes.end());
    append(x, b.view());
    return keccak256(x);
  };
  const Hash h0 = keccak256(items[0]), h1 = keccak256(items[1]), h2 = keccak256(items[2]);
  EXPECT_EQ(derive_sha(DeriveShaImpl::kSimple, items), pair(pair(h0, h1), pair(h2, h2)));
  EXPECT_EQ(derive_sha(DeriveShaImpl::kSimple, {items[0]}), h0);
  EXPECT_EQ(empty_derive_sha(DeriveShaImpl::kSimple), keccak256(ByteView()));
  EXPECT_EQ(empty_derive_sha(DeriveShaImpl::kOriginal), empty_root());
  // original: the trie root, independent of insertion order; differs from others
  EXPECT_NE(derive_sha(DeriveShaImpl::kOriginal, items), derive_sha(DeriveShaImpl::kConcat, items));
  EXPECT_EQ(derive_sha_impl_from(7), DeriveShaImpl::kOriginal);
}

}  // namespace
}  // namespace klay
