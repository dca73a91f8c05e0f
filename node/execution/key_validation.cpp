#include "node/execution/key_validation.h"

#include <algorithm>
#include <string>
#include <vector>

#include "node/execution/gas_params.h"

namespace klay::execution {

namespace {

Status invalid(const std::string& why) { return Status::invalid_argument(why); }
Status bad_signature(const std::string& why) { return invalid("invalid signature: " + why); }

bool contains(const std::vector<PublicKey>& keys, const PublicKey& k) {
  return std::find(keys.begin(), keys.end(), k) != keys.end();
}

Status validate_multisig(const AccountKey& key, std::span<const PublicKey> recovered, const ForkRules& rules) {
  const auto& keys = key.weighted_keys();
  if (rules.istanbul && recovered.size() > keys.size())
    return bad_signature("multisig: " + std::to_string(recovered.size()) + " signatures for " +
                         std::to_string(keys.size()) + " keys");
  std::vector<PublicKey> distinct;
  distinct.reserve(recovered.size());
  for (const auto& k : recovered)
    if (!contains(distinct, k)) distinct.push_back(k);
  uint64_t weight_sum = 0;  // wraps like the reference's uint; installable keys cannot overflow
  size_t matched = 0;
  for (const auto& w : keys) {
    if (contains(distinct, w.key)) {
      weight_sum += w.weight;
      ++matched;
    }
  }
  if (rules.istanbul && matched < distinct.size())
    return bad_signature("multisig: a signature is from a key the account does not hold");
  if (weight_sum < key.threshold())
    return bad_signature("multisig: signed weight " + std::to_string(weight_sum) + " is below the threshold " +
                         std::to_string(key.threshold()));
  return Status::ok();
}

Status check_updatable(const AccountKey& old_key, const AccountKey& new_key);

}  // namespace

KeyRole validation_role(TxType type) {
  switch (type) {
    case TxType::kAccountUpdate:
    case TxType::kFeeDelegatedAccountUpdate:
    case TxType::kFeeDelegatedAccountUpdateWithRatio:
      return KeyRole::kAccountUpdate;
    default:
      return KeyRole::kTransaction;
  }
}

const AccountKey& key_for_role(const AccountKey& key, KeyRole role) {
  if (key.type() != AccountKeyType::kRoleBased) return key;
  const size_t r = static_cast<size_t>(role);
  return r < key.roles().size() ? key.roles()[r] : key.roles().front();
}

Status validate_account_key(const AccountKey& key, const Address& from, std::span<const PublicKey> recovered,
                            KeyRole role, const ForkRules& rules) {
  switch (key.type()) {
    case AccountKeyType::kNil:
      return bad_signature("the account key is nil");
    case AccountKeyType::kLegacy:
      if (recovered.size() != 1) return bad_signature("a legacy account key takes exactly one signature");
      if (address_of(recovered[0]) != from)
        return bad_signature("the signer " + address_of(recovered[0]).hex() + " is not " + from.hex());
      return Status::ok();
    case AccountKeyType::kPublic:
      if (recovered.size() != 1) return bad_signature("a public account key takes exactly one signature");
      if (!(recovered[0] == key.key())) return bad_signature("the signer's key is not the account's public key");
      return Status::ok();
    case AccountKeyType::kFail:
      return bad_signature("the account key is AccountKeyFail");
    case AccountKeyType::kWeightedMultiSig:
      return validate_multisig(key, recovered, rules);
    case AccountKeyType::kRoleBased:
      if (key.roles().empty()) return bad_signature("the role-based account key has no roles");
      return validate_account_key(key_for_role(key, role), from, recovered, role, rules);
  }
  return bad_signature("undefined account key type");
}

Status check_ethereum_sender_key(const AccountKey& key) {
  if (key.type() == AccountKeyType::kLegacy) return Status::ok();
  return invalid("a legacy transaction must be with a legacy account key (the sender's key is " +
                 to_string(key.type()) + ")");
}

Status check_installable(const AccountKey& key) {
  switch (key.type()) {
    case AccountKeyType::kNil:
      return invalid("AccountKeyNil cannot be initialized to an account");
    case AccountKeyType::kLegacy:
    case AccountKeyType::kPublic:  // PublicKey values are always on the curve
    case AccountKeyType::kFail:
      return Status::ok();
    case AccountKeyType::kWeightedMultiSig: {
      const auto& keys = key.weighted_keys();
      if (keys.empty()) return invalid("length is zero: a multisig key needs at least one key");
      if (keys.size() > gas::kMaxNumKeysForMultiSig)
        return invalid("the number of keys exceeds the limit: " + std::to_string(keys.size()) + " keys, at most " +
                       std::to_string(gas::kMaxNumKeysForMultiSig));
      uint64_t sum = 0;
      for (size_t i = 0; i < keys.size(); ++i) {
        if (keys[i].weight == 0) return invalid("key weight is zero");
        for (size_t j = 0; j < i; ++j)
          if (keys[j].key == keys[i].key) return invalid("duplicated key in the multisig key");
        const uint64_t prev = sum;
        sum += keys[i].weight;
        if (sum < prev) return invalid("weighted sum overflow");
      }
      if (sum < key.threshold())
        return invalid("unsatisfiable threshold: the keys' weights sum to " + std::to_string(sum) +
                       ", below the threshold " + std::to_string(key.threshold()));
      return Status::ok();
    }
    case AccountKeyType::kRoleBased: {
      const auto& roles = key.roles();
      if (roles.empty()) return invalid("length is zero: a role-based key needs at least one role");
      if (roles.size() > 3) return invalid("length too long: a role-based key has at most 3 roles");
      for (const auto& r : roles) {
        if (r.type() == AccountKeyType::kRoleBased) return invalid("nested composite type: a role cannot be role-based");
        if (auto s = check_installable(r); !s) return s;
      }
      return Status::ok();
    }
  }
  return invalid("undefined account key type");
}

namespace {

Status check_updatable(const AccountKey& old_key, const AccountKey& new_key) {
  if (old_key.type() != new_key.type()) return invalid("different account key type");
  switch (old_key.type()) {
    case AccountKeyType::kNil:
      return invalid("AccountKeyNil cannot be initialized to an account");
    case AccountKeyType::kFail:
      return invalid("AccountKeyFail is not updatable");
    case AccountKeyType::kLegacy:
    case AccountKeyType::kPublic:
    case AccountKeyType::kWeightedMultiSig:
      return check_installable(new_key);
    case AccountKeyType::kRoleBased: {
      const auto& old_roles = old_key.roles();
      const auto& new_roles = new_key.roles();
      if (new_roles.empty()) return invalid("length is zero: a role-based key needs at least one role");
      if (new_roles.size() > 3) return invalid("length too long: a role-based key has at most 3 roles");
      for (size_t i = 0; i < new_roles.size(); ++i) {
        const AccountKey& r = new_roles[i];
        if (r.type() == AccountKeyType::kRoleBased) return invalid("nested composite type: a role cannot be role-based");
        if (i >= old_roles.size()) {
          if (auto s = check_installable(r); !s) return s;
        } else if (r.type() != AccountKeyType::kNil) {
          if (auto s = check_replaceable(old_roles[i], r); !s) return s;
        }
      }
      return Status::ok();
    }
  }
  return invalid("undefined account key type");
}

}  // namespace

Status check_replaceable(const AccountKey& old_key, const AccountKey& new_key) {
  if (old_key.type() == new_key.type()) return check_updatable(old_key, new_key);
  return check_installable(new_key);
}

Result<AccountKey> updated_key(const AccountKey& old_key, const AccountKey& new_key) {
  if (auto s = check_replaceable(old_key, new_key); !s) return s;
  if (old_key.type() != AccountKeyType::kRoleBased || new_key.type() != AccountKeyType::kRoleBased) return new_key;
  std::vector<AccountKey> roles = old_key.roles();
  const auto& new_roles = new_key.roles();
  if (roles.size() < new_roles.size()) roles.insert(roles.end(), new_roles.begin() + roles.size(), new_roles.end());
  for (size_t i = 0; i < new_roles.size(); ++i)
    if (new_roles[i].type() != AccountKeyType::kNil) roles[i] = new_roles[i];
  return AccountKey::role_based(std::move(roles));
}

}  // namespace klay::execution
