// Behaviour only the LMDB backend has: map growth under load and its rules
// with open iterators (waits for other threads' iterators, fails at once for
// the writer's own, never blocks a reader that holds one), the address-space
// reservation, serialised writers, compacting copy, corrupt files, key limits,
// the MDB_APPEND bulk loader, the directory lock, durability of MDB_NOSYNC
// commits across kill -9, and close semantics.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "engine/kv/backends.h"
#include "engine/kv/lmdb/lmdb_database.h"

namespace klay::kv {
namespace {

namespace fs = std::filesystem;

class LmdbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("klay_lmdb_" + std::to_string(getpid()) + "_" + info->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<Database> open(const fs::path& dir, Options options = {},
                                 LmdbTuning tuning = {}) {
    auto db = open_lmdb_tuned(dir, options, tuning);
    EXPECT_TRUE(db.has_value()) << db.status().to_string();
    return db ? std::move(*db) : nullptr;
  }
  static LmdbDatabase& lmdb(Database& db) { return dynamic_cast<LmdbDatabase&>(db); }
  // No address space reserved up front: the map starts at the initial size
  // and grows, which is what the growth tests exercise.
  static LmdbTuning growth_tuning() {
    LmdbTuning t;
    t.map_reserve_bytes = 0;
    return t;
  }
  // dir_ with a 64 KiB map and no reservation: a few hundred entries make it grow.
  std::unique_ptr<Database> open_small_map(LmdbTuning tuning = growth_tuning()) {
    Options options;
    options.lmdb_initial_map_bytes = 64 << 10;
    return open(dir_, options, tuning);
  }

  fs::path dir_;
};

Bytes key_of(uint64_t i) {
  Bytes k(9);
  k[0] = 'k';
  put_be64(k.data() + 1, i);
  return k;
}

Bytes value_of(uint64_t i, size_t size) {
  Bytes v(size);
  uint64_t x = i * 0x9e3779b97f4a7c15ull + 1;
  for (auto& b : v) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    b = static_cast<uint8_t>(x);
  }
  return v;
}

// Keys 0..9 with 100-byte values, what the iterator-versus-resize tests walk.
void put_ten(Database& db) {
  for (uint64_t i = 0; i < 10; ++i) ASSERT_TRUE(db.put(key_of(i), value_of(i, 100)).is_ok());
}

std::vector<std::pair<Bytes, Bytes>> dump(Database& db) {
  std::vector<std::pair<Bytes, Bytes>> out;
  auto it = db.new_iterator();
  for (; it->valid(); it->next()) out.emplace_back(to_bytes(it->key()), to_bytes(it->value()));
  EXPECT_TRUE(it->status().is_ok()) << it->status().to_string();
  return out;
}

// Tens of MB through a 64 KiB initial map, while readers run and an iterator
// opened before the first write walks its snapshot on another thread: every
// resize waits for the iterator's next step, which lets it through.
TEST_F(LmdbTest, MapGrowsUnderConcurrentReadersAndAnIteratorOnAnotherThread) {
  auto db = open_small_map();
  ASSERT_TRUE(db);
  const uint64_t initial_map = *lmdb(*db).map_size();
  EXPECT_LE(initial_map, 64u << 10);

  constexpr uint64_t kSeed = 200;
  for (uint64_t i = 0; i < kSeed; ++i) ASSERT_TRUE(db->put(key_of(i), value_of(i, 100)).is_ok());

  std::atomic<bool> stop{false}, walker_ready{false};
  std::atomic<uint64_t> reads{0}, walked{0};
  std::atomic<int> read_errors{0}, walk_errors{0};
  std::thread walker([&] {
    auto it = db->new_iterator();
    walker_ready = true;
    uint64_t expect = 0;
    for (; it->valid(); it->next(), ++expect) {
      if (get_be64(it->key().data() + 1) != expect || to_bytes(it->value()) != value_of(expect, 100)) {
        walk_errors.fetch_add(1);
      }
      walked.store(expect + 1);
      std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
    if (!it->status().is_ok() || expect != kSeed) walk_errors.fetch_add(1);
  });
  while (!walker_ready.load()) std::this_thread::yield();

  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&, t] {
      uint64_t i = static_cast<uint64_t>(t);
      Bytes v;
      while (!stop.load()) {
        const uint64_t k = i++ % kSeed;
        if (!db->get(key_of(k), &v).is_ok() || v != value_of(k, 100)) read_errors.fetch_add(1);
        reads.fetch_add(1);
      }
    });
  }

  // ~32 MB in 100 KiB batches of 1 KiB values.
  constexpr uint64_t kBatches = 320, kPerBatch = 100;
  uint64_t grown_while_walking = 0;
  for (uint64_t b = 0; b < kBatches; ++b) {
    auto batch = db->new_batch();
    for (uint64_t j = 0; j < kPerBatch; ++j) {
      const uint64_t i = kSeed + b * kPerBatch + j;
      batch->put(key_of(i), value_of(i, 1024));
    }
    const uint64_t before = *lmdb(*db).map_size();
    ASSERT_TRUE(db->write(*batch).is_ok()) << "batch " << b;
    if (*lmdb(*db).map_size() > before && walked.load() < kSeed) ++grown_while_walking;
  }
  walker.join();
  stop = true;
  for (auto& t : readers) t.join();

  EXPECT_EQ(walk_errors.load(), 0) << "the iterator must see exactly its snapshot, in order";
  EXPECT_EQ(walked.load(), kSeed);
  EXPECT_GT(grown_while_walking, 3u) << "the walk must have let several resizes through";
  EXPECT_EQ(read_errors.load(), 0);
  EXPECT_GT(reads.load(), 0u);
  const uint64_t final_map = *lmdb(*db).map_size();
  EXPECT_GT(final_map, 30ull << 20);
  auto stats = db->stats();
  ASSERT_TRUE(stats.has_value());
  EXPECT_EQ(stats->estimated_keys, kSeed + kBatches * kPerBatch);
  EXPECT_GE(stats->disk_bytes, 30ull << 20);
  EXPECT_NE(stats->details.find("map_size="), std::string::npos);

  Bytes v;
  const uint64_t last = kSeed + kBatches * kPerBatch - 1;
  ASSERT_TRUE(db->get(key_of(last), &v).is_ok());
  EXPECT_EQ(v, value_of(last, 1024));
}

