// Helpers shared by the chaindata tests: scratch directories and the backend list.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>
#include <vector>

#include "engine/core/bytes.h"
#include "engine/kv/options.h"

namespace klay::chaindata::testing {

// A fresh directory under the system temp dir, removed with everything in it on destruction.
class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "klay-chaindata-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::vector<kv::Backend> all_backends() {
  return {kv::Backend::kMemory, kv::Backend::kLevelDB, kv::Backend::kRocksDB, kv::Backend::kLMDB};
}

inline std::string backend_param_name(const ::testing::TestParamInfo<kv::Backend>& info) {
  return std::string(kv::backend_name(info.param));
}

inline Bytes b(std::string_view s) { return to_bytes(s); }
inline std::string s(ByteView v) { return std::string(as_string_view(v)); }

}  // namespace klay::chaindata::testing
