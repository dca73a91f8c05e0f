// In-process tests of node/api: a dev chain in a scratch datadir, the
// methods registered on a MethodRegistry and called through the Dispatcher
// (no HTTP), blocks produced on demand.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "engine/chaindata/db_manager.h"
#include "engine/core/keccak.h"
#include "engine/rawdb/genesis_commit.h"
#include "engine/trie/proof.h"
#include "node/api/api.h"
#include "node/api/node_metrics.h"
#include "node/chain/producer.h"
#include "node/chain/txpool_source.h"
#include "node/dev_chain.h"
#include "node/rpc/dispatcher.h"
#include "node/rpc/hex_codec.h"
#include "tests/rawdb/rawdb_test_support.h"

namespace klay::api {
namespace {

using nlohmann::json;

PrivateKey key_from_seed(const std::string& seed) { return *PrivateKey::from_bytes(keccak256(as_view(seed)).view()); }

const Address kContract = [] {
  Address a;
  a.bytes[19] = 0x77;
  a.bytes[0] = 0x10;
  return a;
}();

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    json genesis = json::parse(node::dev_genesis_json(validator_.address(), dev_.address(), 0x60000000));
    genesis["alloc"][kContract.hex()] = {{"balance", "0x0"}, {"code", "0x6000"}, {"storage", {{"0x" + std::string(63, '0') + "1", "0x" + std::string(62, '0') + "2a"}}}};
    chaindata::Config config;
    config.backend = kv::Backend::kMemory;
    auto dbm = chaindata::DBManager::open(dir_.path() / "data", config);
    ASSERT_TRUE(dbm) << dbm.status().message();
    dbm_ = std::move(*dbm);
    auto setup = rawdb::setup_genesis(*dbm_, genesis.dump());
    ASSERT_TRUE(setup) << setup.status().message();
    auto opened = chain::BlockChain::open(*dbm_);
    ASSERT_TRUE(opened) << opened.status().message();
    chain_ = std::move(*opened);
    const chain::ChainHead head = chain_->head();
    auto reader = chain_->state_reader_at_root(head.header.root);
    ASSERT_TRUE(reader);
    pool_ = std::make_unique<txpool::TxPool>(chain_->config(), txpool::TxPoolConfig{},
                                             std::make_unique<txpool::StateReaderPoolState>(std::move(*reader)),
                                             txpool::PoolHead{head.number, head.header.base_fee});
    source_ = std::make_unique<chain::TxPoolSource>(*pool_, *chain_);
    uint64_t clock = 0x60000000ULL * 1000;
    chain::ProducerOptions popts;
    popts.now_ms = [clock]() mutable { return clock += 1000; };
    auto producer = chain::BlockProducer::create(*chain_, validator_, source_.get(), popts);
    ASSERT_TRUE(producer) << producer.status().message();
    producer_ = std::move(*producer);
    ASSERT_TRUE(register_all(methods_, ApiBackend{chain_.get(), pool_.get(), dbm_.get(), dir_.path(), true}));
    dispatcher_ = std::make_unique<rpc::Dispatcher>(methods_, rpc::DispatchPolicy{});
  }
  void TearDown() override {
    producer_.reset();
    source_.reset();
    pool_.reset();
    if (chain_) {
      ASSERT_TRUE(chain_->close());
    }
    chain_.reset();
    if (dbm_) {
      ASSERT_TRUE(dbm_->close());
    }
  }

  json call(const std::string& method, json params = json::array(), const char* remote = "127.0.0.1") {
    const json req = {{"jsonrpc", "2.0"}, {"id", 1}, {"method", method}, {"params", std::move(params)}};
    return *dispatcher_->handle_call(req, rpc::CallContext{remote});
  }
  json result(const std::string& method, json params = json::array()) {
    json r = call(method, std::move(params));
    EXPECT_FALSE(r.contains("error")) << method << ": " << r.dump();
    return r.value("result", json());
  }

