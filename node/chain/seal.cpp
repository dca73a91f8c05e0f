#include "node/chain/seal.h"

#include <algorithm>
#include <string>

#include "engine/core/keccak.h"

namespace klay::chain {

Hash proposer_seal_digest(const Header& h) { return keccak256(header_sig_hash(h).view()); }

Hash committed_seal_digest(const Hash& block_hash) {
  uint8_t data[33];
  std::copy(block_hash.bytes.begin(), block_hash.bytes.end(), data);
  data[32] = kIstanbulMsgCommit;
  return keccak256(ByteView(data, sizeof(data)));
}

Bytes sign_seal(const PrivateKey& key, const Hash& digest) {
  const auto rsv = key.sign(digest).to_rsv();
  return Bytes(rsv.begin(), rsv.end());
}

Result<Address> recover_seal_signer(const Hash& digest, ByteView seal) {
  if (seal.size() != kIstanbulExtraSeal)
    return Status::invalid_argument("seal must be 65 bytes, got " + std::to_string(seal.size()));
  // Bare recovery id only (27/28 is not accepted, as in the reference).
  // Ids 2 and 3 need r >= n - 2^256 + ..., which no signer produces in practice.
  if (seal[64] > 1)
    return Status::invalid_argument("seal recovery id " + std::to_string(seal[64]) + " is not 0 or 1");
  Signature sig;
  sig.r = uint256::from_be32(seal.data());
  sig.s = uint256::from_be32(seal.data() + 32);
  sig.recid = seal[64];
  return recover_address(digest, sig, SRule::kAllowHighS);
}

size_t istanbul_max_faulty(size_t n) { return n == 0 ? 0 : (n + 2) / 3 - 1; }

size_t istanbul_quorum(size_t n) { return 2 * istanbul_max_faulty(n) + 1; }

void prepare_istanbul_extra(Header& h, const std::vector<Address>& validators) {
  Bytes vanity(kIstanbulExtraVanity, 0);
  std::copy_n(h.extra.begin(), std::min(h.extra.size(), kIstanbulExtraVanity), vanity.begin());
  IstanbulExtra ist;
  ist.validators = validators;
  h.extra = make_header_extra(vanity, ist);
}

static Status write_extra(Header& h, const IstanbulExtra& ist) {
  Bytes vanity(h.extra.begin(), h.extra.begin() + kIstanbulExtraVanity);
  h.extra = make_header_extra(vanity, ist);
  return Status::ok();
}

Status seal_header(Header& h, const PrivateKey& key) {
  auto ist = decode_istanbul_extra(h.extra);
  if (!ist) return Status::invalid_argument("cannot seal block " + std::to_string(h.number) +
                                            ": invalid Istanbul extra data: " + ist.status().message());
  ist->seal.clear();
  ist->committed_seals.clear();
  if (Status s = write_extra(h, *ist); !s) return s;
  ist->seal = sign_seal(key, proposer_seal_digest(h));
  if (Status s = write_extra(h, *ist); !s) return s;
  // The block hash keeps the proposer seal and ignores committed seals.
  ist->committed_seals.push_back(sign_seal(key, committed_seal_digest(header_hash(h))));
  return write_extra(h, *ist);
}

Result<Address> verify_seal(const Header& h, const std::vector<Address>& validators) {
  const std::string block = "block " + std::to_string(h.number);
  if (h.block_score != uint256(1))
    return Status::invalid_argument(block + ": invalid blockscore " + h.block_score.to_string() + " (must be 1)");
  auto ist = decode_istanbul_extra(h.extra);
  if (!ist) return Status::invalid_argument(block + ": invalid extra data format: " + ist.status().message());
  auto proposer = recover_seal_signer(proposer_seal_digest(h), ist->seal);
  if (!proposer) return Status::invalid_argument(block + ": invalid proposer seal: " + proposer.status().message());
  auto is_validator = [&](const Address& a) {
    return std::find(validators.begin(), validators.end(), a) != validators.end();
  };
  if (!is_validator(*proposer))
    return Status::invalid_argument(block + ": unauthorized proposer " + proposer->hex() +
                                    " (not in the validator set)");
  if (ist->committed_seals.empty()) return Status::invalid_argument(block + ": zero committed seals");
  const Hash digest = committed_seal_digest(header_hash(h));
  std::vector<Address> remaining = validators;
  for (const Bytes& seal : ist->committed_seals) {
    auto signer = recover_seal_signer(digest, seal);
    if (!signer) return Status::invalid_argument(block + ": invalid committed seal: " + signer.status().message());
    auto it = std::find(remaining.begin(), remaining.end(), *signer);
    if (it == remaining.end())
      return Status::invalid_argument(block + ": invalid committed seals: " + signer->hex() +
                                      " is not a validator or signed twice");
    remaining.erase(it);
  }
  const size_t valid = ist->committed_seals.size();
  if (valid <= 2 * istanbul_max_faulty(validators.size()))
    return Status::invalid_argument(block + ": invalid committed seals: " + std::to_string(valid) + " of " +
                                    std::to_string(validators.size()) + " validators, need " +
                                    std::to_string(istanbul_quorum(validators.size())));
  return *proposer;
}

}  // namespace klay::chain
