// Journal: the undo log of a StateDB within one transaction (internal to
// engine/state). Each entry records what one mutation replaced; StateDB
// applies the entries in reverse to revert to a snapshot. The journal also
// counts, per address, how many entries dirtied it (finalise() visits those).
// Not thread-safe; owned by its StateDB.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>
#include <variant>
#include <vector>

#include "engine/core/types.h"
#include "engine/core/uint256.h"
#include "engine/klaytn/account.h"
#include "engine/state/state_object.h"

namespace klay::state::journal {

// An account that did not exist before was created.
struct Created { Address addr; };
// An existing (possibly deleted) object was replaced by a new one; `prev` owns it.
struct Reset { Address addr; std::unique_ptr<StateObject> prev; };
struct BalanceChanged { Address addr; uint256 prev; };
struct NonceChanged { Address addr; uint64_t prev; };
// Key, type, code hash or code info changed: the previous account and code.
struct AccountChanged {
  Address addr;
  Account prev;
  std::optional<Bytes> prev_code;
  bool prev_dirty_code = false;
};
struct SlotChanged { Address addr; Hash slot; Hash prev; };
struct SelfDestructed { Address addr; bool prev; uint256 prev_balance; };
// An empty account was touched (EIP-158): dirty without a value change.
struct Touched { Address addr; };

using Entry = std::variant<Created, Reset, BalanceChanged, NonceChanged, AccountChanged, SlotChanged,
                           SelfDestructed, Touched>;

const Address& address_of(const Entry& e);

class Journal {
 public:
  void append(Entry e);
  size_t size() const { return entries_.size(); }
  // Pops entries down to `size`, newest first, handing each to `undo`.
  void revert(size_t size, const std::function<void(Entry&)>& undo);
  // Addresses dirtied by the entries still in the journal.
  const std::unordered_map<Address, int, FixedBytesHasher>& dirties() const { return dirties_; }
  // Drops every entry, handing each to `drop` first (oldest first).
  void clear(const std::function<void(Entry&)>& drop);

 private:
  std::vector<Entry> entries_;
  std::unordered_map<Address, int, FixedBytesHasher> dirties_;
};

}  // namespace klay::state::journal