  std::string signed_transfer(const PrivateKey& key, uint64_t nonce, const Address& to, uint64_t value,
                              TxType type = TxType::kEthereumDynamicFee) {
    Transaction t;
    t.type = type;
    t.nonce = nonce;
    t.gas = 21000;
    t.to = to;
    t.value = uint256(value);
    t.gas_price = uint256(25000000000ULL);
    t.gas_fee_cap = uint256(50000000000ULL);
    t.chain_id = uint256(node::kDevChainId);
    if (is_klaytn_type(type)) t.from = key.address();
    const Signature sig = key.sign(signing_hash(t, uint256(node::kDevChainId)));
    const uint256 v = type == TxType::kEthereumDynamicFee ? uint256(sig.recid) : eip155_v(sig.recid, uint256(node::kDevChainId));
    t.signatures = {TxSignature{v, sig.r, sig.s}};
    return "0x" + to_hex(type == TxType::kEthereumDynamicFee ? encode_ethereum_envelope(t) : encode_transaction(t));
  }

  rawdb::testing::ScratchDir dir_;
  PrivateKey validator_ = key_from_seed("validator");
  PrivateKey dev_ = key_from_seed("dev account");
  std::unique_ptr<chaindata::DBManager> dbm_;
  std::unique_ptr<chain::BlockChain> chain_;
  std::unique_ptr<txpool::TxPool> pool_;
  std::unique_ptr<chain::TxPoolSource> source_;
  std::unique_ptr<chain::BlockProducer> producer_;
  rpc::MethodRegistry methods_;
  std::unique_ptr<rpc::Dispatcher> dispatcher_;
};

TEST_F(ApiTest, ChainIdentityAndHead) {
  EXPECT_EQ(result("eth_chainId"), "0x7e3");
  EXPECT_EQ(result("klay_chainID"), "0x7e3");
  EXPECT_EQ(result("net_version"), "2019");
  EXPECT_EQ(result("eth_blockNumber"), "0x0");
  ASSERT_TRUE(producer_->produce_now());
  EXPECT_EQ(result("klay_blockNumber"), "0x1");
  EXPECT_EQ(call("eth_chainId", json::array({1}))["error"]["code"], -32602);
}

TEST_F(ApiTest, TransferPendingThenMinedWithReceipt) {
  const Address to = key_from_seed("to").address();
  const std::string raw = signed_transfer(dev_, 0, to, 12345);
  const json hash = result("eth_sendRawTransaction", {raw});
  ASSERT_TRUE(hash.is_string());
  json pending = result("eth_getTransactionByHash", {hash});
  EXPECT_TRUE(pending["blockHash"].is_null());
  EXPECT_EQ(pending["type"], "0x2");
  EXPECT_EQ(pending["from"], dev_.address().hex());
  EXPECT_EQ(result("eth_getTransactionCount", {dev_.address().hex(), "pending"}), "0x1");
  EXPECT_EQ(result("eth_getTransactionCount", {dev_.address().hex(), "latest"}), "0x0");
  EXPECT_TRUE(result("eth_getTransactionReceipt", {hash}).is_null());
  // The same transaction again: the pool's message as a JSON-RPC error.
  json dup = call("eth_sendRawTransaction", {raw});
  EXPECT_EQ(dup["error"]["code"], -32000);
  EXPECT_NE(dup["error"]["message"].get<std::string>().find("known transaction"), std::string::npos) << dup;

  auto produced = producer_->produce_now();
  ASSERT_TRUE(produced) << produced.status().message();
  ASSERT_EQ(produced->block.transactions.size(), 1u);
  json r = result("eth_getTransactionReceipt", {hash});
  EXPECT_EQ(r["status"], "0x1");
  EXPECT_EQ(r["gasUsed"], "0x5208");
  EXPECT_EQ(r["cumulativeGasUsed"], "0x5208");
  EXPECT_EQ(r["effectiveGasPrice"], "0x5d21dba00");  // the 25 gkei base fee, not the 50 gkei cap
  EXPECT_EQ(r["blockHash"], produced->hash.hex());
  EXPECT_EQ(r["transactionIndex"], "0x0");
  EXPECT_EQ(r["to"], to.hex());
  EXPECT_TRUE(r["contractAddress"].is_null());
  EXPECT_EQ(r["type"], "0x2");
  json kr = result("klay_getTransactionReceipt", {hash});
  EXPECT_EQ(kr["type"], "TxTypeEthereumDynamicFee");
  EXPECT_EQ(kr["typeInt"], 0x7802);
  EXPECT_EQ(result("eth_getBalance", {to.hex(), "latest"}), "0x3039");
  EXPECT_EQ(result("eth_getBalance", {to.hex(), "0x0"}), "0x0");

  json block = result("eth_getBlockByNumber", {"0x1", true});
  EXPECT_EQ(block["hash"], produced->hash.hex());
  EXPECT_EQ(block["transactions"][0]["hash"], hash);
  EXPECT_EQ(block["miner"], validator_.address().hex());
  EXPECT_EQ(block["gasLimit"], "0xe8d4a50fff");
  EXPECT_EQ(block["baseFeePerGas"], "0x5d21dba00");
  EXPECT_EQ(result("eth_getBlockByHash", {produced->hash.hex(), false})["transactions"][0], hash);
  EXPECT_EQ(result("eth_getBlockTransactionCountByHash", {produced->hash.hex()}), "0x1");
  EXPECT_EQ(result("eth_getTransactionByBlockNumberAndIndex", {"0x1", "0x0"})["hash"], hash);
  EXPECT_TRUE(result("eth_getBlockByNumber", {"0x2", false}).is_null());
  EXPECT_TRUE(result("eth_getBlockByHash", {Hash().hex(), false}).is_null());
}

