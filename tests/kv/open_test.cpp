// open_database() and detect_backend(): recognising, refusing and reporting.
#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "engine/kv/open.h"
#include "tests/kv/kv_test_support.h"

namespace klay::kv {
namespace {

using test::b;
namespace fs = std::filesystem;

// Names and sizes of every file under `dir`.
std::map<std::string, uintmax_t> listing(const fs::path& dir) {
  std::map<std::string, uintmax_t> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    out[fs::relative(it->path(), dir).string()] = it->is_regular_file() ? it->file_size() : 0;
  }
  return out;
}

void write_file(const fs::path& p, std::string_view content) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f.write(content.data(), static_cast<std::streamsize>(content.size()));
}

// Creates a database of `backend` with one key in `dir`, then closes it.
void make_database(Backend backend, const fs::path& dir) {
  auto db = open_database(backend, dir);
  ASSERT_TRUE(db) << db.status().to_string();
  ASSERT_TRUE((*db)->put(b("key"), b("value")));
  ASSERT_TRUE((*db)->close());
}

class DiskBackend : public ::testing::TestWithParam<Backend> {
 protected:
  test::TempDir tmp_;
};

TEST_P(DiskBackend, DetectsItsOwnFiles) {
  make_database(GetParam(), tmp_.db());
  auto found = detect_backend(tmp_.db());
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(*found, GetParam());
  auto db = open_database(GetParam(), tmp_.db());
  ASSERT_TRUE(db) << db.status().to_string();
  Bytes v;
  ASSERT_TRUE((*db)->get(b("key"), &v));
}

TEST_P(DiskBackend, RefusesAnotherBackendsDirectoryAndCreatesNothing) {
  make_database(GetParam(), tmp_.db());
  const auto before = listing(tmp_.db());
  for (Backend other : {Backend::kLevelDB, Backend::kRocksDB, Backend::kLMDB}) {
    if (other == GetParam()) continue;
    auto db = open_database(other, tmp_.db());
    ASSERT_FALSE(db) << "opened a " << backend_name(GetParam()) << " directory as " << backend_name(other);
    EXPECT_EQ(db.status().code(), Status::Code::kInvalidArgument);
    const std::string want = "directory " + tmp_.db().string() + " holds a " +
                             std::string(backend_display_name(GetParam())) + " database, not " +
                             std::string(backend_display_name(other)) + " (use --db.type " +
                             std::string(backend_name(GetParam())) + ")";
    EXPECT_EQ(db.status().message(), want);
    EXPECT_EQ(listing(tmp_.db()), before) << "a refused open must not touch the directory";
  }
}

TEST_P(DiskBackend, MissingDirectoryWithoutCreateFailsAndCreatesNothing) {
  Options o;
  o.create_if_missing = false;
  auto db = open_database(GetParam(), tmp_.db(), o);
  ASSERT_FALSE(db);
  EXPECT_FALSE(db.status().message().empty());
  EXPECT_FALSE(fs::exists(tmp_.db()));
}

TEST_P(DiskBackend, AFileIsNotADatabaseDirectory) {
  fs::create_directories(tmp_.path());
  write_file(tmp_.db(), "not a directory");
  auto db = open_database(GetParam(), tmp_.db());
  ASSERT_FALSE(db);
  EXPECT_EQ(db.status().code(), Status::Code::kInvalidArgument) << db.status().to_string();
}

INSTANTIATE_TEST_SUITE_P(Disk, DiskBackend, ::testing::Values(Backend::kLevelDB, Backend::kRocksDB, Backend::kLMDB),
                         [](const auto& info) { return std::string(backend_name(info.param)); });

TEST(DetectBackend, MissingEmptyAndForeignDirectoriesHoldNothing) {
  test::TempDir tmp;
  EXPECT_FALSE(detect_backend(tmp.db()).has_value());
  fs::create_directories(tmp.db());
  EXPECT_FALSE(detect_backend(tmp.db()).has_value());
  write_file(tmp.db() / "notes.txt", "hello");
  EXPECT_FALSE(detect_backend(tmp.db()).has_value());
}

TEST(DetectBackend, RecognisesMarkerFiles) {
  test::TempDir tmp;
  fs::create_directories(tmp.db());
  write_file(tmp.db() / "000005.ldb", "");
  EXPECT_EQ(detect_backend(tmp.db()), Backend::kLevelDB);
  write_file(tmp.db() / "OPTIONS-000007", "");
  EXPECT_EQ(detect_backend(tmp.db()), Backend::kRocksDB);
  test::TempDir tmp2;
  fs::create_directories(tmp2.db());
  write_file(tmp2.db() / "data.mdb", "");
  EXPECT_EQ(detect_backend(tmp2.db()), Backend::kLMDB);
}

Status open_status(Backend backend, const fs::path& dir) {
  auto db = open_database(backend, dir);
  return db ? Status::ok() : db.status();
}

