// Problems found by `kchaindata verify`, collected from many threads.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace klay::kchaindata {

struct Problem {
  std::string level;    // "hashes", "trie", "chain"
  std::string kind;     // "missing_node", "corrupt_node", "hash_mismatch", "tx_root", ...
  std::string key;      // 0x hex of the database key concerned (may be empty)
  std::string where;    // path or block, e.g. "account trie path 0x1a", "block 7"
  std::string message;  // one sentence for the operator
};

// Thread-safe. Keeps the first `max_kept` problems and counts all of them.
class ProblemLog {
 public:
  explicit ProblemLog(size_t max_kept = 10000) : max_kept_(max_kept) {}
  void add(Problem p) {
    count_.fetch_add(1, std::memory_order_relaxed);
    std::lock_guard lk(mu_);
    if (kept_.size() < max_kept_) kept_.push_back(std::move(p));
  }
  uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  // REQUIRES: no concurrent add().
  const std::vector<Problem>& kept() const { return kept_; }

 private:
  size_t max_kept_;
  std::atomic<uint64_t> count_{0};
  std::mutex mu_;
  std::vector<Problem> kept_;
};

}  // namespace klay::kchaindata
