// The key-value backends as a GoogleTest parameter: every backend, and the
// test-name suffix for one (e.g. "Backends/DBManagerTest.Open/leveldb").
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/kv/options.h"

namespace klay::test_support {

inline std::vector<kv::Backend> all_backends() {
  return {kv::Backend::kMemory, kv::Backend::kLevelDB, kv::Backend::kRocksDB, kv::Backend::kLMDB};
}

inline std::string backend_param_name(const ::testing::TestParamInfo<kv::Backend>& info) {
  return std::string(kv::backend_name(info.param));
}

}  // namespace klay::test_support
