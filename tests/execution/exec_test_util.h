// Helpers shared by the execution tests: deterministic keys, a chain config,
// signed transactions of every type and a fresh in-memory state.
#pragma once

#include <memory>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

#include "engine/core/secp256k1.h"
#include "engine/klaytn/chain_config.h"
#include "engine/klaytn/tx.h"
#include "engine/state/code_store.h"
#include "engine/state/state_db.h"
#include "engine/trie/node_store.h"
#include "node/execution/block_env.h"
#include "node/execution/sender_validation.h"
#include "node/execution/state_transition.h"
#include "tests/support/status_assertions.h"

namespace klay::execution::test {

using test_support::must;

inline constexpr uint64_t kChainId = 2019;

// A deterministic private key (seed >= 1).
inline PrivateKey key(uint64_t seed) {
  uint8_t b[32] = {};
  b[0] = 0x11;
  put_be64(b + 24, seed);
  return must(PrivateKey::from_bytes(ByteView(b, 32)));
}

inline Address addr(uint64_t n) {
  Address a;
  a.bytes[0] = 0xbb;
  put_be64(a.data() + 12, n);
  return a;
}

// Every fork at block 0 except Magma/Kore (no base fee) unless asked.
inline ChainConfig config(bool magma = false, bool kore = false) {
  ChainConfig c;
  c.chain_id = uint256(kChainId);
  c.istanbul_compatible_block = uint256(0);
  c.london_compatible_block = uint256(0);
  c.eth_tx_type_compatible_block = uint256(0);
  if (magma) c.magma_compatible_block = uint256(0);
  if (kore) c.kore_compatible_block = uint256(0);
  c.unit_price = 25;
  c.istanbul = IstanbulConfig{30000, 0, 21};
  return c;
}

inline BlockEnv env_for(const ChainConfig& c, uint64_t block_num = 1) {
  BlockEnv e;
  e.block_num = block_num;
  e.time = 1000 + block_num;
  e.rewardbase = addr(0xeeee);
  e.config = &c;
  return e;
}

inline TxSignature klaytn_sig(const PrivateKey& k, const Hash& h) {
  const Signature s = k.sign(h);
  return TxSignature{eip155_v(s.recid, uint256(kChainId)), s.r, s.s};
}

// Signs as the sender with every key given (Klaytn types, legacy EIP-155,
// Ethereum typed) and, for FD types, as the fee payer with `payer_keys`.
inline void sign(Transaction& t, const std::vector<PrivateKey>& sender_keys,
                 const std::vector<PrivateKey>& payer_keys = {}) {
  t.signatures.clear();
  if (is_ethereum_typed(t.type)) {
    t.chain_id = uint256(kChainId);
    const Signature s = sender_keys.front().sign(signing_hash(t, uint256(kChainId)));
    t.signatures.push_back(TxSignature{uint256(s.recid), s.r, s.s});
    return;
  }
  const Hash h = signing_hash(t, uint256(kChainId));
  for (const auto& k : sender_keys) t.signatures.push_back(klaytn_sig(k, h));
  if (is_fee_delegated(t.type)) {
    t.fee_payer_signatures.clear();
    const Hash fh = must(fee_payer_signing_hash(t, uint256(kChainId)));
    for (const auto& k : payer_keys) t.fee_payer_signatures.push_back(klaytn_sig(k, fh));
  }
}

// An unsigned Klaytn transaction of `type` from `from`.
inline Transaction klaytn_tx(TxType type, const Address& from, uint64_t nonce, uint64_t gas = 100000,
                             uint64_t gas_price = 25) {
  Transaction t;
  t.type = type;
  t.from = from;
  t.nonce = nonce;
  t.gas = gas;
  t.gas_price = uint256(gas_price);
  return t;
}

inline Transaction value_transfer(const PrivateKey& k, const Address& to, uint64_t value, uint64_t nonce,
                                  uint64_t gas = 21000, uint64_t gas_price = 25) {
  Transaction t = klaytn_tx(TxType::kValueTransfer, k.address(), nonce, gas, gas_price);
  t.to = to;
  t.value = uint256(value);
  sign(t, {k});
  return t;
}

// A fresh empty state over in-memory stores.
struct StateFixture : ::testing::Test {
  trie::MemoryNodeStore nodes;
  state::MemoryCodeStore codes;
  std::unique_ptr<state::StateDB> st;
  ChainConfig cfg = config();
  BlockEnv env = env_for(cfg);

  void SetUp() override {
    st = std::make_unique<state::StateDB>(must(state::StateDB::open(&nodes, &codes, empty_root().view())));
  }
  void fund(const Address& a, uint64_t amount) { ASSERT_OK(st->add_balance(a, uint256(amount))); ASSERT_OK(st->finalise()); }
  uint256 balance(const Address& a) { return must(st->balance(a)); }
  uint64_t nonce(const Address& a) { return must(st->nonce(a)); }
  Result<Receipt> apply(const Transaction& t, uint64_t cumulative = 0) {
    auto rec = recover_tx(t, uint256(kChainId));
    if (!rec) return rec.status();
    return apply_transaction(*st, env, t, *rec, cumulative);
  }
};

}  // namespace klay::execution::test