TEST_F(LmdbTest, OneWriteLargerThanTheWholeMapIsRetriedUntilItFits) {
  auto db = open_small_map();
  ASSERT_TRUE(db);
  auto batch = db->new_batch();
  for (uint64_t i = 0; i < 2000; ++i) batch->put(key_of(i), value_of(i, 4000));  // ~8 MB
  ASSERT_TRUE(db->write(*batch).is_ok());
  EXPECT_EQ(db->stats()->estimated_keys, 2000u);
}

TEST_F(LmdbTest, GrowthGivesUpWithBusyWhileAGetViewCallbackHoldsTheMap) {
  LmdbTuning tuning = growth_tuning();
  tuning.resize_wait = std::chrono::milliseconds(200);
  auto db = open_small_map(tuning);
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->put(as_view("held"), as_view("value")).is_ok());

  std::atomic<bool> inside{false}, release{false};
  std::thread holder([&] {
    Status s = db->get_view(as_view("held"), [&](ByteView) {
      inside = true;
      while (!release.load()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    });
    EXPECT_TRUE(s.is_ok());
  });
  while (!inside.load()) std::this_thread::yield();

  auto batch = db->new_batch();
  for (uint64_t i = 0; i < 500; ++i) batch->put(key_of(i), value_of(i, 1024));
  const Status blocked = db->write(*batch);
  EXPECT_EQ(blocked.code(), Status::Code::kBusy) << blocked.to_string();
  EXPECT_FALSE(blocked.message().empty());
  Bytes v;
  EXPECT_TRUE(db->get(key_of(0), &v).is_not_found()) << "a failed write leaves nothing";

  release = true;
  holder.join();
  ASSERT_TRUE(db->write(*batch).is_ok());
  EXPECT_EQ(db->stats()->estimated_keys, 501u);
}

