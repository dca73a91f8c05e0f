#include "node/execution/fork_rules.h"

namespace klay::execution {

ForkRules ForkRules::all() {
  ForkRules r;
  r.istanbul = r.london = r.eth_tx_type = r.magma = r.kore = r.shanghai = r.cancun = true;
  return r;
}

ForkRules rules_at(const ChainConfig& config, uint64_t block_num) {
  ForkRules r;
  r.istanbul = ChainConfig::forked(config.istanbul_compatible_block, block_num);
  r.london = ChainConfig::forked(config.london_compatible_block, block_num);
  r.eth_tx_type = ChainConfig::forked(config.eth_tx_type_compatible_block, block_num);
  r.magma = config.is_magma(block_num);
  r.kore = config.is_kore(block_num);
  r.shanghai = ChainConfig::forked(config.shanghai_compatible_block, block_num);
  r.cancun = ChainConfig::forked(config.cancun_compatible_block, block_num);
  return r;
}

}  // namespace klay::execution
