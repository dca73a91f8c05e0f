// kchaindata convert: round trips across backends and layouts keep every key
// and value; the destination opens without flags; refusals are clear; the
// read-back verification catches a destination that lost, changed or gained
// a key; the pair checksum is XXH3 of the documented encoding; RocksDB bulk
// loads keep compressing data that compresses.
#include <gtest/gtest.h>
#include <xxhash.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "engine/kv/bulk_loader.h"
#include "engine/kv/open.h"
#include "tests/tools/chain_fixture.h"
#include "tests/tools/cli_capture.h"
#include "tools/common/progress.h"
#include "tools/kchaindata/commands.h"
#include "tools/kchaindata/convert_engine.h"
#include "tools/kchaindata/pair_checksum.h"

namespace klay::kchaindata {
namespace {

namespace fs = std::filesystem;
using klay::testing::run_in_process;
using testing::build_chain;
using testing::dump_datadir;
using testing::ScratchDir;
using testing::test_config;

klay::testing::CliResult convert(const fs::path& src, const fs::path& dst, std::vector<std::string> extra) {
  std::vector<std::string> argv = {"convert", "--datadir", src.string(), "--dst.datadir", dst.string(), "--json"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return run_in_process(run, argv);
}

TEST(ConvertCommand, RoundTripAcrossBackendsAndShardLayouts) {
  ScratchDir dir;
  const fs::path a = dir.path() / "leveldb4";
  build_chain(a, test_config(kv::Backend::kLevelDB, 4), 4, 150);
  const auto original = dump_datadir(a, false);
  const auto original_merged = dump_datadir(a, true);
  ASSERT_GT(original.size(), 500u);

  const fs::path b = dir.path() / "rocksdb1";
  auto r = convert(a, b, {"--dst.db.type", "rocksdb", "--dst.db.num-statetrie-shards", "1",
                          "--dst.db.rocksdb.compression-type", "none", "--threads", "3"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["keys"].get<size_t>(), original.size());
  EXPECT_TRUE(j["verified"].get<bool>());
  EXPECT_FALSE(fs::exists(dir.path() / "rocksdb1.converting"));
  EXPECT_EQ(dump_datadir(b, false), original);

  const fs::path c = dir.path() / "lmdb-single";
  r = convert(b, c, {"--dst.db.type", "lmdb", "--dst.db.single"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(dump_datadir(c, true), original_merged);

  const fs::path d = dir.path() / "leveldb4-again";
  r = convert(c, d, {"--dst.db.type", "leveldb", "--dst.db.num-statetrie-shards", "4"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(dump_datadir(d, false), original);  // every key back in its entry type

  // The converted datadirs open without flags and verify clean.
  for (const fs::path& p : {b, c, d}) {
    const auto v = run_in_process(run, {"verify", "--datadir", p.string()});
    EXPECT_EQ(v.code, 0) << p << ": " << v.out << v.err;
  }
  const auto settings = rawdb::load_datadir_settings(c);
  ASSERT_TRUE(settings && *settings);
  EXPECT_EQ((*settings)->backend, kv::Backend::kLMDB);
  EXPECT_TRUE((*settings)->single_db);
}

TEST(ConvertCommand, RefusesBadDestinationsWithOneSentence) {
  ScratchDir dir;
  const fs::path src = dir.path() / "src";
  build_chain(src, test_config(), 1, 10);
  const fs::path busy = dir.path() / "busy";
  fs::create_directories(busy);
  std::ofstream(busy / "file") << "x";
  auto r = convert(src, busy, {"--dst.db.type", "rocksdb"});
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("already exists and is not empty"), std::string::npos) << r.err;

  r = convert(src, dir.path() / "x", {"--dst.db.type", "badger"});
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("--dst.db.type"), std::string::npos) << r.err;

  r = convert(src, dir.path() / "x", {"--dst.db.type", "rocksdb", "--dst.db.num-statetrie-shards", "3"});
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("shards"), std::string::npos) << r.err;

  r = convert(src, dir.path() / "x", {"--dst.db.type", "rocksdb", "--dst.db.rocksdb.compression-type", "lzma"});
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("--dst.db.rocksdb.compression-type must be"), std::string::npos) << r.err;

  r = convert(src, dir.path() / "small", {"--dst.db.type", "rocksdb", "--test.free-bytes", "1000"});
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("not enough free space"), std::string::npos) << r.err;

  r = convert(src, dir.path() / "no" / "parent", {"--dst.db.type", "rocksdb"});
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;

  EXPECT_EQ(run_in_process(run, {"convert", "--datadir", src.string()}).code, 2);
  // The source was never touched: it still verifies and converts.
  EXPECT_EQ(run_in_process(run, {"verify", "--datadir", src.string()}).code, 0);
  r = convert(src, dir.path() / "empty-ok", {"--dst.db.type", "lmdb"});
  EXPECT_EQ(r.code, 0) << r.err;
}

// The pair encoding hashed in one piece, for comparison with PairChecksum.
void encode_pair(Bytes& out, ByteView key, ByteView value) {
  for (ByteView b : {key, value}) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(b.size() >> (8 * i)));
    out.insert(out.end(), b.begin(), b.end());
  }
}

TEST(PairChecksum, IsXxh3OfTheLengthPrefixedStreamHoweverPairsAreSized) {
  std::mt19937_64 rng(7);
  auto random_bytes = [&](size_t n) {
    Bytes b(n);
    for (auto& x : b) x = static_cast<uint8_t>(rng());
    return b;
  };
  PairChecksum sum;
  Bytes stream;
  uint64_t bytes = 0;
  // Small pairs filling the 64 KiB stage several times, a pair larger than
  // the stage, an empty value, then small pairs again.
  std::vector<std::pair<Bytes, Bytes>> pairs;
  for (int i = 0; i < 900; ++i) pairs.emplace_back(random_bytes(33), random_bytes(100 + rng() % 200));
  pairs.emplace_back(random_bytes(32), random_bytes(200'000));
  pairs.emplace_back(random_bytes(5), Bytes{});
  for (int i = 0; i < 300; ++i) pairs.emplace_back(random_bytes(1 + rng() % 40), random_bytes(rng() % 600));
  for (size_t i = 0; i < pairs.size(); ++i) {
    sum.add(pairs[i].first, pairs[i].second);
    encode_pair(stream, pairs[i].first, pairs[i].second);
    bytes += pairs[i].first.size() + pairs[i].second.size();
    if (i == 450) {
      EXPECT_EQ(sum.digest(), XXH3_64bits(stream.data(), stream.size()));  // a digest mid-stream
    }
  }
  EXPECT_EQ(sum.count(), pairs.size());
  EXPECT_EQ(sum.bytes(), bytes);
  EXPECT_EQ(sum.digest(), XXH3_64bits(stream.data(), stream.size()));
  // A single changed byte changes the digest.
  PairChecksum other;
  pairs[600].second[3] ^= 1;
  for (const auto& [k, v] : pairs) other.add(k, v);
  EXPECT_NE(other.digest(), sum.digest());
}

// A destination whose bulk loads go wrong in one chosen way, to show that the
// read-back verification notices.
enum class Fault { kNone, kDropKey, kChangeValue };

class FaultyDatabase final : public kv::Database {
 public:
  FaultyDatabase(kv::Database& inner, Fault fault, Bytes target) : inner_(inner), fault_(fault), target_(std::move(target)) {}

  Status get(ByteView key, Bytes* value) override { return inner_.get(key, value); }
  Status get_view(ByteView key, const std::function<void(ByteView)>& fn) override { return inner_.get_view(key, fn); }
  Result<bool> has(ByteView key) override { return inner_.has(key); }
  Status put(ByteView key, ByteView value) override { return inner_.put(key, value); }
  Status del(ByteView key) override { return inner_.del(key); }
  std::unique_ptr<kv::WriteBatch> new_batch() override { return inner_.new_batch(); }
  Status write(kv::WriteBatch& batch) override { return inner_.write(batch); }
  std::unique_ptr<kv::Iterator> new_iterator(const kv::IteratorOptions& o) override { return inner_.new_iterator(o); }
  Status compact(std::optional<ByteView> b, std::optional<ByteView> e) override { return inner_.compact(b, e); }
  Result<kv::DbStats> stats() override { return inner_.stats(); }
  Status close() override { return inner_.close(); }
  std::string_view backend_name() const override { return inner_.backend_name(); }

  Result<std::unique_ptr<kv::BulkLoader>> new_bulk_loader() override {
    auto l = kv::new_bulk_loader(inner_);
    if (!l) return l.status();
    return std::unique_ptr<kv::BulkLoader>(std::make_unique<Loader>(std::move(*l), *this));
  }

 private:
  class Loader final : public kv::BulkLoader {
   public:
    Loader(std::unique_ptr<kv::BulkLoader> inner, FaultyDatabase& db) : inner_(std::move(inner)), db_(db) {}
    Status add(ByteView key, ByteView value) override {
      if (!equal(key, db_.target_) || db_.fault_ == Fault::kNone) return inner_->add(key, value);
      if (db_.fault_ == Fault::kDropKey) return Status::ok();
      Bytes changed = to_bytes(value);
      changed.back() ^= 0x80;
      return inner_->add(key, changed);
    }
    Status finish() override { return inner_->finish(); }
    uint64_t count() const override { return inner_->count(); }
    bool atomic() const override { return inner_->atomic(); }

   private:
    std::unique_ptr<kv::BulkLoader> inner_;
    FaultyDatabase& db_;
  };

  kv::Database& inner_;
  Fault fault_;
  Bytes target_;
};

struct EngineRun {
  Status status;
  uint64_t keys = 0;
};

// Copies `src` into a fresh `backend` database at `dir` through `fault`
// (targeting the key `target`), optionally planting `stray` in the
// destination first, with two workers and 4 parts.
EngineRun run_engine(kv::Database& src, kv::Backend backend, const fs::path& dir, Fault fault, const Bytes& target,
                     std::optional<Bytes> stray = std::nullopt) {
  kv::Options o;
  o.compression = backend == kv::Backend::kRocksDB ? kv::Compression::kLZ4 : kv::Compression::kSnappy;
  auto dst = kv::open_database(backend, backend == kv::Backend::kMemory ? fs::path() : dir / "db", o);
  if (!dst) return {dst.status()};
  if (stray && !(*dst)->put(*stray, as_view("stray"))) return {Status::io_error("cannot plant the stray key")};
  FaultyDatabase faulty(**dst, fault, target);
  ConvertPass pass{"statetrie", {&src}, {"statetrie"}, [](ByteView) { return size_t{0}; }, {0}};
  ConvertTuning tuning;
  tuning.parts = 4;
  tuning.threads = 2;
  ConvertEngine engine(std::vector<DestUnit>{DestUnit{"statetrie", &faulty}}, std::vector<ConvertPass>{std::move(pass)},
                       dir / "progress", tuning);
  cli::Progress progress("test", 0, "keys", stderr);
  progress.silence();
  EngineRun r{engine.copy_and_verify(progress)};
  if (r.status) r.keys = engine.source_totals()[0].count;
  (void)(*dst)->close();
  return r;
}

class ConvertVerification : public ::testing::TestWithParam<kv::Backend> {};

TEST_P(ConvertVerification, CatchesADestinationThatLostChangedOrGainedAKey) {
  ScratchDir dir;
  auto src = kv::open_database(kv::Backend::kMemory, "");
  ASSERT_TRUE(src) << src.status().message();
  // Hash-like keys over every first byte with trie-node-sized random values:
  // 5.6 MiB, so each RocksDB part writes a compression probe and a second file.
  std::mt19937_64 rng(11);
  std::vector<Bytes> keys;
  for (int i = 0; i < 20'000; ++i) {
    Bytes k(32), v(250);
    for (auto& x : k) x = static_cast<uint8_t>(rng());
    for (auto& x : v) x = static_cast<uint8_t>(rng());
    ASSERT_TRUE((*src)->put(k, v));
    keys.push_back(std::move(k));
  }
  std::sort(keys.begin(), keys.end(), [](const Bytes& a, const Bytes& b) { return compare(a, b) < 0; });
  const Bytes target = keys[keys.size() / 3];

  auto clean = run_engine(**src, GetParam(), dir.path() / "clean", Fault::kNone, target);
  ASSERT_TRUE(clean.status) << clean.status.message();
  EXPECT_EQ(clean.keys, keys.size());

  for (Fault f : {Fault::kDropKey, Fault::kChangeValue}) {
    auto r = run_engine(**src, GetParam(), dir.path() / ("fault" + std::to_string(int(f))), f, target);
    ASSERT_FALSE(r.status) << "fault " << int(f) << " went unnoticed";
    EXPECT_EQ(r.status.code(), Status::Code::kCorruption);
    EXPECT_NE(r.status.message().find("verification failed for statetrie"), std::string::npos) << r.status.message();
    const bool same_count = r.status.message().find("with a different checksum") != std::string::npos;
    EXPECT_EQ(same_count, f == Fault::kChangeValue) << r.status.message();
  }
  // A key the source lacks, already in the destination inside a loaded range.
  Bytes stray = target;
  stray.push_back(0);
  auto r = run_engine(**src, GetParam(), dir.path() / "stray", Fault::kNone, target, stray);
  ASSERT_FALSE(r.status) << "a stray destination key went unnoticed";
  EXPECT_EQ(r.status.code(), Status::Code::kCorruption);
}

INSTANTIATE_TEST_SUITE_P(Backends, ConvertVerification,
                         ::testing::Values(kv::Backend::kRocksDB, kv::Backend::kLevelDB, kv::Backend::kMemory),
                         [](const auto& info) { return std::string(kv::backend_name(info.param)); });

// The RocksDB bulk loader drops compression only for data it does not shrink:
// values half random, half zeros (LZ4 takes them to about 55 %) still land
// compressed well past the 1 MiB probe file.
TEST(RocksDbBulkLoad, KeepsCompressingDataThatCompresses) {
  ScratchDir dir;
  kv::Options o;
  o.compression = kv::Compression::kLZ4;
  auto db = kv::open_database(kv::Backend::kRocksDB, dir.path() / "db", o);
  ASSERT_TRUE(db) << db.status().message();
  auto loader = kv::new_bulk_loader(**db);
  ASSERT_TRUE(loader);
  auto value_of = [](uint32_t i) {
    std::mt19937_64 r(i);
    Bytes v(240, 0);
    for (size_t j = 0; j < 120; ++j) v[j] = static_cast<uint8_t>(r());
    return v;
  };
  uint64_t raw = 0;
  constexpr uint32_t kKeys = 48'000;  // 11.9 MB
  for (uint32_t i = 0; i < kKeys; ++i) {
    Bytes k(8);
    put_be64(k.data(), i);
    const Bytes v = value_of(i);
    ASSERT_TRUE((*loader)->add(k, v));
    raw += k.size() + v.size();
  }
  ASSERT_TRUE((*loader)->finish());
  auto st = (*db)->stats();
  ASSERT_TRUE(st);
  EXPECT_LT(st->disk_bytes * 4, raw * 3) << "on disk " << st->disk_bytes << " of " << raw << " raw bytes";
  for (uint32_t i : {0u, kKeys / 2, kKeys - 1}) {
    Bytes k(8), v;
    put_be64(k.data(), i);
    ASSERT_TRUE((*db)->get(k, &v));
    EXPECT_EQ(v, value_of(i));
  }
}

}  // namespace
}  // namespace klay::kchaindata
