#include "engine/trie/node_database.h"

#include "engine/trie/node_view.h"

namespace klay::trie {

namespace {

using KeyFn = std::function<void(const NodeKey&)>;
using ValueFn = std::function<void(ByteView)>;

// Calls on_ref for every stored-key reference inside a decoded node (embedded
// children included) and, when given, on_value for every leaf value in it.
void scan_view(const NodeView& view, const KeyFn& on_ref, const ValueFn* on_value) {
  auto visit = [&](const ChildRef& c) {
    if (c.kind == ChildRef::Kind::kKey) {
      on_ref(NodeKey::from(c.data));
    } else if (c.kind == ChildRef::Kind::kEmbedded) {
      NodeView embedded;
      if (decode_node_view(c.data, &embedded)) scan_view(embedded, on_ref, on_value);
    }
  };
  switch (view.kind) {
    case NodeView::Kind::kLeaf:
      if (on_value && !view.value.empty()) (*on_value)(view.value);
      break;
    case NodeView::Kind::kExtension:
      visit(view.child);
      break;
    case NodeView::Kind::kBranch:
      for (const auto& c : view.children) visit(c);
      if (on_value && !view.value.empty()) (*on_value)(view.value);
      break;
  }
}

// Calls fn for every stored-key reference inside a node's RLP (embedded children included).
void for_each_ref(ByteView rlp, const KeyFn& fn) {
  NodeView view;
  if (!decode_node_view(rlp, &view)) return;  // put() rejects undecodable nodes
  scan_view(view, fn, nullptr);
}

size_t entry_size(const NodeKey& key, const Bytes& rlp) { return key.len + rlp.size(); }

}  // namespace

NodeDatabase::NodeDatabase(const NodeReader* disk, NodeDatabaseOptions options)
    : disk_(disk), options_(options) {}

void NodeDatabase::for_each_child(const DirtyNode& n, const std::function<void(const NodeKey&)>& fn) const {
  for_each_ref(n.rlp, fn);
  for (const NodeKey& k : n.extra_children) fn(k);
}

Status NodeDatabase::get(ByteView key, Bytes* node) const {
  if (!NodeKey::valid_size(key.size())) return missing_node(key);
  const NodeKey k = NodeKey::from(key);
  {
    std::shared_lock lock(mu_);
    auto it = dirty_.find(k);
    if (it != dirty_.end()) {
      *node = it->second.rlp;
      return Status::ok();
    }
  }
  {
    std::lock_guard lock(clean_mu_);
    auto it = clean_.find(k);
    if (it != clean_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second);
      *node = it->second->second;
      ++hits_;
      return Status::ok();
    }
    ++misses_;
  }
  if (!disk_) return missing_node(key);
  Status s = disk_->get(key, node);
  if (!s) return s.is_not_found() ? missing_node(key) : s;
  cache_clean(k, *node);
  return Status::ok();
}

void NodeDatabase::cache_clean(const NodeKey& key, ByteView rlp) const {
  if (options_.clean_cache_bytes == 0) return;
  std::lock_guard lock(clean_mu_);
  if (clean_.contains(key)) return;
  lru_.emplace_front(key, to_bytes(rlp));
  clean_.emplace(key, lru_.begin());
  clean_bytes_ += entry_size(key, lru_.front().second);
  while (clean_bytes_ > options_.clean_cache_bytes && !lru_.empty()) {
    auto& back = lru_.back();
    clean_bytes_ -= entry_size(back.first, back.second);
    clean_.erase(back.first);
    lru_.pop_back();
  }
}

Status NodeDatabase::put(ByteView key, ByteView node) {
  if (!NodeKey::valid_size(key.size())) return Status::invalid_argument("node database: key must be 32 or 39 bytes");
  NodeView view;
  if (Status s = decode_node_view(node, &view); !s) return s;
  const NodeKey k = NodeKey::from(key);
  std::unique_lock lock(mu_);
  auto [it, inserted] = dirty_.try_emplace(k);
  if (!inserted) return Status::ok();
  DirtyNode& n = it->second;
  n.rlp = to_bytes(node);
  const KeyFn add_parent = [&](const NodeKey& child) {
    auto c = dirty_.find(child);
    if (c != dirty_.end()) ++c->second.parents;
  };
  const ValueFn link_leaf_child = [&](ByteView value) {
    NodeKey child;
    if (!options_.leaf_child(value, &child) || child.empty() || child == k) return;
    auto c = dirty_.find(child);
    if (c == dirty_.end()) return;  // on disk already: nothing to keep alive
    ++c->second.parents;
    n.extra_children.push_back(child);
  };
  scan_view(view, add_parent, options_.leaf_child ? &link_leaf_child : nullptr);
  n.older = newest_;
  if (!newest_.empty()) dirty_.at(newest_).newer = k;
  newest_ = k;
  if (oldest_.empty()) oldest_ = k;
  dirty_bytes_ += entry_size(k, n.rlp);
  return Status::ok();
}

