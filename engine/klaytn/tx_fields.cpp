// Field serialization and decode-time signature checks (see tx.h).
#include "engine/core/rlp.h"
#include "engine/klaytn/rlp_fields.h"
#include "engine/klaytn/tx_internal.h"

namespace klay {

namespace {

void encode_signatures(Bytes& out, const std::vector<TxSignature>& sigs) {
  Bytes list;
  for (const auto& s : sigs) {
    Bytes one;
    rlp::encode_uint256(one, s.v);
    rlp::encode_uint256(one, s.r);
    rlp::encode_uint256(one, s.s);
    rlp::encode_list(list, one);
  }
  rlp::encode_list(out, list);
}

void encode_vrs(Bytes& out, const Transaction& tx) {
  static const TxSignature kZero{};
  const TxSignature& s = tx.signatures.empty() ? kZero : tx.signatures.front();
  rlp::encode_uint256(out, s.v);
  rlp::encode_uint256(out, s.r);
  rlp::encode_uint256(out, s.s);
}

void encode_access_list(Bytes& out, const std::vector<AccessTuple>& al) {
  Bytes list;
  for (const auto& t : al) {
    Bytes keys;
    for (const auto& k : t.storage_keys) rlp::encode_string(keys, k.view());
    Bytes tuple;
    rlp::encode_string(tuple, t.address.view());
    rlp::encode_list(tuple, keys);
    rlp::encode_list(list, tuple);
  }
  rlp::encode_list(out, list);
}

void encode_field(Bytes& out, const Transaction& tx, TxField f) {
  switch (f) {
    case TxField::kNonce: rlp::encode_uint(out, tx.nonce); return;
    case TxField::kGasPrice: rlp::encode_uint256(out, tx.gas_price); return;
    case TxField::kGas: rlp::encode_uint(out, tx.gas); return;
    case TxField::kTo: rlp::encode_string(out, tx.to ? tx.to->view() : Address().view()); return;
    case TxField::kToOrNil: rlp_opt_address_append(out, tx.to); return;
    case TxField::kValue: rlp::encode_uint256(out, tx.value); return;
    case TxField::kFrom: rlp::encode_string(out, tx.from.view()); return;
    case TxField::kData: rlp::encode_string(out, tx.data); return;
    case TxField::kHumanReadable: rlp_bool_append(out, tx.human_readable); return;
    case TxField::kKey: rlp::encode_string(out, tx.key.encode()); return;
    case TxField::kFeeRatio: rlp::encode_uint(out, tx.fee_ratio); return;
    case TxField::kCodeFormat: rlp::encode_uint(out, tx.code_format); return;
  }
}

// The reference's validateSignature(v, r, s) for legacy and Klaytn signatures.
// Returns the chain id the signature commits to.
Result<uint256> validate_eip155_style(const TxSignature& sig) {
  if (sig.v == uint256(27) || sig.v == uint256(28)) {
    if (auto s = check_signature_values(sig.r, sig.s, SRule::kRequireLowS); !s)
      return Status::corruption("invalid signature: " + s.message());
    return uint256(0);
  }
  if (sig.v < uint256(35))
    return Status::corruption("invalid signature: v = " + sig.v.to_string() +
                              " is neither 27/28 nor an EIP-155 value (chainId*2+35+{0,1})");
  if (auto s = check_signature_values(sig.r, sig.s, SRule::kAllowHighS); !s)
    return Status::corruption("invalid signature: " + s.message());
  return (sig.v - uint256(35)) >> 1;
}

}  // namespace

Bytes tx_fields_payload(const Transaction& tx, FieldSet set) {
  Bytes out;
  if (tx.type == TxType::kLegacy) {
    rlp::encode_uint(out, tx.nonce);
    rlp::encode_uint256(out, tx.gas_price);
    rlp::encode_uint(out, tx.gas);
    rlp_opt_address_append(out, tx.to);
    rlp::encode_uint256(out, tx.value);
    rlp::encode_string(out, tx.data);
    if (set != FieldSet::kSignOnly) encode_vrs(out, tx);
    return out;
  }
  if (is_ethereum_typed(tx.type)) {
    rlp::encode_uint256(out, tx.chain_id);
    rlp::encode_uint(out, tx.nonce);
    if (tx.type == TxType::kEthereumDynamicFee) {
      rlp::encode_uint256(out, tx.gas_tip_cap);
      rlp::encode_uint256(out, tx.gas_fee_cap);
    } else {
      rlp::encode_uint256(out, tx.gas_price);
    }
    rlp::encode_uint(out, tx.gas);
    rlp_opt_address_append(out, tx.to);
    rlp::encode_uint256(out, tx.value);
    rlp::encode_string(out, tx.data);
    encode_access_list(out, tx.access_list);
    if (set != FieldSet::kSignOnly) encode_vrs(out, tx);
    return out;
  }
  for (TxField f : klaytn_sign_fields(tx.type)) encode_field(out, tx, f);
  if (set == FieldSet::kSignOnly) return out;
  encode_signatures(out, tx.signatures);
  if (set == FieldSet::kWire && is_fee_delegated(tx.type)) {
    rlp::encode_string(out, tx.fee_payer.view());
    encode_signatures(out, tx.fee_payer_signatures);
  }
  return out;
}

Status validate_decoded_signatures(const Transaction& tx) {
  if (is_ethereum_typed(tx.type)) {
    const TxSignature& sig = tx.signatures.front();
    if (!(sig.v == uint256(0) || sig.v == uint256(1)))
      return Status::corruption(to_string(tx.type) + ": invalid signature: v must be 0 or 1 (y-parity)");
    if (auto s = check_signature_values(sig.r, sig.s, SRule::kAllowHighS); !s)
      return Status::corruption(to_string(tx.type) + ": invalid signature: " + s.message());
    return Status::ok();
  }
  if (tx.signatures.empty())
    return Status::corruption(to_string(tx.type) + ": invalid signature: no sender signature");
  std::optional<uint256> chain;
  for (const auto& sig : tx.signatures) {
    auto cid = validate_eip155_style(sig);
    if (!cid) return Status::corruption(to_string(tx.type) + ": " + cid.status().message());
    if (chain && *chain != *cid)
      return Status::corruption(to_string(tx.type) + ": invalid signature: signatures commit to different chain ids");
    chain = *cid;
  }
  return Status::ok();
}

}  // namespace klay
