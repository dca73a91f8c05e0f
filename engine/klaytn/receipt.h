// Transaction receipts and logs.
//
// Consensus form (hashed by DeriveSha into ReceiptHash):
//   rlp([status, gasUsed, bloom(256), [[address, [topics...], data]...]])
// Stored form (chaindata "r" + BE64(num) + hash holds rlp([stored...])):
//   rlp([status, bloom, txHash, contractAddress, [storedLog...], gasUsed])
//   storedLog = [address, [topics...], data, blockNumber, txHash, txIndex,
//                blockHash, index]
// Status: 0 failed, 1 successful; other values are VM error codes Klaytn
// records (kept as-is).
//
// Value types; thread-safe as values.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/core/bytes.h"
#include "engine/core/status.h"
#include "engine/core/types.h"
#include "engine/klaytn/derive_sha.h"
#include "engine/klaytn/header.h"

namespace klay {

struct Log {
  Address address;
  std::vector<Hash> topics;
  Bytes data;
  // Context fields, present only in the stored form.
  uint64_t block_number = 0;
  Hash tx_hash;
  uint64_t tx_index = 0;
  Hash block_hash;
  uint64_t index = 0;
  bool operator==(const Log&) const = default;
};

struct Receipt {
  uint64_t status = 0;
  Bloom bloom;
  std::vector<Log> logs;
  Hash tx_hash;              // stored form only
  Address contract_address;  // stored form only
  uint64_t gas_used = 0;
  bool operator==(const Receipt&) const = default;
};

Bytes encode_receipt_consensus(const Receipt& r);
Result<Receipt> decode_receipt_consensus(ByteView encoded);

Bytes encode_receipt_stored(const Receipt& r);
Result<Receipt> decode_receipt_stored(ByteView encoded);

// The value stored under a block's receipts key: rlp list of stored receipts.
Bytes encode_block_receipts(const std::vector<Receipt>& receipts);
Result<std::vector<Receipt>> decode_block_receipts(ByteView encoded);

// The 2048-bit log bloom of `logs` (addresses and topics, 3 bits each).
Bloom logs_bloom(const std::vector<Log>& logs);

Hash receipts_root(DeriveShaImpl impl, const std::vector<Receipt>& receipts);

}  // namespace klay
