#include "engine/trie/proof.h"

#include <unordered_map>

#include "engine/core/keccak.h"
#include "engine/trie/nibbles.h"
#include "engine/trie/node_view.h"

namespace klay::trie {

namespace {
Status invalid(const std::string& why) { return Status::invalid_argument("invalid proof: " + why); }
}  // namespace

Result<std::optional<Bytes>> verify_proof(const Hash& root, ByteView key, std::span<const Bytes> proof) {
  std::unordered_map<Hash, ByteView, FixedBytesHasher> by_hash;
  for (const Bytes& node : proof) by_hash.emplace(keccak256(node), node);

  const Bytes nibbles = to_nibbles(key);
  size_t pos = 0;
  if (root == empty_root() && !by_hash.contains(root)) return std::optional<Bytes>();
  Hash want = root;
  NodeView view;
  for (;;) {
    auto it = by_hash.find(want);
    if (it == by_hash.end()) return invalid("missing node " + want.hex());
    ByteView rlp = it->second;
    // Walk this node and any nodes embedded in it.
    for (;;) {
      if (Status s = decode_node_view(rlp, &view); !s) return invalid(s.message());
      ChildRef next;
      switch (view.kind) {
        case NodeView::Kind::kLeaf: {
          const size_t rest = nibbles.size() - pos;
          if (view.path.size() == rest && std::equal(view.path.begin(), view.path.end(), nibbles.begin() + pos))
            return std::optional<Bytes>(to_bytes(view.value));
          return std::optional<Bytes>();
        }
        case NodeView::Kind::kExtension: {
          const size_t p = view.path.size();
          if (nibbles.size() - pos < p || !std::equal(view.path.begin(), view.path.end(), nibbles.begin() + pos))
            return std::optional<Bytes>();
          pos += p;
          next = view.child;
          break;
        }
        case NodeView::Kind::kBranch:
          if (pos == nibbles.size()) {
            if (view.value.empty()) return std::optional<Bytes>();
            return std::optional<Bytes>(to_bytes(view.value));
          }
          next = view.children[nibbles[pos++]];
          break;
      }
      if (next.kind == ChildRef::Kind::kEmpty) return std::optional<Bytes>();
      if (next.kind == ChildRef::Kind::kEmbedded) {
        rlp = next.data;
        continue;
      }
      if (next.data.size() != 32) return invalid("reference of " + std::to_string(next.data.size()) + " bytes");
      want = Hash::from(next.data);
      break;
    }
  }
}

}  // namespace klay::trie
