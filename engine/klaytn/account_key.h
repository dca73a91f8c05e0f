// Klaytn account keys: nil, legacy, public, fail, weighted multisig and
// role-based, with the reference's RLP serialization.
//
// Serialized form ("key serializer"): rlp(keyType) followed by the key body,
// two items written side by side (the nil key writes no body at all):
//   nil        0x80
//   legacy     0x01 0xc0
//   public     0x02 rlp(33-byte compressed secp256k1 key)
//   fail       0x03 0xc0
//   multisig   0x04 rlp([threshold, [[weight, compressedKey], ...]])
//   role-based 0x05 rlp([serialized key as a byte string, ...])   (roles:
//              transaction, account update, fee payer)
// Inside an account the two items sit inline in the account's list; inside a
// transaction the whole serialized form is carried as one byte string.
//
// AccountKey is a value type; copies are deep. Thread-safe as a value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/core/bytes.h"
#include "engine/core/rlp.h"
#include "engine/core/secp256k1.h"
#include "engine/core/status.h"

namespace klay {

enum class AccountKeyType : uint8_t {
  kNil = 0,
  kLegacy = 1,
  kPublic = 2,
  kFail = 3,
  kWeightedMultiSig = 4,
  kRoleBased = 5,
};

// Roles of a role-based key (index into AccountKey::roles()).
enum class KeyRole : uint8_t { kTransaction = 0, kAccountUpdate = 1, kFeePayer = 2 };

std::string to_string(AccountKeyType t);

class AccountKey {
 public:
  struct Weighted {
    uint64_t weight = 0;
    PublicKey key;
    bool operator==(const Weighted&) const = default;
  };

  AccountKey() = default;  // the nil key
  static AccountKey nil() { return AccountKey(AccountKeyType::kNil); }
  static AccountKey legacy() { return AccountKey(AccountKeyType::kLegacy); }
  static AccountKey fail() { return AccountKey(AccountKeyType::kFail); }
  static AccountKey public_key(const PublicKey& key);
  static AccountKey weighted_multisig(uint64_t threshold, std::vector<Weighted> keys);
  static AccountKey role_based(std::vector<AccountKey> roles);

  AccountKeyType type() const { return type_; }
  // REQUIRES: type() == kPublic.
  const PublicKey& key() const { return keys_.front().key; }
  // REQUIRES: type() == kWeightedMultiSig.
  uint64_t threshold() const { return threshold_; }
  const std::vector<Weighted>& weighted_keys() const { return keys_; }
  // REQUIRES: type() == kRoleBased.
  const std::vector<AccountKey>& roles() const { return roles_; }

  // Appends rlp(type) ++ body (see the file comment).
  void encode_to(Bytes& out) const;
  Bytes encode() const;

  // Reads a key serializer from the next items of `reader` (one item for the
  // nil key, two otherwise).
  static Result<AccountKey> decode_from(rlp::ListReader& reader);
  // Decodes a standalone serialized key; trailing bytes are an error.
  static Result<AccountKey> decode(ByteView serialized);

  bool operator==(const AccountKey&) const = default;

 private:
  explicit AccountKey(AccountKeyType t) : type_(t) {}
  AccountKeyType type_ = AccountKeyType::kNil;
  uint64_t threshold_ = 0;
  std::vector<Weighted> keys_;      // public: one entry (weight unused)
  std::vector<AccountKey> roles_;
};

}  // namespace klay