void NodeDatabase::reference(const NodeKey& child, const NodeKey& parent) {
  std::unique_lock lock(mu_);
  auto c = dirty_.find(child);
  if (c == dirty_.end()) return;
  if (!parent.empty()) {
    auto p = dirty_.find(parent);
    if (p == dirty_.end()) return;  // a parent on disk cannot hold a memory reference
    p->second.extra_children.push_back(child);
  }
  ++c->second.parents;
}

void NodeDatabase::unlink(const NodeKey& key, DirtyNode& n) {
  if (n.older.empty()) oldest_ = n.newer;
  else dirty_.at(n.older).newer = n.newer;
  if (n.newer.empty()) newest_ = n.older;
  else dirty_.at(n.newer).older = n.older;
  dirty_bytes_ -= entry_size(key, n.rlp);
}

void NodeDatabase::remove_unreferenced(const NodeKey& key) {
  auto it = dirty_.find(key);
  if (it == dirty_.end()) return;
  DirtyNode& n = it->second;
  if (n.parents > 0) --n.parents;
  if (n.parents > 0) return;
  std::vector<NodeKey> children;
  for_each_child(n, [&](const NodeKey& c) { children.push_back(c); });
  unlink(key, n);
  dirty_.erase(it);
  for (const NodeKey& c : children) remove_unreferenced(c);
}

void NodeDatabase::dereference(const NodeKey& root) {
  std::unique_lock lock(mu_);
  remove_unreferenced(root);
}

Status NodeDatabase::flush_one(NodeKey key, NodeWriter& disk) {
  auto it = dirty_.find(key);
  DirtyNode& n = it->second;
  if (Status s = disk.put(key.view(), n.rlp); !s) return s;
  cache_clean(key, n.rlp);
  unlink(key, n);
  dirty_.erase(it);
  ++flushed_;
  return Status::ok();
}

Status NodeDatabase::commit_locked(const NodeKey& key, NodeWriter& disk) {
  auto it = dirty_.find(key);
  if (it == dirty_.end()) return Status::ok();
  std::vector<NodeKey> children;
  for_each_child(it->second, [&](const NodeKey& c) { children.push_back(c); });
  for (const NodeKey& c : children)
    if (Status s = commit_locked(c, disk); !s) return s;
  return flush_one(key, disk);
}

Status NodeDatabase::commit(const NodeKey& root, NodeWriter& disk) {
  std::unique_lock lock(mu_);
  return commit_locked(root, disk);
}

Status NodeDatabase::cap(size_t limit, NodeWriter& disk) {
  std::unique_lock lock(mu_);
  while (dirty_bytes_ > limit && !oldest_.empty())
    if (Status s = flush_one(oldest_, disk); !s) return s;
  return Status::ok();
}

bool NodeDatabase::is_dirty(const NodeKey& key) const {
  std::shared_lock lock(mu_);
  return dirty_.contains(key);
}

void NodeDatabase::append_not_dirty(std::span<const NodeKey> keys, std::vector<NodeKey>* out) const {
  std::shared_lock lock(mu_);
  for (const NodeKey& k : keys)
    if (!dirty_.contains(k)) out->push_back(k);
}

NodeDatabaseStats NodeDatabase::stats() const {
  NodeDatabaseStats s;
  {
    std::shared_lock lock(mu_);
    s.dirty_nodes = dirty_.size();
    s.dirty_bytes = dirty_bytes_;
    s.flushed_nodes = flushed_;
  }
  std::lock_guard lock(clean_mu_);
  s.clean_nodes = clean_.size();
  s.clean_bytes = clean_bytes_;
  s.clean_hits = hits_;
  s.clean_misses = misses_;
  return s;
}

}  // namespace klay::trie
