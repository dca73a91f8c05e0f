// StateReaderPoolState: the adapter over a real state, and a pool running on it.
#include "engine/state/code_store.h"
#include "engine/state/state_db.h"
#include "engine/trie/node_store.h"
#include "tests/support/status_assertions.h"
#include "tests/txpool/pool_test_util.h"

namespace klay::txpool::test {
namespace {

using test_support::must;

struct AdapterTest : ::testing::Test {
  trie::MemoryNodeStore nodes;
  state::MemoryCodeStore codes;
  PrivateKey alice = key(1), bob = key(2);

  // alice: EOA with a balance and nonce 4; bob: EOA with a public key;
  // addr(7): SCA with code; addr(8): Legacy-type account without code.
  state::StateReader build() {
    auto st = must(state::StateDB::open(&nodes, &codes, empty_root().view()));
    EXPECT_TRUE(st.add_balance(alice.address(), kRich).is_ok());
    EXPECT_TRUE(st.set_nonce(alice.address(), 4).is_ok());
    EXPECT_TRUE(st.create_eoa(bob.address(), false, AccountKey::public_key(bob.public_key())).is_ok());
    EXPECT_TRUE(st.add_balance(bob.address(), uint256(5)).is_ok());
    EXPECT_TRUE(st.create_sca(addr(7), make_code_info(0, 0)).is_ok());
    EXPECT_TRUE(st.set_code(addr(7), Bytes{0x60, 0x00}, make_code_info(0, 0)).is_ok());
    EXPECT_TRUE(st.create_account(addr(8), AccountType::kLegacy).is_ok());
    EXPECT_TRUE(st.add_balance(addr(8), uint256(1)).is_ok());
    auto c = must(st.commit(nodes, codes));
    return must(state::StateReader::open(&nodes, &codes, c.root_key.view()));
  }
};

TEST_F(AdapterTest, MapsAccounts) {
  StateReaderPoolState ps(build());
  const PoolAccount a = must(ps.account(alice.address()));
  EXPECT_EQ(a.nonce, 4u);
  EXPECT_EQ(a.balance, kRich);
  EXPECT_EQ(a.key, AccountKey::legacy());
  EXPECT_FALSE(a.program_account);
  EXPECT_FALSE(a.has_code);

  const PoolAccount b = must(ps.account(bob.address()));
  EXPECT_EQ(b.key, AccountKey::public_key(bob.public_key()));
  EXPECT_EQ(b.balance, uint256(5));

  const PoolAccount sca = must(ps.account(addr(7)));
  EXPECT_TRUE(sca.program_account);
  EXPECT_TRUE(sca.has_code);
  EXPECT_EQ(sca.key, AccountKey::fail());

  const PoolAccount old = must(ps.account(addr(8)));
  EXPECT_TRUE(old.program_account);
  EXPECT_FALSE(old.has_code);
  EXPECT_EQ(old.key, AccountKey::legacy());

  const PoolAccount none = must(ps.account(addr(99)));
  EXPECT_EQ(none.nonce, 0u);
  EXPECT_TRUE(none.balance.is_zero());
  EXPECT_EQ(none.key, AccountKey::legacy());
}

TEST_F(AdapterTest, PoolOverRealState) {
  TxPool pool(chain_config(), TxPoolConfig{}, std::make_unique<StateReaderPoolState>(build()), PoolHead{});
  EXPECT_EQ(reject_reason(pool.add(legacy(alice, 3))), "nonce too low");
  EXPECT_EQ(reject_reason(pool.add(legacy(alice, 4))), "accepted");
  EXPECT_EQ(reject_reason(pool.add(legacy(alice, 5, kUnitPrice, 21000, uint256(1), addr(7)))), "EVM not supported yet");
  EXPECT_EQ(reject_reason(pool.add(value_transfer(alice, 5, uint256(1), nullptr, 0, kUnitPrice, 100000, addr(8)))),
            "this type transaction cannot be sent to contract addresses");
  // bob holds a public key: a legacy tx is refused, a Klaytn tx signed by that key passes the key check
  // but he cannot pay for it.
  EXPECT_EQ(reject_reason(pool.add(legacy(bob, 0))).rfind("invalid sender: ", 0), 0u);
  EXPECT_EQ(reject_reason(pool.add(value_transfer(bob, 0))), "insufficient funds for gas * price + value");
  EXPECT_EQ(*pool.pending_nonce(alice.address()), 5u);
}

}  // namespace
}  // namespace klay::txpool::test
