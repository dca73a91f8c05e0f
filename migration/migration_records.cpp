#include "migration/migration_records.h"

#include <cstring>

namespace klay::migration {

namespace {
constexpr uint8_t kMetaVersion = 1;

void put_u64(Bytes& out, uint64_t v) {
  uint8_t b[8];
  put_be64(b, v);
  out.insert(out.end(), b, b + 8);
}
void put_key(Bytes& out, const trie::NodeKey& k) {
  out.push_back(k.len);
  out.insert(out.end(), k.bytes.begin(), k.bytes.begin() + k.len);
}

struct Reader {
  ByteView in;
  size_t pos = 0;
  bool ok = true;
  uint64_t u64() {
    if (pos + 8 > in.size()) return fail();
    const uint64_t v = get_be64(in.data() + pos);
    pos += 8;
    return v;
  }
  uint8_t u8() {
    if (pos + 1 > in.size()) return static_cast<uint8_t>(fail());
    return in[pos++];
  }
  trie::NodeKey key() {
    trie::NodeKey k;
    const uint8_t len = u8();
    if (!ok) return k;
    if (len != 0 && !trie::NodeKey::valid_size(len)) return fail(), k;
    if (pos + len > in.size()) return fail(), k;
    k.len = len;
    std::memcpy(k.bytes.data(), in.data() + pos, len);
    pos += len;
    return k;
  }
  uint64_t fail() {
    ok = false;
    return 0;
  }
};
}  // namespace

Bytes done_record_key(ByteView node_key) {
  Bytes k = to_bytes(kDoneRecordPrefix);
  append(k, node_key);
  return k;
}

Bytes encode_done_count(uint64_t nodes) {
  Bytes out;
  put_u64(out, nodes);
  return out;
}

Result<uint64_t> decode_done_count(ByteView value) {
  if (value.size() != 8) return Status::corruption("a migration completion record is not 8 bytes");
  return get_be64(value.data());
}

Bytes encode_meta(const CheckpointMeta& m) {
  Bytes out;
  out.push_back(kMetaVersion);
  put_u64(out, m.block_num);
  put_key(out, m.root);
  out.push_back(static_cast<uint8_t>(m.phase));
  put_u64(out, m.nodes_read);
  put_u64(out, m.nodes_written);
  put_u64(out, m.runs);
  put_key(out, m.verified_root);
  return out;
}

Result<CheckpointMeta> decode_meta(ByteView value) {
  Reader r{value};
  CheckpointMeta m;
  if (r.u8() != kMetaVersion || !r.ok) return Status::corruption("the migration checkpoint has an unknown version");
  m.block_num = r.u64();
  m.root = r.key();
  const uint8_t phase = r.u8();
  m.nodes_read = r.u64();
  m.nodes_written = r.u64();
  m.runs = r.u64();
  m.verified_root = r.key();
  if (!r.ok || r.pos != value.size() || phase > 1 || m.root.empty()) {
    return Status::corruption("the migration checkpoint record is malformed");
  }
  m.phase = static_cast<Phase>(phase);
  return m;
}

}  // namespace klay::migration