TEST(CorruptDatabase, LevelDBWithGarbledCurrent) {
  test::TempDir tmp;
  make_database(Backend::kLevelDB, tmp.db());
  write_file(tmp.db() / "CURRENT", "garbage without newline");
  Status st = open_status(Backend::kLevelDB, tmp.db());
  EXPECT_EQ(st.code(), Status::Code::kCorruption) << st.to_string();
  EXPECT_NE(st.message().find(tmp.db().string()), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("CURRENT"), std::string::npos) << st.message();
}

TEST(CorruptDatabase, LevelDBWithCurrentNamingAMissingManifest) {
  test::TempDir tmp;
  make_database(Backend::kLevelDB, tmp.db());
  write_file(tmp.db() / "CURRENT", "MANIFEST-999999\n");
  Status st = open_status(Backend::kLevelDB, tmp.db());
  EXPECT_EQ(st.code(), Status::Code::kCorruption) << st.to_string();
}

TEST(CorruptDatabase, LevelDBWithoutCurrentIsNotSilentlyRecreated) {
  test::TempDir tmp;
  make_database(Backend::kLevelDB, tmp.db());
  fs::remove(tmp.db() / "CURRENT");
  const auto before = listing(tmp.db());
  Status st = open_status(Backend::kLevelDB, tmp.db());
  EXPECT_EQ(st.code(), Status::Code::kCorruption) << st.to_string();
  EXPECT_NE(st.message().find("no CURRENT file"), std::string::npos) << st.message();
  EXPECT_EQ(listing(tmp.db()), before);
}

TEST(CorruptDatabase, LevelDBWithTruncatedManifest) {
  test::TempDir tmp;
  make_database(Backend::kLevelDB, tmp.db());
  for (const auto& e : fs::directory_iterator(tmp.db())) {
    if (e.path().filename().string().starts_with("MANIFEST-")) fs::resize_file(e.path(), 5);
  }
  Status st = open_status(Backend::kLevelDB, tmp.db());
  EXPECT_EQ(st.code(), Status::Code::kCorruption) << st.to_string();
}

TEST(CorruptDatabase, RocksDBWithGarbledCurrent) {
  test::TempDir tmp;
  make_database(Backend::kRocksDB, tmp.db());
  write_file(tmp.db() / "CURRENT", "garbage without newline");
  Status st = open_status(Backend::kRocksDB, tmp.db());
  EXPECT_EQ(st.code(), Status::Code::kCorruption) << st.to_string();
  EXPECT_NE(st.message().find(tmp.db().string()), std::string::npos) << st.message();
}

TEST(CorruptDatabase, RocksDBWithoutCurrentIsNotSilentlyRecreated) {
  test::TempDir tmp;
  make_database(Backend::kRocksDB, tmp.db());
  fs::remove(tmp.db() / "CURRENT");
  Status st = open_status(Backend::kRocksDB, tmp.db());
  EXPECT_EQ(st.code(), Status::Code::kCorruption) << st.to_string();
}

TEST(CorruptDatabase, LMDBWithGarbledHeader) {
  test::TempDir tmp;
  make_database(Backend::kLMDB, tmp.db());
  {
    std::fstream f(tmp.db() / "data.mdb", std::ios::in | std::ios::out | std::ios::binary);
    ASSERT_TRUE(f.is_open());
    const std::string junk(8192, '\x5a');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  Status st = open_status(Backend::kLMDB, tmp.db());
  EXPECT_EQ(st.code(), Status::Code::kCorruption) << st.to_string();
  EXPECT_NE(st.message().find(tmp.db().string()), std::string::npos) << st.message();
}

TEST(OpenOptions, LevelDBRejectsUnsupportedCompressionBeforeCreatingAnything) {
  test::TempDir tmp;
  Options o;
  o.compression = Compression::kZstd;
  auto db = open_database(Backend::kLevelDB, tmp.db(), o);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.status().code(), Status::Code::kInvalidArgument);
  EXPECT_FALSE(fs::exists(tmp.db()));
}

TEST(OpenOptions, RocksDBOpensWithEveryCompression) {
  for (Compression c : {Compression::kNone, Compression::kSnappy, Compression::kZstd, Compression::kLZ4}) {
    test::TempDir tmp;
    Options o;
    o.compression = c;
    auto db = open_database(Backend::kRocksDB, tmp.db(), o);
    ASSERT_TRUE(db) << db.status().to_string();
    ASSERT_TRUE((*db)->put(b("k"), b(std::string(1000, 'x'))));
    ASSERT_TRUE((*db)->compact());
    Bytes v;
    ASSERT_TRUE((*db)->get(b("k"), &v));
    EXPECT_EQ(v.size(), 1000u);
  }
}

}  // namespace
}  // namespace klay::kv
