// Helpers shared by the rawdb tests: scratch datadirs, DBManager opening and the
// backend parameter names (tests/support), and a filled hash.
#pragma once

#include <gtest/gtest.h>

#include "engine/core/types.h"
#include "tests/support/backends.h"
#include "tests/support/chaindata_setup.h"
#include "tests/support/scratch_dir.h"

namespace klay::rawdb::testing {

using test_support::backend_param_name;
using test_support::open_manager;
using test_support::ScratchDir;
using test_support::small_config;

inline Hash hash_of(uint8_t fill) {
  Hash h;
  h.bytes.fill(fill);
  return h;
}

}  // namespace klay::rawdb::testing
