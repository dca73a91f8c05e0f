// One suite every backend must pass, opened through open_database() in a fresh
// directory (or memory name) per test.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <random>
#include <thread>
#include <vector>

#include "engine/kv/bulk_loader.h"
#include "engine/kv/open.h"
#include "tests/kv/kv_test_support.h"

namespace klay::kv {
namespace {

using test::b;
using test::s;

class Conformance : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    db_ = open();
    ASSERT_TRUE(db_);
  }

  static Options small_options() {
    Options o;
    o.cache_bytes = 32ull << 20;
    o.lmdb_initial_map_bytes = 64ull << 20;
    return o;
  }

  std::unique_ptr<Database> open(Options o = small_options()) {
    auto r = open_database(GetParam(), dir_.db(), o);
    EXPECT_TRUE(r) << r.status().to_string();
    return r ? std::move(*r) : nullptr;
  }

  bool is_disk() const { return GetParam() != Backend::kMemory; }

  std::string get(ByteView key) {
    Bytes v;
    Status st = db_->get(key, &v);
    if (st.is_not_found()) return "<absent>";
    EXPECT_TRUE(st) << st.to_string();
    return s(v);
  }

  // Every key/value the iterator yields, in order.
  std::vector<std::pair<std::string, std::string>> scan(const IteratorOptions& o = {}) {
    std::vector<std::pair<std::string, std::string>> out;
    auto it = db_->new_iterator(o);
    for (; it->valid(); it->next()) out.emplace_back(s(it->key()), s(it->value()));
    EXPECT_TRUE(it->status()) << it->status().to_string();
    return out;
  }

  test::TempDir dir_;
  std::unique_ptr<Database> db_;
};

struct Recorder : BatchHandler {
  std::vector<std::string> ops;
  void put(ByteView k, ByteView v) override { ops.push_back("put " + s(k) + "=" + s(v)); }
  void del(ByteView k) override { ops.push_back("del " + s(k)); }
};

TEST_P(Conformance, PutGetOverwrite) {
  ASSERT_TRUE(db_->put(b("k1"), b("v1")));
  EXPECT_EQ(get(b("k1")), "v1");
  ASSERT_TRUE(db_->put(b("k1"), b("value two")));
  EXPECT_EQ(get(b("k1")), "value two");
  std::string seen;
  ASSERT_TRUE(db_->get_view(b("k1"), [&](ByteView v) { seen = s(v); }));
  EXPECT_EQ(seen, "value two");
  EXPECT_EQ(db_->backend_name(), backend_name(GetParam()));
}

TEST_P(Conformance, MissingKeyIsNotFoundNotAnError) {
  Bytes v = b("untouched");
  Status st = db_->get(b("missing"), &v);
  EXPECT_TRUE(st.is_not_found()) << st.to_string();
  EXPECT_EQ(st.code(), Status::Code::kNotFound);
  bool called = false;
  EXPECT_TRUE(db_->get_view(b("missing"), [&](ByteView) { called = true; }).is_not_found());
  EXPECT_FALSE(called);
  auto has = db_->has(b("missing"));
  ASSERT_TRUE(has) << has.status().to_string();
  EXPECT_FALSE(*has);
}

TEST_P(Conformance, HasFollowsPutAndDelete) {
  ASSERT_TRUE(db_->put(b("k"), b("v")));
  EXPECT_TRUE(*db_->has(b("k")));
  EXPECT_FALSE(*db_->has(b("k2")));
  ASSERT_TRUE(db_->del(b("k")));
  EXPECT_FALSE(*db_->has(b("k")));
  EXPECT_EQ(get(b("k")), "<absent>");
}

TEST_P(Conformance, EmptyValueIsPresent) {
  ASSERT_TRUE(db_->put(b("empty"), {}));
  Bytes v = b("junk");
  ASSERT_TRUE(db_->get(b("empty"), &v));
  EXPECT_TRUE(v.empty());
  EXPECT_TRUE(*db_->has(b("empty")));
  auto rows = scan();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].second, "");
}

TEST_P(Conformance, OneMebibyteValuesRoundTrip) {
  std::mt19937_64 rng(7);
  std::vector<Bytes> values(3, Bytes(1 << 20));
  for (auto& v : values)
    for (auto& byte : v) byte = static_cast<uint8_t>(rng());
  for (size_t i = 0; i < values.size(); ++i)
    ASSERT_TRUE(db_->put(b("big" + std::to_string(i)), values[i]));
  for (size_t i = 0; i < values.size(); ++i) {
    Bytes got;
    ASSERT_TRUE(db_->get(b("big" + std::to_string(i)), &got));
    EXPECT_TRUE(got == values[i]) << "value " << i << " differs";
  }
}

