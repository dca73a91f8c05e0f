// KIP-71 (Magma) dynamic base fee: what the next block's header.base_fee must
// be (reference: consensus/misc/kip71.go NextMagmaBlockBaseFee and
// VerifyMagmaHeader).
//
// Parameters: the chain config's governance.kip71 when present (values as
// given), else the reference defaults (lower bound 25 gkei, upper bound 750
// gkei, gas target 30,000,000, max block gas used for base fee 60,000,000,
// denominator 20). The chain has no governance voting, so they never change.
//
// Formula, on the parent header: bounds made even (lower rounded up, upper
// down); after genesis or a parent without a base fee: the lower bound.
// Otherwise the parent's base fee clamped to the bounds, its gas used capped at
// max_block_gas_used_for_base_fee, and
//   above target: fee + max(1, fee * (used - target) / target / denominator), at most the upper bound;
//   below target: fee - fee * (target - used) / target / denominator, at least the lower bound;
// (denominator 0 counts as 64), the result rounded down to even.
//
// Pure functions; thread-safe.
#pragma once

#include <optional>

#include "engine/core/status.h"
#include "engine/core/types.h"
#include "engine/core/uint256.h"
#include "engine/klaytn/chain_config.h"
#include "engine/klaytn/header.h"

namespace klay::chain {

// The KIP-71 parameters of `config` (see above).
Kip71Config kip71_params(const ChainConfig& config);

// NextMagmaBlockBaseFee: the base fee of the block after `parent`.
uint256 next_magma_base_fee(const Header& parent, const Kip71Config& params);

// The base fee the block after `parent` must carry: nullopt before Magma.
std::optional<uint256> expected_base_fee(const ChainConfig& config, const Header& parent);

// Header `h` (hash `hash`) against expected_base_fee(): InvalidArgument naming
// the block when Magma is active and the base fee is missing or differs, or
// when Magma is not active and the header carries one.
Status check_base_fee(const ChainConfig& config, const Header& h, const Hash& hash, const Header& parent);

}  // namespace klay::chain
