#include "engine/klaytn/account.h"

#include "engine/core/rlp.h"
#include "engine/klaytn/rlp_fields.h"

namespace klay {

namespace {

// [nonce, balance, humanReadable, keyType, keyBody...] payload.
void encode_common(Bytes& out, const Account& a) {
  Bytes body;
  rlp::encode_uint(body, a.nonce);
  rlp::encode_uint256(body, a.balance);
  rlp_bool_append(body, a.human_readable);
  a.key.encode_to(body);
  rlp::encode_list(out, body);
}

Status decode_common(const rlp::Item& item, Account& a) {
  if (!item.is_list()) return Status::corruption("account: common fields must be a list");
  FieldReader f(item.payload, "account");
  if (auto s = f.u64(a.nonce, "nonce"); !s) return s;
  if (auto s = f.u256(a.balance, "balance"); !s) return s;
  if (auto s = f.boolean(a.human_readable, "humanReadable"); !s) return s;
  auto key = AccountKey::decode_from(f.raw());
  if (!key) return Status::corruption("account: " + key.status().message());
  if (auto s = f.finish(); !s) return s;
  a.key = std::move(*key);
  return Status::ok();
}

Status decode_legacy(const rlp::Item& item, Account& a) {
  FieldReader f(item.payload, "legacy account");
  Hash root;
  Bytes code_hash;
  if (auto s = f.u64(a.nonce, "nonce"); !s) return s;
  if (auto s = f.u256(a.balance, "balance"); !s) return s;
  if (auto s = f.hash(root, "storageRoot"); !s) return s;
  if (auto s = f.bytes(code_hash, "codeHash"); !s) return s;
  if (auto s = f.finish(); !s) return s;
  // The reference keeps codeHash as a byte slice of any length; we require the
  // 32 bytes every real account has.
  if (code_hash.size() != 32) return Status::corruption("legacy account: codeHash must be 32 bytes");
  a.type = AccountType::kLegacy;
  a.storage_root = ExtHash::make(root, 0);
  a.code_hash = Hash::from(code_hash);
  a.key = AccountKey::legacy();
  return Status::ok();
}

Status decode_sca(const rlp::Item& item, Account& a) {
  if (!item.is_list()) return Status::corruption("smart contract account: body must be a list");
  FieldReader f(item.payload, "smart contract account");
  rlp::Item common, root;
  Bytes code_hash;
  if (auto s = f.list(common, "common fields"); !s) return s;
  if (auto s = f.item(root, "storageRoot"); !s) return s;
  if (auto s = f.bytes(code_hash, "codeHash"); !s) return s;
  if (auto s = f.u8(a.code_info, "codeInfo"); !s) return s;
  if (auto s = f.finish(); !s) return s;
  if (auto s = decode_common(common, a); !s) return s;
  if (root.is_list()) return Status::corruption("smart contract account: storageRoot must be a byte string");
  if (root.payload.size() == 39) {
    a.storage_root = ExtHash::from(root.payload);
  } else if (root.payload.size() == 32) {
    a.storage_root = ExtHash::make(Hash::from(root.payload), 0);
  } else {
    return Status::corruption("smart contract account: storageRoot must be 32 or 39 bytes, got " +
                              std::to_string(root.payload.size()));
  }
  if (code_hash.size() != 32)
    return Status::corruption("smart contract account: codeHash must be 32 bytes");
  a.code_hash = Hash::from(code_hash);
  return Status::ok();
}

}  // namespace

bool Account::empty() const {
  if (nonce != 0 || !balance.is_zero()) return false;
  return type == AccountType::kEOA || code_hash == empty_code_hash();
}

Account Account::eoa(uint64_t nonce, const uint256& balance) {
  Account a;
  a.type = AccountType::kEOA;
  a.nonce = nonce;
  a.balance = balance;
  return a;
}

Account Account::sca(uint64_t nonce, const uint256& balance, const AccountKey& key,
                     const Hash& code_hash, uint8_t code_info) {
  Account a;
  a.type = AccountType::kSCA;
  a.nonce = nonce;
  a.balance = balance;
  a.key = key;
  a.storage_root = ExtHash::make(empty_root(), 0);
  a.code_hash = code_hash;
  a.code_info = code_info;
  return a;
}

Bytes encode_account(const Account& a, ExtHashMode mode) {
  Bytes out;
  switch (a.type) {
    case AccountType::kLegacy: {
      Bytes body;
      rlp::encode_uint(body, a.nonce);
      rlp::encode_uint256(body, a.balance);
      rlp::encode_string(body, a.storage_root.hash().view());
      rlp::encode_string(body, a.code_hash.view());
      rlp::encode_list(out, body);
      return out;
    }
    case AccountType::kEOA:
      rlp::encode_uint(out, 1);
      encode_common(out, a);
      return out;
    case AccountType::kSCA: {
      rlp::encode_uint(out, 2);
      Bytes body;
      encode_common(body, a);
      if (mode == ExtHashMode::kPreserveExtHash && a.storage_root.counter() != 0)
        rlp::encode_string(body, a.storage_root.view());
      else
        rlp::encode_string(body, a.storage_root.hash().view());
      rlp::encode_string(body, a.code_hash.view());
      rlp::encode_uint(body, a.code_info);
      rlp::encode_list(out, body);
      return out;
    }
  }
  return out;
}

Result<Account> decode_account(ByteView encoded) {
  auto first = rlp::decode_prefix(encoded);
  if (!first) return Status::corruption("account: " + first.status().message());
  Account a;
  if (first->is_list()) {
    if (first->encoded.size() != encoded.size())
      return Status::corruption("account: trailing bytes after a legacy account");
    if (auto s = decode_legacy(*first, a); !s) return s;
    return a;
  }
  auto type = rlp::decode_uint(*first);
  if (!type) return Status::corruption("account: account type: " + type.status().message());
  auto body = rlp::decode(encoded.subspan(first->encoded.size()));
  if (!body) return Status::corruption("account: body: " + body.status().message());
  switch (*type) {
    case 0:
      // A legacy account is never written with a type prefix, but the
      // reference's decoder accepts one.
      if (!body->is_list()) return Status::corruption("legacy account: body must be a list");
      if (auto s = decode_legacy(*body, a); !s) return s;
      return a;
    case 1:
      a.type = AccountType::kEOA;
      if (auto s = decode_common(*body, a); !s) return s;
      return a;
    case 2:
      a.type = AccountType::kSCA;
      if (auto s = decode_sca(*body, a); !s) return s;
      return a;
    default:
      return Status::corruption("account: undefined account type " + std::to_string(*type));
  }
}

Bytes unextend_account_value(ByteView value) {
  if (value.empty()) return to_bytes(value);
  auto acc = decode_account(value);
  if (!acc || acc->type != AccountType::kSCA) return to_bytes(value);
  return encode_account(*acc, ExtHashMode::kHashForm);
}

bool account_leaf_value_for_hash(ByteView stored, Bytes* hash_value) {
  // Cheap pre-check: only SCA values (type byte 0x02) can carry an ExtHash.
  if (stored.size() < 2 || stored[0] != 0x02) return false;
  auto acc = decode_account(stored);
  if (!acc || acc->type != AccountType::kSCA || acc->storage_root.counter() == 0) return false;
  *hash_value = encode_account(*acc, ExtHashMode::kHashForm);
  return true;
}

}  // namespace klay
