#include "engine/trie/nibbles.h"

namespace klay::trie {

void append_nibbles(Bytes& out, ByteView key) {
  const size_t base = out.size();
  out.resize(base + key.size() * 2);
  unpack_nibbles(key.data(), key.size(), out.data() + base);
}

Bytes nibbles_to_bytes(ByteView nibbles) {
  Bytes out(nibbles.size() / 2);
  pack_nibbles(nibbles.data(), out.size(), out.data());
  return out;
}

void append_hex_prefix(Bytes& out, ByteView nibbles, bool leaf) {
  const bool odd = nibbles.size() & 1;
  const uint8_t flag = static_cast<uint8_t>((leaf ? 2 : 0) | (odd ? 1 : 0));
  size_t i = 0;
  if (odd) {
    out.push_back(static_cast<uint8_t>((flag << 4) | nibbles[0]));
    i = 1;
  } else {
    out.push_back(static_cast<uint8_t>(flag << 4));
  }
  const size_t pairs = (nibbles.size() - i) / 2;
  const size_t at = out.size();
  out.resize(at + pairs);
  pack_nibbles(nibbles.data() + i, pairs, out.data() + at);
}

Status decode_hex_prefix(ByteView compact, Bytes& nibbles, bool& leaf) {
  if (compact.empty()) return Status::corruption("trie: empty hex-prefix path");
  const uint8_t flag = compact[0] >> 4;
  if (flag > 3) return Status::corruption("trie: bad hex-prefix flag");
  leaf = flag & 2;
  const bool odd = flag & 1;
  nibbles.clear();
  nibbles.reserve(compact.size() * 2);
  if (odd) {
    nibbles.push_back(compact[0] & 0x0f);
  } else if (compact[0] & 0x0f) {
    return Status::corruption("trie: non-zero hex-prefix padding");
  }
  append_nibbles(nibbles, compact.subspan(1));
  return Status::ok();
}

}  // namespace klay::trie
