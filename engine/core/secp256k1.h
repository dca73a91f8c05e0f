// secp256k1 keys and recoverable ECDSA signatures as Ethereum and Klaytn use
// them, over libsecp256k1.
//
// Threading: every function here is safe to call from any thread. They share
// one process-wide libsecp256k1 context, created and randomised on first use
// (thread-safe static initialisation) and only read afterwards.
//
// Signature values: r and s are integers in [1, n-1] where n is the curve
// order. A signature is "low-s" when s <= n/2; sign() always produces low-s,
// and verify()/recover() reject high-s unless told otherwise (EIP-2, which
// Klaytn enforces for transactions).
#pragma once

#include <array>
#include <cstdint>

#include "engine/core/bytes.h"
#include "engine/core/status.h"
#include "engine/core/types.h"
#include "engine/core/uint256.h"

namespace klay {

// The curve order n and n/2 (rounded down).
const uint256& secp256k1_order();
const uint256& secp256k1_half_order();

// A validated public key (a point on the curve, not infinity).
class PublicKey {
 public:
  static constexpr size_t kUncompressedSize = 65;  // 0x04 || X || Y
  static constexpr size_t kCompressedSize = 33;    // 0x02/0x03 || X

  // Parses the 33-byte compressed or 65-byte uncompressed SEC1 form.
  static Result<PublicKey> parse(ByteView sec1);
  // Parses the 64-byte X || Y form (uncompressed without its 0x04 prefix).
  static Result<PublicKey> from_xy(ByteView xy64);

  const std::array<uint8_t, kUncompressedSize>& uncompressed() const { return uncompressed_; }
  std::array<uint8_t, kCompressedSize> compressed() const;
  // X || Y (64 bytes), the form hashed into an address.
  ByteView xy() const { return ByteView(uncompressed_.data() + 1, 64); }

  bool operator==(const PublicKey&) const = default;

 private:
  std::array<uint8_t, kUncompressedSize> uncompressed_{};
};

// The account address of a key: the last 20 bytes of keccak256(X || Y).
Address address_of(const PublicKey& pub);

// A recoverable ECDSA signature: r, s and the recovery id (0 or 1; libsecp256k1
// never produces 2 or 3 since they need r >= n, which has negligible probability).
struct Signature {
  uint256 r;
  uint256 s;
  uint8_t recid = 0;

  // r (32 BE) || s (32 BE) || recid, the 65-byte form of personal_sign and keystores.
  std::array<uint8_t, 65> to_rsv() const;
  // Inverse of to_rsv(); accepts a final byte of 0/1 or 27/28.
  static Result<Signature> from_rsv(ByteView rsv65);
  bool operator==(const Signature&) const = default;
};

enum class SRule { kRequireLowS, kAllowHighS };

// OK when 1 <= r < n and 1 <= s < n, and (with kRequireLowS) s <= n/2. The
// error names the offending value.
Status check_signature_values(const uint256& r, const uint256& s,
                              SRule rule = SRule::kRequireLowS);

// A secret key: 32 bytes, 1 <= k < n. The bytes are wiped on destruction.
// Copyable (copies are wiped too); keep copies few.
class PrivateKey {
 public:
  static constexpr size_t kSize = 32;

  // InvalidArgument unless `key` is 32 bytes encoding 1 <= k < n.
  static Result<PrivateKey> from_bytes(ByteView key);
  // A fresh key from the operating system's CSPRNG (getrandom). Fails only
  // if the CSPRNG does.
  static Result<PrivateKey> generate();

  PrivateKey(const PrivateKey&) = default;
  PrivateKey& operator=(const PrivateKey&) = default;
  ~PrivateKey();

  ByteView bytes() const { return ByteView(key_.data(), kSize); }
  PublicKey public_key() const;
  Address address() const { return address_of(public_key()); }

  // Deterministic (RFC 6979) recoverable signature of a 32-byte message
  // hash; the result is always low-s.
  Signature sign(const Hash& msg_hash) const;

 private:
  PrivateKey() = default;
  std::array<uint8_t, kSize> key_{};
};

// Recovers the signer's key from a message hash and a recoverable signature.
// Checks the signature values first (see check_signature_values); fails with
// InvalidArgument on bad values and when no key matches.
Result<PublicKey> recover(const Hash& msg_hash, const Signature& sig,
                          SRule rule = SRule::kRequireLowS);
Result<Address> recover_address(const Hash& msg_hash, const Signature& sig,
                                SRule rule = SRule::kRequireLowS);

// Verifies a (non-recoverable) signature on a message hash. OK or an
// InvalidArgument Status saying why not (bad values, high s, wrong key).
Status verify(const Hash& msg_hash, const uint256& r, const uint256& s, const PublicKey& pub,
              SRule rule = SRule::kRequireLowS);

// ---- Ethereum-style v values ----
// Legacy (pre-EIP-155) v: 27 + recid.
// EIP-155 v:              chain_id * 2 + 35 + recid.
// Typed transactions carry a bare y-parity (v = recid).

// v for a recovery id under EIP-155. REQUIRES: recid <= 1. Wraps if
// chain_id > (2^256 - 37) / 2 (no real chain id is that large).
uint256 eip155_v(uint8_t recid, const uint256& chain_id);
// recid from a legacy v; error unless v is 27 or 28.
Result<uint8_t> recid_from_legacy_v(const uint256& v);
// recid from an EIP-155 v for the expected chain id. The error says which
// chain id `v` implies when it does not match.
Result<uint8_t> recid_from_eip155_v(const uint256& v, const uint256& chain_id);
// Accepts either a legacy v (27/28) or an EIP-155 v for `chain_id`.
Result<uint8_t> recid_from_v(const uint256& v, const uint256& chain_id);
// recid from a typed transaction's y-parity; error unless v is 0 or 1.
Result<uint8_t> recid_from_parity(const uint256& v);
// The chain id an EIP-155 v commits to; InvalidArgument for v < 35.
Result<uint256> chain_id_from_v(const uint256& v);

}  // namespace klay
