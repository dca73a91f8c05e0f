#include "engine/trie/node_store.h"

namespace klay::trie {

namespace {
constexpr std::string_view kMissingPrefix = "missing trie node 0x";
}

Status missing_node(ByteView key) {
  return Status::not_found(std::string(kMissingPrefix) + to_hex(key));
}

bool is_missing_node(const Status& s) {
  return s.is_not_found() && s.message().starts_with(kMissingPrefix);
}

Status NodeSet::put(ByteView key, ByteView node) {
  if (!NodeKey::valid_size(key.size())) return Status::invalid_argument("trie: node key must be 32 or 39 bytes");
  entries_.push_back({NodeKey::from(key), to_bytes(node)});
  return Status::ok();
}

Status MemoryNodeStore::get(ByteView key, Bytes* node) const {
  if (!NodeKey::valid_size(key.size())) return missing_node(key);
  std::shared_lock lock(mu_);
  auto it = nodes_.find(NodeKey::from(key));
  if (it == nodes_.end()) return missing_node(key);
  *node = it->second;
  return Status::ok();
}

Status MemoryNodeStore::put(ByteView key, ByteView node) {
  if (!NodeKey::valid_size(key.size())) return Status::invalid_argument("trie: node key must be 32 or 39 bytes");
  std::unique_lock lock(mu_);
  nodes_.insert_or_assign(NodeKey::from(key), to_bytes(node));
  return Status::ok();
}

bool MemoryNodeStore::has(ByteView key) const {
  if (!NodeKey::valid_size(key.size())) return false;
  std::shared_lock lock(mu_);
  return nodes_.contains(NodeKey::from(key));
}

void MemoryNodeStore::erase(ByteView key) {
  if (!NodeKey::valid_size(key.size())) return;
  std::unique_lock lock(mu_);
  nodes_.erase(NodeKey::from(key));
}

size_t MemoryNodeStore::size() const {
  std::shared_lock lock(mu_);
  return nodes_.size();
}

std::vector<NodeKey> MemoryNodeStore::keys() const {
  std::shared_lock lock(mu_);
  std::vector<NodeKey> out;
  out.reserve(nodes_.size());
  for (const auto& [k, v] : nodes_) out.push_back(k);
  return out;
}

}  // namespace klay::trie
