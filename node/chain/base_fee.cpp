#include "node/chain/base_fee.h"

#include <algorithm>
#include <string>

#include "node/chain/block_checks.h"

namespace klay::chain {

namespace {

constexpr uint64_t kDefaultLowerBound = 25'000'000'000ULL;
constexpr uint64_t kDefaultUpperBound = 750'000'000'000ULL;
constexpr uint64_t kDefaultGasTarget = 30'000'000ULL;
constexpr uint64_t kDefaultMaxGasUsed = 60'000'000ULL;
constexpr uint64_t kDefaultDenominator = 20;
constexpr uint64_t kZeroDenominatorFallback = 64;

uint256 even_floor(uint256 v) { return (v & uint256(1)).is_zero() ? v : v - uint256(1); }
uint256 even_ceil(uint256 v) { return (v & uint256(1)).is_zero() ? v : v + uint256(1); }

uint256 unrounded_next(const Header& parent, const Kip71Config& p, const uint256& lower, const uint256& upper) {
  if (parent.number == 0 || !parent.base_fee) return lower;
  const uint256 denominator(p.base_fee_denominator == 0 ? kZeroDenominatorFallback : p.base_fee_denominator);
  uint256 fee = *parent.base_fee;
  if (fee >= upper) fee = upper;
  else if (fee <= lower) fee = lower;
  const uint64_t used = std::min(parent.gas_used, p.max_block_gas_used_for_base_fee);
  const uint64_t target = p.gas_target;
  if (used == target) return fee;
  if (used > target) {
    if (fee == upper) return upper;
    // A zero target: any use is infinitely above it.
    if (target == 0) return upper;
    uint256 delta = fee * uint256(used - target) / uint256(target) / denominator;
    if (delta.is_zero()) delta = uint256(1);
    const uint256 next = fee + delta;
    return next > upper ? upper : next;
  }
  if (fee == lower) return lower;
  const uint256 delta = fee * uint256(target - used) / uint256(target) / denominator;
  const uint256 next = fee - delta;
  return next < lower ? lower : next;
}

}  // namespace

Kip71Config kip71_params(const ChainConfig& config) {
  if (config.governance && config.governance->kip71) return *config.governance->kip71;
  Kip71Config k;
  k.lower_bound_base_fee = kDefaultLowerBound;
  k.upper_bound_base_fee = kDefaultUpperBound;
  k.gas_target = kDefaultGasTarget;
  k.max_block_gas_used_for_base_fee = kDefaultMaxGasUsed;
  k.base_fee_denominator = kDefaultDenominator;
  return k;
}

uint256 next_magma_base_fee(const Header& parent, const Kip71Config& params) {
  const uint256 lower = even_ceil(uint256(params.lower_bound_base_fee));
  const uint256 upper = even_floor(uint256(params.upper_bound_base_fee));
  return even_floor(unrounded_next(parent, params, lower, upper));
}

std::optional<uint256> expected_base_fee(const ChainConfig& config, const Header& parent) {
  if (!config.is_magma(parent.number + 1)) return std::nullopt;
  return next_magma_base_fee(parent, kip71_params(config));
}

Status check_base_fee(const ChainConfig& config, const Header& h, const Hash& hash, const Header& parent) {
  const auto want = expected_base_fee(config, parent);
  if (!want) {
    if (h.base_fee)
      return Status::invalid_argument(block_label(h.number, hash) + ": invalid baseFee " + h.base_fee->to_string() +
                                      " before the Magma fork (expected none)");
    return Status::ok();
  }
  if (!h.base_fee) return Status::invalid_argument(block_label(h.number, hash) + ": header is missing baseFee");
  if (*h.base_fee != *want) {
    std::string parent_fee = parent.base_fee ? parent.base_fee->to_string() : "none";
    return Status::invalid_argument(block_label(h.number, hash) + ": invalid baseFee " + h.base_fee->to_string() +
                                    ", want " + want->to_string() + " (parent baseFee " + parent_fee +
                                    ", parent gasUsed " + std::to_string(parent.gas_used) + ")");
  }
  return Status::ok();
}

}  // namespace klay::chain