TEST_P(Conformance, EmptyKeyIsRejectedEverywhere) {
  Bytes v;
  EXPECT_EQ(db_->put({}, b("v")).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(db_->get({}, &v).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(db_->get_view({}, [](ByteView) {}).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(db_->has({}).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(db_->del({}).code(), Status::Code::kInvalidArgument);
  EXPECT_TRUE(scan().empty());
}

TEST_P(Conformance, DeletingAnAbsentKeySucceeds) {
  EXPECT_TRUE(db_->del(b("never-written")));
  auto batch = db_->new_batch();
  batch->del(b("also-never-written"));
  EXPECT_TRUE(db_->write(*batch));
}

TEST_P(Conformance, BatchIsInvisibleUntilWrittenThenComplete) {
  ASSERT_TRUE(db_->put(b("gone"), b("x")));
  auto batch = db_->new_batch();
  for (int i = 0; i < 500; ++i) batch->put(b("key" + std::to_string(i)), b("val" + std::to_string(i)));
  batch->del(b("gone"));
  EXPECT_EQ(get(b("key0")), "<absent>");
  EXPECT_EQ(get(b("gone")), "x");
  ASSERT_TRUE(db_->write(*batch));
  for (int i = 0; i < 500; ++i) EXPECT_EQ(get(b("key" + std::to_string(i))), "val" + std::to_string(i));
  EXPECT_EQ(get(b("gone")), "<absent>");
}

TEST_P(Conformance, BatchCountsBytesAndClears) {
  auto batch = db_->new_batch();
  EXPECT_EQ(batch->count(), 0u);
  batch->put(b("abc"), b("12345"));
  batch->del(b("xy"));
  EXPECT_EQ(batch->count(), 2u);
  EXPECT_EQ(batch->value_bytes(), 3u + 5u + 2u);
  batch->clear();
  EXPECT_EQ(batch->count(), 0u);
  EXPECT_EQ(batch->value_bytes(), 0u);
  Recorder r;
  batch->replay(r);
  EXPECT_TRUE(r.ops.empty());
  ASSERT_TRUE(db_->write(*batch));
  EXPECT_TRUE(scan().empty());
}

TEST_P(Conformance, LaterOperationInABatchWins) {
  auto batch = db_->new_batch();
  batch->put(b("a"), b("1"));
  batch->del(b("a"));
  batch->del(b("b"));
  batch->put(b("b"), b("2"));
  batch->put(b("c"), b("3"));
  batch->put(b("c"), b("4"));
  ASSERT_TRUE(db_->write(*batch));
  EXPECT_EQ(get(b("a")), "<absent>");
  EXPECT_EQ(get(b("b")), "2");
  EXPECT_EQ(get(b("c")), "4");
}

TEST_P(Conformance, FailedBatchLeavesNothingAndTheDatabaseStaysUsable) {
  auto batch = db_->new_batch();
  for (int i = 0; i < 100; ++i) batch->put(b("k" + std::to_string(i)), b("v"));
  batch->put({}, b("an empty key spoils the batch"));
  batch->put(b("z"), b("last"));
  Status st = db_->write(*batch);
  EXPECT_EQ(st.code(), Status::Code::kInvalidArgument) << st.to_string();
  EXPECT_FALSE(st.message().empty());
  EXPECT_TRUE(scan().empty()) << "a failed batch must leave nothing behind";
  EXPECT_EQ(batch->count(), 102u) << "a failed write leaves the batch unchanged";

  batch->clear();
  batch->put(b("after"), b("ok"));
  ASSERT_TRUE(db_->write(*batch));
  ASSERT_TRUE(db_->put(b("direct"), b("ok")));
  EXPECT_EQ(scan().size(), 2u);
}

TEST_P(Conformance, WriteToAClosedDatabaseFailsThenAReopenedOneWorks) {
  ASSERT_TRUE(db_->put(b("before"), b("1")));
  auto batch = db_->new_batch();
  batch->put(b("lost"), b("x"));
  ASSERT_TRUE(db_->close());
  Status st = db_->write(*batch);
  EXPECT_FALSE(st.is_ok());
  EXPECT_FALSE(st.message().empty());
  db_.reset();

  db_ = open();
  ASSERT_TRUE(db_);
  EXPECT_EQ(get(b("lost")), "<absent>");
  auto batch2 = db_->new_batch();
  batch2->put(b("after"), b("2"));
  ASSERT_TRUE(db_->write(*batch2));
  EXPECT_EQ(get(b("before")), "1");
  EXPECT_EQ(get(b("after")), "2");
}

TEST_P(Conformance, ReplayReportsOperationsInInsertionOrder) {
  auto batch = db_->new_batch();
  batch->put(b("b"), b("1"));
  batch->del(b("a"));
  batch->put(b("a"), b("2"));
  batch->put(b("b"), {});
  batch->del(b("c"));
  const std::vector<std::string> want = {"put b=1", "del a", "put a=2", "put b=", "del c"};
  Recorder first, second;
  batch->replay(first);
  batch->replay(second);
  EXPECT_EQ(first.ops, want);
  EXPECT_EQ(second.ops, want) << "replay must not consume the batch";
  ASSERT_TRUE(db_->write(*batch));
  Recorder after;
  batch->replay(after);
  EXPECT_EQ(after.ops, want) << "write must not consume the batch";
}

TEST_P(Conformance, IteratorVisitsKeysInByteOrder) {
  std::mt19937 rng(11);
  std::map<std::string, std::string> want;  // std::string orders like unsigned bytes
  for (int i = 0; i < 400; ++i) {
    std::string key(1 + rng() % 12, '\0');
    for (auto& c : key) c = static_cast<char>(rng() % 4 == 0 ? (rng() % 2 ? 0x00 : 0xff) : rng());
    want[key] = "v" + std::to_string(i);
    ASSERT_TRUE(db_->put(as_view(key), as_view(want[key])));
  }
  auto rows = scan();
  ASSERT_EQ(rows.size(), want.size());
  size_t i = 0;
  for (const auto& [k, v] : want) {
    EXPECT_EQ(rows[i].first, k) << "at " << i;
    EXPECT_EQ(rows[i].second, v);
    ++i;
  }
}

TEST_P(Conformance, IteratorPrefixStartAndBoth) {
  for (std::string k : {std::string("a"), std::string("ab"), std::string("ab\0", 3), std::string("abc"),
                        std::string("ab\xff"), std::string("ac"), std::string("b"), std::string("\xff"),
                        std::string("\xff\xfe"), std::string("\xff\xff"), std::string("\xff\xff\0", 3),
                        std::string("\xff\xff\xff")}) {
    ASSERT_TRUE(db_->put(as_view(k), as_view("v:" + k)));
  }
  auto keys = [&](std::string prefix, std::string start) {
    IteratorOptions o;
    o.prefix = to_bytes(prefix);
    o.start = to_bytes(start);
    std::vector<std::string> out;
    for (auto& [k, v] : scan(o)) {
      EXPECT_EQ(v, "v:" + k);
      out.push_back(k);
    }
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(keys("ab", ""), (V{"ab", std::string("ab\0", 3), "abc", "ab\xff"}));
  EXPECT_EQ(keys("", "ac"), (V{"ac", "b", "\xff", "\xff\xfe", "\xff\xff", std::string("\xff\xff\0", 3),
                               "\xff\xff\xff"}));
  EXPECT_EQ(keys("ab", "c"), (V{"abc", "ab\xff"}));
  EXPECT_EQ(keys("ab", "zz"), (V{"ab\xff"}));
  EXPECT_EQ(keys("\xff\xff", ""), (V{"\xff\xff", std::string("\xff\xff\0", 3), "\xff\xff\xff"}));
  EXPECT_EQ(keys("\xff", "\xff"), (V{"\xff\xff", std::string("\xff\xff\0", 3), "\xff\xff\xff"}));
  EXPECT_EQ(keys("zz", ""), V{});
  EXPECT_EQ(keys("a", "\xff"), V{});
  EXPECT_EQ(keys("", "").size(), 12u);
}

TEST_P(Conformance, IteratorSeesTheSnapshotOfItsCreation) {
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(db_->put(b("k" + std::to_string(i)), b("old")));
  auto it = db_->new_iterator();
  ASSERT_TRUE(db_->put(b("k0"), b("new")));
  ASSERT_TRUE(db_->del(b("k5")));
  ASSERT_TRUE(db_->put(b("k55"), b("added")));
  auto batch = db_->new_batch();
  batch->put(b("k9"), b("new"));
  batch->put(b("k99"), b("added"));
  ASSERT_TRUE(db_->write(*batch));
  int n = 0;
  for (; it->valid(); it->next(), ++n) {
    EXPECT_EQ(s(it->value()), "old") << s(it->key());
    EXPECT_NE(s(it->key()), "k55");
    EXPECT_NE(s(it->key()), "k99");
  }
  EXPECT_TRUE(it->status());
  EXPECT_EQ(n, 10);
  it.reset();
  EXPECT_EQ(scan().size(), 11u);
}

// key() and value() are views (LMDB: into its memory map); they stay valid
// until the iterator's next step, whatever happens to the database meanwhile:
// the same entry overwritten and deleted, batches written, reads and whole
// scans by other iterators.
TEST_P(Conformance, IteratorViewsStayValidUntilNext) {
  constexpr int kKeys = 40;
  auto value_of = [](int i) { return std::string(static_cast<size_t>(20 + i * 7), static_cast<char>('a' + i % 26)); };
  for (int i = 0; i < kKeys; ++i) ASSERT_TRUE(db_->put(b("view" + std::to_string(100 + i)), b(value_of(i))));
  auto it = db_->new_iterator();
  int n = 0;
  for (; it->valid(); it->next(), ++n) {
    const ByteView key = it->key(), value = it->value();
    const std::string key_copy = s(key), value_copy = s(value);
    ASSERT_EQ(key_copy, "view" + std::to_string(100 + n));
    ASSERT_EQ(value_copy, value_of(n));
    ASSERT_TRUE(db_->put(b(key_copy), b("overwritten")));
    ASSERT_TRUE(db_->del(b(key_copy)));
    auto batch = db_->new_batch();
    for (int j = 0; j < 20; ++j) batch->put(b("view" + std::to_string(100 + kKeys + n * 20 + j)), b(value_of(j)));
    ASSERT_TRUE(db_->write(*batch));
    EXPECT_EQ(get(b(key_copy)), "<absent>");
    EXPECT_EQ(scan().size(), static_cast<size_t>(kKeys + (n + 1) * 20 - (n + 1)));
    EXPECT_EQ(s(key), key_copy) << "the key view changed before next()";
    EXPECT_EQ(s(value), value_copy) << "the value view changed before next()";
  }
  EXPECT_TRUE(it->status());
  EXPECT_EQ(n, kKeys) << "the iterator sees its snapshot";
}

TEST_P(Conformance, IteratorSnapshotHoldsUnderConcurrentBatches) {
  constexpr int kKeys = 200;
  auto write_generation = [&](Database& db, int gen) {
    auto batch = db.new_batch();
    for (int i = 0; i < kKeys; ++i) batch->put(b("key" + std::to_string(1000 + i)), b("gen" + std::to_string(gen)));
    return db.write(*batch);
  };
  ASSERT_TRUE(write_generation(*db_, 0));
  std::atomic<bool> stop{false};
  std::atomic<int> generations{0};
  Status writer_status;
  std::thread writer([&] {
    for (int gen = 1; !stop.load(); ++gen) {
      if (Status st = write_generation(*db_, gen); !st) {
        writer_status = st;
        return;
      }
      generations.store(gen);
    }
  });
  for (int round = 0; round < 60 || generations.load() < 5; ++round) {
    auto rows = scan();
    ASSERT_EQ(rows.size(), static_cast<size_t>(kKeys));
    for (const auto& row : rows) ASSERT_EQ(row.second, rows.front().second) << "iterator mixed two batches";
    if (round > 5000) break;
  }
  stop.store(true);
  writer.join();
  EXPECT_TRUE(writer_status) << writer_status.to_string();
  EXPECT_GE(generations.load(), 1);
}

TEST_P(Conformance, ReopenKeepsData) {
  ASSERT_TRUE(db_->put(b("persist"), b("me")));
  auto batch = db_->new_batch();
  batch->put(b("batched"), b("too"));
  ASSERT_TRUE(db_->write(*batch));
  ASSERT_TRUE(db_->close());
  db_.reset();
  db_ = open();
  ASSERT_TRUE(db_);
  EXPECT_EQ(get(b("persist")), "me");
  EXPECT_EQ(get(b("batched")), "too");
}

TEST_P(Conformance, SecondOpenWhileOpenIsBusy) {
  auto second = open_database(GetParam(), dir_.db(), small_options());
  ASSERT_FALSE(second);
  EXPECT_EQ(second.status().code(), Status::Code::kBusy) << second.status().to_string();
  ASSERT_TRUE(db_->put(b("still"), b("works")));
  ASSERT_TRUE(db_->close());
  auto third = open_database(GetParam(), dir_.db(), small_options());
  ASSERT_TRUE(third) << third.status().to_string();
  Bytes v;
  ASSERT_TRUE((*third)->get(b("still"), &v));
}

TEST_P(Conformance, ConcurrentReadersNeverSeeTornValues) {
  constexpr int kSlots = 16;
  constexpr size_t kValueSize = 4096;
  auto value_for = [](uint32_t gen) {
    Bytes v(kValueSize, static_cast<uint8_t>(gen % 251));
    put_le64(v.data(), gen);
    return v;
  };
  for (int i = 0; i < kSlots; ++i) ASSERT_TRUE(db_->put(b("slot" + std::to_string(i)), value_for(0)));
  std::atomic<bool> done{false};
  std::atomic<int> bad{0}, reads{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&, t] {
      std::mt19937 rng(t);
      Bytes v;
      while (!done.load()) {
        Status st = db_->get(b("slot" + std::to_string(rng() % kSlots)), &v);
        if (!st || v.size() != kValueSize) {
          ++bad;
          continue;
        }
        auto gen = get_le64(v.data());
        for (size_t i = 8; i < v.size(); ++i) {
          if (v[i] != static_cast<uint8_t>(gen % 251)) {
            ++bad;
            break;
          }
        }
        ++reads;
      }
    });
  }
  for (uint32_t gen = 1; gen <= 3000; ++gen) {
    ASSERT_TRUE(db_->put(b("slot" + std::to_string(gen % kSlots)), value_for(gen)));
  }
  while (reads.load() < 1000) std::this_thread::yield();
  done.store(true);
  for (auto& r : readers) r.join();
  EXPECT_EQ(bad.load(), 0);
}

TEST_P(Conformance, CompactionKeepsData) {
  for (int i = 0; i < 3000; ++i) ASSERT_TRUE(db_->put(b("c" + std::to_string(100000 + i)), b(std::string(64, 'x'))));
  for (int i = 1; i < 3000; i += 2) ASSERT_TRUE(db_->del(b("c" + std::to_string(100000 + i))));
  ASSERT_TRUE(db_->compact(b("c101000"), b("c102000")));
  ASSERT_TRUE(db_->compact());
  auto rows = scan();
  ASSERT_EQ(rows.size(), 1500u);
  for (size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(rows[i].first, "c" + std::to_string(100000 + 2 * i));
  EXPECT_EQ(get(b("c100001")), "<absent>");
  EXPECT_EQ(get(b("c102998")), std::string(64, 'x'));
}

TEST_P(Conformance, StatsAreSane) {
  for (int i = 0; i < 2000; ++i) ASSERT_TRUE(db_->put(b("s" + std::to_string(i)), b(std::string(100, 'v'))));
  auto st = db_->stats();
  ASSERT_TRUE(st) << st.status().to_string();
  EXPECT_EQ(st->backend, backend_name(GetParam()));
  EXPECT_GT(st->estimated_keys, 0u);
  EXPECT_LE(st->estimated_keys, 100000u);
  if (is_disk()) {
    EXPECT_GT(st->disk_bytes, 0u);
  } else {
    EXPECT_EQ(st->disk_bytes, 0u);
    EXPECT_EQ(st->estimated_keys, 2000u);
  }
}

TEST_P(Conformance, CloseIsIdempotent) {
  ASSERT_TRUE(db_->put(b("k"), b("v")));
  EXPECT_TRUE(db_->close());
  EXPECT_TRUE(db_->close());
  db_.reset();  // the destructor after close must be harmless too
}

TEST_P(Conformance, OperationsAfterCloseFailWithAStatus) {
  ASSERT_TRUE(db_->put(b("k"), b("v")));
  ASSERT_TRUE(db_->close());
  Bytes v;
  auto expect_error = [](const Status& st, const char* what) {
    EXPECT_FALSE(st.is_ok()) << what;
    EXPECT_FALSE(st.is_not_found()) << what << " must not look like a missing key";
    EXPECT_FALSE(st.message().empty()) << what;
  };
  expect_error(db_->get(b("k"), &v), "get");
  expect_error(db_->get_view(b("k"), [](ByteView) {}), "get_view");
  expect_error(db_->has(b("k")).status(), "has");
  expect_error(db_->put(b("k"), b("v")), "put");
  expect_error(db_->del(b("k")), "del");
  auto batch = db_->new_batch();
  ASSERT_TRUE(batch);
  batch->put(b("k2"), b("v"));
  expect_error(db_->write(*batch), "write");
  auto it = db_->new_iterator();
  ASSERT_TRUE(it);
  EXPECT_FALSE(it->valid());
  expect_error(it->status(), "iterator");
  expect_error(db_->compact(), "compact");
  expect_error(db_->stats().status(), "stats");
  expect_error(db_->new_bulk_loader().status(), "new_bulk_loader");
}

TEST_P(Conformance, ReadOnlyOpenReadsButRejectsWrites) {
  ASSERT_TRUE(db_->put(b("k"), b("v")));
  ASSERT_TRUE(db_->close());
  db_.reset();
  Options o = small_options();
  o.read_only = true;
  db_ = open(o);
  ASSERT_TRUE(db_);
  EXPECT_EQ(get(b("k")), "v");
  EXPECT_FALSE(db_->put(b("k2"), b("v")).is_ok());
  auto batch = db_->new_batch();
  batch->put(b("k3"), b("v"));
  EXPECT_FALSE(db_->write(*batch).is_ok());
  EXPECT_EQ(get(b("k2")), "<absent>");
}

TEST_P(Conformance, BulkLoaderLoadsSortedKeysAndOverwrites) {
  ASSERT_TRUE(db_->put(b("bulk00010"), b("old")));
  ASSERT_TRUE(db_->put(b("other"), b("kept")));
  auto loader = new_bulk_loader(*db_);
  ASSERT_TRUE(loader) << loader.status().to_string();
  for (int i = 0; i < 5000; ++i) {
    char key[16];
    std::snprintf(key, sizeof key, "bulk%05d", i);
    ASSERT_TRUE((*loader)->add(as_view(key), b("v" + std::to_string(i))));
  }
  EXPECT_EQ((*loader)->count(), 5000u);
  if ((*loader)->atomic()) {
    EXPECT_EQ(get(b("bulk00001")), "<absent>") << "atomic loaders show nothing early";
  }
  ASSERT_TRUE((*loader)->finish());
  EXPECT_FALSE((*loader)->add(b("zzz"), b("late")).is_ok());
  loader->reset();
  EXPECT_EQ(get(b("bulk00010")), "v10");
  EXPECT_EQ(get(b("bulk04999")), "v4999");
  EXPECT_EQ(get(b("other")), "kept");
  IteratorOptions o;
  o.prefix = b("bulk");
  EXPECT_EQ(scan(o).size(), 5000u);
}

TEST_P(Conformance, BulkLoaderRejectsUnsortedKeysAndStaysUsable) {
  auto loader = new_bulk_loader(*db_);
  ASSERT_TRUE(loader) << loader.status().to_string();
  ASSERT_TRUE((*loader)->add(b("b"), b("1")));
  EXPECT_EQ((*loader)->add(b("a"), b("2")).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ((*loader)->add(b("b"), b("3")).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ((*loader)->add({}, b("4")).code(), Status::Code::kInvalidArgument);
  ASSERT_TRUE((*loader)->add(b("c"), b("5")));
  ASSERT_TRUE((*loader)->finish());
  loader->reset();
  EXPECT_EQ(get(b("a")), "<absent>");
  EXPECT_EQ(get(b("b")), "1");
  EXPECT_EQ(get(b("c")), "5");
}

TEST_P(Conformance, AbandonedAtomicBulkLoadLeavesNothing) {
  auto loader = new_bulk_loader(*db_);
  ASSERT_TRUE(loader) << loader.status().to_string();
  if (!(*loader)->atomic()) GTEST_SKIP() << "this backend's loader writes as it goes";
  ASSERT_TRUE((*loader)->add(b("a"), b("1")));
  loader->reset();
  EXPECT_TRUE(scan().empty());
}

std::string backend_param_name(const ::testing::TestParamInfo<Backend>& info) {
  return std::string(backend_name(info.param));
}

INSTANTIATE_TEST_SUITE_P(AllBackends, Conformance,
                         ::testing::Values(Backend::kMemory, Backend::kLevelDB, Backend::kRocksDB, Backend::kLMDB),
                         backend_param_name);

}  // namespace
}  // namespace klay::kv
