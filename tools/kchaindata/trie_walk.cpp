#include "tools/kchaindata/trie_walk.h"

#include <tbb/task_group.h>

#include "engine/trie/nibbles.h"
#include "engine/trie/node_view.h"
#include "tools/kchaindata/node_hash.h"

namespace klay::kchaindata {

namespace {

struct Walker {
  const trie::NodeReader& reader;
  const TrieWalkCallbacks& cb;
  std::atomic<uint64_t>* visited;
  size_t split;

  void damage(TrieDamage::Kind kind, ByteView key, const Bytes& path, std::string detail) const {
    if (cb.on_damage) cb.on_damage(TrieDamage{kind, to_bytes(key), path, std::move(detail)});
  }

  // Visits the node `ref` refers to, at `path`.
  void visit(const trie::ChildRef& ref, const Bytes& path) const {
    Bytes owned;
    ByteView rlp;
    if (ref.kind == trie::ChildRef::Kind::kEmbedded) {
      rlp = ref.data;
    } else {
      Status s = reader.get(ref.data, &owned);
      if (visited) visited->fetch_add(1, std::memory_order_relaxed);
      if (s.is_not_found()) return damage(TrieDamage::Kind::kMissing, ref.data, path, "missing");
      if (!s) return damage(TrieDamage::Kind::kUndecodable, ref.data, path, s.message());
      rlp = owned;
      auto h = stored_node_merkle_hash(rlp);
      if (!h) return damage(TrieDamage::Kind::kUndecodable, ref.data, path, h.status().message());
      if (!equal(h->view(), ref.data.subspan(0, 32))) {
        damage(TrieDamage::Kind::kHashMismatch, ref.data, path, "its value hashes to " + h->hex());
      }
    }
    trie::NodeView view;
    if (Status s = trie::decode_node_view(rlp, &view); !s) {
      return damage(TrieDamage::Kind::kUndecodable, ref.data, path, s.message());
    }
    auto value = [&](const Bytes& full_path, ByteView v) {
      if (!cb.on_value || v.empty()) return;
      if (full_path.size() % 2 != 0) return cb.on_value({}, v);
      const Bytes key = trie::nibbles_to_bytes(full_path);
      cb.on_value(key, v);
    };
    switch (view.kind) {
      case trie::NodeView::Kind::kLeaf: {
        Bytes full = path;
        append(full, view.path);
        value(full, view.value);
        return;
      }
      case trie::NodeView::Kind::kExtension: {
        Bytes child_path = path;
        append(child_path, view.path);
        return descend({&view.child, 1}, {child_path});
      }
      case trie::NodeView::Kind::kBranch: {
        value(path, view.value);
        std::vector<Bytes> paths(16, path);
        for (int i = 0; i < 16; ++i) paths[i].push_back(static_cast<uint8_t>(i));
        return descend(view.children, paths);
      }
    }
  }

  void descend(std::span<const trie::ChildRef> children, const std::vector<Bytes>& paths) const {
    const bool parallel = !paths.empty() && paths[0].size() <= split;
    if (!parallel) {
      for (size_t i = 0; i < children.size(); ++i) {
        if (!children[i].empty()) visit(children[i], paths[i]);
      }
      return;
    }
    tbb::task_group tg;
    for (size_t i = 0; i < children.size(); ++i) {
      if (children[i].empty()) continue;
      tg.run([this, &children, &paths, i] { visit(children[i], paths[i]); });
    }
    tg.wait();
  }
};

}  // namespace

void tolerant_walk(const trie::NodeReader& reader, ByteView root_key, const TrieWalkCallbacks& cb,
                   std::atomic<uint64_t>* nodes_visited, size_t split_nibbles) {
  if (root_key.size() == 32 && equal(root_key, empty_root().view())) return;
  Walker w{reader, cb, nodes_visited, split_nibbles};
  trie::ChildRef root;
  root.kind = trie::ChildRef::Kind::kKey;
  root.data = root_key;
  w.visit(root, Bytes{});
}

std::string nibble_path_text(ByteView nibbles) {
  if (nibbles.empty()) return "root";
  static const char* kHex = "0123456789abcdef";
  std::string s = "0x";
  for (uint8_t n : nibbles) s.push_back(kHex[n & 0x0f]);
  return s;
}

}  // namespace klay::kchaindata
