// Admission: every rejection path of TxPool::add with its message, and the
// accepted forms of each transaction family.
#include "tests/txpool/pool_test_util.h"

namespace klay::txpool::test {
namespace {

struct ValidationTest : PoolTest {
  std::string add_raw(ByteView raw) { return reject_reason(pool->add(raw)); }
};

TEST_F(ValidationTest, AcceptsEachFamilyAsPending) {
  const Transaction txs[] = {legacy(alice, 0), dynamic_fee(alice, 1), value_transfer(alice, 2),
                             value_transfer(alice, 3, uint256(5), &bob), value_transfer(alice, 4, uint256(5), &bob, 30),
                             cancel(alice, 5)};
  for (const auto& tx : txs) {
    SCOPED_TRACE(to_string(tx.type));
    auto h = pool->add(encode_transaction(tx));
    ASSERT_TRUE(h) << h.status().to_string();
    EXPECT_EQ(*h, tx_hash(tx));
    EXPECT_EQ(pool->status(*h), TxStatus::kPending);
    auto got = pool->get(*h);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->sender, alice.address());
    EXPECT_EQ(got->fee_payer, is_fee_delegated(tx.type) ? bob.address() : alice.address());
  }
  EXPECT_EQ(pool->stats().pending, 6u);
  EXPECT_EQ(*pool->pending_nonce(alice.address()), 6u);
}

TEST_F(ValidationTest, AcceptsUnprotectedLegacy) {
  Transaction tx = legacy(alice, 0);
  tx.signatures = {{uint256(27), uint256(1), uint256(1)}};  // selects the pre-EIP-155 signing hash
  const Signature s = alice.sign(signing_hash(tx, kChain));
  tx.signatures = {{uint256(27 + s.recid), s.r, s.s}};
  EXPECT_EQ(add(tx), "accepted");
  EXPECT_EQ(pool->get(tx_hash(tx))->sender, alice.address());
}

TEST_F(ValidationTest, AcceptsEthereumEnvelope) {
  const Transaction tx = dynamic_fee(alice, 0);
  auto h = pool->add(encode_ethereum_envelope(tx));
  ASSERT_TRUE(h) << h.status().to_string();
  EXPECT_EQ(*h, tx_hash(tx));
}

TEST_F(ValidationTest, RejectsUndecodableAndOversized) {
  EXPECT_NE(add_raw(Bytes{0xde, 0xad}), "accepted");
  Transaction big = legacy(alice, 0);
  big.data = Bytes(kMaxTxSize, 0x01);
  big.gas = 30'000'000;
  sign_sender(big, alice);
  EXPECT_EQ(add_raw(encode_transaction(big)), "oversized data");
  EXPECT_EQ(add(big), "oversized data");
  // Just under the limit is fine as far as size goes (then gas decides).
  Transaction fits = legacy(alice, 0);
  fits.data = Bytes(kMaxTxSize - 200, 0x01);
  fits.gas = 30'000'000;
  sign_sender(fits, alice);
  EXPECT_EQ(add(fits), "accepted");
}

TEST_F(ValidationTest, RejectsWrongChainId) {
  Transaction tx = legacy(alice, 0);
  sign_sender(tx, alice, uint256(1002));
  EXPECT_EQ(add(tx), "invalid chain id");
  Transaction klay = value_transfer(alice, 0);
  sign_sender(klay, alice, uint256(8217));
  EXPECT_EQ(add(klay), "invalid chain id");
  Transaction typed = dynamic_fee(alice, 0);
  typed.chain_id = uint256(1);
  sign_sender(typed, alice, uint256(1));
  EXPECT_EQ(add(typed), "invalid chain id");
}

TEST_F(ValidationTest, RejectsBadSignersAndKeys) {
  // A Klaytn tx whose `from` (legacy key) did not sign it.
  Transaction forged = value_transfer(alice, 0);
  sign_sender(forged, bob);
  EXPECT_EQ(add(forged).rfind("invalid sender: ", 0), 0u) << add(forged);

  // The fee payer field names bob but carol signed.
  Transaction fd = value_transfer(alice, 0, uint256(1), &bob);
  sign_fee_payer(fd, carol);
  EXPECT_EQ(add(fd).rfind("invalid fee payer: ", 0), 0u) << add(fd);

  // A high-s signature does not recover.
  Transaction high_s = legacy(alice, 0);
  high_s.signatures[0].s = secp256k1_order() - high_s.signatures[0].s;
  EXPECT_NE(add(high_s), "accepted");

  // A public-key account: Klaytn txs must be signed by that key; legacy txs are refused.
  state->accounts[alice.address()].key = AccountKey::public_key(carol.public_key());
  EXPECT_EQ(add(value_transfer(alice, 0)).rfind("invalid sender: ", 0), 0u);
  Transaction by_carol = value_transfer(alice, 0);
  sign_sender(by_carol, carol);
  EXPECT_EQ(add(by_carol), "accepted");
  EXPECT_EQ(add(legacy(alice, 1)).rfind("invalid sender: a legacy transaction must be with a legacy account key", 0), 0u)
      << add(legacy(alice, 1));

  // A fail key refuses everything.
  state->accounts[bob.address()].key = AccountKey::fail();
  EXPECT_EQ(add(value_transfer(bob, 0)).rfind("invalid sender: ", 0), 0u);
}

TEST_F(ValidationTest, RejectsNonceTooLow) {
  state->accounts[alice.address()].nonce = 5;
  EXPECT_EQ(add(legacy(alice, 4)), "nonce too low");
  EXPECT_EQ(add(value_transfer(alice, 0)), "nonce too low");
  EXPECT_EQ(add(legacy(alice, 5)), "accepted");
}

TEST_F(ValidationTest, RejectsInsufficientFunds) {
  const Address poor = key(9).address();
  const uint256 fee = kUnitPrice * uint256(21000);
  state->fund(poor, fee + uint256(9));  // value 10 does not fit
  EXPECT_EQ(add(legacy(key(9), 0, kUnitPrice, 21000, uint256(10))), "insufficient funds for gas * price + value");
  EXPECT_EQ(add(legacy(key(9), 0, kUnitPrice, 21000, uint256(9))), "accepted");
}

TEST_F(ValidationTest, FeeDelegatedFundsSplit) {
  const PrivateKey sender = key(10), payer = key(11);
  const uint64_t gas = 100000;
  const uint256 fee = kUnitPrice * uint256(gas);
  // Full delegation: the sender needs only the value, the payer the fee.
  state->fund(sender.address(), uint256(5)).fund(payer.address(), fee);
  EXPECT_EQ(add(value_transfer(sender, 0, uint256(6), &payer)), "insufficient funds of the sender for value ");
  state->fund(payer.address(), fee - uint256(1));
  EXPECT_EQ(add(value_transfer(sender, 0, uint256(5), &payer)), "insufficient funds of the fee payer for gas * price");
  state->fund(payer.address(), fee);
  EXPECT_EQ(add(value_transfer(sender, 0, uint256(5), &payer)), "accepted");

  // Ratio 30: the payer pays 30% of the fee, the sender 70% plus the value.
  const PrivateKey s2 = key(12), p2 = key(13);
  const uint256 by_payer = fee * uint256(30) / uint256(100);
  const uint256 by_sender = fee - by_payer;
  state->fund(s2.address(), by_sender + uint256(4)).fund(p2.address(), by_payer);
  EXPECT_EQ(add(value_transfer(s2, 0, uint256(5), &p2, 30)), "insufficient funds of the sender for value ");
  state->fund(p2.address(), by_payer - uint256(1));
  EXPECT_EQ(add(value_transfer(s2, 0, uint256(4), &p2, 30)), "insufficient funds of the fee payer for gas * price");
  state->fund(p2.address(), by_payer);
  EXPECT_EQ(add(value_transfer(s2, 0, uint256(4), &p2, 30)), "accepted");

  // Sender == fee payer bears both shares.
  const PrivateKey self = key(14);
  state->fund(self.address(), fee);  // value 1 does not fit on top
  EXPECT_EQ(add(value_transfer(self, 0, uint256(1), &self)), "insufficient funds of the sender for value ");
}

TEST_F(ValidationTest, RejectsFeeRatioOutOfRange) {
  for (uint8_t ratio : {uint8_t{0}, uint8_t{100}}) {
    Transaction tx = value_transfer(alice, 0, uint256(1), &bob, 30);
    tx.fee_ratio = ratio;
    sign_sender(tx, alice);
    sign_fee_payer(tx, bob);
    EXPECT_EQ(add(tx), "fee ratio is out of range [1, 99]");
  }
}

TEST_F(ValidationTest, RejectsIntrinsicGasTooLow) {
  EXPECT_EQ(add(legacy(alice, 0, kUnitPrice, 20999)), "intrinsic gas too low");
  // FD adds 10000, FD-ratio 15000.
  EXPECT_EQ(add(value_transfer(alice, 0, uint256(1), &bob, 0, kUnitPrice, 30999)), "intrinsic gas too low");
  EXPECT_EQ(add(value_transfer(alice, 0, uint256(1), &bob, 0, kUnitPrice, 31000)), "accepted");
  EXPECT_EQ(add(value_transfer(alice, 1, uint256(1), &bob, 50, kUnitPrice, 35999)), "intrinsic gas too low");
  EXPECT_EQ(add(value_transfer(alice, 1, uint256(1), &bob, 50, kUnitPrice, 36000)), "accepted");
}

TEST_F(ValidationTest, UnitPriceBeforeMagma) {
  EXPECT_EQ(pool->gas_price(), kUnitPrice);
  EXPECT_EQ(add(legacy(alice, 0, kUnitPrice + uint256(1))), "invalid unit price");
  EXPECT_EQ(add(value_transfer(alice, 0, uint256(1), nullptr, 0, kUnitPrice - uint256(1))), "invalid unit price");
  EXPECT_EQ(add(dynamic_fee(alice, 0, kUnitPrice, kUnitPrice - uint256(1))),
            "invalid gas tip cap. It must be set to the same value as gas unit price");
  EXPECT_EQ(add(dynamic_fee(alice, 0, kUnitPrice + uint256(1), kUnitPrice)),
            "invalid gas fee cap. It must be set to the same value as gas unit price");
  EXPECT_EQ(add(dynamic_fee(alice, 0, kUnitPrice, kUnitPrice + uint256(1))),
            "max fee per gas higher than max priority fee per gas");
}

TEST_F(ValidationTest, BaseFeeAfterMagma) {
  const uint256 base = uint256(50'000'000'000ULL);
  make_pool(chain_config(0), PoolHead{10, base});
  EXPECT_EQ(pool->gas_price(), base);
  EXPECT_EQ(add(legacy(alice, 0, base - uint256(1))),
            "invalid gas price. It must be set to value greater than or equal to baseFee");
  EXPECT_EQ(add(dynamic_fee(alice, 0, base - uint256(1), uint256(0))),
            "invalid gas fee cap. It must be set to value greater than or equal to baseFee");
  EXPECT_EQ(add(legacy(alice, 0, base)), "accepted");
  EXPECT_EQ(add(dynamic_fee(alice, 1, base * uint256(2), uint256(1))), "accepted");
  // Without a base fee from the head, the KIP-71 lower bound applies.
  make_pool(chain_config(0), PoolHead{10, std::nullopt});
  EXPECT_EQ(pool->gas_price(), uint256(25'000'000'000ULL));
}

TEST_F(ValidationTest, RejectsWhatNeedsTheEvm) {
  Transaction create = legacy(alice, 0);
  create.to.reset();
  create.data = Bytes{0x60, 0x00};
  create.gas = 100000;
  sign_sender(create, alice);
  EXPECT_EQ(add(create), "EVM not supported yet");

  Transaction deploy;
  deploy.type = TxType::kSmartContractDeploy;
  deploy.gas_price = kUnitPrice;
  deploy.gas = 1'000'000;
  deploy.from = alice.address();
  deploy.data = Bytes{0x60, 0x00};
  sign_sender(deploy, alice);
  EXPECT_EQ(add(deploy), "EVM not supported yet");

  Transaction exec;
  exec.type = TxType::kSmartContractExecution;
  exec.gas_price = kUnitPrice;
  exec.gas = 1'000'000;
  exec.from = alice.address();
  exec.to = addr(7);
  exec.data = Bytes{0x01};
  sign_sender(exec, alice);
  EXPECT_EQ(add(exec), "EVM not supported yet");

  PoolAccount contract;
  contract.program_account = true;
  contract.has_code = true;
  state->accounts[addr(7)] = contract;
  EXPECT_EQ(add(legacy(alice, 0, kUnitPrice, 21000, uint256(1), addr(7))), "EVM not supported yet");
  EXPECT_EQ(add(value_transfer(alice, 0, uint256(1), nullptr, 0, kUnitPrice, 100000, addr(7))),
            "this type transaction cannot be sent to contract addresses");
  Address precompile;
  precompile.bytes[19] = 0x05;
  EXPECT_EQ(add(legacy(alice, 0, kUnitPrice, 21000, uint256(1), precompile)),
            "the address is reserved for pre-compiled contracts");
  EXPECT_EQ(add(value_transfer(alice, 0, uint256(1), nullptr, 0, kUnitPrice, 100000, precompile)),
            "the address is reserved for pre-compiled contracts");
  // A legacy-type account without code is a program account to Klaytn types only.
  PoolAccount old_style;
  old_style.program_account = true;
  state->accounts[addr(8)] = old_style;
  EXPECT_EQ(add(legacy(alice, 0, kUnitPrice, 21000, uint256(1), addr(8))), "accepted");
}

TEST_F(ValidationTest, RejectsDuplicates) {
  const Transaction tx = legacy(alice, 0);
  EXPECT_EQ(add(tx), "accepted");
  EXPECT_EQ(add(tx), "known transaction: " + tx_hash(tx).hex());
  EXPECT_EQ(add_raw(encode_transaction(tx)), "known transaction: " + tx_hash(tx).hex());
}

TEST_F(ValidationTest, RejectsAnchoringAndDisabledTypes) {
  Transaction anchor;
  anchor.type = TxType::kChainDataAnchoring;
  anchor.gas_price = kUnitPrice;
  anchor.gas = 100000;
  anchor.from = alice.address();
  anchor.data = Bytes{1, 2, 3};
  sign_sender(anchor, alice);
  EXPECT_EQ(add(anchor), "locally anchoring chaindata tx is not allowed in this node");

  ChainConfig no_eth = chain_config();
  no_eth.eth_tx_type_compatible_block.reset();
  make_pool(no_eth);
  EXPECT_EQ(add(dynamic_fee(alice, 0)), "transaction type not supported");
  EXPECT_EQ(add(legacy(alice, 0)), "accepted");
}

TEST_F(ValidationTest, AccountUpdateKeyMustBeReplaceable) {
  Transaction up;
  up.type = TxType::kAccountUpdate;
  up.gas_price = kUnitPrice;
  up.gas = 100000;
  up.from = alice.address();
  up.key = AccountKey::nil();
  sign_sender(up, alice);
  const std::string why = add(up);
  EXPECT_NE(why, "accepted");
  EXPECT_NE(why.find("AccountKeyNil"), std::string::npos) << why;
  up.key = AccountKey::public_key(carol.public_key());
  sign_sender(up, alice);
  EXPECT_EQ(add(up), "accepted");
}

TEST_F(ValidationTest, UnreadableStateIsReportedNotDropped) {
  state->unreadable = true;
  auto r = pool->add(legacy(alice, 0));
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.status().is_not_found());
  EXPECT_NE(r.status().message().find("state not available"), std::string::npos);
}

}  // namespace
}  // namespace klay::txpool::test
