// Helpers for the pool tests: keys, signed transactions of each type, a map
// PoolState, a settable clock and a chain config.
#pragma once

#include <atomic>
#include <map>
#include <memory>

#include <gtest/gtest.h>

#include "engine/core/secp256k1.h"
#include "engine/klaytn/chain_config.h"
#include "engine/klaytn/tx.h"
#include "node/txpool/pool_state.h"
#include "node/txpool/tx_pool.h"

namespace klay::txpool::test {

inline const uint256 kChain(1001);
inline const uint256 kUnitPrice(25'000'000'000ULL);
inline const uint256 kRich = uint256(1'000'000'000'000'000'000ULL) * uint256(1000);  // 1000 KLAY

inline PrivateKey key(uint32_t seed) {
  Bytes secret(32, 0);
  secret[0] = 0x22;
  secret[28] = static_cast<uint8_t>(seed >> 24);
  secret[29] = static_cast<uint8_t>(seed >> 16);
  secret[30] = static_cast<uint8_t>(seed >> 8);
  secret[31] = static_cast<uint8_t>(seed);
  return *PrivateKey::from_bytes(secret);
}

inline Address addr(uint8_t n) {
  Address a;
  a.bytes[0] = 0xbb;
  a.bytes[19] = n;
  return a;
}

// Chain config: istanbul and EthTxType from genesis; Magma at `magma_block` if given.
inline ChainConfig chain_config(std::optional<uint64_t> magma_block = std::nullopt) {
  ChainConfig c;
  c.chain_id = kChain;
  c.unit_price = kUnitPrice.low64();
  c.istanbul_compatible_block = uint256(0);
  c.london_compatible_block = uint256(0);
  c.eth_tx_type_compatible_block = uint256(0);
  if (magma_block) {
    c.magma_compatible_block = uint256(*magma_block);
    GovernanceConfig g;
    g.kip71 = Kip71Config{25'000'000'000ULL, 750'000'000'000ULL, 30'000'000, 60'000'000, 20};
    c.governance = g;
  }
  return c;
}

// A PoolState over a map; not thread-safe (the pool serialises calls).
class FakeState final : public PoolState {
 public:
  std::map<Address, PoolAccount> accounts;
  bool unreadable = false;  // every read fails as a pruned state would

  Result<PoolAccount> account(const Address& a) override {
    if (unreadable) return Status::not_found("state not available at root 0x00: missing trie node 0x00 (pruned or missing)");
    auto it = accounts.find(a);
    return it == accounts.end() ? PoolAccount{} : it->second;
  }
  FakeState& fund(const Address& a, const uint256& balance, uint64_t nonce = 0) {
    accounts[a].balance = balance;
    accounts[a].nonce = nonce;
    return *this;
  }
};

// A clock tests move by hand.
struct FakeClock {
  std::shared_ptr<std::atomic<int64_t>> ns = std::make_shared<std::atomic<int64_t>>(1'000'000'000);
  std::function<Clock::time_point()> fn() const {
    auto p = ns;
    return [p] { return Clock::time_point(std::chrono::nanoseconds(p->load())); };
  }
  void advance(std::chrono::nanoseconds d) { *ns += d.count(); }
};

inline void sign_sender(Transaction& tx, const PrivateKey& k, const uint256& chain = kChain) {
  tx.signatures.clear();
  const Signature s = k.sign(signing_hash(tx, chain));
  if (is_ethereum_typed(tx.type))
    tx.signatures.push_back({uint256(s.recid), s.r, s.s});
  else
    tx.signatures.push_back({eip155_v(s.recid, chain), s.r, s.s});
}

inline void sign_fee_payer(Transaction& tx, const PrivateKey& k, const uint256& chain = kChain) {
  tx.fee_payer_signatures.clear();
  const Signature s = k.sign(*fee_payer_signing_hash(tx, chain));
  tx.fee_payer_signatures.push_back({eip155_v(s.recid, chain), s.r, s.s});
}

// Legacy EIP-155 value transfer.
inline Transaction legacy(const PrivateKey& k, uint64_t nonce, const uint256& price = kUnitPrice,
                          uint64_t gas = 21000, const uint256& value = uint256(1), Address to = addr(1)) {
  Transaction tx;
  tx.type = TxType::kLegacy;
  tx.nonce = nonce;
  tx.gas_price = price;
  tx.gas = gas;
  tx.to = to;
  tx.value = value;
  sign_sender(tx, k);
  return tx;
}

// 0x7802 dynamic fee transfer.
inline Transaction dynamic_fee(const PrivateKey& k, uint64_t nonce, const uint256& fee_cap = kUnitPrice,
                               const uint256& tip = kUnitPrice, uint64_t gas = 21000) {
  Transaction tx;
  tx.type = TxType::kEthereumDynamicFee;
  tx.chain_id = kChain;
  tx.nonce = nonce;
  tx.gas_tip_cap = tip;
  tx.gas_fee_cap = fee_cap;
  tx.gas = gas;
  tx.to = addr(1);
  tx.value = uint256(1);
  sign_sender(tx, k);
  return tx;
}

// Klaytn value transfer (0x08), or its FD (0x09) / FD-ratio (0x0a) variants
// when `fee_payer` is given.
inline Transaction value_transfer(const PrivateKey& k, uint64_t nonce, const uint256& value = uint256(1),
                                  const PrivateKey* fee_payer = nullptr, uint8_t ratio = 0,
                                  const uint256& price = kUnitPrice, uint64_t gas = 100000, Address to = addr(1)) {
  Transaction tx;
  tx.type = !fee_payer ? TxType::kValueTransfer
            : ratio    ? TxType::kFeeDelegatedValueTransferWithRatio
                       : TxType::kFeeDelegatedValueTransfer;
  tx.nonce = nonce;
  tx.gas_price = price;
  tx.gas = gas;
  tx.to = to;
  tx.value = value;
  tx.from = k.address();
  tx.fee_ratio = ratio;
  sign_sender(tx, k);
  if (fee_payer) {
    tx.fee_payer = fee_payer->address();
    sign_fee_payer(tx, *fee_payer);
  }
  return tx;
}

inline Transaction cancel(const PrivateKey& k, uint64_t nonce, const uint256& price = kUnitPrice) {
  Transaction tx;
  tx.type = TxType::kCancel;
  tx.nonce = nonce;
  tx.gas_price = price;
  tx.gas = 100000;
  tx.from = k.address();
  sign_sender(tx, k);
  return tx;
}

inline TxPoolConfig small_config(const FakeClock& clock) {
  TxPoolConfig c;
  c.now = clock.fn();
  return c;
}

#define ASSERT_ADDED(pool, tx)                                             \
  do {                                                                     \
    auto _r = (pool).add(tx);                                              \
    ASSERT_TRUE(_r.has_value()) << _r.status().to_string();                \
  } while (0)

// The message of a rejected add, or "accepted".
inline std::string reject_reason(Result<Hash> r) { return r ? "accepted" : r.status().message(); }

// A pool over a FakeState in which alice, bob and carol are rich, with the
// chain config and head `make_pool` is given (SetUp: the defaults).
struct PoolTest : ::testing::Test {
  FakeClock clock;
  FakeState* state = nullptr;  // owned by the pool
  std::unique_ptr<TxPool> pool;
  PrivateKey alice = key(1), bob = key(2), carol = key(3);

  void make_pool(ChainConfig config = chain_config(), PoolHead head = {}) {
    auto st = std::make_unique<FakeState>();
    state = st.get();
    state->fund(alice.address(), kRich).fund(bob.address(), kRich).fund(carol.address(), kRich);
    pool = std::make_unique<TxPool>(std::move(config), small_config(clock), std::move(st), head);
  }
  void SetUp() override { make_pool(); }
  // "accepted", or the rejection message.
  std::string add(const Transaction& tx) { return reject_reason(pool->add(tx)); }
};

// Checks the pool's counters against its content.
inline void expect_consistent(const TxPool& pool) {
  const auto c = pool.content();
  size_t p = 0, q = 0;
  for (const auto& [a, txs] : c.pending) {
    p += txs.size();
    for (size_t i = 1; i < txs.size(); ++i) EXPECT_EQ(txs[i]->nonce(), txs[i - 1]->nonce() + 1) << "pending gap";
  }
  for (const auto& [a, txs] : c.queued) q += txs.size();
  const PoolStats s = pool.stats();
  EXPECT_EQ(s.pending, p);
  EXPECT_EQ(s.queued, q);
}

}  // namespace klay::txpool::test
