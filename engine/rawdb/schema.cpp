#include "engine/rawdb/schema.h"

#include <cstring>

namespace klay::rawdb {

namespace {

void append_be64(Bytes& out, uint64_t v) {
  uint8_t buf[8];
  put_be64(buf, v);
  out.insert(out.end(), buf, buf + 8);
}

Bytes prefixed(std::string_view prefix, ByteView rest) {
  Bytes k;
  k.reserve(prefix.size() + rest.size());
  append(k, as_view(prefix));
  append(k, rest);
  return k;
}

}  // namespace

Bytes block_prefix(std::string_view prefix, uint64_t block_num) {
  Bytes k = to_bytes(prefix);
  append_be64(k, block_num);
  return k;
}

Bytes header_key(uint64_t block_num, const Hash& hash) {
  Bytes k = block_prefix(kHeaderPrefix, block_num);
  append(k, hash.view());
  return k;
}

Bytes total_score_key(uint64_t block_num, const Hash& hash) {
  Bytes k = header_key(block_num, hash);
  append(k, as_view(kHeaderTotalScoreSuffix));
  return k;
}

Bytes canonical_hash_key(uint64_t block_num) {
  Bytes k = block_prefix(kHeaderPrefix, block_num);
  append(k, as_view(kHeaderHashSuffix));
  return k;
}

Bytes header_number_key(const Hash& hash) { return prefixed(kHeaderNumberPrefix, hash.view()); }

Bytes body_key(uint64_t block_num, const Hash& hash) {
  Bytes k = block_prefix(kBodyPrefix, block_num);
  append(k, hash.view());
  return k;
}

Bytes receipts_key(uint64_t block_num, const Hash& hash) {
  Bytes k = block_prefix(kReceiptsPrefix, block_num);
  append(k, hash.view());
  return k;
}

Bytes tx_lookup_key(const Hash& txn_hash) { return prefixed(kTxLookupPrefix, txn_hash.view()); }
Bytes code_key(const Hash& code_hash) { return prefixed(kCodePrefix, code_hash.view()); }
Bytes preimage_key(const Hash& hash) { return prefixed(kPreimagePrefix, hash.view()); }
Bytes config_key(const Hash& genesis_hash) { return prefixed(kConfigPrefix, genesis_hash.view()); }

Bytes pruning_mark_key(uint64_t block_num, const ExtHash& node) {
  uint8_t k[kPruningMarkKeySize];
  encode_pruning_mark_key(block_num, node, k);
  return Bytes(k, k + kPruningMarkKeySize);
}

void encode_pruning_mark_key(uint64_t block_num, const ExtHash& node, uint8_t (&out)[kPruningMarkKeySize]) {
  std::memcpy(out, kPruningMarkPrefix.data(), kPruningMarkPrefix.size());
  put_be64(out + kPruningMarkPrefix.size(), block_num);
  std::memcpy(out + kPruningMarkPrefix.size() + 8, node.data(), ExtHash::kSize);
}

std::optional<PruningMark> parse_pruning_mark_key(ByteView key) {
  const size_t p = kPruningMarkPrefix.size();
  if (key.size() != p + 8 + ExtHash::kSize || !starts_with(key, as_view(kPruningMarkPrefix))) return std::nullopt;
  PruningMark m;
  m.block_num = get_be64(key.data() + p);
  m.node = ExtHash::from(key.subspan(p + 8));
  return m;
}

}  // namespace klay::rawdb
