// secp256k1 costs on the transaction path: sender recovery dominates block
// import, so it is the number to watch.
#include <benchmark/benchmark.h>

#include <cstdlib>

#include "engine/core/keccak.h"
#include "engine/core/secp256k1.h"

namespace {

struct Fixture {
  klay::PrivateKey key = *klay::PrivateKey::from_bytes(klay::Bytes(32, 0x46));
  klay::Hash msg = klay::keccak256(klay::as_view("a transaction's signing hash"));
  klay::Signature sig = key.sign(msg);
  klay::PublicKey pub = key.public_key();
};

void BM_Secp256k1Recover(benchmark::State& state) {
  const Fixture f;
  for (auto _ : state) {
    auto pub = klay::recover(f.msg, f.sig);
    if (!pub) std::abort();
    benchmark::DoNotOptimize(pub->uncompressed().data());
  }
}

void BM_Secp256k1RecoverAddress(benchmark::State& state) {
  const Fixture f;
  for (auto _ : state) {
    auto addr = klay::recover_address(f.msg, f.sig);
    if (!addr) std::abort();
    benchmark::DoNotOptimize(addr->data());
  }
}

void BM_Secp256k1Sign(benchmark::State& state) {
  const Fixture f;
  for (auto _ : state) {
    auto sig = f.key.sign(f.msg);
    benchmark::DoNotOptimize(sig.r.limbs.data());
  }
}

void BM_Secp256k1Verify(benchmark::State& state) {
  const Fixture f;
  for (auto _ : state) {
    if (!klay::verify(f.msg, f.sig.r, f.sig.s, f.pub).is_ok()) std::abort();
  }
}

void BM_Secp256k1PublicKey(benchmark::State& state) {
  const Fixture f;
  for (auto _ : state) {
    auto pub = f.key.public_key();
    benchmark::DoNotOptimize(pub.uncompressed().data());
  }
}

}  // namespace

BENCHMARK(BM_Secp256k1Recover);
BENCHMARK(BM_Secp256k1RecoverAddress);
BENCHMARK(BM_Secp256k1Sign);
BENCHMARK(BM_Secp256k1Verify);
BENCHMARK(BM_Secp256k1PublicKey);

BENCHMARK_MAIN();
