#include "bench/kbench/gen/chain_gen.h"

#include "bench/kbench/gen/state_content.h"
#include "tools/kchaindata/dev_chain.h"

namespace klay::kbench::gen {

namespace {

constexpr size_t kFundedKeys = 4;

}  // namespace

Result<GeneratedChain> generate_chaindata(const std::filesystem::path& datadir, const chaindata::Config& config,
                                          const ChainSpec& spec) {
  auto chain = kchaindata::DevChain::create(datadir, config, kFundedKeys);
  if (!chain) return chain.status();
  const uint64_t blocks = std::max<uint64_t>(1, spec.blocks);
  for (uint64_t b = 0; b < blocks; ++b) {
    const uint64_t a0 = spec.accounts * b / blocks, a1 = spec.accounts * (b + 1) / blocks;
    const uint64_t c0 = spec.contracts * b / blocks, c1 = spec.contracts * (b + 1) / blocks;
    std::vector<kchaindata::DevTransfer> transfers;
    for (size_t k = 0; k < kFundedKeys; ++k) transfers.push_back({k, account_address(b * kFundedKeys + k), 1 + b});
    auto hash = (*chain)->append_block(transfers, [&](state::StateDB& st) -> Status {
      if (Status s = add_accounts(st, a0, a1); !s) return s;
      if (Status s = add_contracts(st, c0, c1, spec.slots); !s) return s;
      for (uint64_t i = 0; i < a0; i += 97) {  // touch ~1% of the older accounts
        if (Status s = st.add_balance(account_address(i), uint256(b + 1)); !s) return s;
      }
      return st.finalise();
    });
    if (!hash) return hash.status();
  }
  GeneratedChain out{(*chain)->head_number(), (*chain)->state_root()};
  if (Status s = (*chain)->close(); !s) return s;
  return out;
}

}  // namespace klay::kbench::gen
