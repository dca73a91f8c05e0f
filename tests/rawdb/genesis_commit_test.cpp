// Genesis commit: what init writes, re-running it, and refusing another genesis.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "engine/rawdb/accessors_chain.h"
#include "engine/rawdb/accessors_meta.h"
#include "engine/rawdb/accessors_state.h"
#include "engine/rawdb/genesis_commit.h"
#include "engine/rawdb/schema.h"
#include "engine/rawdb/trie_store.h"
#include "engine/trie/secure_trie.h"
#include "tests/rawdb/rawdb_test_support.h"

namespace klay::rawdb {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const char* kCypressHash = "0xc72e5293c3c3ba38ed8ae910f780e4caaa9fb95e79784f7ab74c3c262ea7137e";

// A contract with code and storage, and an EOA.
const char* kSmallGenesis = R"({
  "config": {"chainId": 31337, "deriveShaImpl": 2},
  "timestamp": "0x5f000000",
  "blockScore": "0x1",
  "alloc": {
    "0x1000000000000000000000000000000000000001": {"balance": "0x1000"},
    "0x2000000000000000000000000000000000000002": {
      "balance": "0x0",
      "code": "0x6080604052600080fd",
      "storage": {
        "0x0000000000000000000000000000000000000000000000000000000000000000": "0x000000000000000000000000000000000000000000000000000000000000002a",
        "0x0000000000000000000000000000000000000000000000000000000000000001": "0x0000000000000000000000001000000000000000000000000000000000000001"
      }
    }
  }
})";

class GenesisCommitTest : public ::testing::TestWithParam<kv::Backend> {
 protected:
  std::unique_ptr<chaindata::DBManager> open() {
    return testing::open_manager(dir_.path(), testing::small_config(GetParam()));
  }
  testing::ScratchDir dir_;
};

TEST_P(GenesisCommitTest, WritesEverythingInitWrites) {
  const std::string text = read_file(std::string(KLAY_SHARED_FIXTURES_DIR) + "/cypress-genesis.json");
  Hash hash;
  {
    auto dbm = open();
    auto setup = setup_genesis(*dbm, text);
    ASSERT_TRUE(setup) << setup.status().message();
    EXPECT_TRUE(setup->written);
    EXPECT_GT(setup->trie_nodes, 0u);
    hash = setup->hash;
    ASSERT_TRUE(dbm->close());
  }
  EXPECT_EQ(hash.hex(), kCypressHash);
  auto dbm = open();
  EXPECT_EQ(*read_canonical_hash(*dbm, 0), hash);
  EXPECT_EQ(*read_header_number(*dbm, hash), 0u);
  auto header = read_header(*dbm, 0, hash);
  ASSERT_TRUE(header) << header.status().message();
  EXPECT_EQ(header_hash(*header), hash);
  EXPECT_EQ(*read_body_rlp(*dbm, 0, hash), (Bytes{0xc1, 0xc0}));
  EXPECT_TRUE(read_receipts(*dbm, 0, hash)->empty());
  EXPECT_EQ(*read_total_score(*dbm, 0, hash), uint256(1));  // Cypress's blockScore
  EXPECT_EQ(*read_head(*dbm, Head::kBlock), hash);
  EXPECT_EQ(*read_head(*dbm, Head::kHeader), hash);
  EXPECT_EQ(*read_head(*dbm, Head::kFastBlock), hash);
  EXPECT_EQ(*read_database_version(*dbm), kDatabaseVersion);
  auto cfg = read_chain_config(*dbm, hash);
  ASSERT_TRUE(cfg) << cfg.status().message();
  EXPECT_EQ(*cfg->chain_id, uint256(8217));

  // The whole state trie is on disk: walk every account from the root.
  StateStoreReader reader(dbm->state_trie());
  auto state = trie::SecureTrie::open(&reader, header->root.view());
  ASSERT_TRUE(state);
  auto genesis = parse_genesis(text);
  ASSERT_TRUE(genesis);
  ASSERT_FALSE(genesis->alloc.empty());
  for (const auto& [addr, entry] : genesis->alloc) {
    auto v = state->get(addr.view());
    ASSERT_TRUE(v) << v.status().message();
    ASSERT_TRUE(v->has_value()) << addr.hex();
    auto acc = decode_account(**v);
    ASSERT_TRUE(acc);
    if (!entry.code.empty()) {
      EXPECT_EQ(*read_code(*dbm, acc->code_hash), entry.code);
    }
  }
}

