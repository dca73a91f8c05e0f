// Cross-checks against Kaia's official JavaScript SDK: tests/klaytn/js
// signs one transaction of every type it supports; we decode each and compare
// sender, fee payer, hashes and the re-encoding. Fails (does not skip) when
// npm install or the generator fails.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "engine/klaytn/tx.h"

namespace klay {
namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

const nlohmann::json& sdk_vectors() {
  static nlohmann::json vectors;
  static std::string error;
  static bool loaded = false;
  if (!loaded) {
    loaded = true;
    const std::string out = std::string(KLAY_BIN_DIR) + "/klaytn_sdk_vectors.json";
    const std::string cmd = std::string("sh '") + KLAYTN_JS_DIR + "/run_vectors.sh' '" + out + "'";
    const int rc = std::system(cmd.c_str());
    if (rc != 0) {
      error = "generating SDK vectors failed (" + cmd + ", status " + std::to_string(rc) +
              "): exit 2 means npm install failed, 3 the Node generator failed";
    } else {
      std::ifstream in(out);
      std::stringstream ss;
      ss << in.rdbuf();
      vectors = nlohmann::json::parse(ss.str(), nullptr, false);
      if (vectors.is_discarded() || !vectors.is_array()) error = "SDK vectors are not a JSON array: " + out;
    }
  }
  if (!error.empty()) ADD_FAILURE() << error;
  return vectors;
}

Bytes hex(const std::string& h) {
  Bytes b;
  EXPECT_TRUE(from_hex(h, b)) << h;
  return b;
}

TEST(TxSdk, EveryTypeMatchesTheSdk) {
  const auto& vectors = sdk_vectors();
  ASSERT_GE(vectors.size(), 21u) << "expected 18 Klaytn + 3 Ethereum vectors";
  for (const auto& v : vectors) {
    const std::string name = v.at("name");
    SCOPED_TRACE(name);
    const Bytes raw = hex(v.at("raw"));
    const uint256 chain_id(v.at("chainId").get<uint64_t>());
    auto tx = decode_transaction(raw);
    ASSERT_TRUE(tx) << tx.status().to_string();
    EXPECT_EQ(to_string(tx->type), name);
    // Encoding back gives the same bytes (Ethereum typed in their envelope).
    EXPECT_EQ(to_hex(encode_ethereum_envelope(*tx)), to_hex(raw));
    EXPECT_EQ(tx_hash(*tx).hex(), lower(v.at("hash")));
    EXPECT_EQ(sender_tx_hash(*tx).hex(), lower(v.at("senderTxHash")));
    auto sender = tx_sender(*tx, chain_id);
    ASSERT_TRUE(sender) << sender.status().to_string();
    EXPECT_EQ(sender->hex(), lower(v.at("from")));
    auto keys = recover_sender_keys(*tx, chain_id);
    ASSERT_TRUE(keys) << keys.status().to_string();
    ASSERT_EQ(keys->size(), 1u);
    EXPECT_EQ(address_of(keys->front()).hex(), lower(v.at("from")));  // legacy key: key address == from
    if (v.at("feePayer").is_null()) {
      EXPECT_FALSE(is_fee_delegated(tx->type));
      EXPECT_FALSE(recover_fee_payer_keys(*tx, chain_id));
    } else {
      ASSERT_TRUE(is_fee_delegated(tx->type));
      EXPECT_EQ(tx->fee_payer.hex(), lower(v.at("feePayer")));
      auto fp = recover_fee_payer_keys(*tx, chain_id);
      ASSERT_TRUE(fp) << fp.status().to_string();
      ASSERT_EQ(fp->size(), 1u);
      EXPECT_EQ(address_of(fp->front()).hex(), lower(v.at("feePayer")));
      EXPECT_NE(tx_hash(*tx), sender_tx_hash(*tx));
    }
    // A different chain id is refused with a clear error.
    auto wrong = tx_sender(*tx, uint256(8217));
    ASSERT_FALSE(wrong);
    EXPECT_NE(wrong.status().message().find("chain"), std::string::npos) << wrong.status().message();
    // Changed fields: the signature no longer recovers the sender.
    Transaction bad = *tx;
    bad.nonce += 1;
    auto bad_keys = recover_sender_keys(bad, chain_id);
    if (bad_keys) {
      EXPECT_NE(address_of(bad_keys->front()).hex(), lower(v.at("from")));
    }
  }
}
// (One TEST only: the generator runs once per process, and CTest runs each
// discovered test in its own process, possibly in parallel.)


}  // namespace
}  // namespace klay