TEST_F(LmdbTest, FourConcurrentWriters) {
  Options options;
  options.lmdb_initial_map_bytes = 256 << 10;
  auto db = open(dir_, options, growth_tuning());
  ASSERT_TRUE(db);
  constexpr uint64_t kPerThread = 3000;
  std::atomic<int> failures{0};
  std::vector<std::thread> writers;
  for (uint64_t t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      for (uint64_t i = 0; i < kPerThread; ++i) {
        const uint64_t k = t * kPerThread + i;
        if (i % 3 == 0) {
          auto batch = db->new_batch();
          batch->put(key_of(k), value_of(k, 200));
          batch->put(key_of(1000000 + k), value_of(k, 10));
          batch->del(key_of(1000000 + k));
          if (!db->write(*batch).is_ok()) failures.fetch_add(1);
        } else if (!db->put(key_of(k), value_of(k, 200)).is_ok()) {
          failures.fetch_add(1);
        }
      }
    });
  }
  for (auto& w : writers) w.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(db->stats()->estimated_keys, 4 * kPerThread);
  const auto entries = dump(*db);
  ASSERT_EQ(entries.size(), 4 * kPerThread);
  for (uint64_t k = 0; k < 4 * kPerThread; ++k) {
    ASSERT_EQ(entries[k].first, key_of(k));
    ASSERT_EQ(entries[k].second, value_of(k, 200));
  }
}

TEST_F(LmdbTest, CopyCompactIsNoLargerAndHoldsTheSameEntries) {
  const fs::path src = dir_ / "src", dst = dir_ / "dst";
  {
    auto db = open(src);
    ASSERT_TRUE(db);
    auto batch = db->new_batch();
    for (uint64_t i = 0; i < 20000; ++i) batch->put(key_of(i), value_of(i, 300));
    ASSERT_TRUE(db->write(*batch).is_ok());
    batch->clear();
    for (uint64_t i = 0; i < 20000; i += 2) batch->del(key_of(i));
    ASSERT_TRUE(db->write(*batch).is_ok());
    EXPECT_TRUE(db->compact().is_ok()) << "compact() is a documented no-op";
    ASSERT_TRUE(db->close().is_ok());
  }
  ASSERT_TRUE(lmdb_copy_compact(src, dst).is_ok());
  const auto src_size = fs::file_size(src / "data.mdb");
  const auto dst_size = fs::file_size(dst / "data.mdb");
  EXPECT_LE(dst_size, src_size);
  EXPECT_LT(dst_size, src_size) << "half the entries were deleted; free pages must be dropped";

  const Status again = lmdb_copy_compact(src, dst);
  EXPECT_EQ(again.code(), Status::Code::kInvalidArgument) << "the target must be empty";

  auto a = open(src);
  auto b = open(dst);
  ASSERT_TRUE(a && b);
  const auto left = dump(*a), right = dump(*b);
  EXPECT_EQ(left.size(), 10000u);
  EXPECT_EQ(left, right);
  const Status missing = lmdb_copy_compact(dir_ / "nothing", dir_ / "out");
  EXPECT_EQ(missing.code(), Status::Code::kInvalidArgument);
}

TEST_F(LmdbTest, CorruptDataFileIsReportedAsCorruption) {
  fs::create_directories(dir_);
  {
    std::ofstream f(dir_ / "data.mdb", std::ios::binary);
    std::mt19937 rng(7);
    for (int i = 0; i < 16384; ++i) f.put(static_cast<char>(rng()));
  }
  auto db = open_lmdb(dir_, Options{});
  ASSERT_FALSE(db.has_value());
  EXPECT_EQ(db.status().code(), Status::Code::kCorruption) << db.status().to_string();
  EXPECT_NE(db.status().message().find("data.mdb"), std::string::npos) << db.status().message();
}

TEST_F(LmdbTest, MissingDirectoryWithoutCreateIsAClearError) {
  Options options;
  options.create_if_missing = false;
  auto db = open_lmdb(dir_, options);
  ASSERT_FALSE(db.has_value());
  EXPECT_EQ(db.status().code(), Status::Code::kInvalidArgument);
  EXPECT_FALSE(fs::exists(dir_)) << "nothing may be created";

  fs::create_directories(dir_);
  auto empty = open_lmdb(dir_, options);
  ASSERT_FALSE(empty.has_value());
  EXPECT_NE(empty.status().message().find("data.mdb"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ / "data.mdb"));
}

