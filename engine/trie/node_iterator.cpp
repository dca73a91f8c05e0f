#include "engine/trie/node_iterator.h"

#include <atomic>
#include <mutex>

#include <tbb/parallel_for.h>

#include "engine/core/types.h"
#include "engine/trie/nibbles.h"

namespace klay::trie {

NodeIterator::NodeIterator(const NodeReader& reader, ByteView root_key, ByteView start_path)
    : reader_(reader), start_(start_path.begin(), start_path.end()) {
  if (!NodeKey::valid_size(root_key.size())) {
    status_ = Status::invalid_argument("node iterator: root key must be 32 or 39 bytes");
    return;
  }
  if (root_key.size() == 32 && equal(root_key, empty_root().view())) return;
  first_key_.assign(root_key.begin(), root_key.end());
  first_ref_ = {ChildRef::Kind::kKey, first_key_};
}

NodeIterator::NodeIterator(const NodeReader& reader, const ChildRef& ref, ByteView base_path)
    : reader_(reader), first_path_(base_path.begin(), base_path.end()) {
  first_key_.assign(ref.data.begin(), ref.data.end());
  first_ref_ = {ref.kind, first_key_};
}

bool NodeIterator::relevant(const Bytes& path) const {
  // A subtree at `path` holds paths >= start unless it lies wholly before start.
  return compare(path, start_) >= 0 || starts_with(start_, path);
}

bool NodeIterator::push(const ChildRef& ref, Bytes path) {
  auto f = std::make_unique<Frame>();
  if (ref.kind == ChildRef::Kind::kKey) {
    Status s = reader_.get(ref.data, &f->owned);
    if (!s) {
      status_ = s.is_not_found() ? missing_node(ref.data) : s;
      return false;
    }
    f->key = ref.data;
    f->rlp = f->owned;
  } else {
    f->rlp = ref.data;
  }
  if (Status s = decode_node_view(f->rlp, &f->view); !s) {
    status_ = Status::corruption("trie node " + (f->key.empty() ? std::string("(embedded)") : "0x" + to_hex(f->key)) +
                                 " at path " + to_hex(path) + ": " + s.message());
    return false;
  }
  f->path = std::move(path);
  stack_.push_back(std::move(f));
  return true;
}

void NodeIterator::fill_visit() {
  const Frame& f = *stack_.back();
  visit_ = NodeVisit{};
  visit_.key = f.key;
  visit_.rlp = f.rlp;
  visit_.path = f.path;
  visit_.kind = f.view.kind;
  if (f.view.kind == NodeView::Kind::kLeaf) {
    visit_.has_value = true;
    visit_.value = f.view.value;
    Bytes full = f.path;
    append(full, f.view.path);
    if (full.size() % 2 == 0) {
      value_key_ = nibbles_to_bytes(full);
      visit_.value_key = value_key_;
    }
  } else if (f.view.kind == NodeView::Kind::kBranch && !f.view.value.empty()) {
    visit_.has_value = true;
    visit_.value = f.view.value;
    if (f.path.size() % 2 == 0) {
      value_key_ = nibbles_to_bytes(f.path);
      visit_.value_key = value_key_;
    }
  }
}

bool NodeIterator::next(bool descend) {
  if (!status_) return false;
  if (!started_) {
    started_ = true;
    if (first_ref_.empty() || !relevant(first_path_)) return false;
    if (!push(first_ref_, first_path_)) return false;
    if (compare(stack_.back()->path, start_) >= 0) {
      fill_visit();
      return true;
    }
  } else if (!descend && !stack_.empty()) {
    stack_.pop_back();
  }
  while (!stack_.empty()) {
    Frame& f = *stack_.back();
    ChildRef child;
    Bytes path;
    if (f.view.kind == NodeView::Kind::kExtension && f.next_child == 0) {
      f.next_child = 1;
      path = f.path;
      append(path, f.view.path);
      if (relevant(path)) child = f.view.child;
    } else if (f.view.kind == NodeView::Kind::kBranch) {
      while (f.next_child < 16) {
        const int i = f.next_child++;
        if (f.view.children[i].empty()) continue;
        path = f.path;
        path.push_back(static_cast<uint8_t>(i));
        if (relevant(path)) {
          child = f.view.children[i];
          break;
        }
      }
    }
    if (child.empty()) {
      stack_.pop_back();
      continue;
    }
    if (!push(child, std::move(path))) return false;
    if (compare(stack_.back()->path, start_) >= 0) {
      fill_visit();
      return true;
    }
  }
  return false;
}

Status walk_nodes(const NodeReader& reader, ByteView root_key, const NodeVisitor& visit, ByteView start_path) {
  NodeIterator it(reader, root_key, start_path);
  while (it.next())
    if (Status s = visit(it.node()); !s) return s;
  return it.status();
}

Status parallel_walk_nodes(const NodeReader& reader, ByteView root_key, const NodeVisitor& visit,
                           size_t split_nibbles) {
  struct Subtree {
    ChildRef::Kind kind;
    Bytes data;
    Bytes path;
  };
  std::vector<Subtree> subtrees;
  NodeIterator top(reader, root_key);
  bool descend = true;
  while (top.next(descend)) {
    const NodeVisit& v = top.node();
    if (v.path.size() >= split_nibbles) {
      subtrees.push_back({v.is_embedded() ? ChildRef::Kind::kEmbedded : ChildRef::Kind::kKey,
                          to_bytes(v.is_embedded() ? v.rlp : v.key), to_bytes(v.path)});
      descend = false;
      continue;
    }
    if (Status s = visit(v); !s) return s;
    descend = true;
  }
  if (!top.status()) return top.status();

  std::atomic<bool> stop{false};
  std::mutex mu;
  Status first_error;
  tbb::parallel_for(size_t{0}, subtrees.size(), [&](size_t i) {
    if (stop.load(std::memory_order_relaxed)) return;
    const Subtree& st = subtrees[i];
    NodeIterator it(reader, ChildRef{st.kind, st.data}, st.path);
    Status s;
    while (!stop.load(std::memory_order_relaxed) && it.next()) {
      s = visit(it.node());
      if (!s) break;
    }
    if (s && !it.status()) s = it.status();
    if (!s) {
      std::lock_guard lock(mu);
      if (first_error) first_error = s;
      stop = true;
    }
  });
  return first_error;
}

}  // namespace klay::trie
