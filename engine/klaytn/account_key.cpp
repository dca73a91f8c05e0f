#include "engine/klaytn/account_key.h"

#include "engine/klaytn/rlp_fields.h"

namespace klay {

namespace {

// Role-based keys may nest in the encoding (the reference only forbids it at
// validation time); a depth bound keeps hostile input from exhausting the stack.
constexpr int kMaxKeyDepth = 16;

Result<PublicKey> decode_compressed_key(const rlp::Item& item) {
  if (item.is_list()) return Status::corruption("account key: public key must be a byte string");
  if (item.payload.size() != PublicKey::kCompressedSize)
    return Status::corruption("account key: public key must be 33 compressed bytes, got " +
                              std::to_string(item.payload.size()));
  auto pk = PublicKey::parse(item.payload);
  if (!pk) return Status::corruption("account key: invalid public key: " + pk.status().message());
  return pk;
}

void encode_compressed(Bytes& out, const PublicKey& pk) {
  const auto c = pk.compressed();
  rlp::encode_string(out, ByteView(c.data(), c.size()));
}

Result<AccountKey> decode_key(rlp::ListReader& reader, int depth);

Result<AccountKey> decode_standalone(ByteView serialized, int depth) {
  rlp::ListReader reader(serialized);
  auto key = decode_key(reader, depth);
  if (!key) return key;
  if (!reader.done()) return Status::corruption("account key: trailing bytes after the key");
  return key;
}

Result<AccountKey> decode_key(rlp::ListReader& reader, int depth) {
  if (depth > kMaxKeyDepth) return Status::corruption("account key: role-based keys nested too deeply");
  if (reader.done()) return Status::corruption("account key: missing key type");
  auto type_item = reader.next();
  if (!type_item) return Status::corruption("account key: " + type_item.status().message());
  auto type = rlp::decode_uint(*type_item);
  if (!type) return Status::corruption("account key: key type: " + type.status().message());
  if (*type == static_cast<uint64_t>(AccountKeyType::kNil)) return AccountKey::nil();
  if (*type > static_cast<uint64_t>(AccountKeyType::kRoleBased))
    return Status::corruption("account key: undefined account key type " + std::to_string(*type));

  if (reader.done()) return Status::corruption("account key: missing key body");
  auto body = reader.next();
  if (!body) return Status::corruption("account key: " + body.status().message());

  switch (static_cast<AccountKeyType>(*type)) {
    case AccountKeyType::kLegacy:
    case AccountKeyType::kFail: {
      if (!body->is_list() || !body->payload.empty())
        return Status::corruption("account key: legacy/fail key body must be an empty list");
      return *type == 1 ? AccountKey::legacy() : AccountKey::fail();
    }
    case AccountKeyType::kPublic: {
      auto pk = decode_compressed_key(*body);
      if (!pk) return pk.status();
      return AccountKey::public_key(*pk);
    }
    case AccountKeyType::kWeightedMultiSig: {
      if (!body->is_list()) return Status::corruption("account key: multisig body must be a list");
      FieldReader f(body->payload, "multisig key");
      uint64_t threshold = 0;
      rlp::Item keys_item;
      if (auto s = f.u64(threshold, "threshold"); !s) return s;
      if (auto s = f.list(keys_item, "keys"); !s) return s;
      if (auto s = f.finish(); !s) return s;
      std::vector<AccountKey::Weighted> keys;
      rlp::ListReader kr(keys_item.payload);
      while (!kr.done()) {
        auto wk = kr.next();
        if (!wk) return Status::corruption("multisig key: " + wk.status().message());
        if (!wk->is_list()) return Status::corruption("multisig key: weighted key must be a list");
        FieldReader wf(wk->payload, "weighted key");
        AccountKey::Weighted w;
        rlp::Item pk_item;
        if (auto s = wf.u64(w.weight, "weight"); !s) return s;
        if (auto s = wf.item(pk_item, "key"); !s) return s;
        if (auto s = wf.finish(); !s) return s;
        auto pk = decode_compressed_key(pk_item);
        if (!pk) return pk.status();
        w.key = *pk;
        keys.push_back(std::move(w));
      }
      return AccountKey::weighted_multisig(threshold, std::move(keys));
    }
    case AccountKeyType::kRoleBased: {
      if (!body->is_list()) return Status::corruption("account key: role-based body must be a list");
      std::vector<AccountKey> roles;
      rlp::ListReader rr(body->payload);
      while (!rr.done()) {
        auto enc = rr.next();
        if (!enc) return Status::corruption("role-based key: " + enc.status().message());
        if (enc->is_list()) return Status::corruption("role-based key: each role must be a byte string");
        auto k = decode_standalone(enc->payload, depth + 1);
        if (!k) return k.status();
        roles.push_back(std::move(*k));
      }
      return AccountKey::role_based(std::move(roles));
    }
    default:
      break;
  }
  return Status::corruption("account key: undefined account key type");
}

}  // namespace

std::string to_string(AccountKeyType t) {
  switch (t) {
    case AccountKeyType::kNil: return "nil";
    case AccountKeyType::kLegacy: return "legacy";
    case AccountKeyType::kPublic: return "public";
    case AccountKeyType::kFail: return "fail";
    case AccountKeyType::kWeightedMultiSig: return "weighted-multisig";
    case AccountKeyType::kRoleBased: return "role-based";
  }
  return "unknown";
}

AccountKey AccountKey::public_key(const PublicKey& key) {
  AccountKey k(AccountKeyType::kPublic);
  k.keys_.push_back(Weighted{0, key});
  return k;
}

AccountKey AccountKey::weighted_multisig(uint64_t threshold, std::vector<Weighted> keys) {
  AccountKey k(AccountKeyType::kWeightedMultiSig);
  k.threshold_ = threshold;
  k.keys_ = std::move(keys);
  return k;
}

AccountKey AccountKey::role_based(std::vector<AccountKey> roles) {
  AccountKey k(AccountKeyType::kRoleBased);
  k.roles_ = std::move(roles);
  return k;
}

void AccountKey::encode_to(Bytes& out) const {
  rlp::encode_uint(out, static_cast<uint64_t>(type_));
  switch (type_) {
    case AccountKeyType::kNil:
      return;
    case AccountKeyType::kLegacy:
    case AccountKeyType::kFail:
      out.push_back(0xc0);
      return;
    case AccountKeyType::kPublic:
      encode_compressed(out, key());
      return;
    case AccountKeyType::kWeightedMultiSig: {
      Bytes keys;
      for (const auto& w : keys_) {
        Bytes one;
        rlp::encode_uint(one, w.weight);
        encode_compressed(one, w.key);
        rlp::encode_list(keys, one);
      }
      Bytes body;
      rlp::encode_uint(body, threshold_);
      rlp::encode_list(body, keys);
      rlp::encode_list(out, body);
      return;
    }
    case AccountKeyType::kRoleBased: {
      Bytes body;
      for (const auto& r : roles_) rlp::encode_string(body, r.encode());
      rlp::encode_list(out, body);
      return;
    }
  }
}

Bytes AccountKey::encode() const {
  Bytes out;
  encode_to(out);
  return out;
}

Result<AccountKey> AccountKey::decode_from(rlp::ListReader& reader) { return decode_key(reader, 0); }

Result<AccountKey> AccountKey::decode(ByteView serialized) { return decode_standalone(serialized, 0); }

}  // namespace klay
