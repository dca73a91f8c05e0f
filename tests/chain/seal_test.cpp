#include "node/chain/seal.h"

#include <gtest/gtest.h>

#include "engine/core/keccak.h"
#include "tests/chain/chain_test_support.h"

namespace klay::chain {
namespace {

using testing::key_from_seed;

Header prepared_header(const std::vector<Address>& validators) {
  Header h;
  h.number = 7;
  h.time = 1234;
  h.block_score = uint256(1);
  h.parent_hash = keccak256(as_view("parent"));
  prepare_istanbul_extra(h, validators);
  return h;
}

TEST(Seal, QuorumMatchesTheReferenceFormula) {
  EXPECT_EQ(istanbul_max_faulty(1), 0u);
  EXPECT_EQ(istanbul_quorum(1), 1u);
  EXPECT_EQ(istanbul_max_faulty(3), 0u);
  EXPECT_EQ(istanbul_max_faulty(4), 1u);
  EXPECT_EQ(istanbul_quorum(4), 3u);
  EXPECT_EQ(istanbul_max_faulty(7), 2u);
  EXPECT_EQ(istanbul_quorum(7), 5u);
}

TEST(Seal, DigestsAreKeccakOfTheReferenceInputs) {
  const Hash block = keccak256(as_view("block"));
  Bytes data(block.bytes.begin(), block.bytes.end());
  data.push_back(2);  // msgCommit
  EXPECT_EQ(committed_seal_digest(block), keccak256(data));
  Header h = prepared_header({key_from_seed("v").address()});
  EXPECT_EQ(proposer_seal_digest(h), keccak256(header_sig_hash(h).view()));
}

TEST(Seal, SignedHeaderVerifiesAndRecoversTheProposer) {
  const PrivateKey key = key_from_seed("validator");
  Header h = prepared_header({key.address()});
  ASSERT_TRUE(seal_header(h, key));
  auto ist = decode_istanbul_extra(h.extra);
  ASSERT_TRUE(ist);
  ASSERT_EQ(ist->seal.size(), 65u);
  EXPECT_LE(ist->seal[64], 1);  // bare recovery id, as crypto.Sign writes it
  ASSERT_EQ(ist->committed_seals.size(), 1u);
  auto proposer = verify_seal(h, {key.address()});
  ASSERT_TRUE(proposer) << proposer.status().message();
  EXPECT_EQ(*proposer, key.address());
  // The seal does not change the signing hash; the committed seals do not change the block hash.
  Header unsealed = prepared_header({key.address()});
  EXPECT_EQ(header_sig_hash(unsealed), header_sig_hash(h));
}

TEST(Seal, TamperedHeaderOrSealIsRejected) {
  const PrivateKey key = key_from_seed("validator");
  Header h = prepared_header({key.address()});
  ASSERT_TRUE(seal_header(h, key));

  Header changed = h;
  changed.gas_used = 1;  // the seal no longer matches: another address recovers
  auto r = verify_seal(changed, {key.address()});
  ASSERT_FALSE(r);
  EXPECT_NE(r.status().message().find("unauthorized proposer"), std::string::npos) << r.status().message();

  auto ist = *decode_istanbul_extra(h.extra);
  ist.seal[10] ^= 0xff;
  Header bad_seal = h;
  bad_seal.extra = make_header_extra(Bytes(32, 0), ist);
  auto r2 = verify_seal(bad_seal, {key.address()});
  ASSERT_FALSE(r2);
  EXPECT_NE(r2.status().message().find("block 7"), std::string::npos);
}

TEST(Seal, ProposerOutsideTheValidatorSetIsUnauthorized) {
  const PrivateKey key = key_from_seed("validator");
  const PrivateKey other = key_from_seed("other");
  Header h = prepared_header({key.address()});
  ASSERT_TRUE(seal_header(h, other));
  auto r = verify_seal(h, {key.address()});
  ASSERT_FALSE(r);
  EXPECT_NE(r.status().message().find("unauthorized proposer " + other.address().hex()), std::string::npos);
}

TEST(Seal, CommittedSealsAreCheckedAgainstQuorumAndDuplicates) {
  const PrivateKey key = key_from_seed("validator");
  Header h = prepared_header({key.address()});
  ASSERT_TRUE(seal_header(h, key));
  auto ist = *decode_istanbul_extra(h.extra);

  Header none = h;
  auto empty = ist;
  empty.committed_seals.clear();
  none.extra = make_header_extra(Bytes(32, 0), empty);
  auto r = verify_seal(none, {key.address()});
  ASSERT_FALSE(r);
  EXPECT_NE(r.status().message().find("zero committed seals"), std::string::npos);

  Header dup = h;
  auto twice = ist;
  twice.committed_seals.push_back(twice.committed_seals[0]);
  dup.extra = make_header_extra(Bytes(32, 0), twice);
  r = verify_seal(dup, {key.address()});
  ASSERT_FALSE(r);
  EXPECT_NE(r.status().message().find("signed twice"), std::string::npos);

  // Four validators need three committed seals; one is not enough.
  std::vector<Address> four = {key.address(), key_from_seed("a").address(), key_from_seed("b").address(),
                               key_from_seed("c").address()};
  Header big = prepared_header(four);
  ASSERT_TRUE(seal_header(big, key));
  r = verify_seal(big, four);
  ASSERT_FALSE(r);
  EXPECT_NE(r.status().message().find("need 3"), std::string::npos) << r.status().message();
  // Adding two more validators' committed seals reaches the quorum.
  auto big_ist = *decode_istanbul_extra(big.extra);
  const Hash digest = committed_seal_digest(header_hash(big));
  big_ist.committed_seals.push_back(sign_seal(key_from_seed("a"), digest));
  big_ist.committed_seals.push_back(sign_seal(key_from_seed("b"), digest));
  big.extra = make_header_extra(Bytes(32, 0), big_ist);
  r = verify_seal(big, four);
  EXPECT_TRUE(r) << r.status().message();
}

TEST(Seal, BlockScoreMustBeOne) {
  const PrivateKey key = key_from_seed("validator");
  Header h = prepared_header({key.address()});
  h.block_score = uint256(2);
  ASSERT_TRUE(seal_header(h, key));
  auto r = verify_seal(h, {key.address()});
  ASSERT_FALSE(r);
  EXPECT_NE(r.status().message().find("invalid blockscore"), std::string::npos);
}

}  // namespace
}  // namespace klay::chain
