// JSON objects of blocks, transactions and receipts as the eth_ and klay_
// namespaces return them.
//
// Two flavours of the same data:
//   kEth   what Ethereum tooling (ethers v6, web3) parses: "type" is the
//          Ethereum type number (legacy 0, 0x7801 → 1, 0x7802 → 2; Klaytn
//          types keep their Klaytn number, e.g. 0x8), v/r/s of the (first
//          sender) signature, "input", "gas";
//   kKlay  the reference's klay_ form: "type" is the type name
//          ("TxTypeValueTransfer"), "typeInt" the number, "signatures" a list
//          of {V, R, S}; receipts also carry the transaction's fields and a
//          "txError" for failed statuses.
// Klaytn-only fields (feePayer, feePayerSignatures, feeRatio, senderTxHash,
// key, humanReadable, codeFormat) are present in both flavours for the types
// that have them; extra members are ignored by Ethereum tooling.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/core/types.h"
#include "engine/core/uint256.h"
#include "engine/klaytn/block.h"
#include "engine/klaytn/receipt.h"
#include "engine/klaytn/tx.h"

namespace klay::api {

enum class Flavor { kEth, kKlay };

// Where a mined transaction sits.
struct TxLocation {
  Hash block_hash;
  uint64_t block_num = 0;
  uint64_t index = 0;
  std::optional<uint256> base_fee;  // the block's base fee (Magma on)
};

// The Ethereum type number reported for `type` (see the file comment).
uint64_t ethereum_type_number(TxType type);
// "TxTypeValueTransfer", "TxTypeLegacyTransaction", ...
std::string klaytn_type_name(TxType type);

// The gas price a transaction paid (mined) or offers (pending, loc empty):
// the block's base fee when set, else its gas price (fee cap for 0x7802).
uint256 reported_gas_price(const Transaction& tx, const std::optional<TxLocation>& loc);

// A transaction; `loc` empty for a pending one (block fields null).
nlohmann::json format_transaction(const Transaction& tx, const Address& sender, const std::optional<TxLocation>& loc,
                                  Flavor flavor);

// A receipt of a mined transaction. `cumulative_gas` includes this
// transaction; `first_log_index` is the block-wide index of its first log.
nlohmann::json format_receipt(const Transaction& tx, const Address& sender, const Receipt& receipt,
                              const TxLocation& loc, uint64_t cumulative_gas, uint64_t first_log_index,
                              Flavor flavor);

// A block. With `full_txs`, `senders` holds one address per transaction and
// the transactions are objects; otherwise they are hashes.
nlohmann::json format_block(const Block& block, const Hash& hash, const uint256& total_score, bool full_txs,
                            const std::vector<Address>& senders, Flavor flavor);

}  // namespace klay::api