TEST_F(LmdbTest, KeyLimits) {
  auto db = open(dir_);
  ASSERT_TRUE(db);
  const Bytes max_key(511, 0xab), long_key(512, 0xab);
  ASSERT_TRUE(db->put(max_key, as_view("v")).is_ok());
  Bytes v;
  ASSERT_TRUE(db->get(max_key, &v).is_ok());

  const Status too_long = db->put(long_key, as_view("v"));
  EXPECT_EQ(too_long.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(too_long.message().find("511"), std::string::npos) << too_long.message();
  EXPECT_EQ(db->get(long_key, &v).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(db->del(long_key).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(db->has(long_key).status().code(), Status::Code::kInvalidArgument);

  const Status empty = db->put(ByteView{}, as_view("v"));
  EXPECT_EQ(empty.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(empty.message().find("empty"), std::string::npos);

  auto batch = db->new_batch();
  batch->put(as_view("good"), as_view("1"));
  batch->put(long_key, as_view("2"));
  EXPECT_EQ(db->write(*batch).code(), Status::Code::kInvalidArgument);
  EXPECT_TRUE(db->get(as_view("good"), &v).is_not_found()) << "an invalid batch writes nothing";
  EXPECT_EQ(batch->count(), 2u) << "a failed write leaves the batch unchanged";

  // Long iterator seeks are fine: they simply sort after every stored key with that prefix.
  IteratorOptions seek;
  seek.start = Bytes(600, 0xab);
  auto it = db->new_iterator(seek);
  EXPECT_FALSE(it->valid());
  EXPECT_TRUE(it->status().is_ok());
  seek.start = Bytes(600, 0xaa);
  auto it2 = db->new_iterator(seek);
  ASSERT_TRUE(it2->valid());
  EXPECT_TRUE(equal(it2->key(), max_key));
}

uint64_t detail_field(const std::string& details, const std::string& name) {
  const auto at = details.find(name + "=");
  EXPECT_NE(at, std::string::npos) << name << " missing from " << details;
  return at == std::string::npos ? 0 : std::stoull(details.substr(at + name.size() + 1));
}

// The loader into an empty database holds exactly what ordinary batches
// would write, in no more leaf pages (MDB_APPEND splits full pages at the end).
TEST_F(LmdbTest, BulkLoaderMatchesBatchesInNoMorePages) {
  constexpr uint64_t kKeys = 30000;
  auto loaded = open(dir_ / "loaded");
  auto plain = open(dir_ / "plain");
  ASSERT_TRUE(loaded && plain);
  auto loader = loaded->new_bulk_loader();
  ASSERT_TRUE(loader.has_value()) << loader.status().to_string();
  EXPECT_FALSE((*loader)->atomic());
  auto batch = plain->new_batch();
  for (uint64_t i = 0; i < kKeys; ++i) {
    ASSERT_TRUE((*loader)->add(key_of(i), value_of(i, 100)).is_ok());
    batch->put(key_of(i), value_of(i, 100));
  }
  ASSERT_TRUE((*loader)->finish().is_ok());
  ASSERT_TRUE(plain->write(*batch).is_ok());

  EXPECT_EQ(dump(*loaded), dump(*plain));
  const auto dense = detail_field(loaded->stats()->details, "leaf_pages");
  const auto sparse = detail_field(plain->stats()->details, "leaf_pages");
  EXPECT_GT(dense, 0u);
  EXPECT_LE(dense, sparse) << "appended " << dense << " leaf pages vs " << sparse;
}

TEST_F(LmdbTest, BulkLoaderMixesAppendsWithOverwritesAndGrowsATinyMap) {
  auto db = open_small_map();
  ASSERT_TRUE(db);
  for (uint64_t i = 0; i < 1000; i += 10) ASSERT_TRUE(db->put(key_of(i), as_view("old")).is_ok());
  auto loader = db->new_bulk_loader();
  ASSERT_TRUE(loader.has_value());
  for (uint64_t i = 0; i < 40000; ++i) ASSERT_TRUE((*loader)->add(key_of(i), value_of(i, 256)).is_ok());
  EXPECT_EQ((*loader)->add(key_of(5), as_view("x")).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ((*loader)->add(Bytes(512, 0xff), as_view("x")).code(), Status::Code::kInvalidArgument);
  ASSERT_TRUE((*loader)->finish().is_ok());
  EXPECT_EQ((*loader)->count(), 40000u);
  EXPECT_EQ(db->stats()->estimated_keys, 40000u);
  Bytes v;
  ASSERT_TRUE(db->get(key_of(990), &v).is_ok());
  EXPECT_EQ(v, value_of(990, 256)) << "keys below the stored maximum are overwritten";
  ASSERT_TRUE(db->get(key_of(39999), &v).is_ok());
  EXPECT_EQ(v, value_of(39999, 256));
  EXPECT_GT(*lmdb(*db).map_size(), 10ull << 20);
}

TEST_F(LmdbTest, SecondOpenIsBusyAndCopyCompactRefusesAnOpenSource) {
  auto db = open(dir_);
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->put(as_view("k"), as_view("v")).is_ok());
  auto second = open_lmdb(dir_, Options{});
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.status().code(), Status::Code::kBusy);
  const Status copy = lmdb_copy_compact(dir_, dir_.parent_path() / (dir_.filename().string() + "_copy"));
  EXPECT_EQ(copy.code(), Status::Code::kBusy) << copy.to_string();
  ASSERT_TRUE(db->close().is_ok());
  auto third = open_lmdb(dir_, Options{});
  ASSERT_TRUE(third.has_value()) << "close() releases the directory lock";
  fs::remove_all(dir_.parent_path() / (dir_.filename().string() + "_copy"));
}

// MDB_NOSYNC commits reach the kernel page cache before mdb_txn_commit
// returns, so a process killed with SIGKILL keeps them.
TEST_F(LmdbTest, NoSyncCommitsSurviveKill9) {
  Options options;
  options.sync_writes = false;
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto db = open_lmdb(dir_, options);
    if (!db) _exit(2);
    for (uint64_t i = 0; i < 1000; ++i) {
      if (!(*db)->put(key_of(i), value_of(i, 100)).is_ok()) _exit(3);
    }
    kill(getpid(), SIGKILL);
    _exit(4);
  }
  int wstatus = 0;
  ASSERT_EQ(waitpid(child, &wstatus, 0), child);
  ASSERT_TRUE(WIFSIGNALED(wstatus)) << "child exited with " << WEXITSTATUS(wstatus);
  ASSERT_EQ(WTERMSIG(wstatus), SIGKILL);
  auto db = open(dir_, options);
  ASSERT_TRUE(db);
  EXPECT_EQ(db->stats()->estimated_keys, 1000u);
  Bytes v;
  ASSERT_TRUE(db->get(key_of(999), &v).is_ok());
  EXPECT_EQ(v, value_of(999, 100));
}

TEST_F(LmdbTest, CloseIsIdempotentAndIteratorsOutliveIt) {
  auto db = open(dir_);
  ASSERT_TRUE(db);
  for (uint64_t i = 0; i < 10; ++i) ASSERT_TRUE(db->put(key_of(i), as_view("v")).is_ok());
  auto it = db->new_iterator();
  ASSERT_TRUE(db->close().is_ok());
  ASSERT_TRUE(db->close().is_ok());

  Bytes v;
  EXPECT_FALSE(db->get(key_of(1), &v).is_ok());
  EXPECT_FALSE(db->put(key_of(1), as_view("v")).is_ok());
  EXPECT_FALSE(db->has(key_of(1)).has_value());
  EXPECT_FALSE(db->stats().has_value());
  auto batch = db->new_batch();
  batch->put(key_of(1), as_view("v"));
  EXPECT_FALSE(db->write(*batch).is_ok());
  auto late = db->new_iterator();
  EXPECT_FALSE(late->valid());
  EXPECT_FALSE(late->status().is_ok());

  int n = 0;
  for (; it->valid(); it->next()) ++n;
  EXPECT_EQ(n, 10);
  EXPECT_TRUE(it->status().is_ok());
  it.reset();
  db.reset();

  auto again = open(dir_);  // the environment was really released
  ASSERT_TRUE(again);
  EXPECT_EQ(again->stats()->estimated_keys, 10u);
}

TEST_F(LmdbTest, ReadOnlyRejectsWrites) {
  {
    auto db = open(dir_);
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->put(as_view("a"), as_view("1")).is_ok());
  }
  Options options;
  options.read_only = true;
  auto db = open(dir_, options);
  ASSERT_TRUE(db);
  Bytes v;
  ASSERT_TRUE(db->get(as_view("a"), &v).is_ok());
  EXPECT_EQ(db->put(as_view("b"), as_view("2")).code(), Status::Code::kNotSupported);
}

TEST_F(LmdbTest, PrefixAndStartIteration) {
  auto db = open(dir_);
  ASSERT_TRUE(db);
  for (const char* k : {"a1", "b1", "b2", "b3", "c1"}) ASSERT_TRUE(db->put(as_view(k), as_view(k)).is_ok());
  IteratorOptions o;
  o.prefix = to_bytes(std::string_view("b"));
  o.start = to_bytes(std::string_view("2"));
  auto it = db->new_iterator(o);
  std::vector<std::string> got;
  for (; it->valid(); it->next()) got.emplace_back(as_string_view(it->key()));
  EXPECT_EQ(got, (std::vector<std::string>{"b2", "b3"}));
}

// A resize between two steps must re-seek past the current key inside the
// same snapshot; the prefix end and the snapshot must hold across it. Entries
// of mixed sizes (some on overflow pages); another thread writes (and deletes
// keys ahead of the walk) and grows the map while the walk goes on.
TEST_F(LmdbTest, IteratorKeepsOrderAndSnapshotAcrossResizes) {
  auto db = open_small_map();
  ASSERT_TRUE(db);
  constexpr uint64_t kKeys = 700;
  auto size_of = [](uint64_t i) -> size_t { return i % 97 == 0 ? (100u << 10) : 1 + i % 300; };
  for (uint64_t i = 0; i < kKeys; ++i) ASSERT_TRUE(db->put(key_of(i), value_of(i, size_of(i))).is_ok());
  // Entries under another prefix after the iterated range, which the walk must not reach.
  for (uint64_t i = 0; i < 50; ++i) ASSERT_TRUE(db->put(as_view("z" + std::to_string(i)), value_of(i, 10)).is_ok());

  IteratorOptions o;
  o.prefix = to_bytes(std::string_view("k"));
  Bytes start(8);
  put_be64(start.data(), 3);
  o.start = start;
  auto it = db->new_iterator(o);
  const uint64_t map_before = *lmdb(*db).map_size();
  std::atomic<bool> done{false};
  std::atomic<int> write_errors{0};
  std::thread writer([&] {
    for (uint64_t round = 0; !done.load(); ++round) {
      auto batch = db->new_batch();
      for (uint64_t j = 0; j < 40; ++j) batch->put(key_of(kKeys + round * 40 + j), value_of(j, 4096));
      batch->del(key_of(3 + round % kKeys));
      if (!db->write(*batch).is_ok()) write_errors.fetch_add(1);
    }
  });
  uint64_t expect = 3;
  for (; it->valid(); it->next(), ++expect) {
    ASSERT_EQ(to_bytes(it->key()), key_of(expect));
    ASSERT_EQ(to_bytes(it->value()), value_of(expect, size_of(expect)));
    if (expect % 7 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  done = true;
  writer.join();
  EXPECT_EQ(write_errors.load(), 0);
  EXPECT_TRUE(it->status().is_ok()) << it->status().to_string();
  EXPECT_EQ(expect, kKeys);
  EXPECT_GT(*lmdb(*db).map_size(), 4 * map_before) << "the walk must have crossed resizes";
}

// More reading threads than idle transaction slots, each also opening
// iterators: every read sees its value and the reader table does not fill up.
TEST_F(LmdbTest, ManyThreadsShareTheReadTransactionPool) {
  LmdbTuning tuning;
  tuning.max_readers = 64;
  auto db = open(dir_, {}, tuning);
  ASSERT_TRUE(db);
  constexpr uint64_t kKeys = 300;
  for (uint64_t i = 0; i < kKeys; ++i) ASSERT_TRUE(db->put(key_of(i), value_of(i, 40)).is_ok());
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 40; ++t) {
    threads.emplace_back([&, t] {
      Bytes v;
      for (uint64_t n = 0; n < 2000; ++n) {
        const uint64_t k = (n * 31 + static_cast<uint64_t>(t)) % kKeys;
        if (!db->get(key_of(k), &v).is_ok() || v != value_of(k, 40)) errors.fetch_add(1);
        if (n % 500 == 0) {
          auto it = db->new_iterator();
          uint64_t seen = 0;
          for (; it->valid(); it->next()) ++seen;
          if (seen != kKeys || !it->status().is_ok()) errors.fetch_add(1);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0);
  auto stats = db->stats();
  ASSERT_TRUE(stats.has_value());
  EXPECT_NE(stats->details.find("/64"), std::string::npos) << stats->details;
}

// A batch of ~2 MB: more than a 64 KiB map holds, so writing it grows the map.
std::unique_ptr<WriteBatch> big_batch(Database& db, uint64_t first) {
  auto batch = db.new_batch();
  for (uint64_t i = 0; i < 500; ++i) batch->put(key_of(first + i), value_of(i, 4096));
  return batch;
}

TEST_F(LmdbTest, GrowthWithoutIteratorsAndPastAnExhaustedOne) {
  auto db = open_small_map();
  ASSERT_TRUE(db);
  const uint64_t map0 = *lmdb(*db).map_size();
  ASSERT_TRUE(db->write(*big_batch(*db, 0)).is_ok());
  const uint64_t map1 = *lmdb(*db).map_size();
  EXPECT_GT(map1, map0);
  // An exhausted iterator has let go of its snapshot and of the map.
  auto it = db->new_iterator();
  while (it->valid()) it->next();
  ASSERT_TRUE(it->status().is_ok());
  ASSERT_TRUE(db->write(*big_batch(*db, 1000)).is_ok());
  EXPECT_GT(*lmdb(*db).map_size(), map1);
  EXPECT_EQ(db->stats()->estimated_keys, 1000u);
}

// The same thread holds an iterator and writes past the map: waiting would be
// waiting for itself, so the write fails at once, clearly, and writes nothing.
TEST_F(LmdbTest, WritingPastTheMapWhileThisThreadHoldsAnIteratorFailsAtOnce) {
  auto db = open_small_map();  // resize_wait stays 30 s
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->put(as_view("a"), as_view("1")).is_ok());
  auto it = db->new_iterator();
  ASSERT_TRUE(it->valid());
  const ByteView key = it->key();
  const auto started = std::chrono::steady_clock::now();
  const Status s = db->write(*big_batch(*db, 0));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5)) << "must not wait";
  EXPECT_EQ(s.code(), Status::Code::kBusy) << s.to_string();
  EXPECT_NE(s.message().find("iterator"), std::string::npos) << s.message();
  EXPECT_EQ(as_string_view(key), "a") << "the view is intact";
  Bytes v;
  EXPECT_TRUE(db->get(key_of(0), &v).is_not_found()) << "nothing of the failed write is stored";
  EXPECT_TRUE(db->put(as_view("b"), as_view("2")).is_ok()) << "writes that fit still work";
  it.reset();
  ASSERT_TRUE(db->write(*big_batch(*db, 0)).is_ok()) << "without the iterator the map grows";
  EXPECT_EQ(db->stats()->estimated_keys, 502u);
}

// An iterator held on another thread: the growing writer waits, the views
// stay intact meanwhile, and the iterator's steps let the resizes through
// (this write needs several); the walk goes on over its snapshot.
TEST_F(LmdbTest, GrowthWaitsForAnIteratorOnAnotherThreadThenSucceeds) {
  auto db = open_small_map();
  ASSERT_TRUE(db);
  ASSERT_NO_FATAL_FAILURE(put_ten(*db));
  std::atomic<bool> holding{false}, write_done{false};
  std::atomic<int> errors{0}, steps_before_done{0};
  std::thread walker([&] {
    auto it = db->new_iterator();
    const ByteView key = it->key(), value = it->value();
    holding = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    if (write_done.load()) errors.fetch_add(1);  // the writer must have waited
    if (to_bytes(key) != key_of(0) || to_bytes(value) != value_of(0, 100)) errors.fetch_add(1);
    uint64_t n = 0;
    for (; it->valid(); it->next(), ++n) {
      if (to_bytes(it->key()) != key_of(n) || to_bytes(it->value()) != value_of(n, 100)) errors.fetch_add(1);
      if (!write_done.load()) steps_before_done.fetch_add(1);
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (n != 10 || !it->status().is_ok()) errors.fetch_add(1);
  });
  while (!holding.load()) std::this_thread::yield();
  const uint64_t map_before = *lmdb(*db).map_size();
  const Status s = db->write(*big_batch(*db, 100));
  write_done = true;
  walker.join();
  EXPECT_TRUE(s.is_ok()) << s.to_string();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_GE(steps_before_done.load(), 1);
  EXPECT_GT(*lmdb(*db).map_size(), map_before);
  EXPECT_EQ(db->stats()->estimated_keys, 510u);
}

// A thread that holds an iterator is never blocked by a waiting resize (which
// cannot start before its iterator steps anyway): it keeps reading, then
// destroys the iterator, and the resize goes through.
TEST_F(LmdbTest, AThreadHoldingAnIteratorKeepsReadingWhileAResizeWaits) {
  auto db = open_small_map();
  ASSERT_TRUE(db);
  ASSERT_NO_FATAL_FAILURE(put_ten(*db));
  std::atomic<bool> holding{false}, write_done{false};
  std::atomic<int> errors{0}, reads_while_waiting{0};
  std::thread holder([&] {
    auto it = db->new_iterator();
    holding = true;
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(300);
    Bytes v;
    while (std::chrono::steady_clock::now() < until) {
      if (!db->get(key_of(3), &v).is_ok() || v != value_of(3, 100)) errors.fetch_add(1);
      auto other = db->new_iterator();  // a second pin from the same thread
      if (!other->valid()) errors.fetch_add(1);
      if (!write_done.load()) reads_while_waiting.fetch_add(1);
    }
    it.reset();
  });
  while (!holding.load()) std::this_thread::yield();
  const Status s = db->write(*big_batch(*db, 100));
  write_done = true;
  holder.join();
  EXPECT_TRUE(s.is_ok()) << s.to_string();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_GT(reads_while_waiting.load(), 10);
}

// By default the map reserves address space, not disk: a fresh database maps
// LmdbTuning::map_reserve_bytes while its file stays small. The reservations
// of one process share a budget (half the address space).
TEST_F(LmdbTest, MapReservesAddressSpaceNotDisk) {
  auto db = open(dir_ / "a");
  ASSERT_TRUE(db);
  EXPECT_GE(*lmdb(*db).map_size(), LmdbTuning{}.map_reserve_bytes);
  for (uint64_t i = 0; i < 1000; ++i) ASSERT_TRUE(db->put(key_of(i), value_of(i, 100)).is_ok());
  struct stat st {};
  ASSERT_EQ(::stat((dir_ / "a" / "data.mdb").c_str(), &st), 0);
  EXPECT_LT(static_cast<uint64_t>(st.st_blocks) * 512, 4ull << 20) << "disk use follows the data";
  EXPECT_LT(static_cast<uint64_t>(st.st_size), 4ull << 20);

  // Two reservations of 40 TiB do not both fit in a 64 TiB budget; the second
  // gets what is left, and a closed database gives its share back.
  LmdbTuning huge;
  huge.map_reserve_bytes = 40ull << 40;
  auto first = open(dir_ / "b", {}, huge);
  auto second = open(dir_ / "c", {}, huge);
  ASSERT_TRUE(first && second);
  const uint64_t first_map = *lmdb(*first).map_size(), second_map = *lmdb(*second).map_size();
  EXPECT_GE(first_map, huge.map_reserve_bytes);
  EXPECT_LT(second_map, huge.map_reserve_bytes);
  ASSERT_TRUE(second->put(as_view("k"), as_view("v")).is_ok());
  second.reset();
  ASSERT_TRUE(first->close().is_ok());
  first.reset();
  auto third = open(dir_ / "c", {}, huge);
  ASSERT_TRUE(third);
  EXPECT_GE(*lmdb(*third).map_size(), huge.map_reserve_bytes);
  Bytes v;
  ASSERT_TRUE(third->get(as_view("k"), &v).is_ok());
}

}  // namespace
}  // namespace klay::kv
