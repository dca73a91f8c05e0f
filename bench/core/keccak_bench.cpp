// Keccak-256 (ours) side by side with OpenSSL's SHA3-256 (same Keccak-f[1600]
// permutation, different padding), so the two columns compare permutation and
// sponge speed. Throughput is reported as bytes_per_second.
#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#include <cstdlib>

#include "engine/core/keccak.h"

namespace {

klay::Bytes input(size_t n) {
  klay::Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(i * 131 + 17);
  return b;
}

void BM_Keccak256(benchmark::State& state) {
  const klay::Bytes in = input(static_cast<size_t>(state.range(0)));
  uint8_t out[32];
  for (auto _ : state) {
    klay::keccak256(in, out);
    benchmark::DoNotOptimize(out);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}

void BM_Keccak256Incremental(benchmark::State& state) {
  const klay::Bytes in = input(static_cast<size_t>(state.range(0)));
  uint8_t out[32];
  klay::Keccak256 k;
  for (auto _ : state) {
    k.reset();
    k.update(in);
    k.finalize(out);
    benchmark::DoNotOptimize(out);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}

// OpenSSL at its fastest: the algorithm fetched once and one context reused,
// so neither lookup nor allocation is timed.
void BM_OpenSSL_SHA3_256(benchmark::State& state) {
  const klay::Bytes in = input(static_cast<size_t>(state.range(0)));
  EVP_MD* md = EVP_MD_fetch(nullptr, "SHA3-256", nullptr);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (md == nullptr || ctx == nullptr) {
    state.SkipWithError("OpenSSL SHA3-256 unavailable");
    return;
  }
  uint8_t out[32];
  unsigned len = 0;
  for (auto _ : state) {
    if (!EVP_DigestInit_ex(ctx, md, nullptr) || !EVP_DigestUpdate(ctx, in.data(), in.size()) ||
        !EVP_DigestFinal_ex(ctx, out, &len))
      std::abort();
    benchmark::DoNotOptimize(out);
    benchmark::ClobberMemory();
  }
  EVP_MD_CTX_free(ctx);
  EVP_MD_free(md);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}

void BM_KeccakF1600(benchmark::State& state) {
  uint64_t s[25] = {};
  for (auto _ : state) {
    klay::keccak_f1600(s);
    benchmark::DoNotOptimize(s);
  }
}

}  // namespace

BENCHMARK(BM_Keccak256)->Arg(32)->Arg(136)->Arg(532);
BENCHMARK(BM_OpenSSL_SHA3_256)->Arg(32)->Arg(136)->Arg(532);
BENCHMARK(BM_Keccak256Incremental)->Arg(32)->Arg(136)->Arg(532);
BENCHMARK(BM_KeccakF1600);

BENCHMARK_MAIN();
