// StateDB: finalise, intermediate roots and commit.
#include "engine/state/state_db.h"

#include <algorithm>

#include "engine/trie/node_iterator.h"

namespace klay::state {

Status StateDB::write_account(StateObject& obj) {
  const Bytes value = encode_account(obj.account, ExtHashMode::kPreserveExtHash);
  return fail(trie_.put(obj.address.view(), value));
}

void StateDB::harvest_obsolete(StateObject& obj) {
  if (!obj.trie) return;
  for (const trie::NodeKey& k : obj.trie->take_obsolete()) dropped_obsolete_.push_back(k);
}

Status StateDB::drop_stored_storage(StateObject& obj) {
  if (!options_.ext_hash || obj.stored_root.is_zero() || obj.stored_root.hash() == empty_root()) return Status::ok();
  // Under ExtHash every stored node has a key of its own, so nothing else can
  // reach these nodes. A plain-keyed (zero-extension) root may be shared: skip it.
  const trie::NodeKey root = storage_root_key(obj.stored_root);
  Status s = trie::walk_nodes(*nodes_, root.view(), [this](const trie::NodeVisit& v) {
    if (v.key.size() == ExtHash::kSize) dropped_obsolete_.push_back(trie::NodeKey::from(v.key));
    return Status::ok();
  });
  if (!s) return fail(s);
  obj.stored_root = ExtHash{};
  return Status::ok();
}

Status StateDB::finalise() {
  for (const auto& [addr, count] : journal_.dirties()) {
    auto it = objects_.find(addr);
    if (it == objects_.end()) continue;  // created and reverted
    StateObject& o = *it->second;
    if (o.self_destructed || (options_.delete_empty_objects && o.account.empty())) {
      if (!o.deleted) {
        if (Status s = fail(trie_.erase(addr.view())); !s) return s;
        if (Status s = drop_stored_storage(o); !s) return s;
        o.deleted = true;
      }
    } else {
      if (Status s = o.flush_storage(nodes_, options_); !s) return fail(s);
      if (Status s = write_account(o); !s) return s;
    }
    o.created = false;
    dirty_objects_.insert(addr);
  }
  // Objects replaced in this transaction are gone for good: their storage
  // tries (and those tries' own replacements) are obsolete.
  Status dropped;
  journal_.clear([&](journal::Entry& e) {
    auto* r = std::get_if<journal::Reset>(&e);
    if (!r || !r->prev) return;
    harvest_obsolete(*r->prev);
    if (Status s = drop_stored_storage(*r->prev); !s && dropped) dropped = s;
  });
  revisions_.clear();
  return dropped;
}

Result<Hash> StateDB::intermediate_root() {
  if (Status s = finalise(); !s) return s;
  for (const Address& addr : dirty_objects_) {
    StateObject& o = *objects_.at(addr);
    if (o.deleted || !o.storage_changed || !o.trie) continue;
    // The hash form is enough here: commit() records the stored root key.
    o.account.storage_root = ExtHash::make(o.trie->root_hash(), 0);
    o.storage_changed = false;
    if (Status s = write_account(o); !s) return s;
  }
  return trie_.root_hash();
}

Result<StateCommit> StateDB::commit(trie::NodeWriter& nodes, CodeWriter& codes) {
  if (Status s = finalise(); !s) return s;
  StateCommit out;
  for (const Address& addr : dirty_objects_) {
    StateObject& o = *objects_.at(addr);
    if (o.deleted) {
      harvest_obsolete(o);
      continue;
    }
    if (o.dirty_code && o.code) {
      if (Status s = codes.put(o.account.code_hash, *o.code); !s) return s;
      o.dirty_code = false;
      ++out.codes_written;
    }
    if (!o.has_storage() || !o.trie) continue;
    auto c = o.trie->commit(nodes);
    if (!c) return fail(c.status());
    harvest_obsolete(o);
    out.nodes_written += c->nodes_written;
    out.bytes_written += c->bytes_written;
    if (c->nodes_written > 0) out.storage_roots.push_back(c->root_key);
    const ExtHash root = storage_root_of(c->root_key);
    o.stored_root = root;
    o.storage_changed = false;
    if (root != o.account.storage_root) {
      o.account.storage_root = root;
      if (Status s = write_account(o); !s) return s;
    }
  }
  auto c = trie_.commit(nodes);
  if (!c) return fail(c.status());
  out.root = c->root;
  out.root_key = c->root_key;
  out.nodes_written += c->nodes_written;
  out.bytes_written += c->bytes_written;
  out.obsolete = std::move(dropped_obsolete_);
  dropped_obsolete_.clear();
  for (const trie::NodeKey& k : trie_.take_obsolete()) out.obsolete.push_back(k);
  std::sort(out.obsolete.begin(), out.obsolete.end());
  out.obsolete.erase(std::unique(out.obsolete.begin(), out.obsolete.end()), out.obsolete.end());
  root_key_ = c->root_key;
  dirty_objects_.clear();
  return out;
}

}  // namespace klay::state
