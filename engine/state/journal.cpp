#include "engine/state/journal.h"

namespace klay::state::journal {

const Address& address_of(const Entry& e) {
  return std::visit([](const auto& x) -> const Address& { return x.addr; }, e);
}

void Journal::append(Entry e) {
  ++dirties_[address_of(e)];
  entries_.push_back(std::move(e));
}

void Journal::revert(size_t size, const std::function<void(Entry&)>& undo) {
  while (entries_.size() > size) {
    Entry& e = entries_.back();
    undo(e);
    auto it = dirties_.find(address_of(e));
    if (it != dirties_.end() && --it->second == 0) dirties_.erase(it);
    entries_.pop_back();
  }
}

void Journal::clear(const std::function<void(Entry&)>& drop) {
  if (drop)
    for (Entry& e : entries_) drop(e);
  entries_.clear();
  dirties_.clear();
}

}  // namespace klay::state::journal
