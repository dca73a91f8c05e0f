// Helpers shared by the kv tests: fresh temporary directories and names.
#pragma once

#include <atomic>
#include <filesystem>
#include <random>
#include <string>

#include <unistd.h>

#include "engine/core/bytes.h"
#include "engine/kv/options.h"

namespace klay::kv::test {

// A fresh directory path (not created) removed with everything under it on destruction.
class TempDir {
 public:
  TempDir() {
    static std::atomic<uint64_t> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("klay-kv-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1)) + "-" +
             std::to_string(std::random_device{}()));
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // The database directory inside it.
  std::filesystem::path db() const { return path_ / "db"; }

 private:
  std::filesystem::path path_;
};

inline Bytes b(std::string_view s) { return to_bytes(s); }
inline std::string s(ByteView v) { return std::string(as_string_view(v)); }

}  // namespace klay::kv::test
