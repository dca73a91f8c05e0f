// Block validation steps that need no state, and the receipt bookkeeping
// around execution (reference: blockchain/block_validator.go ValidateBody /
// ValidateState). Every error is InvalidArgument with one sentence starting
// with block_label().
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/core/status.h"
#include "engine/core/types.h"
#include "engine/klaytn/block.h"
#include "engine/klaytn/derive_sha.h"
#include "engine/klaytn/header.h"
#include "engine/klaytn/receipt.h"

namespace klay::chain {

// "block 12 0x1234…abcd": how errors name a block.
std::string block_label(uint64_t block_num, const Hash& hash);

// number = parent + 1, parent hash, time >= parent time.
Status check_parent_link(const Header& h, const Hash& hash, const Header& parent, const Hash& parent_hash);

// The transaction root of the body against header.tx_hash.
Status check_tx_root(const Block& block, const Hash& hash, DeriveShaImpl impl);

// OR of the receipts' blooms (the header bloom of a block).
Bloom receipts_bloom(const std::vector<Receipt>& receipts);

// Gas used, bloom and receipts root of an execution against the header.
Status check_execution(const Header& h, const Hash& hash, uint64_t gas_used, const std::vector<Receipt>& receipts,
                       DeriveShaImpl impl);

// The state root an execution produced against header.root.
Status check_state_root(const Header& h, const Hash& hash, const Hash& computed_root);

// Fills the stored-form fields of each receipt: tx hash, and every log's
// block number, tx hash, tx index, block hash and index within the block.
// REQUIRES: receipts.size() == txn_hashes.size().
void fill_receipt_context(std::vector<Receipt>& receipts, const std::vector<Hash>& txn_hashes, uint64_t block_num, const Hash& block_hash);

}  // namespace klay::chain
