#include "engine/state/state_reader.h"

namespace klay::state {

StateReader::StateReader(const trie::NodeReader* nodes, const CodeReader* codes, trie::SecureTrie trie,
                         const trie::NodeKey& root_key)
    : nodes_(nodes), codes_(codes), root_key_(root_key), trie_(std::move(trie)) {}

Result<StateReader> StateReader::open(const trie::NodeReader* nodes, const CodeReader* codes, ByteView root_key) {
  if (!nodes) return Status::invalid_argument("state: a node reader is required");
  if (!trie::NodeKey::valid_size(root_key.size()))
    return Status::invalid_argument("state: root key must be 32 or 39 bytes, got " +
                                    std::to_string(root_key.size()));
  if (!(root_key.size() == 32 && equal(root_key, empty_root().view()))) {
    Bytes node;
    if (Status s = nodes->get(root_key, &node); !s)
      return s.is_not_found() ? state_unavailable(root_key, trie::missing_node(root_key)) : s;
  }
  // Reading needs no ExtHash option: stored nodes of both modes decode alike,
  // and the leaf transform keeps proofs in hash form.
  auto t = trie::SecureTrie::open(nodes, root_key, account_trie_options(StateOptions{}));
  if (!t) return t.status();
  return StateReader(nodes, codes, std::move(*t), trie::NodeKey::from(root_key));
}

Result<std::optional<Account>> StateReader::account(const Address& addr) {
  auto stored = trie_.get(addr.view());
  if (!stored) return fail(stored.status());
  if (!*stored) return std::optional<Account>();
  auto acc = decode_account(**stored);
  if (!acc) return Status::corruption("state: account " + addr.hex() + ": " + acc.status().message());
  return std::optional<Account>(std::move(*acc));
}

Result<uint256> StateReader::balance(const Address& addr) {
  auto a = account(addr);
  if (!a) return a.status();
  return *a ? (*a)->balance : uint256();
}

Result<uint64_t> StateReader::nonce(const Address& addr) {
  auto a = account(addr);
  if (!a) return a.status();
  return *a ? (*a)->nonce : uint64_t{0};
}

Result<AccountKey> StateReader::account_key(const Address& addr) {
  auto a = account(addr);
  if (!a) return a.status();
  if (!*a || (*a)->type == AccountType::kLegacy) return AccountKey::legacy();
  return (*a)->key;
}

Result<Hash> StateReader::code_hash(const Address& addr) {
  auto a = account(addr);
  if (!a) return a.status();
  if (!*a || !(*a)->is_program_account()) return empty_code_hash();
  return (*a)->code_hash;
}

Result<Bytes> StateReader::code(const Address& addr) {
  auto h = code_hash(addr);
  if (!h) return h.status();
  if (*h == empty_code_hash()) return Bytes{};
  Bytes code;
  Status s = codes_ ? codes_->get(*h, &code) : Status::not_found();
  if (!s) return s.is_not_found() ? state_unavailable(root_key_.view(), missing_code(*h)) : s;
  return code;
}

Result<trie::SecureTrie*> StateReader::storage_trie(const Address& addr, const Account& account) {
  auto& slot = storage_[addr];
  if (!slot) {
    const trie::NodeKey root = storage_root_key(account.storage_root);
    auto t = trie::SecureTrie::open(nodes_, root.view());
    if (!t) return t.status();
    slot = std::make_unique<trie::SecureTrie>(std::move(*t));
  }
  return slot.get();
}

Result<Hash> StateReader::storage(const Address& addr, const Hash& slot) {
  auto a = account(addr);
  if (!a) return a.status();
  if (!*a || !(*a)->is_program_account()) return Hash{};
  auto t = storage_trie(addr, **a);
  if (!t) return fail(t.status());
  auto stored = (*t)->get(slot.view());
  if (!stored) return fail(stored.status());
  if (!*stored) return Hash{};
  auto v = decode_storage_value(**stored);
  if (!v) return Status::corruption("account " + addr.hex() + ", slot " + slot.hex() + ": " + v.status().message());
  return v;
}

Result<std::vector<Bytes>> StateReader::account_proof(const Address& addr) {
  auto p = trie_.prove(addr.view());
  if (!p) return fail(p.status());
  return p;
}

Result<std::vector<Bytes>> StateReader::storage_proof(const Address& addr, const Hash& slot) {
  auto a = account(addr);
  if (!a) return a.status();
  if (!*a || !(*a)->is_program_account()) return std::vector<Bytes>{};
  auto t = storage_trie(addr, **a);
  if (!t) return fail(t.status());
  auto p = (*t)->prove(slot.view());
  if (!p) return fail(p.status());
  return p;
}

}  // namespace klay::state