TEST_F(ApiTest, KlaytnTypedTransferInKlayFormat) {
  const Address to = key_from_seed("k-to").address();
  const json hash = result("klay_sendRawTransaction", {signed_transfer(dev_, 0, to, 7, TxType::kValueTransfer)});
  ASSERT_TRUE(producer_->produce_now());
  json t = result("klay_getTransactionByHash", {hash});
  EXPECT_EQ(t["type"], "TxTypeValueTransfer");
  EXPECT_EQ(t["typeInt"], 8);
  EXPECT_EQ(t["signatures"].size(), 1u);
  EXPECT_EQ(t["senderTxHash"], hash);
  json e = result("eth_getTransactionByHash", {hash});
  EXPECT_EQ(e["type"], "0x8");
  EXPECT_TRUE(e.contains("v") && e.contains("r") && e.contains("s"));
  EXPECT_EQ(e["chainId"], "0x7e3");
}

TEST_F(ApiTest, ProofVerifiesAgainstTheStateRoot) {
  ASSERT_TRUE(producer_->produce_now());
  const json block = result("eth_getBlockByNumber", {"latest", false});
  const Hash root = Hash::from(rpc::parse_data(block["stateRoot"]).value());
  for (const Address& who : {dev_.address(), kContract, key_from_seed("absent").address()}) {
    json p = result("eth_getProof", {who.hex(), json::array({"0x1"}), "latest"});
    std::vector<Bytes> nodes;
    for (const json& n : p["accountProof"]) nodes.push_back(rpc::parse_data(n).value());
    auto value = trie::verify_proof(root, keccak256(who.view()).view(), nodes);
    ASSERT_TRUE(value) << value.status().message();
    if (who == key_from_seed("absent").address()) {
      EXPECT_FALSE(value->has_value());
      EXPECT_EQ(p["balance"], "0x0");
      continue;
    }
    ASSERT_TRUE(value->has_value());
    auto account = decode_account(**value);
    ASSERT_TRUE(account);
    EXPECT_EQ(rpc::encode_quantity(account->balance), p["balance"]);
    EXPECT_EQ(rpc::encode_quantity(account->nonce), p["nonce"]);
    if (who == kContract) {
      EXPECT_EQ(p["storageProof"][0]["value"], "0x2a");
      EXPECT_EQ(p["storageHash"], account->storage_root.hash().hex());
      std::vector<Bytes> snodes;
      for (const json& n : p["storageProof"][0]["proof"]) snodes.push_back(rpc::parse_data(n).value());
      Hash slot;
      slot.bytes[31] = 1;
      auto sv = trie::verify_proof(account->storage_root.hash(), keccak256(slot.view()).view(), snodes);
      ASSERT_TRUE(sv && sv->has_value());
    } else {
      EXPECT_EQ(p["codeHash"], empty_code_hash().hex());
    }
  }
}

