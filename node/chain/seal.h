// Istanbul BFT seals of a Klaytn header: the proposer seal and the committed
// seals, signed and verified as the reference node does
// (consensus/istanbul/backend/engine.go, consensus/istanbul/core).
//
// Facts (checked against klaytn/klaytn):
//   - Every signature is a 65-byte [r, s, v] with v the bare recovery id 0/1
//     (go-ethereum's crypto.Sign), over keccak256 of the signed data: the
//     backend's Sign(data) hashes data first, GetSignatureAddress(data, sig)
//     recovers from keccak256(data).
//   - Proposer seal: data = sigHash(header) = header_sig_hash() (the header RLP
//     with seal and committed seals emptied), so the ECDSA digest is
//     keccak256(header_sig_hash(h)).
//   - Committed seal: data = PrepareCommittedSeal(block hash) =
//     hash ++ byte(msgCommit) with msgCommit = 2; digest keccak256(data).
//   - The proposer must be in the validator set; committed seals must be
//     signed by distinct validators and their number must exceed 2F, where
//     F = ceil(n / 3) - 1 for n validators (one validator: one seal suffices).
//   - BlockScore must be 1.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/core/bytes.h"
#include "engine/core/secp256k1.h"
#include "engine/core/status.h"
#include "engine/core/types.h"
#include "engine/klaytn/header.h"
#include "engine/klaytn/istanbul_extra.h"

namespace klay::chain {

// The Istanbul message code of a commit (core/types.go: preprepare 0, prepare 1, commit 2).
inline constexpr uint8_t kIstanbulMsgCommit = 2;

// keccak256(header_sig_hash(h)): what the proposer's key signs.
Hash proposer_seal_digest(const Header& h);
// keccak256(block_hash ++ kIstanbulMsgCommit): what each committing validator signs.
Hash committed_seal_digest(const Hash& block_hash);

// A 65-byte [r, s, recid] signature of `digest`.
Bytes sign_seal(const PrivateKey& key, const Hash& digest);
// The signer of a 65-byte seal; InvalidArgument for a wrong length or a
// signature that recovers no key. Like the reference (crypto.SigToPub), a
// high s is accepted and v must be a bare recovery id (0..3).
Result<Address> recover_seal_signer(const Hash& digest, ByteView seal);

// F of a validator set of size n: ceil(n / 3) - 1.
size_t istanbul_max_faulty(size_t n);
// Committed seals needed for n validators: 2F + 1.
size_t istanbul_quorum(size_t n);

// Makes `h.extra` a 32-byte vanity (taken from the current extra, zero padded)
// followed by an Istanbul extra listing `validators` with no seals, as the
// reference's Prepare does.
void prepare_istanbul_extra(Header& h, const std::vector<Address>& validators);

// Signs a prepared header: writes the proposer seal, then one committed seal
// by the same key (a single-validator chain commits its own proposals).
// InvalidArgument when h.extra is not an Istanbul extra.
Status seal_header(Header& h, const PrivateKey& key);

// The verified proposer of `h`. Checks, in this order, with one sentence each:
// blockscore 1, a well-formed Istanbul extra, a 65-byte proposer seal that
// recovers, proposer in `validators`, at least one committed seal, every
// committed seal from a distinct validator, and more than 2F of them.
// REQUIRES: validators is the set of the parent block (for our chains: the
// genesis set).
Result<Address> verify_seal(const Header& h, const std::vector<Address>& validators);

}  // namespace klay::chain
