// Opening chaindata in tests: a small-cache chaindata::Config and a
// DBManager::open that throws (tests treat a failed open as a broken fixture).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>

#include "engine/chaindata/db_manager.h"
#include "engine/kv/options.h"

namespace klay::test_support {

// `shards` state-trie shards, one database per entry type unless `single`,
// a 144 MiB cache and 256 open files across the databases.
inline chaindata::Config small_config(kv::Backend backend = kv::Backend::kLevelDB, uint32_t shards = 4,
                                      bool single = false) {
  chaindata::Config c;
  c.backend = backend;
  c.num_statetrie_shards = shards;
  c.single_db = single;
  c.cache_mib = 16 * 9;
  c.max_open_files = 16 * 16;
  return c;
}

// Opens (creating) the chaindata under `dir`. Throws std::runtime_error on failure.
inline std::unique_ptr<chaindata::DBManager> open_manager(const std::filesystem::path& dir,
                                                          const chaindata::Config& c = small_config()) {
  auto m = chaindata::DBManager::open(dir, c);
  if (!m) throw std::runtime_error("DBManager::open: " + m.status().message());
  return std::move(*m);
}

}  // namespace klay::test_support
