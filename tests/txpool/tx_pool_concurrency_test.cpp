// Several threads add while a producer takes pending transactions and
// reports them included; counts stay within the limits and every sender's
// included nonces form one unbroken run.
#include <atomic>
#include <thread>

#include "tests/txpool/pool_test_util.h"

namespace klay::txpool::test {
namespace {

TEST(Concurrency, AddersAndProducer) {
  constexpr int kThreads = 4;
  constexpr int kSendersPerThread = 2;
  constexpr uint64_t kTxsPerSender = 60;

  FakeClock clock;
  auto st = std::make_unique<FakeState>();
  std::vector<PrivateKey> keys;
  for (int i = 0; i < kThreads * kSendersPerThread; ++i) {
    keys.push_back(key(100 + i));
    st->fund(keys.back().address(), kRich);
  }
  TxPoolConfig config;
  config.exec_slots_all = 64;
  config.exec_slots_account = 4;
  config.non_exec_slots_all = 32;
  config.non_exec_slots_account = 8;
  config.now = clock.fn();
  TxPool pool(chain_config(), config, std::move(st), PoolHead{});

  // Signed up front; each sender's nonces arrive in a shuffled-but-local order
  // (pairs swapped) so that gaps and promotions happen.
  std::vector<std::vector<Bytes>> raw(keys.size());
  for (size_t s = 0; s < keys.size(); ++s) {
    for (uint64_t n = 0; n < kTxsPerSender; n += 2) {
      raw[s].push_back(encode_transaction(s % 2 ? value_transfer(keys[s], n + 1) : legacy(keys[s], n + 1)));
      raw[s].push_back(encode_transaction(s % 2 ? value_transfer(keys[s], n) : legacy(keys[s], n)));
    }
  }

  std::atomic<int> adders_left{kThreads};
  std::atomic<size_t> accepted{0};
  std::atomic<bool> bound_violated{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 3; ++round) {  // resend: known/too-low/full are all fine
        for (int j = 0; j < kSendersPerThread; ++j)
          for (const auto& r : raw[t * kSendersPerThread + j])
            if (pool.add(r)) ++accepted;
      }
      --adders_left;
    });
  }

  std::map<Address, std::vector<uint64_t>> included;
  std::thread producer([&] {
    const uint64_t capacity = config.exec_slots_all + config.non_exec_slots_all;
    while (true) {
      const bool last = adders_left.load() == 0;
      auto batch = pool.pending(20);
      const PoolStats s = pool.stats();
      if (s.pending > config.exec_slots_all || s.queued > config.non_exec_slots_all || s.slots > capacity)
        bound_violated = true;
      std::vector<Transaction> txs;
      std::vector<Address> senders;
      for (const auto& p : batch) {
        included[p->sender].push_back(p->nonce());
        txs.push_back(p->tx);
        senders.push_back(p->sender);
      }
      pool.remove_included(txs, senders);
      if (last && batch.empty()) break;
    }
  });
  for (auto& th : threads) th.join();
  producer.join();

  EXPECT_FALSE(bound_violated.load());
  EXPECT_GT(accepted.load(), 0u);
  expect_consistent(pool);
  size_t total = 0;
  for (const auto& [sender, nonces] : included) {
    total += nonces.size();
    for (size_t i = 0; i < nonces.size(); ++i) ASSERT_EQ(nonces[i], i) << "sender " << sender.hex();
  }
  EXPECT_GT(total, 0u);
  EXPECT_EQ(pool.stats().pending, 0u);  // the producer drained everything executable
}

// Readers (get/status/stats/content) race with adds and resets.
TEST(Concurrency, ReadersDuringResets) {
  FakeClock clock;
  auto st = std::make_unique<FakeState>();
  const PrivateKey k = key(300);
  st->fund(k.address(), kRich);
  FakeState snapshot = *st;
  TxPool pool(chain_config(), small_config(clock), std::move(st), PoolHead{});
  std::vector<Transaction> txs;
  for (uint64_t n = 0; n < 40; ++n) txs.push_back(legacy(k, n));

  std::atomic<bool> done{false};
  std::thread reader([&] {
    while (!done) {
      for (const auto& tx : txs) {
        if (auto p = pool.get(tx_hash(tx))) {
          EXPECT_EQ(p->nonce(), tx.nonce);
        }
        (void)pool.status(tx_hash(tx));
      }
      (void)pool.content();
      (void)pool.pending_nonce(k.address());
    }
  });
  std::thread resetter([&] {
    for (uint64_t b = 1; b <= 20; ++b) {
      auto next = std::make_unique<FakeState>(snapshot);
      next->accounts[k.address()].nonce = b;
      pool.reset(std::move(next), PoolHead{b});
    }
  });
  for (const auto& tx : txs) (void)pool.add(tx);
  resetter.join();
  done = true;
  reader.join();
  expect_consistent(pool);
  for (const auto& p : pool.pending()) EXPECT_GE(p->nonce(), 20u);
}

}  // namespace
}  // namespace klay::txpool::test
