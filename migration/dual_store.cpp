#include "migration/dual_store.h"

namespace klay::migration {

DualStateWriter::DualStateWriter(trie::NodeWriter& primary_nodes, state::CodeWriter& primary_codes,
                                 kv::Database& target, size_t flush_bytes)
    : primary_nodes_(primary_nodes), primary_codes_(primary_codes), target_(target, flush_bytes) {}

Status DualStateWriter::put(ByteView key, ByteView node) {
  if (Status s = primary_nodes_.put(key, node); !s) return s;
  return target_.put(key, node);
}

Status DualStateWriter::put(const Hash& code_hash, ByteView code) {
  if (Status s = primary_codes_.put(code_hash, code); !s) return s;
  return target_.put(code_hash, code);
}

Status FallbackStateReader::get(ByteView key, Bytes* node) const {
  Status s = first_.get(key, node);
  if (!s.is_not_found()) return s;
  return second_.get(key, node);
}

Status FallbackStateReader::get(const Hash& code_hash, Bytes* code) const {
  Status s = first_.get(code_hash, code);
  if (!s.is_not_found()) return s;
  return second_.get(code_hash, code);
}

}  // namespace klay::migration
