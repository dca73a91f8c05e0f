// Signing hashes and signature recovery (see tx.h).
#include "engine/core/keccak.h"
#include "engine/core/rlp.h"
#include "engine/klaytn/tx_internal.h"

namespace klay {

namespace {

// rlp([type, signFields...]): the reference's SerializeForSignToBytes.
Bytes klaytn_sign_bytes(const Transaction& tx) {
  Bytes payload;
  rlp::encode_uint(payload, static_cast<uint16_t>(tx.type));
  append(payload, tx_fields_payload(tx, FieldSet::kSignOnly));
  return rlp::wrap_list(payload);
}

Status check_chain(const Transaction& tx, const uint256& chain_id) {
  const uint256 tx_chain = tx_chain_id(tx);
  if (tx_chain != chain_id)
    return Status::invalid_argument(to_string(tx.type) + ": invalid chain id for signer: the transaction is for chain " +
                                    tx_chain.to_string() + ", expected " + chain_id.to_string());
  return Status::ok();
}

Result<PublicKey> recover_one(const Hash& h, const TxSignature& sig, Result<uint8_t> recid, const char* who) {
  if (!recid) return Status::invalid_argument(std::string(who) + " signature: " + recid.status().message());
  auto pk = recover(h, Signature{sig.r, sig.s, *recid}, SRule::kRequireLowS);
  if (!pk) return Status::invalid_argument(std::string(who) + " signature: " + pk.status().message());
  return pk;
}

Result<std::vector<PublicKey>> recover_all(const Hash& h, const std::vector<TxSignature>& sigs,
                                           const uint256& chain_id, const char* who) {
  if (sigs.empty()) return Status::invalid_argument(std::string(who) + ": no signatures");
  std::vector<PublicKey> keys;
  keys.reserve(sigs.size());
  for (const auto& sig : sigs) {
    auto pk = recover_one(h, sig, recid_from_eip155_v(sig.v, chain_id), who);
    if (!pk) return pk.status();
    keys.push_back(*pk);
  }
  return keys;
}

}  // namespace

uint256 tx_chain_id(const Transaction& tx) {
  if (is_ethereum_typed(tx.type)) return tx.chain_id;
  if (tx.signatures.empty()) return uint256(0);
  const uint256& v = tx.signatures.front().v;
  if (v == uint256(27) || v == uint256(28) || v < uint256(35)) return uint256(0);
  return (v - uint256(35)) >> 1;
}

Hash signing_hash(const Transaction& tx, const uint256& chain_id) {
  if (tx.type == TxType::kLegacy) {
    Bytes payload = tx_fields_payload(tx, FieldSet::kSignOnly);
    const bool unprotected = !tx.signatures.empty() &&
                             (tx.signatures.front().v == uint256(27) || tx.signatures.front().v == uint256(28));
    if (!unprotected) {
      rlp::encode_uint256(payload, chain_id);
      payload.push_back(0x80);
      payload.push_back(0x80);
    }
    return keccak256(rlp::wrap_list(payload));
  }
  if (is_ethereum_typed(tx.type)) {
    // A zero chain id in the transaction is replaced by the signer's.
    Transaction copy_for_zero;
    const Transaction* t = &tx;
    if (tx.chain_id.is_zero()) {
      copy_for_zero = tx;
      copy_for_zero.chain_id = chain_id;
      t = &copy_for_zero;
    }
    Bytes out{static_cast<uint8_t>(static_cast<uint16_t>(tx.type) & 0xff)};
    rlp::encode_list(out, tx_fields_payload(*t, FieldSet::kSignOnly));
    return keccak256(out);
  }
  Bytes payload;
  rlp::encode_string(payload, klaytn_sign_bytes(tx));
  rlp::encode_uint256(payload, chain_id);
  payload.push_back(0x80);
  payload.push_back(0x80);
  return keccak256(rlp::wrap_list(payload));
}

Result<Hash> fee_payer_signing_hash(const Transaction& tx, const uint256& chain_id) {
  if (!is_fee_delegated(tx.type))
    return Status::invalid_argument(to_string(tx.type) + " is not a fee-delegated transaction");
  Bytes payload;
  rlp::encode_string(payload, klaytn_sign_bytes(tx));
  rlp::encode_string(payload, tx.fee_payer.view());
  rlp::encode_uint256(payload, chain_id);
  payload.push_back(0x80);
  payload.push_back(0x80);
  return keccak256(rlp::wrap_list(payload));
}

Result<std::vector<PublicKey>> recover_sender_keys(const Transaction& tx, const uint256& chain_id) {
  if (tx.signatures.empty()) return Status::invalid_argument(to_string(tx.type) + ": no sender signature");
  const TxSignature& first = tx.signatures.front();
  if (tx.type == TxType::kLegacy && (first.v == uint256(27) || first.v == uint256(28))) {
    auto pk = recover_one(signing_hash(tx, chain_id), first, recid_from_legacy_v(first.v), "sender");
    if (!pk) return pk.status();
    return std::vector<PublicKey>{*pk};
  }
  if (auto s = check_chain(tx, chain_id); !s) return s;
  const Hash h = signing_hash(tx, chain_id);
  if (is_ethereum_typed(tx.type)) {
    auto pk = recover_one(h, first, recid_from_parity(first.v), "sender");
    if (!pk) return pk.status();
    return std::vector<PublicKey>{*pk};
  }
  if (tx.type == TxType::kLegacy && tx.signatures.size() != 1)
    return Status::invalid_argument("legacy transaction: exactly one signature expected");
  return recover_all(h, tx.signatures, chain_id, "sender");
}

Result<std::vector<PublicKey>> recover_fee_payer_keys(const Transaction& tx, const uint256& chain_id) {
  auto h = fee_payer_signing_hash(tx, chain_id);
  if (!h) return h.status();
  if (auto s = check_chain(tx, chain_id); !s) return s;
  return recover_all(*h, tx.fee_payer_signatures, chain_id, "fee payer");
}

Result<Address> tx_sender(const Transaction& tx, const uint256& chain_id) {
  auto keys = recover_sender_keys(tx, chain_id);
  if (!keys) return keys.status();
  if (is_klaytn_type(tx.type)) return tx.from;
  return address_of(keys->front());
}

}  // namespace klay
