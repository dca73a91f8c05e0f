// Random operation sequences with random snapshots and reverts, checked
// against a plain std::map model after every step and, at each commit,
// against a state root built directly from the model.
#include <random>

#include "tests/state/state_test_util.h"

namespace klay::state {
namespace {

using test::addr;
using test::must;
using test::word;

struct ModelAccount {
  bool sca = false;
  uint256 balance;
  uint64_t nonce = 0;
  std::map<Hash, Hash> storage;  // non-zero slots
  bool destructed = false;
};
using Model = std::map<Address, ModelAccount>;

constexpr uint64_t kEoas = 24, kScas = 6, kSlots = 12;
Address eoa_addr(uint64_t i) { return addr(i); }
Address sca_addr(uint64_t i) { return addr(500 + i); }

void finalise_model(Model& m) {
  for (auto it = m.begin(); it != m.end();) {
    const auto& a = it->second;
    const bool empty = !a.sca && a.nonce == 0 && a.balance.is_zero();
    it = (a.destructed || empty) ? m.erase(it) : std::next(it);
  }
}

Hash model_root(const Model& m) {
  std::map<Address, test::ExpectedAccount> expect;
  for (const auto& [a, acc] : m) {
    auto& e = expect[a];
    e.account = acc.sca ? Account::sca(acc.nonce, acc.balance, AccountKey::fail(), empty_code_hash(), 0)
                        : Account::eoa(acc.nonce, acc.balance);
    e.storage = acc.storage;
  }
  return test::expected_root(expect);
}

void check_address(StateDB& st, const Model& m, const Address& a, std::mt19937_64& rng) {
  auto it = m.find(a);
  const uint256 balance = it == m.end() ? uint256() : it->second.balance;
  const uint64_t nonce = it == m.end() ? 0 : it->second.nonce;
  ASSERT_EQ(must(st.balance(a)), balance) << a.hex();
  ASSERT_EQ(must(st.nonce(a)), nonce) << a.hex();
  const Hash slot = word(rng() % kSlots);
  Hash value;
  if (it != m.end())
    if (auto s = it->second.storage.find(slot); s != it->second.storage.end()) value = s->second;
  ASSERT_EQ(must(st.storage(a, slot)), value) << a.hex() << " slot " << slot.hex();
}

class RandomOps : public ::testing::TestWithParam<uint64_t> {};

TEST_P(RandomOps, MatchesMapModel) {
  std::mt19937_64 rng(GetParam());
  trie::AtomicExtHashCounter counter(1);
  trie::MemoryNodeStore nodes;
  MemoryCodeStore codes;
  const StateOptions options{.ext_hash = (GetParam() % 2) == 1, .counter = &counter};
  StateDB st = must(StateDB::open(&nodes, &codes, empty_root().view(), options));
  Model model;
  std::vector<std::pair<int, Model>> snaps;
  size_t reverts = 0, commits = 0, underflows = 0;

  for (int step = 0; step < 3000; ++step) {
    const uint64_t r = rng() % 100;
    const Address eoa = eoa_addr(rng() % kEoas);
    const uint64_t si = rng() % kScas;
    const Address sca = sca_addr(si);
    if (r < 20) {
      const uint256 amount = rng() % 5 == 0 ? uint256(0) : uint256(rng() % 1000);
      ASSERT_OK(st.add_balance(eoa, amount));
      model[eoa].balance += amount;
    } else if (r < 35) {
      const uint256 amount = rng() % 600;
      auto it = model.find(eoa);
      const uint256 have = it == model.end() ? uint256() : it->second.balance;
      Status s = st.sub_balance(eoa, amount);
      if (have < amount) {
        ASSERT_EQ(s.code(), Status::Code::kInvalidArgument) << s.to_string();
        ++underflows;
      } else {
        ASSERT_OK(s);
        model[eoa].balance -= amount;
      }
    } else if (r < 45) {
      const uint64_t n = rng() % 5;
      ASSERT_OK(st.set_nonce(eoa, n));
      model[eoa].nonce = n;
    } else if (r < 65) {
      const Hash slot = word(rng() % kSlots);
      const Hash value = rng() % 3 == 0 ? Hash{} : word(rng() % 4 == 0 ? rng() : rng() % 7);
      ASSERT_OK(st.set_storage(sca, slot, value));
      auto [it, fresh] = model.try_emplace(sca);
      if (fresh) {
        it->second.sca = true;
        it->second.nonce = 1;
      }
      if (value.is_zero()) it->second.storage.erase(slot);
      else it->second.storage[slot] = value;
    } else if (r < 68) {
      ASSERT_OK(st.self_destruct(sca));
      if (auto it = model.find(sca); it != model.end()) {
        it->second.destructed = true;
        it->second.balance = 0;
      }
    } else if (r < 72) {
      if (model.contains(sca)) {
        ASSERT_OK(st.add_balance(sca, 3));
        model[sca].balance += 3;
      }
    } else if (r < 80) {
      snaps.emplace_back(st.snapshot(), model);
    } else if (r < 87) {
      if (!snaps.empty()) {
        const size_t i = rng() % snaps.size();
        ASSERT_OK(st.revert_to(snaps[i].first));
        model = snaps[i].second;
        snaps.resize(i);
        ++reverts;
      }
    } else if (r < 97) {
      ASSERT_OK(st.finalise());
      finalise_model(model);
      snaps.clear();
      for (uint64_t i = 0; i < kEoas; ++i) ASSERT_EQ(must(st.exists(eoa_addr(i))), model.contains(eoa_addr(i)));
      for (uint64_t i = 0; i < kScas; ++i) ASSERT_EQ(must(st.exists(sca_addr(i))), model.contains(sca_addr(i)));
    } else {
      auto c = must(st.commit(nodes, codes));
      finalise_model(model);
      snaps.clear();
      ASSERT_EQ(c.root, model_root(model)) << "step " << step;
      if (rng() % 2) st = must(StateDB::open(&nodes, &codes, c.root_key.view(), options));
      ++commits;
    }
    check_address(st, model, rng() % 2 ? eoa : sca, rng);
  }
  auto c = must(st.commit(nodes, codes));
  finalise_model(model);
  EXPECT_EQ(c.root, model_root(model));
  EXPECT_GT(reverts, 10u);
  EXPECT_GT(commits, 10u);
  EXPECT_GT(underflows, 10u);
  // Every account of the model reads back from a fresh reader.
  auto view = must(StateReader::open(&nodes, &codes, c.root_key.view()));
  for (const auto& [a, acc] : model) {
    EXPECT_EQ(must(view.balance(a)), acc.balance);
    EXPECT_EQ(must(view.nonce(a)), acc.nonce);
    for (const auto& [k, v] : acc.storage) EXPECT_EQ(must(view.storage(a, k)), v);
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, RandomOps, ::testing::Values(1, 2, 3, 4, 5, 6));

}  // namespace
}  // namespace klay::state
