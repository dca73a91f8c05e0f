// kchaindata dev gen-state --datadir D --accounts N --storage-slots M
//     [--contracts C] [--accounts-per-block B] [--db.type T] [--db.single] [--db.num-statetrie-shards S]
// A development aid (benchmarks, convert measurements): writes a new datadir
// whose state holds N accounts with random balances and C contracts with
// code and M storage slots each, committed over many blocks (so old trie
// node versions accumulate as on an archive node), each block carrying a
// few signed transfers.
#include <cxxopts.hpp>
#include <random>

#include "engine/core/keccak.h"
#include "tools/common/progress.h"
#include "tools/kchaindata/commands.h"
#include "tools/kchaindata/datadir_flags.h"
#include "tools/kchaindata/dev_chain.h"

namespace klay::kchaindata {

namespace {

int run_gen_state(const std::vector<std::string>& args, cli::Context& ctx) {
  cxxopts::Options parser("kchaindata dev gen-state",
                          "Writes a new datadir with a synthetic but realistic state (development and benchmarks).");
  std::string datadir, db_type = "leveldb";
  bool single = false;
  uint32_t shards = 4;
  uint64_t accounts = 10000, slots = 16, contracts = 0, per_block = 20000;
  parser.add_options()
      ("datadir", "the new datadir", cxxopts::value(datadir))
      ("accounts", "number of accounts", cxxopts::value(accounts))
      ("storage-slots", "storage slots per contract", cxxopts::value(slots))
      ("contracts", "number of contracts (default: accounts / 100)", cxxopts::value(contracts))
      ("accounts-per-block", "accounts created per block", cxxopts::value(per_block))
      ("db.type", "backend: leveldb, rocksdb or lmdb", cxxopts::value(db_type))
      ("db.single", "one database for every entry type", cxxopts::value(single))
      ("db.num-statetrie-shards", "state trie shards", cxxopts::value(shards))
      ("h,help", "show this help");
  std::vector<std::string> storage;
  auto argv = cli::make_argv("kchaindata dev gen-state", args, storage);
  const auto parsed = parser.parse(static_cast<int>(argv.size() - 1), argv.data());
  if (handle_help(parser, parsed, ctx)) return cli::kExitOk;
  if (datadir.empty()) throw cli::UsageError("--datadir DIR is required");
  if (per_block == 0) throw cli::UsageError("--accounts-per-block must be at least 1");
  if (!parsed.count("contracts")) contracts = accounts / 100;
  auto backend = kv::parse_backend(db_type);
  if (!backend) return report_failure(ctx, "dev gen-state", backend.status());
  chaindata::Config config;
  config.backend = *backend;
  config.single_db = single;
  config.num_statetrie_shards = shards;
  if (Status s = chaindata::validate(config); !s) return report_failure(ctx, "dev gen-state", s);

  constexpr size_t kFunded = 8;
  auto chain = DevChain::create(datadir, config, kFunded);
  if (!chain) return report_failure(ctx, "dev gen-state", chain.status());
  std::mt19937_64 rng(42);
  cli::Progress progress("gen-state", accounts + contracts, "accounts", ctx.err);
  uint64_t made_accounts = 0, made_contracts = 0;
  while (made_accounts < accounts || made_contracts < contracts) {
    const uint64_t a_end = std::min(accounts, made_accounts + per_block);
    const uint64_t c_end = std::min(contracts, made_contracts + std::max<uint64_t>(1, per_block / 100));
    std::vector<DevTransfer> transfers;
    for (size_t i = 0; i < kFunded; ++i) {
      const Hash to = keccak256(as_view("transfer-" + std::to_string(rng())));
      transfers.push_back({i, Address::from(to.view().subspan(0, 20)), rng() % 1000000 + 1});
    }
    auto hash = (*chain)->append_block(transfers, [&](state::StateDB& st) -> Status {
      for (uint64_t i = made_accounts; i < a_end; ++i) {
        const Hash h = keccak256(as_view("account-" + std::to_string(i)));
        if (Status s = st.add_balance(Address::from(h.view().subspan(0, 20)), uint256(rng() % 1000000000 + 1)); !s) return s;
      }
      for (uint64_t c = made_contracts; c < c_end; ++c) {
        const Hash h = keccak256(as_view("contract-" + std::to_string(c)));
        const Address addr = Address::from(h.view().subspan(12, 20));
        Bytes code(64 + c % 512);
        for (auto& b : code) b = static_cast<uint8_t>(rng());
        if (Status s = st.set_code(addr, code, 0); !s) return s;
        for (uint64_t k = 0; k < slots; ++k) {
          Hash slot, value;
          put_be64(slot.data() + 24, k);
          put_be64(value.data() + 24, rng() | 1);
          if (Status s = st.set_storage(addr, slot, value); !s) return s;
        }
      }
      return st.finalise();
    });
    if (!hash) return report_failure(ctx, "dev gen-state", hash.status());
    progress.add((a_end - made_accounts) + (c_end - made_contracts));
    made_accounts = a_end;
    made_contracts = c_end;
  }
  progress.finish();
  std::fprintf(ctx.out, "wrote %llu accounts and %llu contracts (%llu slots each) over %llu blocks into %s\n",
               static_cast<unsigned long long>(accounts), static_cast<unsigned long long>(contracts),
               static_cast<unsigned long long>(slots), static_cast<unsigned long long>((*chain)->head_number()),
               datadir.c_str());
  if (Status s = (*chain)->close(); !s) return report_failure(ctx, "dev gen-state", s);
  return cli::kExitOk;
}

}  // namespace

cli::Command dev_gen_state_command() {
  return {"dev gen-state", "(development) write a datadir with a synthetic state (--datadir D --accounts N --storage-slots M)",
          run_gen_state};
}

}  // namespace klay::kchaindata
