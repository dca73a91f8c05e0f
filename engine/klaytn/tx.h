// Klaytn transactions: decoding, encoding, hashes and signature recovery,
// bit-exact with the reference (blockchain/types/transaction*.go,
// tx_internal_data_*.go).
//
// Wire forms (what blocks store and what is hashed):
//   legacy           rlp([nonce, gasPrice, gas, to|"", value, data, v, r, s])
//   Klaytn types     rlp(type) ++ rlp([signFields..., [[v,r,s]...]
//                                      (, feePayer, [[v,r,s]...] for FD types)])
//   Ethereum typed   0x78 ++ ethType ++ rlp([chainId, nonce, ..., accessList, v, r, s])
// decode_transaction() also accepts the Ethereum envelope (ethType ++ rlp(...))
// that Ethereum tooling produces; encode_transaction() always writes the
// Klaytn wire form.
//
// Hashes:
//   tx_hash          legacy/Klaytn: keccak256(wire form);
//                    Ethereum typed: keccak256(ethType ++ rlp(fields))
//   sender_tx_hash   Klaytn: keccak256(rlp(type) ++ rlp([signFields..., senderSigs]))
//                    (differs from tx_hash only for fee-delegated types);
//                    legacy/Ethereum typed: tx_hash
//   signing_hash     Klaytn: keccak256(rlp([rlp([type, signFields...]), chainId, 0, 0]))
//                    legacy: EIP-155 (or pre-EIP-155 when v is 27/28)
//                    Ethereum typed: keccak256(ethType ++ rlp(fields without v, r, s))
//   fee_payer_signing_hash (FD only)
//                    keccak256(rlp([rlp([type, signFields...]), feePayer, chainId, 0, 0]))
// Klaytn signatures carry v = chainId*2 + 35 + recid; recovery requires low s.
//
// Transaction is a value type; thread-safe as a value.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "engine/core/bytes.h"
#include "engine/core/secp256k1.h"
#include "engine/core/status.h"
#include "engine/core/types.h"
#include "engine/core/uint256.h"
#include "engine/klaytn/account_key.h"
#include "engine/klaytn/tx_types.h"

namespace klay {

struct TxSignature {
  uint256 v;
  uint256 r;
  uint256 s;
  bool operator==(const TxSignature&) const = default;
};

struct AccessTuple {
  Address address;
  std::vector<Hash> storage_keys;
  bool operator==(const AccessTuple&) const = default;
};

struct Transaction {
  TxType type = TxType::kLegacy;
  uint64_t nonce = 0;
  uint256 gas_price;   // legacy, access list, Klaytn types
  uint64_t gas = 0;
  std::optional<Address> to;  // nullopt: contract creation (where allowed)
  uint256 value;
  Bytes data;          // input / memo / anchored data
  // Klaytn types
  Address from;
  bool human_readable = false;
  uint8_t code_format = 0;
  uint8_t fee_ratio = 0;
  AccountKey key;      // account update
  std::vector<TxSignature> signatures;  // legacy/Ethereum typed: exactly one
  Address fee_payer;
  std::vector<TxSignature> fee_payer_signatures;
  // Ethereum typed
  uint256 chain_id;
  uint256 gas_tip_cap;
  uint256 gas_fee_cap;
  std::vector<AccessTuple> access_list;

  bool operator==(const Transaction&) const = default;
};

// Decodes one raw transaction (whole input). Unknown types, malformed RLP
// and signature values the reference rejects at decode time (r or s out of
// range, mixed chain ids, a v that is neither 27/28 nor EIP-155, a missing
// sender signature) are errors with a message naming the problem.
Result<Transaction> decode_transaction(ByteView raw);

// Decodes one transaction from the front of a block body's transaction list
// (one, two or three RLP items) and advances `rest`.
Result<Transaction> decode_transaction_prefix(ByteView& rest);

Bytes encode_transaction(const Transaction& tx);
// Ethereum typed transactions in Ethereum's envelope (ethType ++ rlp(...));
// other types as encode_transaction().
Bytes encode_ethereum_envelope(const Transaction& tx);

Hash tx_hash(const Transaction& tx);
Hash sender_tx_hash(const Transaction& tx);

// Chain id a transaction commits to: Ethereum typed: its field; legacy and
// Klaytn: derived from the (first sender) signature's v (0 for v = 27/28).
uint256 tx_chain_id(const Transaction& tx);

Hash signing_hash(const Transaction& tx, const uint256& chain_id);
// InvalidArgument unless the type is fee-delegated.
Result<Hash> fee_payer_signing_hash(const Transaction& tx, const uint256& chain_id);

// Recovers the public key of every sender signature (one for legacy and
// Ethereum typed). Fails when the transaction's chain id differs from
// `chain_id`, a v is malformed, s is high, or no key matches.
Result<std::vector<PublicKey>> recover_sender_keys(const Transaction& tx, const uint256& chain_id);
// Same for the fee payer signatures of a fee-delegated transaction.
Result<std::vector<PublicKey>> recover_fee_payer_keys(const Transaction& tx, const uint256& chain_id);

// The sender: legacy/Ethereum typed: the recovered address; Klaytn types:
// the `from` field, after checking that every signature recovers (which key
// must match depends on the account's key, which needs state).
Result<Address> tx_sender(const Transaction& tx, const uint256& chain_id);

}  // namespace klay
