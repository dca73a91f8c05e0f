#include "engine/klaytn/header.h"

#include "engine/core/keccak.h"
#include "engine/core/rlp.h"
#include "engine/klaytn/istanbul_extra.h"
#include "engine/klaytn/rlp_fields.h"

namespace klay {

namespace {

// Returns a copy of `h` whose Extra is re-encoded for hashing, or nullopt when
// Extra is not an Istanbul extra.
std::optional<Header> istanbul_filtered(const Header& h, bool keep_seal) {
  auto ist = decode_istanbul_extra(h.extra);
  if (!ist) return std::nullopt;
  if (!keep_seal) ist->seal.clear();
  ist->committed_seals.clear();
  Header copy = h;
  Bytes vanity(h.extra.begin(), h.extra.begin() + kIstanbulExtraVanity);
  vanity[kIstanbulExtraVanity - 1] = 0;  // round
  copy.extra = make_header_extra(vanity, *ist);
  return copy;
}

}  // namespace

Bytes encode_header(const Header& h) {
  Bytes body;
  rlp::encode_string(body, h.parent_hash.view());
  rlp::encode_string(body, h.rewardbase.view());
  rlp::encode_string(body, h.root.view());
  rlp::encode_string(body, h.tx_hash.view());
  rlp::encode_string(body, h.receipt_hash.view());
  rlp::encode_string(body, h.bloom.view());
  rlp::encode_uint256(body, h.block_score);
  rlp::encode_uint(body, h.number);
  rlp::encode_uint(body, h.gas_used);
  rlp::encode_uint(body, h.time);
  rlp::encode_uint(body, h.time_fos);
  rlp::encode_string(body, h.extra);
  rlp::encode_string(body, h.governance);
  rlp::encode_string(body, h.vote);
  const int tail = h.mix_hash ? 3 : h.random_reveal ? 2 : h.base_fee ? 1 : 0;
  if (tail >= 1) {
    if (h.base_fee) rlp::encode_uint256(body, *h.base_fee);
    else body.push_back(0x80);
  }
  if (tail >= 2) rlp::encode_string(body, h.random_reveal ? ByteView(*h.random_reveal) : ByteView());
  if (tail >= 3) rlp::encode_string(body, *h.mix_hash);
  return rlp::wrap_list(body);
}

Result<Header> decode_header(ByteView encoded) {
  auto top = rlp::decode(encoded);
  if (!top) return Status::corruption("header: " + top.status().message());
  if (!top->is_list()) return Status::corruption("header: expected a list");
  FieldReader f(top->payload, "header");
  Header h;
  rlp::Item bloom;
  if (auto s = f.hash(h.parent_hash, "parentHash"); !s) return s;
  if (auto s = f.address(h.rewardbase, "rewardbase"); !s) return s;
  if (auto s = f.hash(h.root, "root"); !s) return s;
  if (auto s = f.hash(h.tx_hash, "txHash"); !s) return s;
  if (auto s = f.hash(h.receipt_hash, "receiptHash"); !s) return s;
  if (auto s = f.item(bloom, "bloom"); !s) return s;
  if (bloom.is_list() || bloom.payload.size() != Bloom::kSize)
    return f.fail("bloom", "expected 256 bytes");
  h.bloom = Bloom::from(bloom.payload);
  if (auto s = f.u256(h.block_score, "blockScore"); !s) return s;
  if (auto s = f.u64(h.number, "number"); !s) return s;
  if (auto s = f.u64(h.gas_used, "gasUsed"); !s) return s;
  if (auto s = f.u64(h.time, "time"); !s) return s;
  if (auto s = f.u8(h.time_fos, "timeFoS"); !s) return s;
  if (auto s = f.bytes(h.extra, "extra"); !s) return s;
  if (auto s = f.bytes(h.governance, "governance"); !s) return s;
  if (auto s = f.bytes(h.vote, "vote"); !s) return s;
  if (!f.done()) {
    uint256 v;
    if (auto s = f.u256(v, "baseFee"); !s) return s;
    h.base_fee = v;
  }
  if (!f.done()) {
    Bytes b;
    if (auto s = f.bytes(b, "randomReveal"); !s) return s;
    h.random_reveal = std::move(b);
  }
  if (!f.done()) {
    Bytes b;
    if (auto s = f.bytes(b, "mixHash"); !s) return s;
    h.mix_hash = std::move(b);
  }
  if (auto s = f.finish(); !s) return s;
  return h;
}

Hash header_rlp_hash(const Header& h) { return keccak256(encode_header(h)); }

Hash header_hash(const Header& h) {
  if (auto filtered = istanbul_filtered(h, true)) return header_rlp_hash(*filtered);
  return header_rlp_hash(h);
}

Hash header_sig_hash(const Header& h) {
  if (auto filtered = istanbul_filtered(h, false)) return header_rlp_hash(*filtered);
  return header_rlp_hash(h);
}

}  // namespace klay
