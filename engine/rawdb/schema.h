// The chaindata key schema: one builder per record, and the entry type
// (database) each record lives in.
//
// Facts checked against the reference node (klaytn/klaytn
// storage/database/schema.go and db_manager.go):
//   record                                   key                                  entry type
//   header RLP                               "h" + BE64(num) + hash               header
//   canonical hash of num                    "h" + BE64(num) + "n"                header
//   block number of hash                     "H" + hash                           header
//   head pointers LastHeader/LastBlock/LastFast (+ LastBlockBackup/LastFastBackup)  header
//   total block score (RLP big int)          "h" + BE64(num) + hash + "t"         misc
//   body RLP                                 "b" + BE64(num) + hash               body
//   stored receipts                          "r" + BE64(num) + hash               receipts
//   tx lookup [blockHash, block_num, index]  "l" + txHash                         tx lookup
//   contract code                            "c" + codeHash                       state trie
//   preimage                                 "secure-key-" + hash                 state trie
//   chain config JSON                        "klay-config-" + genesisHash         misc
//   DatabaseVersion (RLP uint)               "DatabaseVersion"                    misc
//   migrationStatus (BE64 block_num)         "migrationStatus"                    misc
//   migrationOldDBPath (directory name)      "migrationOldDBPath"                 misc
//   PruningEnabled (any value: present=on)   "PruningEnabled"                     misc
//   pruning mark (value 0x01)                "Pruning-" + BE64(num) + extHash(39) misc
//   lastPrunedBlockNumber (LE64)             "lastPrunedBlockNumber"              misc
// Note the spec table's "header/misc" for head pointers: the reference keeps
// all three head pointers in the header database.
//
// Pure functions; thread-safe; no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "engine/chaindata/entry_type.h"
#include "engine/core/bytes.h"
#include "engine/core/types.h"

namespace klay::rawdb {

using chaindata::EntryType;

// ---- fixed keys ----
inline constexpr std::string_view kHeadHeaderKey = "LastHeader";
inline constexpr std::string_view kHeadBlockKey = "LastBlock";
inline constexpr std::string_view kHeadBlockBackupKey = "LastBlockBackup";
inline constexpr std::string_view kHeadFastBlockKey = "LastFast";
inline constexpr std::string_view kHeadFastBlockBackupKey = "LastFastBackup";
inline constexpr std::string_view kDatabaseVersionKey = "DatabaseVersion";
inline constexpr std::string_view kMigrationStatusKey = "migrationStatus";
inline constexpr std::string_view kMigrationOldDBPathKey = "migrationOldDBPath";
inline constexpr std::string_view kPruningEnabledKey = "PruningEnabled";
inline constexpr std::string_view kLastPrunedBlockNumberKey = "lastPrunedBlockNumber";
// Our own record, not in the reference schema (header database): the hash of
// the newest block whose state is fully on disk (node/chain's state cadence).
inline constexpr std::string_view kStateBlockKey = "LastStateBlock";

// ---- prefixes ----
inline constexpr std::string_view kHeaderPrefix = "h";
inline constexpr std::string_view kHeaderTotalScoreSuffix = "t";
inline constexpr std::string_view kHeaderHashSuffix = "n";
inline constexpr std::string_view kHeaderNumberPrefix = "H";
inline constexpr std::string_view kBodyPrefix = "b";
inline constexpr std::string_view kReceiptsPrefix = "r";
inline constexpr std::string_view kTxLookupPrefix = "l";
inline constexpr std::string_view kCodePrefix = "c";
inline constexpr std::string_view kPreimagePrefix = "secure-key-";
inline constexpr std::string_view kConfigPrefix = "klay-config-";
inline constexpr std::string_view kPruningMarkPrefix = "Pruning-";

// The value of a pruning mark and of the PruningEnabled flag the reference writes.
inline constexpr uint8_t kPruningMarkValue = 0x01;
inline constexpr std::string_view kPruningEnabledValue = "42";

// The database version the reference node writes (BlockChainVersion).
inline constexpr uint64_t kDatabaseVersion = 4;

// ---- where each record lives ----
inline constexpr EntryType kHeaderDb = EntryType::kHeader;          // header, canonical hash, header number, heads
inline constexpr EntryType kTotalScoreDb = EntryType::kMisc;
inline constexpr EntryType kBodyDb = EntryType::kBody;
inline constexpr EntryType kReceiptsDb = EntryType::kReceipts;
inline constexpr EntryType kTxLookupDb = EntryType::kTxLookup;
inline constexpr EntryType kCodeDb = EntryType::kStateTrie;
inline constexpr EntryType kPreimageDb = EntryType::kStateTrie;
inline constexpr EntryType kTrieNodeDb = EntryType::kStateTrie;
inline constexpr EntryType kMetaDb = EntryType::kMisc;              // config, version, migration, pruning

// ---- key builders ----
Bytes header_key(uint64_t block_num, const Hash& hash);
Bytes total_score_key(uint64_t block_num, const Hash& hash);
Bytes canonical_hash_key(uint64_t block_num);
Bytes header_number_key(const Hash& hash);
Bytes body_key(uint64_t block_num, const Hash& hash);
Bytes receipts_key(uint64_t block_num, const Hash& hash);
Bytes tx_lookup_key(const Hash& txn_hash);
Bytes code_key(const Hash& code_hash);
Bytes preimage_key(const Hash& hash);
Bytes config_key(const Hash& genesis_hash);
Bytes pruning_mark_key(uint64_t block_num, const ExtHash& node);
// The same key written into `out` without allocating (loops over many marks).
inline constexpr size_t kPruningMarkKeySize = kPruningMarkPrefix.size() + 8 + ExtHash::kSize;
void encode_pruning_mark_key(uint64_t block_num, const ExtHash& node, uint8_t (&out)[kPruningMarkKeySize]);
inline Bytes fixed_key(std::string_view k) { return to_bytes(k); }

// A parsed pruning mark key; nullopt when `key` is not one.
struct PruningMark {
  uint64_t block_num = 0;
  ExtHash node;
  bool operator==(const PruningMark&) const = default;
};
std::optional<PruningMark> parse_pruning_mark_key(ByteView key);

// The 8-byte block-number prefix of every "h"/"b"/"r" key of block_num, e.g.
// for iterating one block's records: prefix + BE64(num).
Bytes block_prefix(std::string_view prefix, uint64_t block_num);

}  // namespace klay::rawdb
