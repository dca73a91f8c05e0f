// Block records: canonical hashes, headers, header numbers, bodies, receipts,
// total block scores, head pointers and tx lookup entries.
//
// Reads take the DBManager and return NotFound ("no header 5 0x…") when the
// record is absent, Corruption naming the key when its value does not decode,
// and the backend's error (prefixed with the entry type) otherwise.
// Writes go to a ChainWriter (DirectWriter or ChainBatch, see chain_batch.h).
// Deletes of absent records succeed.
//
// Threading: as safe as the DBManager's databases (reads may run concurrently
// with each other and with one writer).
#pragma once

#include <cstdint>
#include <vector>

#include "engine/chaindata/db_manager.h"
#include "engine/core/status.h"
#include "engine/core/types.h"
#include "engine/core/uint256.h"
#include "engine/klaytn/block.h"
#include "engine/klaytn/header.h"
#include "engine/klaytn/receipt.h"
#include "engine/rawdb/chain_batch.h"

namespace klay::rawdb {

using chaindata::DBManager;

// ---- canonical hash: "h" + BE64(num) + "n" -> hash (header db) ----
Result<Hash> read_canonical_hash(const DBManager& dbm, uint64_t block_num);
Status write_canonical_hash(ChainWriter& w, uint64_t block_num, const Hash& hash);
Status delete_canonical_hash(ChainWriter& w, uint64_t block_num);

// ---- header number: "H" + hash -> BE64(num) (header db) ----
Result<uint64_t> read_header_number(const DBManager& dbm, const Hash& hash);

// ---- header: "h" + BE64(num) + hash -> header RLP (header db) ----
Result<Bytes> read_header_rlp(const DBManager& dbm, uint64_t block_num, const Hash& hash);
Result<Header> read_header(const DBManager& dbm, uint64_t block_num, const Hash& hash);
Result<bool> has_header(const DBManager& dbm, uint64_t block_num, const Hash& hash);
// Writes the header RLP and the hash -> number mapping, as the reference does.
// `hash` must be header_hash(header) (passed in because hashing is not free).
Status write_header(ChainWriter& w, const Header& header, const Hash& hash);
// Deletes the header and its hash -> number mapping.
Status delete_header(ChainWriter& w, uint64_t block_num, const Hash& hash);

// ---- body: "b" + BE64(num) + hash -> body RLP (body db) ----
Result<Bytes> read_body_rlp(const DBManager& dbm, uint64_t block_num, const Hash& hash);
Result<Body> read_body(const DBManager& dbm, uint64_t block_num, const Hash& hash);
Status write_body(ChainWriter& w, uint64_t block_num, const Hash& hash, const Body& body);
Status write_body_rlp(ChainWriter& w, uint64_t block_num, const Hash& hash, ByteView rlp);
Status delete_body(ChainWriter& w, uint64_t block_num, const Hash& hash);

// ---- receipts: "r" + BE64(num) + hash -> rlp([storedReceipt...]) (receipts db) ----
Result<std::vector<Receipt>> read_receipts(const DBManager& dbm, uint64_t block_num, const Hash& hash);
Status write_receipts(ChainWriter& w, uint64_t block_num, const Hash& hash,
                      const std::vector<Receipt>& receipts);
Status delete_receipts(ChainWriter& w, uint64_t block_num, const Hash& hash);

// ---- total block score: "h" + BE64(num) + hash + "t" -> RLP big int (misc db) ----
Result<uint256> read_total_score(const DBManager& dbm, uint64_t block_num, const Hash& hash);
Status write_total_score(ChainWriter& w, uint64_t block_num, const Hash& hash, const uint256& score);
Status delete_total_score(ChainWriter& w, uint64_t block_num, const Hash& hash);

// ---- head pointers (header db) ----
enum class Head {
  kHeader,     // "LastHeader": the latest known header
  kBlock,      // "LastBlock": the latest full block (with state)
  kFastBlock,  // "LastFast": the latest block of a fast sync
};
std::string_view head_key(Head head);
Result<Hash> read_head(const DBManager& dbm, Head head);
// Through ChainWriter::put_head, so a ChainBatch writes it last.
Status write_head(ChainWriter& w, Head head, const Hash& hash);

// ---- tx lookup: "l" + txHash -> rlp([blockHash, block_num, index]) (tx lookup db) ----
struct TxLookupEntry {
  Hash block_hash;
  uint64_t block_num = 0;
  uint64_t index = 0;
  bool operator==(const TxLookupEntry&) const = default;
};
Bytes encode_tx_lookup_entry(const TxLookupEntry& e);
Result<TxLookupEntry> decode_tx_lookup_entry(ByteView encoded);

Result<TxLookupEntry> read_tx_lookup(const DBManager& dbm, const Hash& txn_hash);
Status write_tx_lookup(ChainWriter& w, const Hash& txn_hash, const TxLookupEntry& entry);
// One entry per transaction of the block, index = position in the block.
Status write_tx_lookup_entries(ChainWriter& w, const Hash& block_hash, uint64_t block_num,
                               const std::vector<Transaction>& txns);
Status delete_tx_lookup(ChainWriter& w, const Hash& txn_hash);

}  // namespace klay::rawdb
