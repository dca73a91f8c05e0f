// Shared fixture of the value-transfer import benchmarks (chain_bench in
// node/chain/bench_import.cpp, live_import_bench in pruning/bench, kbench's
// import workload through bench/kbench/gen/transfer_blocks.cpp): a dev
// chain id and unit price, deterministic sender keys, a genesis funding them
// with one Istanbul validator, signed transfers, a PendingSource fed by hand
// and a temporary directory. Benchmark code only: failures throw.
#pragma once

#include <stdlib.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/core/keccak.h"
#include "engine/core/secp256k1.h"
#include "engine/klaytn/istanbul_extra.h"
#include "engine/klaytn/tx.h"
#include "node/chain/pending_source.h"

namespace klay::chain::bench_fixture {

inline constexpr uint64_t kChainId = 2019;
inline constexpr uint64_t kUnitPrice = 25000000000ULL;

inline size_t env_size(const char* name, size_t fallback) {
  const char* v = std::getenv(name);
  return v ? static_cast<size_t>(std::strtoull(v, nullptr, 10)) : fallback;
}

inline PrivateKey key_of(const std::string& seed) { return *PrivateKey::from_bytes(keccak256(as_view(seed)).view()); }

inline std::string genesis_json(const Address& validator, const std::vector<PrivateKey>& senders) {
  IstanbulExtra ist;
  ist.validators = {validator};
  std::string alloc;
  for (const auto& k : senders) {
    if (!alloc.empty()) alloc += ",";
    alloc += "\"" + k.address().hex() + "\":{\"balance\":\"0x33b2e3c9fd0803ce8000000\"}";
  }
  return "{\"config\":{\"chainId\":" + std::to_string(kChainId) + ",\"deriveShaImpl\":2,\"unitPrice\":" +
         std::to_string(kUnitPrice) + ",\"istanbul\":{\"epoch\":604800,\"policy\":0,\"sub\":1}}," +
         "\"timestamp\":\"0x60000000\",\"blockScore\":\"0x1\",\"extraData\":\"0x" +
         to_hex(make_header_extra(Bytes(32, 0), ist)) + "\",\"alloc\":{" + alloc + "}}";
}

inline Transaction transfer(const PrivateKey& key, uint64_t nonce, const Address& to, bool klaytn_type) {
  Transaction t;
  t.type = klaytn_type ? TxType::kValueTransfer : TxType::kLegacy;
  t.nonce = nonce;
  t.gas_price = uint256(kUnitPrice);
  t.gas = 21000;
  t.to = to;
  t.value = uint256(1 + nonce);
  if (klaytn_type) t.from = key.address();
  const Signature sig = key.sign(signing_hash(t, uint256(kChainId)));
  t.signatures = {TxSignature{eip155_v(sig.recid, uint256(kChainId)), sig.r, sig.s}};
  return t;
}

class ListSource : public PendingSource {
 public:
  std::vector<Transaction> next;
  std::vector<Transaction> pending(size_t) override { return next; }
  void remove_included(const Block&) override { next.clear(); }
  void remove_invalid(const std::vector<Hash>& h) override {
    throw std::runtime_error("benchmark transaction dropped: " + h.front().hex());
  }
};

struct TempDir {
  explicit TempDir(const std::string& prefix = "klay-import-bench") {
    std::string tmpl = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
    if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::filesystem::path path;
};

}  // namespace klay::chain::bench_fixture
