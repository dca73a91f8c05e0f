// StateDB: opening, reads, mutations and the journal.
#include "engine/state/state_db.h"

#include <algorithm>

#include "engine/core/keccak.h"

namespace klay::state {

StateDB::StateDB(const trie::NodeReader* nodes, const CodeReader* codes, trie::SecureTrie trie,
                 const trie::NodeKey& root_key, StateOptions options)
    : nodes_(nodes), codes_(codes), options_(options), root_key_(root_key), trie_(std::move(trie)) {}

Result<StateDB> StateDB::open(const trie::NodeReader* nodes, const CodeReader* codes, ByteView root_key,
                              StateOptions options) {
  if (!nodes) return Status::invalid_argument("state: a node reader is required");
  if (!trie::NodeKey::valid_size(root_key.size()))
    return Status::invalid_argument("state: root key must be 32 or 39 bytes, got " +
                                    std::to_string(root_key.size()));
  const bool empty = root_key.size() == 32 && equal(root_key, empty_root().view());
  if (!empty) {
    Bytes node;
    if (Status s = nodes->get(root_key, &node); !s)
      return s.is_not_found() ? state_unavailable(root_key, trie::missing_node(root_key)) : s;
  }
  auto t = trie::SecureTrie::open(nodes, root_key, account_trie_options(options));
  if (!t) return t.status();
  return StateDB(nodes, codes, std::move(*t), trie::NodeKey::from(root_key), options);
}

// ---- objects ----

Result<StateObject*> StateDB::load_object(const Address& addr) {
  if (auto it = objects_.find(addr); it != objects_.end()) return it->second.get();
  auto stored = trie_.get(addr.view());
  if (!stored) return fail(stored.status());
  if (!*stored) return static_cast<StateObject*>(nullptr);
  auto acc = decode_account(**stored);
  if (!acc) return Status::corruption("state: account " + addr.hex() + ": " + acc.status().message());
  auto obj = std::make_unique<StateObject>(addr, std::move(*acc));
  if (obj->has_storage()) obj->stored_root = obj->account.storage_root;
  StateObject* p = obj.get();
  objects_.emplace(addr, std::move(obj));
  return p;
}

Result<StateObject*> StateDB::live_object(const Address& addr) {
  auto obj = load_object(addr);
  if (obj && *obj && (*obj)->deleted) return static_cast<StateObject*>(nullptr);
  return obj;
}

Result<StateObject*> StateDB::live_or_new_eoa(const Address& addr) {
  auto obj = live_object(addr);
  if (!obj || *obj) return obj;
  return create_object(addr, Account::eoa(0, 0), false);
}

Result<StateObject*> StateDB::create_object(const Address& addr, Account account, bool carry_balance) {
  auto prev = load_object(addr);
  if (!prev) return prev.status();
  auto obj = std::make_unique<StateObject>(addr, std::move(account));
  obj->created = true;
  StateObject* p = obj.get();
  if (*prev) {
    if (carry_balance && !(*prev)->deleted) p->account.balance = (*prev)->account.balance;
    auto it = objects_.find(addr);
    journal_.append(journal::Reset{addr, std::move(it->second)});
    it->second = std::move(obj);
  } else {
    journal_.append(journal::Created{addr});
    objects_.emplace(addr, std::move(obj));
  }
  return p;
}

Result<Bytes> StateDB::load_code(StateObject& obj) {
  if (obj.code) return *obj.code;
  if (!obj.account.is_program_account() || obj.account.code_hash == empty_code_hash()) return Bytes{};
  if (!codes_) return state_unavailable(root_key_.view(), missing_code(obj.account.code_hash));
  Bytes code;
  if (Status s = codes_->get(obj.account.code_hash, &code); !s)
    return s.is_not_found() ? state_unavailable(root_key_.view(), missing_code(obj.account.code_hash)) : s;
  obj.code = code;
  return code;
}

// ---- reads ----

Result<bool> StateDB::exists(const Address& addr) {
  auto obj = live_object(addr);
  if (!obj) return obj.status();
  return *obj != nullptr;
}

Result<bool> StateDB::is_empty(const Address& addr) {
  auto obj = live_object(addr);
  if (!obj) return obj.status();
  return !*obj || (*obj)->account.empty();
}

Result<uint256> StateDB::balance(const Address& addr) {
  auto obj = live_object(addr);
  if (!obj) return obj.status();
  return *obj ? (*obj)->account.balance : uint256();
}

Result<uint64_t> StateDB::nonce(const Address& addr) {
  auto obj = live_object(addr);
  if (!obj) return obj.status();
  return *obj ? (*obj)->account.nonce : uint64_t{0};
}

Result<AccountKey> StateDB::account_key(const Address& addr) {
  auto obj = live_object(addr);
  if (!obj) return obj.status();
  if (!*obj || (*obj)->account.type == AccountType::kLegacy) return AccountKey::legacy();
  return (*obj)->account.key;
}

Result<Hash> StateDB::code_hash(const Address& addr) {
  auto obj = live_object(addr);
  if (!obj) return obj.status();
  if (!*obj || !(*obj)->account.is_program_account()) return empty_code_hash();
  return (*obj)->account.code_hash;
}

Result<Bytes> StateDB::code(const Address& addr) {
  auto obj = live_object(addr);
  if (!obj) return obj.status();
  if (!*obj) return Bytes{};
  return load_code(**obj);
}

Result<bool> StateDB::is_program_account(const Address& addr) {
  auto obj = live_object(addr);
  if (!obj) return obj.status();
  return *obj && (*obj)->account.is_program_account();
}

Result<bool> StateDB::has_self_destructed(const Address& addr) {
  auto obj = live_object(addr);
  if (!obj) return obj.status();
  return *obj && (*obj)->self_destructed;
}

Result<std::optional<Account>> StateDB::account(const Address& addr) {
  auto obj = live_object(addr);
  if (!obj) return obj.status();
  if (!*obj) return std::optional<Account>();
  return std::optional<Account>((*obj)->account);
}

Result<Hash> StateDB::storage(const Address& addr, const Hash& slot) {
  auto obj = live_object(addr);
  if (!obj) return obj.status();
  if (!*obj || !(*obj)->has_storage()) return Hash{};
  auto v = (*obj)->slot(slot, nodes_, options_);
  if (!v) return fail(v.status());
  return v;
}

Result<Hash> StateDB::committed_storage(const Address& addr, const Hash& slot) {
  auto obj = live_object(addr);
  if (!obj) return obj.status();
  if (!*obj || !(*obj)->has_storage()) return Hash{};
  auto v = (*obj)->committed_slot(slot, nodes_, options_);
  if (!v) return fail(v.status());
  return v;
}

// ---- mutations ----

Status StateDB::add_balance(const Address& addr, const uint256& amount) {
  auto obj = live_or_new_eoa(addr);
  if (!obj) return obj.status();
  StateObject& o = **obj;
  if (amount.is_zero()) {
    if (o.account.empty()) journal_.append(journal::Touched{addr});
    return Status::ok();
  }
  const Overflowing sum = checked_add(o.account.balance, amount);
  if (sum.overflow)
    return Status::invalid_argument("balance overflow: account " + addr.hex() + " has " +
                                    o.account.balance.to_string() + ", adding " + amount.to_string());
  journal_.append(journal::BalanceChanged{addr, o.account.balance});
  o.account.balance = sum.value;
  return Status::ok();
}

Status StateDB::sub_balance(const Address& addr, const uint256& amount) {
  if (amount.is_zero()) return add_balance(addr, amount);  // the reference touches it the same way
  auto obj = live_object(addr);
  if (!obj) return obj.status();
  const uint256 have = *obj ? (*obj)->account.balance : uint256();
  if (have < amount)
    return Status::invalid_argument("insufficient balance: account " + addr.hex() + " has " + have.to_string() +
                                    ", needs " + amount.to_string());
  journal_.append(journal::BalanceChanged{addr, have});
  (*obj)->account.balance = have - amount;
  return Status::ok();
}

Status StateDB::set_balance(const Address& addr, const uint256& amount) {
  auto obj = live_or_new_eoa(addr);
  if (!obj) return obj.status();
  journal_.append(journal::BalanceChanged{addr, (*obj)->account.balance});
  (*obj)->account.balance = amount;
  return Status::ok();
}

Status StateDB::set_nonce(const Address& addr, uint64_t nonce) {
  auto obj = live_or_new_eoa(addr);
  if (!obj) return obj.status();
  journal_.append(journal::NonceChanged{addr, (*obj)->account.nonce});
  (*obj)->account.nonce = nonce;
  return Status::ok();
}

Status StateDB::set_account_key(const Address& addr, const AccountKey& key) {
  auto obj = live_object(addr);
  if (!obj) return obj.status();
  if (!*obj) return Status::not_found("account " + addr.hex() + " does not exist");
  StateObject& o = **obj;
  if (o.account.type == AccountType::kLegacy)
    return Status::invalid_argument("account " + addr.hex() + " is a legacy account and has no account key");
  journal_.append(journal::AccountChanged{addr, o.account, o.code, o.dirty_code});
  o.account.key = key;
  return Status::ok();
}

Status StateDB::create_eoa(const Address& addr, bool human_readable, const AccountKey& key) {
  Account a = Account::eoa(0, 0);
  a.human_readable = human_readable;
  a.key = key;
  return create_object(addr, std::move(a), true).status();
}

Status StateDB::create_sca(const Address& addr, uint8_t code_info, const AccountKey& key, bool human_readable) {
  Account a = Account::sca(1, 0, key, empty_code_hash(), code_info);
  a.human_readable = human_readable;
  return create_object(addr, std::move(a), true).status();
}

Status StateDB::create_account(const Address& addr, AccountType type) {
  switch (type) {
    case AccountType::kEOA:
      return create_eoa(addr);
    case AccountType::kSCA:
      return create_sca(addr, 0);
    case AccountType::kLegacy: {
      Account a;
      a.type = AccountType::kLegacy;
      a.storage_root = ExtHash::make(empty_root(), 0);
      return create_object(addr, std::move(a), true).status();
    }
  }
  return Status::invalid_argument("state: unknown account type");
}

Status StateDB::set_code(const Address& addr, ByteView code, uint8_t code_info) {
  auto obj = live_object(addr);
  if (!obj) return obj.status();
  if (!*obj) {
    obj = create_object(addr, Account::sca(1, 0, AccountKey::fail(), empty_code_hash(), code_info), false);
    if (!obj) return obj.status();
  }
  StateObject& o = **obj;
  journal_.append(journal::AccountChanged{addr, o.account, o.code, o.dirty_code});
  if (o.account.type == AccountType::kEOA) {
    o.account.type = AccountType::kSCA;
    o.account.storage_root = ExtHash::make(empty_root(), 0);
  }
  if (o.account.type == AccountType::kSCA) o.account.code_info = code_info;
  o.account.code_hash = keccak256(code);
  o.code = to_bytes(code);
  o.dirty_code = true;
  return Status::ok();
}

Status StateDB::set_storage(const Address& addr, const Hash& slot, const Hash& value) {
  auto obj = live_object(addr);
  if (!obj) return obj.status();
  if (!*obj) {
    obj = create_object(addr, Account::sca(1, 0, AccountKey::fail(), empty_code_hash(), 0), false);
    if (!obj) return obj.status();
  }
  StateObject& o = **obj;
  if (!o.has_storage())
    return Status::invalid_argument("account " + addr.hex() + " is an externally owned account and has no storage");
  auto prev = o.slot(slot, nodes_, options_);
  if (!prev) return fail(prev.status());
  if (*prev == value) return Status::ok();
  journal_.append(journal::SlotChanged{addr, slot, *prev});
  o.dirty.insert_or_assign(slot, value);
  return Status::ok();
}

Status StateDB::self_destruct(const Address& addr) {
  auto obj = live_object(addr);
  if (!obj) return obj.status();
  if (!*obj) return Status::ok();
  StateObject& o = **obj;
  journal_.append(journal::SelfDestructed{addr, o.self_destructed, o.account.balance});
  o.self_destructed = true;
  o.account.balance = 0;
  return Status::ok();
}

// ---- journal ----

int StateDB::snapshot() {
  const int id = next_revision_++;
  revisions_.emplace_back(id, journal_.size());
  return id;
}

Status StateDB::revert_to(int id) {
  auto it = std::lower_bound(revisions_.begin(), revisions_.end(), id,
                             [](const auto& r, int v) { return r.first < v; });
  if (it == revisions_.end() || it->first != id)
    return Status::invalid_argument("state: snapshot " + std::to_string(id) + " cannot be reverted to");
  journal_.revert(it->second, [this](journal::Entry& e) { undo(e); });
  revisions_.erase(it, revisions_.end());
  return Status::ok();
}

void StateDB::undo(journal::Entry& entry) {
  auto object = [this](const Address& a) -> StateObject& { return *objects_.at(a); };
  std::visit(
      [&](auto& e) {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, journal::Created>) {
          objects_.erase(e.addr);
        } else if constexpr (std::is_same_v<T, journal::Reset>) {
          objects_.insert_or_assign(e.addr, std::move(e.prev));
        } else if constexpr (std::is_same_v<T, journal::BalanceChanged>) {
          object(e.addr).account.balance = e.prev;
        } else if constexpr (std::is_same_v<T, journal::NonceChanged>) {
          object(e.addr).account.nonce = e.prev;
        } else if constexpr (std::is_same_v<T, journal::AccountChanged>) {
          StateObject& o = object(e.addr);
          // Balance and nonce have their own entries; restore everything else.
          const uint256 balance = o.account.balance;
          const uint64_t nonce = o.account.nonce;
          o.account = std::move(e.prev);
          o.account.balance = balance;
          o.account.nonce = nonce;
          o.code = std::move(e.prev_code);
          o.dirty_code = e.prev_dirty_code;
        } else if constexpr (std::is_same_v<T, journal::SlotChanged>) {
          object(e.addr).dirty.insert_or_assign(e.slot, e.prev);
        } else if constexpr (std::is_same_v<T, journal::SelfDestructed>) {
          StateObject& o = object(e.addr);
          o.self_destructed = e.prev;
          o.account.balance = e.prev_balance;
        } else if constexpr (std::is_same_v<T, journal::Touched>) {
          // nothing to restore: a touch only makes the account dirty
        }
      },
      entry);
}

}  // namespace klay::state
