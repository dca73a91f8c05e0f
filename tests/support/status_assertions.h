// GoogleTest helpers for Status and Result<T>: ASSERT_OK(status) and must(result).
#pragma once

#include <gtest/gtest.h>

#include <stdexcept>
#include <utility>

#include "engine/core/status.h"

// Fails the test (and returns from it) when `expr`, a Status, is not ok.
#define ASSERT_OK(expr)                        \
  do {                                         \
    const ::klay::Status _s = (expr);          \
    ASSERT_TRUE(_s.is_ok()) << _s.to_string(); \
  } while (0)

namespace klay::test_support {

// The value of `r`; an error fails the test and throws, so fixtures can use it
// where ASSERT_* cannot return.
template <typename T>
T must(Result<T> r) {
  EXPECT_TRUE(r.has_value()) << r.status().to_string();
  if (!r.has_value()) throw std::runtime_error(r.status().to_string());
  return std::move(r).value();
}

}  // namespace klay::test_support
