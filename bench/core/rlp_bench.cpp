// RLP encode/decode of the shapes the storage engine handles most: a
// four-field account and a 17-item trie branch node.
#include <benchmark/benchmark.h>

#include <cstdlib>

#include "engine/core/keccak.h"
#include "engine/core/rlp.h"
#include "engine/core/uint256.h"

namespace {

struct Account {
  uint64_t nonce = 0;
  klay::uint256 balance;
  klay::Hash storage_root;
  klay::Hash code_hash;
};

Account sample_account() {
  Account a;
  a.nonce = 1234;
  a.balance = *klay::uint256::from_string("1000000000000000000000");  // 1000 KLAY in peb
  a.storage_root = klay::keccak256(klay::as_view("storage"));
  a.code_hash = klay::keccak256(klay::as_view("code"));
  return a;
}

void encode_account(klay::Bytes& out, const Account& a) {
  klay::Bytes payload;
  payload.reserve(80);
  klay::rlp::encode_uint(payload, a.nonce);
  klay::rlp::encode_uint256(payload, a.balance);
  klay::rlp::encode_string(payload, a.storage_root.view());
  klay::rlp::encode_string(payload, a.code_hash.view());
  klay::rlp::encode_list(out, payload);
}

void BM_RlpEncodeAccount(benchmark::State& state) {
  const Account a = sample_account();
  klay::Bytes out;
  for (auto _ : state) {
    out.clear();
    encode_account(out, a);
    benchmark::DoNotOptimize(out.data());
  }
}

void BM_RlpDecodeAccount(benchmark::State& state) {
  klay::Bytes enc;
  encode_account(enc, sample_account());
  for (auto _ : state) {
    klay::rlp::ListReader r(klay::rlp::decode(enc)->payload);
    auto nonce = klay::rlp::decode_uint(*r.next());
    auto balance = klay::rlp::decode_uint256(*r.next());
    auto root = r.next();
    auto code = r.next();
    if (!nonce || !balance || !root || !code || !r.done()) std::abort();
    benchmark::DoNotOptimize(*nonce);
    benchmark::DoNotOptimize(*balance);
    benchmark::DoNotOptimize(root->payload.data());
    benchmark::DoNotOptimize(code->payload.data());
  }
}

klay::Bytes encode_branch() {
  klay::Bytes payload;
  for (int i = 0; i < 16; ++i) {
    const uint8_t b = static_cast<uint8_t>(i);
    klay::rlp::encode_string(payload, klay::keccak256(klay::ByteView(&b, 1)).view());
  }
  klay::rlp::encode_string(payload, {});
  return klay::rlp::wrap_list(payload);
}

void BM_RlpEncodeBranchNode(benchmark::State& state) {
  std::vector<klay::Hash> children;
  for (int i = 0; i < 16; ++i) {
    const uint8_t b = static_cast<uint8_t>(i);
    children.push_back(klay::keccak256(klay::ByteView(&b, 1)));
  }
  klay::Bytes payload;
  klay::Bytes out;
  for (auto _ : state) {
    payload.clear();
    out.clear();
    for (const auto& c : children) klay::rlp::encode_string(payload, c.view());
    klay::rlp::encode_string(payload, {});
    klay::rlp::encode_list(out, payload);
    benchmark::DoNotOptimize(out.data());
  }
}

void BM_RlpDecodeBranchNode(benchmark::State& state) {
  const klay::Bytes enc = encode_branch();
  for (auto _ : state) {
    auto items = klay::rlp::decode_list_item(enc);
    if (!items || items->size() != 17) std::abort();
    benchmark::DoNotOptimize(items->data());
  }
}

}  // namespace

BENCHMARK(BM_RlpEncodeAccount);
BENCHMARK(BM_RlpDecodeAccount);
BENCHMARK(BM_RlpEncodeBranchNode);
BENCHMARK(BM_RlpDecodeBranchNode);

BENCHMARK_MAIN();
