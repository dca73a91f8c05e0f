#include "engine/klaytn/derive_sha.h"

#include "engine/core/keccak.h"
#include "engine/core/rlp.h"
#include "engine/trie/hash_builder.h"

namespace klay {

DeriveShaImpl derive_sha_impl_from(int64_t configured) {
  switch (configured) {
    case 1: return DeriveShaImpl::kSimple;
    case 2: return DeriveShaImpl::kConcat;
    default: return DeriveShaImpl::kOriginal;
  }
}

namespace {

Hash derive_original(const std::vector<Bytes>& items) {
  std::vector<Bytes> keys(items.size());
  std::vector<std::pair<ByteView, ByteView>> pairs;
  pairs.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    rlp::encode_uint(keys[i], i);
    pairs.emplace_back(keys[i], items[i]);
  }
  return trie::ordered_root(std::move(pairs));
}

Hash derive_simple(const std::vector<Bytes>& items) {
  if (items.empty()) return keccak256(ByteView());
  std::vector<Hash> level;
  level.reserve(items.size());
  for (const auto& it : items) level.push_back(keccak256(it));
  while (level.size() > 1) {
    if (level.size() % 2 == 1) level.push_back(level.back());
    std::vector<Hash> next(level.size() / 2);
    for (size_t i = 0; i < next.size(); ++i) {
      Keccak256 h;
      h.update(level[2 * i].view());
      h.update(level[2 * i + 1].view());
      next[i] = h.finalize();
    }
    level = std::move(next);
  }
  return level.front();
}

Hash derive_concat(const std::vector<Bytes>& items) {
  Keccak256 h;
  for (const auto& it : items) h.update(it);
  return h.finalize();
}

}  // namespace

Hash derive_sha(DeriveShaImpl impl, const std::vector<Bytes>& item_rlps) {
  switch (impl) {
    case DeriveShaImpl::kSimple: return derive_simple(item_rlps);
    case DeriveShaImpl::kConcat: return derive_concat(item_rlps);
    case DeriveShaImpl::kOriginal: break;
  }
  return derive_original(item_rlps);
}

Hash empty_derive_sha(DeriveShaImpl impl) { return derive_sha(impl, {}); }

}  // namespace klay
