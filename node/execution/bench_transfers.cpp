// exec_bench: process_block over 10,000 signed value transfers on the
// in-memory node store (sender recovery included, no commit).
//   build-exec/bin/exec_bench --benchmark_repetitions=3
// Reports txns/s as the "txns_per_second" counter.
#include <benchmark/benchmark.h>

#include <stdexcept>
#include <vector>

#include "engine/core/keccak.h"
#include "engine/core/secp256k1.h"
#include "engine/state/code_store.h"
#include "engine/state/state_db.h"
#include "engine/trie/node_store.h"
#include "node/execution/block_processor.h"

namespace klay::execution {
namespace {

constexpr uint64_t kChainId = 2019;
constexpr size_t kTxns = 10000;
constexpr size_t kSenders = 1000;

template <typename T>
T must(Result<T> r) {
  if (!r) throw std::runtime_error(r.status().to_string());
  return std::move(r).value();
}

struct Workload {
  ChainConfig config;
  trie::MemoryNodeStore nodes;
  state::MemoryCodeStore codes;
  trie::NodeKey root;
  std::vector<Transaction> txns;

  Workload() {
    config.chain_id = uint256(kChainId);
    config.istanbul_compatible_block = uint256(0);
    config.unit_price = 25;
    std::vector<PrivateKey> keys;
    auto st = must(state::StateDB::open(&nodes, &codes, empty_root().view()));
    for (uint64_t i = 1; i <= kSenders; ++i) {
      uint8_t b[32] = {0x22};
      put_be64(b + 24, i);
      keys.push_back(must(PrivateKey::from_bytes(ByteView(b, 32))));
      if (!st.add_balance(keys.back().address(), uint256(1'000'000'000'000ULL)).is_ok()) throw std::runtime_error("fund");
    }
    root = must(st.commit(nodes, codes)).root_key;
    for (size_t n = 0; n < kTxns; ++n) {
      const PrivateKey& k = keys[n % kSenders];
      Transaction t;
      t.type = TxType::kValueTransfer;
      t.from = k.address();
      t.nonce = n / kSenders;
      t.gas = 21000;
      t.gas_price = uint256(25);
      // Hash-like recipients, as real addresses are (StateDB's address hash
      // uses the first 8 bytes).
      uint8_t seed[8];
      put_be64(seed, n);
      t.to = Address::from(ByteView(keccak256(ByteView(seed, 8)).data(), 20));
      t.value = uint256(1000 + n);
      const Signature s = k.sign(signing_hash(t, uint256(kChainId)));
      t.signatures.push_back(TxSignature{eip155_v(s.recid, uint256(kChainId)), s.r, s.s});
      txns.push_back(std::move(t));
    }
  }
  BlockEnv env() const {
    BlockEnv e;
    e.block_num = 1;
    e.config = &config;
    e.rewardbase.bytes[0] = 0xee;
    return e;
  }
};

Workload& workload() {
  static Workload w;
  return w;
}

void run(benchmark::State& state, bool recover, bool root) {
  Workload& w = workload();
  const BlockEnv env = w.env();
  std::vector<RecoveredTx> pre;
  if (!recover) pre = must(recover_senders(w.txns, uint256(kChainId)));
  for (auto _ : state) {
    auto st = must(state::StateDB::open(&w.nodes, &w.codes, w.root.view()));
    std::vector<RecoveredTx> rec = recover ? must(recover_senders(w.txns, uint256(kChainId))) : pre;
    auto result = must(process_block(st, env, w.txns, rec));
    benchmark::DoNotOptimize(result.gas_used);
    if (root) benchmark::DoNotOptimize(must(st.intermediate_root()));
  }
  state.counters["txns_per_second"] =
      benchmark::Counter(static_cast<double>(state.iterations() * kTxns), benchmark::Counter::kIsRate);
}

void BM_ProcessBlock_WithRecovery(benchmark::State& s) { run(s, true, false); }
void BM_ProcessBlock_WithRecoveryAndRoot(benchmark::State& s) { run(s, true, true); }
void BM_ProcessBlock_ExecutionOnly(benchmark::State& s) { run(s, false, false); }
void BM_RecoverSenders(benchmark::State& state) {
  Workload& w = workload();
  for (auto _ : state) benchmark::DoNotOptimize(must(recover_senders(w.txns, uint256(kChainId))).size());
  state.counters["txns_per_second"] =
      benchmark::Counter(static_cast<double>(state.iterations() * kTxns), benchmark::Counter::kIsRate);
}

BENCHMARK(BM_ProcessBlock_WithRecovery)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ProcessBlock_WithRecoveryAndRoot)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ProcessBlock_ExecutionOnly)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_RecoverSenders)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace klay::execution

BENCHMARK_MAIN();
