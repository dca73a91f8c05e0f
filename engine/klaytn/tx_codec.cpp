// Transaction wire encoding/decoding and transaction hashes (see tx.h).
#include "engine/core/keccak.h"
#include "engine/core/rlp.h"
#include "engine/klaytn/rlp_fields.h"
#include "engine/klaytn/tx.h"
#include "engine/klaytn/tx_internal.h"

namespace klay {

namespace {

Status decode_signatures(const rlp::Item& list, std::vector<TxSignature>& out, const char* what) {
  FieldReader f(list.payload, what);
  while (!f.done()) {
    rlp::Item one;
    if (auto s = f.list(one, "signature"); !s) return s;
    FieldReader sf(one.payload, std::string(what) + " signature");
    TxSignature sig;
    if (auto s = sf.u256(sig.v, "V"); !s) return s;
    if (auto s = sf.u256(sig.r, "R"); !s) return s;
    if (auto s = sf.u256(sig.s, "S"); !s) return s;
    if (auto s = sf.finish(); !s) return s;
    out.push_back(sig);
  }
  return Status::ok();
}

Status decode_access_list(const rlp::Item& list, std::vector<AccessTuple>& out) {
  FieldReader f(list.payload, "access list");
  while (!f.done()) {
    rlp::Item tuple, keys;
    if (auto s = f.list(tuple, "tuple"); !s) return s;
    FieldReader tf(tuple.payload, "access tuple");
    AccessTuple t;
    if (auto s = tf.address(t.address, "address"); !s) return s;
    if (auto s = tf.list(keys, "storageKeys"); !s) return s;
    if (auto s = tf.finish(); !s) return s;
    FieldReader kf(keys.payload, "access tuple storage keys");
    while (!kf.done()) {
      Hash k;
      if (auto s = kf.hash(k, "storage key"); !s) return s;
      t.storage_keys.push_back(k);
    }
    out.push_back(std::move(t));
  }
  return Status::ok();
}

Status decode_sign_field(FieldReader& f, TxField field, Transaction& tx) {
  switch (field) {
    case TxField::kNonce: return f.u64(tx.nonce, "nonce");
    case TxField::kGasPrice: return f.u256(tx.gas_price, "gasPrice");
    case TxField::kGas: return f.u64(tx.gas, "gas");
    case TxField::kTo: {
      Address a;
      if (auto s = f.address(a, "to"); !s) return s;
      tx.to = a;
      return Status::ok();
    }
    case TxField::kToOrNil: return f.opt_address(tx.to, "to");
    case TxField::kValue: return f.u256(tx.value, "value");
    case TxField::kFrom: return f.address(tx.from, "from");
    case TxField::kData: return f.bytes(tx.data, "data");
    case TxField::kHumanReadable: return f.boolean(tx.human_readable, "humanReadable");
    case TxField::kKey: {
      Bytes enc;
      if (auto s = f.bytes(enc, "key"); !s) return s;
      auto key = AccountKey::decode(enc);
      if (!key) return f.fail("key", "unserializable account key: " + key.status().message());
      tx.key = std::move(*key);
      return Status::ok();
    }
    case TxField::kFeeRatio: return f.u8(tx.fee_ratio, "feeRatio");
    case TxField::kCodeFormat: return f.u8(tx.code_format, "codeFormat");
  }
  return Status::ok();
}

Status decode_klaytn_body(const rlp::Item& body, Transaction& tx) {
  if (!body.is_list()) return Status::corruption(to_string(tx.type) + ": fields must be a list");
  FieldReader f(body.payload, to_string(tx.type));
  for (TxField field : klaytn_sign_fields(tx.type))
    if (auto s = decode_sign_field(f, field, tx); !s) return s;
  rlp::Item sigs;
  if (auto s = f.list(sigs, "signatures"); !s) return s;
  if (auto s = decode_signatures(sigs, tx.signatures, "sender"); !s) return s;
  if (is_fee_delegated(tx.type)) {
    rlp::Item fp_sigs;
    if (auto s = f.address(tx.fee_payer, "feePayer"); !s) return s;
    if (auto s = f.list(fp_sigs, "feePayerSignatures"); !s) return s;
    if (auto s = decode_signatures(fp_sigs, tx.fee_payer_signatures, "fee payer"); !s) return s;
  }
  return f.finish();
}

Status decode_vrs(FieldReader& f, Transaction& tx) {
  TxSignature sig;
  if (auto s = f.u256(sig.v, "V"); !s) return s;
  if (auto s = f.u256(sig.r, "R"); !s) return s;
  if (auto s = f.u256(sig.s, "S"); !s) return s;
  tx.signatures = {sig};
  return f.finish();
}

Status decode_legacy_body(const rlp::Item& body, Transaction& tx) {
  FieldReader f(body.payload, "legacy transaction");
  tx.type = TxType::kLegacy;
  if (auto s = f.u64(tx.nonce, "nonce"); !s) return s;
  if (auto s = f.u256(tx.gas_price, "gasPrice"); !s) return s;
  if (auto s = f.u64(tx.gas, "gas"); !s) return s;
  if (auto s = f.opt_address(tx.to, "to"); !s) return s;
  if (auto s = f.u256(tx.value, "value"); !s) return s;
  if (auto s = f.bytes(tx.data, "data"); !s) return s;
  return decode_vrs(f, tx);
}

Status decode_eth_typed_body(const rlp::Item& body, Transaction& tx) {
  if (!body.is_list()) return Status::corruption(to_string(tx.type) + ": fields must be a list");
  FieldReader f(body.payload, to_string(tx.type));
  if (auto s = f.u256(tx.chain_id, "chainId"); !s) return s;
  if (auto s = f.u64(tx.nonce, "nonce"); !s) return s;
  if (tx.type == TxType::kEthereumDynamicFee) {
    if (auto s = f.u256(tx.gas_tip_cap, "maxPriorityFeePerGas"); !s) return s;
    if (auto s = f.u256(tx.gas_fee_cap, "maxFeePerGas"); !s) return s;
  } else {
    if (auto s = f.u256(tx.gas_price, "gasPrice"); !s) return s;
  }
  if (auto s = f.u64(tx.gas, "gas"); !s) return s;
  if (auto s = f.opt_address(tx.to, "to"); !s) return s;
  if (auto s = f.u256(tx.value, "value"); !s) return s;
  if (auto s = f.bytes(tx.data, "data"); !s) return s;
  rlp::Item al;
  if (auto s = f.list(al, "accessList"); !s) return s;
  if (auto s = decode_access_list(al, tx.access_list); !s) return s;
  return decode_vrs(f, tx);
}

Result<uint16_t> read_type_byte(ByteView& rest, const char* what) {
  auto item = rlp::decode_prefix(rest);
  if (!item) return Status::corruption(std::string(what) + ": " + item.status().message());
  auto v = rlp::decode_uint(*item);
  if (!v) return Status::corruption(std::string(what) + ": " + v.status().message());
  if (*v > 0xff) return Status::corruption(std::string(what) + ": transaction type out of range");
  rest = rest.subspan(item->encoded.size());
  return static_cast<uint16_t>(*v);
}

Result<rlp::Item> read_body(ByteView& rest, const std::string& what) {
  auto body = rlp::decode_prefix(rest);
  if (!body) return Status::corruption(what + ": " + body.status().message());
  rest = rest.subspan(body->encoded.size());
  return body;
}

Result<Transaction> finish_decode(Transaction tx) {
  if (auto s = validate_decoded_signatures(tx); !s) return s;
  return tx;
}

}  // namespace

Result<Transaction> decode_transaction_prefix(ByteView& rest) {
  if (rest.empty()) return Status::corruption("transaction: empty input");
  Transaction tx;
  auto first = rlp::decode_prefix(rest);
  if (!first) return Status::corruption("transaction: " + first.status().message());
  if (first->is_list()) {
    rest = rest.subspan(first->encoded.size());
    if (auto s = decode_legacy_body(*first, tx); !s) return s;
    return finish_decode(std::move(tx));
  }
  auto type_byte = read_type_byte(rest, "transaction type");
  if (!type_byte) return type_byte.status();
  uint16_t type_value = *type_byte;
  if (type_value == kEthereumTxTypeEnvelope) {
    auto eth = read_type_byte(rest, "ethereum transaction type");
    if (!eth) return eth.status();
    type_value = static_cast<uint16_t>(kEthereumTxTypeEnvelope << 8 | *eth);
  }
  if (type_value == 0) return Status::corruption("transaction: a legacy transaction must not carry a type prefix");
  if (type_value == static_cast<uint16_t>(TxType::kAccountCreation))
    return Status::not_supported("transaction: type 0x18 (AccountCreation) is no longer supported");
  if (!tx_type_from(type_value, &tx.type))
    return Status::not_supported("transaction: undefined transaction type " + std::to_string(type_value));
  auto body = read_body(rest, to_string(tx.type));
  if (!body) return body.status();
  if (is_ethereum_typed(tx.type)) {
    if (auto s = decode_eth_typed_body(*body, tx); !s) return s;
  } else {
    if (auto s = decode_klaytn_body(*body, tx); !s) return s;
  }
  return finish_decode(std::move(tx));
}

Result<Transaction> decode_transaction(ByteView raw) {
  // Ethereum envelope (ethType ++ rlp) as produced by Ethereum tooling: 0x01
  // and 0x02 are also Klaytn-free type numbers, so rewrite to 0x78 ethType.
  if (!raw.empty() && (raw[0] == 0x01 || raw[0] == 0x02)) {
    Bytes wrapped{kEthereumTxTypeEnvelope};
    append(wrapped, raw);
    ByteView rest(wrapped);
    auto tx = decode_transaction_prefix(rest);
    if (tx && !rest.empty()) return Status::corruption("transaction: trailing bytes after the transaction");
    return tx;
  }
  ByteView rest = raw;
  auto tx = decode_transaction_prefix(rest);
  if (tx && !rest.empty()) return Status::corruption("transaction: trailing bytes after the transaction");
  return tx;
}

Bytes encode_transaction(const Transaction& tx) {
  Bytes out;
  if (tx.type == TxType::kLegacy) {
    rlp::encode_list(out, tx_fields_payload(tx, FieldSet::kWire));
    return out;
  }
  if (is_ethereum_typed(tx.type)) {
    out.push_back(kEthereumTxTypeEnvelope);
    out.push_back(static_cast<uint8_t>(static_cast<uint16_t>(tx.type) & 0xff));
  } else {
    rlp::encode_uint(out, static_cast<uint16_t>(tx.type));
  }
  rlp::encode_list(out, tx_fields_payload(tx, FieldSet::kWire));
  return out;
}

Bytes encode_ethereum_envelope(const Transaction& tx) {
  if (!is_ethereum_typed(tx.type)) return encode_transaction(tx);
  Bytes out{static_cast<uint8_t>(static_cast<uint16_t>(tx.type) & 0xff)};
  rlp::encode_list(out, tx_fields_payload(tx, FieldSet::kWire));
  return out;
}

Hash tx_hash(const Transaction& tx) {
  if (is_ethereum_typed(tx.type)) return keccak256(encode_ethereum_envelope(tx));
  return keccak256(encode_transaction(tx));
}

Hash sender_tx_hash(const Transaction& tx) {
  if (!is_klaytn_type(tx.type)) return tx_hash(tx);
  Bytes out;
  rlp::encode_uint(out, static_cast<uint16_t>(tx.type));
  rlp::encode_list(out, tx_fields_payload(tx, FieldSet::kSenderOnly));
  return keccak256(out);
}

}  // namespace klay
