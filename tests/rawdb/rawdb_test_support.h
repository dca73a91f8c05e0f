// Helpers shared by the rawdb tests: scratch datadirs and DBManager opening.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "engine/chaindata/db_manager.h"
#include "engine/kv/options.h"

namespace klay::rawdb::testing {

class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "klay-rawdb-XXXXXX").string();
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

inline chaindata::Config small_config(kv::Backend backend, uint32_t shards = 4, bool single = false) {
  chaindata::Config c;
  c.backend = backend;
  c.num_statetrie_shards = shards;
  c.single_db = single;
  c.cache_mib = 16 * 9;
  c.max_open_files = 16 * 16;
  return c;
}

inline std::unique_ptr<chaindata::DBManager> open_manager(const std::filesystem::path& dir,
                                                          const chaindata::Config& c) {
  auto m = chaindata::DBManager::open(dir, c);
  if (!m) throw std::runtime_error("DBManager::open: " + m.status().message());
  return std::move(*m);
}

inline std::string backend_param_name(const ::testing::TestParamInfo<kv::Backend>& info) {
  return std::string(kv::backend_name(info.param));
}

inline Hash hash_of(uint8_t fill) {
  Hash h;
  h.bytes.fill(fill);
  return h;
}

}  // namespace klay::rawdb::testing
