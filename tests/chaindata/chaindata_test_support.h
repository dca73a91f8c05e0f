// Helpers shared by the chaindata tests: scratch directories and the backend list
// (tests/support), and byte/string conversions.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "engine/core/bytes.h"
#include "tests/support/backends.h"
#include "tests/support/scratch_dir.h"

namespace klay::chaindata::testing {

using test_support::all_backends;
using test_support::backend_param_name;
using test_support::ScratchDir;

inline Bytes b(std::string_view s) { return to_bytes(s); }
inline std::string s(ByteView v) { return std::string(as_string_view(v)); }

}  // namespace klay::chaindata::testing