TEST_P(GenesisCommitTest, ContractStorageAndCodeAreWritten) {
  auto dbm = open();
  auto setup = setup_genesis(*dbm, kSmallGenesis);
  ASSERT_TRUE(setup) << setup.status().message();
  StateStoreReader reader(dbm->state_trie());
  auto state = trie::SecureTrie::open(&reader, setup->header.root.view());
  ASSERT_TRUE(state);
  Address contract;
  contract.bytes.fill(0);
  contract.bytes[0] = 0x20;
  contract.bytes[19] = 0x02;
  auto v = state->get(contract.view());
  ASSERT_TRUE(v && v->has_value());
  auto acc = decode_account(**v);
  ASSERT_TRUE(acc);
  EXPECT_EQ(acc->type, AccountType::kSCA);
  EXPECT_EQ(*read_code(*dbm, acc->code_hash), (Bytes{0x60, 0x80, 0x60, 0x40, 0x52, 0x60, 0x00, 0x80, 0xfd}));
  auto storage = trie::SecureTrie::open(&reader, acc->storage_root.hash().view());
  ASSERT_TRUE(storage);
  auto slot0 = storage->get(Hash().view());
  ASSERT_TRUE(slot0 && slot0->has_value()) << "storage trie nodes must be on disk";
  EXPECT_EQ(**slot0, (Bytes{0x2a}));
  // Total score is the file's blockScore.
  EXPECT_EQ(*read_total_score(*dbm, 0, setup->hash), uint256(1));
}

TEST_P(GenesisCommitTest, SameGenesisAgainIsANoOp) {
  auto dbm = open();
  auto first = setup_genesis(*dbm, kSmallGenesis);
  ASSERT_TRUE(first) << first.status().message();
  auto second = setup_genesis(*dbm, kSmallGenesis);
  ASSERT_TRUE(second) << second.status().message();
  EXPECT_FALSE(second->written);
  EXPECT_EQ(second->hash, first->hash);
}

TEST_P(GenesisCommitTest, AnotherGenesisIsRefusedNamingBothHashes) {
  auto dbm = open();
  auto first = setup_genesis(*dbm, kSmallGenesis);
  ASSERT_TRUE(first) << first.status().message();
  std::string other = kSmallGenesis;
  other.replace(other.find("0x5f000000"), 10, "0x5f000001");  // the chain id is not in the header
  auto prepared = prepare_genesis(other);
  ASSERT_TRUE(prepared);
  auto second = setup_genesis(*dbm, *prepared);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.status().code(), Status::Code::kInvalidArgument);
  const std::string msg = second.status().message();
  EXPECT_NE(msg.find("incompatible genesis"), std::string::npos) << msg;
  EXPECT_NE(msg.find(first->hash.hex()), std::string::npos) << msg;
  EXPECT_NE(msg.find(prepared->block.hash.hex()), std::string::npos) << msg;
  EXPECT_EQ(*read_canonical_hash(*dbm, 0), first->hash);
}

TEST_P(GenesisCommitTest, MissingChainConfigIsRestored) {
  auto dbm = open();
  auto first = setup_genesis(*dbm, kSmallGenesis);
  ASSERT_TRUE(first) << first.status().message();
  ASSERT_TRUE(dbm->misc().del(config_key(first->hash)));
  auto again = setup_genesis(*dbm, kSmallGenesis);
  ASSERT_TRUE(again);
  auto cfg = read_chain_config(*dbm, first->hash);
  ASSERT_TRUE(cfg);
  EXPECT_EQ(*cfg->chain_id, uint256(31337));
}

TEST(GenesisCommitErrors, BadInputIsInvalidArgument) {
  EXPECT_EQ(prepare_genesis("{").status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(prepare_genesis(R"({"alloc":{}})").status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(genesis_config_json("[]").status().code(), Status::Code::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Backends, GenesisCommitTest,
                         ::testing::Values(kv::Backend::kMemory, kv::Backend::kLevelDB),
                         testing::backend_param_name);

}  // namespace
}  // namespace klay::rawdb