TEST_F(ApiTest, CallsAndEstimatesWithoutAnEvm) {
  const std::string dev = dev_.address().hex();
  EXPECT_EQ(result("eth_call", {{{"from", dev}, {"to", key_from_seed("x").address().hex()}, {"value", "0x1"}}, "latest"}), "0x");
  json code = call("eth_call", {{{"from", dev}, {"to", kContract.hex()}, {"data", "0x12345678"}}, "latest"});
  EXPECT_EQ(code["error"]["code"], -32000);
  EXPECT_NE(code["error"]["message"].get<std::string>().find("EVM not supported yet"), std::string::npos);
  json vt = call("eth_estimateGas", {{{"from", dev}, {"to", kContract.hex()}, {"type", "0x8"}}});
  EXPECT_NE(vt["error"]["message"].get<std::string>().find("program account"), std::string::npos) << vt;
  EXPECT_EQ(result("eth_estimateGas", {{{"from", dev}, {"to", dev}, {"type", "0x10"}, {"data", "0x0102"}}}), "0x52d0");
  EXPECT_EQ(result("eth_estimateGas", {{{"from", dev}, {"to", dev}, {"type", "0x9"}}}), "0x7918");
  json low = call("eth_estimateGas", {{{"from", dev}, {"to", dev}, {"gas", "0x5000"}}});
  EXPECT_NE(low["error"]["message"].get<std::string>().find("gas required exceeds allowance"), std::string::npos);
  json bad = call("eth_estimateGas", {{{"to", "0x12"}}});
  EXPECT_EQ(bad["error"]["code"], -32602);
  json poor = call("eth_call", {{{"from", key_from_seed("poor").address().hex()}, {"to", dev}, {"value", "0x1"}}});
  EXPECT_NE(poor["error"]["message"].get<std::string>().find("insufficient funds"), std::string::npos);
  EXPECT_EQ(result("eth_getCode", {kContract.hex(), "latest"}), "0x6000");
  EXPECT_EQ(result("eth_getStorageAt", {kContract.hex(), "0x1", "latest"}),
            "0x000000000000000000000000000000000000000000000000000000000000002a");
  EXPECT_EQ(call("eth_getBalance", {dev, "0x99"})["error"]["message"], "header not found");
}

TEST_F(ApiTest, FeesAndAccounts) {
  EXPECT_EQ(result("eth_gasPrice"), "0x5d21dba00");
  EXPECT_EQ(result("eth_maxPriorityFeePerGas"), "0x0");
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(producer_->produce_now());
  json fh = result("eth_feeHistory", {"0x2", "latest", {10, 90}});
  EXPECT_EQ(fh["oldestBlock"], "0x2");
  EXPECT_EQ(fh["baseFeePerGas"].size(), 3u);
  EXPECT_EQ(fh["reward"].size(), 2u);
  EXPECT_EQ(fh["reward"][0].size(), 2u);
  json acc = result("klay_getAccount", {dev_.address().hex(), "latest"});
  EXPECT_EQ(acc["accType"], 1);
  EXPECT_EQ(acc["account"]["key"]["keyType"], 1);
  json sca = result("klay_getAccount", {kContract.hex(), "latest"});
  EXPECT_EQ(sca["accType"], 2);
  EXPECT_EQ(result("klay_getAccountKey", {kContract.hex()})["keyType"], 3);
}

TEST_F(ApiTest, AdminAndDebugOnlyOnLoopback) {
  EXPECT_TRUE(result("admin_nodeInfo").contains("protocols"));
  EXPECT_EQ(call("admin_nodeInfo", json::array(), "10.1.2.3")["error"]["code"], -32601);
  EXPECT_EQ(call("debug_chaindbCompact", json::array(), "10.1.2.3")["error"]["code"], -32601);
  EXPECT_TRUE(result("debug_chaindbCompact").is_null());
  EXPECT_TRUE(result("debug_chaindbProperty", {"header"}).contains("backend"));
  EXPECT_EQ(call("debug_chaindbProperty", {"nonsense"})["error"]["code"], -32000);
}

TEST_F(ApiTest, MetricsFollowTheChain) {
  rpc::MetricsRegistry reg;
  NodeMetrics m(reg);
  m.start(*chain_, *pool_, *dbm_, std::chrono::hours(1));
  ASSERT_TRUE(pool_->add(rpc::parse_data(json(signed_transfer(dev_, 0, dev_.address(), 1))).value()));
  m.refresh();
  EXPECT_NE(reg.render().find("klay_txpool_pending 1"), std::string::npos) << reg.render();
  m.stop();
}

}  // namespace
}  // namespace klay::api
