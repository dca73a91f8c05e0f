#include "engine/trie/secure_trie.h"

#include "engine/core/keccak.h"

namespace klay::trie {

Result<SecureTrie> SecureTrie::open(const NodeReader* reader, ByteView root_key, TrieOptions options) {
  auto t = Trie::open(reader, root_key, std::move(options));
  if (!t) return t.status();
  return SecureTrie(std::move(*t));
}

Result<std::optional<Bytes>> SecureTrie::get(ByteView key) { return trie_.get(keccak256(key).view()); }

Status SecureTrie::put(ByteView key, ByteView value) {
  const Hash h = keccak256(key);
  if (preimages_ && !value.empty()) preimages_(h, key);
  return trie_.put(h.view(), value);
}

Status SecureTrie::erase(ByteView key) { return trie_.erase(keccak256(key).view()); }

Result<std::vector<Bytes>> SecureTrie::prove(ByteView key) { return trie_.prove(keccak256(key).view()); }

}  // namespace klay::trie
