#include "engine/trie/node_view.h"

#include "engine/core/rlp.h"
#include "engine/trie/nibbles.h"

namespace klay::trie {

Status parse_child_ref(ByteView item_encoded, ChildRef* out) {
  auto item = rlp::decode(item_encoded);
  if (!item) return item.status();
  if (item->is_list()) {
    out->kind = ChildRef::Kind::kEmbedded;
    out->data = item->encoded;
    return Status::ok();
  }
  const size_t n = item->payload.size();
  if (n == 0) {
    out->kind = ChildRef::Kind::kEmpty;
    out->data = {};
  } else if (n == 32 || n == 39) {
    out->kind = ChildRef::Kind::kKey;
    out->data = item->payload;
  } else {
    return Status::corruption("trie: child reference of " + std::to_string(n) + " bytes");
  }
  return Status::ok();
}

Status decode_node_view(ByteView rlp_bytes, NodeView* out) {
  auto top = rlp::decode(rlp_bytes);
  if (!top) return top.status();
  if (!top->is_list()) return Status::corruption("trie: node is not a list");
  std::array<rlp::Item, 17> items;
  size_t count = 0;
  rlp::ListReader reader(top->payload);
  while (!reader.done()) {
    auto item = reader.next();
    if (!item) return item.status();
    if (count == 17) return Status::corruption("trie: node has more than 17 items");
    items[count++] = *item;
  }
  if (count == 2) {
    if (items[0].is_list()) return Status::corruption("trie: short node path is a list");
    bool leaf = false;
    if (Status s = decode_hex_prefix(items[0].payload, out->path, leaf); !s) return s;
    if (leaf) {
      if (items[1].is_list()) return Status::corruption("trie: leaf value is a list");
      out->kind = NodeView::Kind::kLeaf;
      out->value = items[1].payload;
    } else {
      out->kind = NodeView::Kind::kExtension;
      if (out->path.empty()) return Status::corruption("trie: extension with empty path");
      if (Status s = parse_child_ref(items[1].encoded, &out->child); !s) return s;
      if (out->child.empty()) return Status::corruption("trie: extension without child");
    }
    return Status::ok();
  }
  if (count == 17) {
    out->kind = NodeView::Kind::kBranch;
    out->path.clear();
    for (size_t i = 0; i < 16; ++i)
      if (Status s = parse_child_ref(items[i].encoded, &out->children[i]); !s) return s;
    if (items[16].is_list()) return Status::corruption("trie: branch value is a list");
    out->value = items[16].payload;
    return Status::ok();
  }
  return Status::corruption("trie: node has " + std::to_string(count) + " items");
}

}  // namespace klay::trie
