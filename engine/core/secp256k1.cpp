#include "engine/core/secp256k1.h"

#include <secp256k1.h>
#include <secp256k1_recovery.h>
#include <string.h>  // explicit_bzero
#include <sys/random.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "engine/core/keccak.h"

namespace klay {

namespace {

bool fill_random(uint8_t* out, size_t n) {
  while (n > 0) {
    const ssize_t got = getrandom(out, n, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    out += got;
    n -= static_cast<size_t>(got);
  }
  return true;
}

secp256k1_context* make_context() {
  secp256k1_context* ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
  // Blinding protects signing against side channels; without randomness we
  // would silently lose it, so a node that cannot read its CSPRNG stops here.
  uint8_t seed[32];
  if (ctx == nullptr || !fill_random(seed, sizeof(seed)) ||
      !secp256k1_context_randomize(ctx, seed))
    std::abort();
  explicit_bzero(seed, sizeof(seed));
  return ctx;
}

// Created once; after creation only read, which libsecp256k1 allows from
// many threads at once.
const secp256k1_context* context() {
  static secp256k1_context* const ctx = make_context();
  return ctx;
}

// REQUIRES: pk came out of libsecp256k1 (so it is a valid point).
PublicKey to_public_key(const secp256k1_pubkey& pk) {
  uint8_t buf[65];
  size_t len = sizeof(buf);
  secp256k1_ec_pubkey_serialize(context(), buf, &len, &pk, SECP256K1_EC_UNCOMPRESSED);
  return *PublicKey::parse(ByteView(buf, len));
}

std::string recid_error(uint8_t recid) {
  return "secp256k1: recovery id " + std::to_string(recid) + " is not 0 or 1";
}

}  // namespace

const uint256& secp256k1_order() {
  static const uint256 n = *uint256::from_hex(
      "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
  return n;
}

const uint256& secp256k1_half_order() {
  static const uint256 h = secp256k1_order() >> 1;
  return h;
}

// ---- PublicKey ----

Result<PublicKey> PublicKey::parse(ByteView sec1) {
  if (sec1.size() != kCompressedSize && sec1.size() != kUncompressedSize)
    return Status::invalid_argument("secp256k1: public key must be 33 or 65 bytes, got " +
                                    std::to_string(sec1.size()));
  secp256k1_pubkey pk;
  if (!secp256k1_ec_pubkey_parse(context(), &pk, sec1.data(), sec1.size()))
    return Status::invalid_argument("secp256k1: bytes are not a point on the curve");
  PublicKey out;
  size_t len = out.uncompressed_.size();
  secp256k1_ec_pubkey_serialize(context(), out.uncompressed_.data(), &len, &pk,
                                SECP256K1_EC_UNCOMPRESSED);
  return out;
}

Result<PublicKey> PublicKey::from_xy(ByteView xy64) {
  if (xy64.size() != 64)
    return Status::invalid_argument("secp256k1: X||Y public key must be 64 bytes, got " +
                                    std::to_string(xy64.size()));
  uint8_t buf[65];
  buf[0] = 0x04;
  std::memcpy(buf + 1, xy64.data(), 64);
  return parse(ByteView(buf, 65));
}

std::array<uint8_t, PublicKey::kCompressedSize> PublicKey::compressed() const {
  std::array<uint8_t, kCompressedSize> out;
  out[0] = (uncompressed_[64] & 1) ? 0x03 : 0x02;
  std::memcpy(out.data() + 1, uncompressed_.data() + 1, 32);
  return out;
}

Address address_of(const PublicKey& pub) {
  const Hash h = keccak256(pub.xy());
  return Address::from(ByteView(h.data() + 12, 20));
}

// ---- Signature ----

std::array<uint8_t, 65> Signature::to_rsv() const {
  std::array<uint8_t, 65> out;
  r.to_be32(out.data());
  s.to_be32(out.data() + 32);
  out[64] = recid;
  return out;
}

Result<Signature> Signature::from_rsv(ByteView rsv65) {
  if (rsv65.size() != 65)
    return Status::invalid_argument("secp256k1: r||s||v signature must be 65 bytes, got " +
                                    std::to_string(rsv65.size()));
  Signature sig;
  sig.r = uint256::from_be32(rsv65.data());
  sig.s = uint256::from_be32(rsv65.data() + 32);
  uint8_t v = rsv65[64];
  if (v == 27 || v == 28) v -= 27;
  if (v > 1)
    return Status::invalid_argument("secp256k1: signature v byte " + std::to_string(rsv65[64]) +
                                    " is not 0, 1, 27 or 28");
  sig.recid = v;
  return sig;
}

Status check_signature_values(const uint256& r, const uint256& s, SRule rule) {
  const uint256& n = secp256k1_order();
  if (r.is_zero()) return Status::invalid_argument("secp256k1: signature r is zero");
  if (s.is_zero()) return Status::invalid_argument("secp256k1: signature s is zero");
  if (r >= n) return Status::invalid_argument("secp256k1: signature r is not below the curve order");
  if (s >= n) return Status::invalid_argument("secp256k1: signature s is not below the curve order");
  if (rule == SRule::kRequireLowS && s > secp256k1_half_order())
    return Status::invalid_argument(
        "secp256k1: signature s is in the upper half of the curve order (high-s, EIP-2)");
  return Status::ok();
}

// ---- PrivateKey ----

Result<PrivateKey> PrivateKey::from_bytes(ByteView key) {
  if (key.size() != kSize)
    return Status::invalid_argument("secp256k1: private key must be 32 bytes, got " +
                                    std::to_string(key.size()));
  if (!secp256k1_ec_seckey_verify(context(), key.data()))
    return Status::invalid_argument("secp256k1: private key is zero or not below the curve order");
  PrivateKey k;
  std::memcpy(k.key_.data(), key.data(), kSize);
  return k;
}

Result<PrivateKey> PrivateKey::generate() {
  PrivateKey k;
  // A uniformly random 32-byte string is invalid with probability ~2^-128,
  // so this loop practically runs once.
  do {
    if (!fill_random(k.key_.data(), kSize))
      return Status::io_error(std::string("secp256k1: getrandom failed: ") + std::strerror(errno));
  } while (!secp256k1_ec_seckey_verify(context(), k.key_.data()));
  return k;
}

PrivateKey::~PrivateKey() { explicit_bzero(key_.data(), key_.size()); }

PublicKey PrivateKey::public_key() const {
  secp256k1_pubkey pk;
  // Cannot fail: the key was verified on construction.
  if (!secp256k1_ec_pubkey_create(context(), &pk, key_.data())) std::abort();
  return to_public_key(pk);
}

Signature PrivateKey::sign(const Hash& msg_hash) const {
  secp256k1_ecdsa_recoverable_signature rs;
  // Cannot fail with a valid key and the default RFC 6979 nonce.
  if (!secp256k1_ecdsa_sign_recoverable(context(), &rs, msg_hash.data(), key_.data(), nullptr,
                                        nullptr))
    std::abort();
  uint8_t compact[64];
  int recid = 0;
  secp256k1_ecdsa_recoverable_signature_serialize_compact(context(), compact, &recid, &rs);
  Signature sig;
  sig.r = uint256::from_be32(compact);
  sig.s = uint256::from_be32(compact + 32);
  sig.recid = static_cast<uint8_t>(recid);
  return sig;
}

// ---- recovery and verification ----

Result<PublicKey> recover(const Hash& msg_hash, const Signature& sig, SRule rule) {
  if (sig.recid > 1) return Status::invalid_argument(recid_error(sig.recid));
  if (Status st = check_signature_values(sig.r, sig.s, rule); !st) return st;
  uint8_t compact[64];
  sig.r.to_be32(compact);
  sig.s.to_be32(compact + 32);
  secp256k1_ecdsa_recoverable_signature rs;
  if (!secp256k1_ecdsa_recoverable_signature_parse_compact(context(), &rs, compact, sig.recid))
    return Status::invalid_argument("secp256k1: signature cannot be parsed");
  secp256k1_pubkey pk;
  if (!secp256k1_ecdsa_recover(context(), &pk, &rs, msg_hash.data()))
    return Status::invalid_argument("secp256k1: no public key recovers from this signature");
  return to_public_key(pk);
}

Result<Address> recover_address(const Hash& msg_hash, const Signature& sig, SRule rule) {
  auto pub = recover(msg_hash, sig, rule);
  if (!pub) return pub.status();
  return address_of(*pub);
}

Status verify(const Hash& msg_hash, const uint256& r, const uint256& s, const PublicKey& pub,
              SRule rule) {
  if (Status st = check_signature_values(r, s, rule); !st) return st;
  uint8_t compact[64];
  r.to_be32(compact);
  s.to_be32(compact + 32);
  secp256k1_ecdsa_signature es;
  if (!secp256k1_ecdsa_signature_parse_compact(context(), &es, compact))
    return Status::invalid_argument("secp256k1: signature cannot be parsed");
  // libsecp256k1 verifies only low-s; a permitted high-s is mirrored first.
  secp256k1_ecdsa_signature_normalize(context(), &es, &es);
  secp256k1_pubkey pk;
  if (!secp256k1_ec_pubkey_parse(context(), &pk, pub.uncompressed().data(),
                                 PublicKey::kUncompressedSize))
    return Status::invalid_argument("secp256k1: bad public key");
  if (!secp256k1_ecdsa_verify(context(), &es, msg_hash.data(), &pk))
    return Status::invalid_argument("secp256k1: signature does not match the key and message");
  return Status::ok();
}

// ---- v values ----

uint256 eip155_v(uint8_t recid, const uint256& chain_id) {
  return chain_id * 2 + 35 + recid;
}

Result<uint8_t> recid_from_legacy_v(const uint256& v) {
  if (v == 27 || v == 28) return static_cast<uint8_t>(v.low64() - 27);
  return Status::invalid_argument("secp256k1: legacy v must be 27 or 28, got " + v.to_string());
}

Result<uint256> chain_id_from_v(const uint256& v) {
  if (v < 35)
    return Status::invalid_argument("secp256k1: v " + v.to_string() +
                                    " is below 35 and carries no EIP-155 chain id");
  return (v - 35) >> 1;
}

Result<uint8_t> recid_from_eip155_v(const uint256& v, const uint256& chain_id) {
  auto implied = chain_id_from_v(v);
  if (!implied) return implied.status();
  if (*implied != chain_id)
    return Status::invalid_argument("secp256k1: v " + v.to_string() + " is for chain id " +
                                    implied->to_string() + ", expected chain id " +
                                    chain_id.to_string());
  return static_cast<uint8_t>((v - 35).low64() & 1);
}

Result<uint8_t> recid_from_v(const uint256& v, const uint256& chain_id) {
  if (v == 27 || v == 28) return static_cast<uint8_t>(v.low64() - 27);
  return recid_from_eip155_v(v, chain_id);
}

Result<uint8_t> recid_from_parity(const uint256& v) {
  if (v == 0 || v == 1) return static_cast<uint8_t>(v.low64());
  return Status::invalid_argument("secp256k1: y-parity must be 0 or 1, got " + v.to_string());
}

}  // namespace klay
