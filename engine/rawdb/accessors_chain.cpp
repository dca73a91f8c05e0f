#include "engine/rawdb/accessors_chain.h"

#include <string>

#include "engine/core/rlp.h"
#include "engine/rawdb/read_util.h"
#include "engine/rawdb/schema.h"

namespace klay::rawdb {

using detail::corrupt;
using detail::read_record;

namespace {

std::string block_name(uint64_t block_num, const Hash& hash) {
  return std::to_string(block_num) + " " + hash.hex();
}

Result<Hash> read_hash(const DBManager& dbm, EntryType type, ByteView key, std::string_view what) {
  auto v = read_record(dbm, type, key, what);
  if (!v) return v.status();
  if (v->size() != Hash::kSize) return corrupt(what, key, "expected a 32-byte hash, found " +
                                                             std::to_string(v->size()) + " bytes");
  return Hash::from(*v);
}

}  // namespace

// ---- canonical hash ----

Result<Hash> read_canonical_hash(const DBManager& dbm, uint64_t block_num) {
  return read_hash(dbm, kHeaderDb, canonical_hash_key(block_num),
                   "canonical hash for block " + std::to_string(block_num));
}

Status write_canonical_hash(ChainWriter& w, uint64_t block_num, const Hash& hash) {
  return w.put(kHeaderDb, canonical_hash_key(block_num), hash.view());
}

Status delete_canonical_hash(ChainWriter& w, uint64_t block_num) {
  return w.del(kHeaderDb, canonical_hash_key(block_num));
}

// ---- header number ----

Result<uint64_t> read_header_number(const DBManager& dbm, const Hash& hash) {
  const Bytes key = header_number_key(hash);
  const std::string what = "block number for hash " + hash.hex();
  auto v = read_record(dbm, kHeaderDb, key, what);
  if (!v) return v.status();
  if (v->size() != 8) return corrupt(what, key, "expected 8 bytes, found " + std::to_string(v->size()));
  return get_be64(v->data());
}

// ---- header ----

Result<Bytes> read_header_rlp(const DBManager& dbm, uint64_t block_num, const Hash& hash) {
  return read_record(dbm, kHeaderDb, header_key(block_num, hash), "header " + block_name(block_num, hash));
}

Result<Header> read_header(const DBManager& dbm, uint64_t block_num, const Hash& hash) {
  auto raw = read_header_rlp(dbm, block_num, hash);
  if (!raw) return raw.status();
  auto h = decode_header(*raw);
  if (!h) return corrupt("header", header_key(block_num, hash), h.status().message());
  return std::move(*h);
}

Result<bool> has_header(const DBManager& dbm, uint64_t block_num, const Hash& hash) {
  return detail::has_record(dbm, kHeaderDb, header_key(block_num, hash));
}

Status write_header(ChainWriter& w, const Header& header, const Hash& hash) {
  uint8_t num[8];
  put_be64(num, header.number);
  if (auto s = w.put(kHeaderDb, header_number_key(hash), ByteView(num, 8)); !s) return s;
  return w.put(kHeaderDb, header_key(header.number, hash), encode_header(header));
}

Status delete_header(ChainWriter& w, uint64_t block_num, const Hash& hash) {
  if (auto s = w.del(kHeaderDb, header_key(block_num, hash)); !s) return s;
  return w.del(kHeaderDb, header_number_key(hash));
}

// ---- body ----

Result<Bytes> read_body_rlp(const DBManager& dbm, uint64_t block_num, const Hash& hash) {
  return read_record(dbm, kBodyDb, body_key(block_num, hash), "body " + block_name(block_num, hash));
}

Result<Body> read_body(const DBManager& dbm, uint64_t block_num, const Hash& hash) {
  auto raw = read_body_rlp(dbm, block_num, hash);
  if (!raw) return raw.status();
  auto b = decode_body(*raw);
  if (!b) return corrupt("body", body_key(block_num, hash), b.status().message());
  return std::move(*b);
}

Status write_body(ChainWriter& w, uint64_t block_num, const Hash& hash, const Body& body) {
  return write_body_rlp(w, block_num, hash, encode_body(body));
}

Status write_body_rlp(ChainWriter& w, uint64_t block_num, const Hash& hash, ByteView rlp) {
  return w.put(kBodyDb, body_key(block_num, hash), rlp);
}

Status delete_body(ChainWriter& w, uint64_t block_num, const Hash& hash) {
  return w.del(kBodyDb, body_key(block_num, hash));
}

// ---- receipts ----

Result<std::vector<Receipt>> read_receipts(const DBManager& dbm, uint64_t block_num, const Hash& hash) {
  const Bytes key = receipts_key(block_num, hash);
  auto raw = read_record(dbm, kReceiptsDb, key, "receipts of block " + block_name(block_num, hash));
  if (!raw) return raw.status();
  auto r = decode_block_receipts(*raw);
  if (!r) return corrupt("receipts", key, r.status().message());
  return std::move(*r);
}

Status write_receipts(ChainWriter& w, uint64_t block_num, const Hash& hash,
                      const std::vector<Receipt>& receipts) {
  return w.put(kReceiptsDb, receipts_key(block_num, hash), encode_block_receipts(receipts));
}

Status delete_receipts(ChainWriter& w, uint64_t block_num, const Hash& hash) {
  return w.del(kReceiptsDb, receipts_key(block_num, hash));
}

// ---- total score ----

Result<uint256> read_total_score(const DBManager& dbm, uint64_t block_num, const Hash& hash) {
  const Bytes key = total_score_key(block_num, hash);
  auto raw = read_record(dbm, kTotalScoreDb, key, "total block score of block " + block_name(block_num, hash));
  if (!raw) return raw.status();
  auto item = rlp::decode(*raw);
  if (!item) return corrupt("total block score", key, item.status().message());
  auto v = rlp::decode_uint256(*item);
  if (!v) return corrupt("total block score", key, v.status().message());
  return *v;
}

Status write_total_score(ChainWriter& w, uint64_t block_num, const Hash& hash, const uint256& score) {
  Bytes enc;
  rlp::encode_uint256(enc, score);
  return w.put(kTotalScoreDb, total_score_key(block_num, hash), enc);
}

Status delete_total_score(ChainWriter& w, uint64_t block_num, const Hash& hash) {
  return w.del(kTotalScoreDb, total_score_key(block_num, hash));
}

// ---- heads ----

std::string_view head_key(Head head) {
  switch (head) {
    case Head::kHeader: return kHeadHeaderKey;
    case Head::kBlock: return kHeadBlockKey;
    case Head::kFastBlock: return kHeadFastBlockKey;
  }
  return kHeadHeaderKey;
}

Result<Hash> read_head(const DBManager& dbm, Head head) {
  const std::string_view k = head_key(head);
  return read_hash(dbm, kHeaderDb, as_view(k), "head pointer " + std::string(k));
}

Status write_head(ChainWriter& w, Head head, const Hash& hash) {
  return w.put_head(as_view(head_key(head)), hash.view());
}

// ---- tx lookup ----

Bytes encode_tx_lookup_entry(const TxLookupEntry& e) {
  Bytes payload;
  rlp::encode_string(payload, e.block_hash.view());
  rlp::encode_uint(payload, e.block_num);
  rlp::encode_uint(payload, e.index);
  return rlp::wrap_list(payload);
}

Result<TxLookupEntry> decode_tx_lookup_entry(ByteView encoded) {
  auto items = rlp::decode_list_item(encoded);
  if (!items) return items.status();
  if (items->size() != 3) return Status::corruption("a tx lookup entry is a list of 3 items, found " +
                                                    std::to_string(items->size()));
  const auto& it = *items;
  if (it[0].is_list() || it[0].payload.size() != Hash::kSize)
    return Status::corruption("a tx lookup entry's block hash must be a 32-byte string");
  auto num = rlp::decode_uint(it[1]);
  if (!num) return num.status();
  auto index = rlp::decode_uint(it[2]);
  if (!index) return index.status();
  return TxLookupEntry{Hash::from(it[0].payload), *num, *index};
}

Result<TxLookupEntry> read_tx_lookup(const DBManager& dbm, const Hash& txn_hash) {
  const Bytes key = tx_lookup_key(txn_hash);
  auto raw = read_record(dbm, kTxLookupDb, key, "tx lookup entry for " + txn_hash.hex());
  if (!raw) return raw.status();
  auto e = decode_tx_lookup_entry(*raw);
  if (!e) return corrupt("tx lookup entry", key, e.status().message());
  return *e;
}

Status write_tx_lookup(ChainWriter& w, const Hash& txn_hash, const TxLookupEntry& entry) {
  return w.put(kTxLookupDb, tx_lookup_key(txn_hash), encode_tx_lookup_entry(entry));
}

Status write_tx_lookup_entries(ChainWriter& w, const Hash& block_hash, uint64_t block_num,
                               const std::vector<Transaction>& txns) {
  for (size_t i = 0; i < txns.size(); ++i) {
    if (auto s = write_tx_lookup(w, tx_hash(txns[i]), TxLookupEntry{block_hash, block_num, i}); !s) return s;
  }
  return Status::ok();
}

Status delete_tx_lookup(ChainWriter& w, const Hash& txn_hash) {
  return w.del(kTxLookupDb, tx_lookup_key(txn_hash));
}

}  // namespace klay::rawdb
