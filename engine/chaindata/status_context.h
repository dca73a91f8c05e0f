// Internal: prefixing a Status message with where it happened, keeping its code.
#pragma once

#include <string>
#include <string_view>

#include "engine/core/status.h"

namespace klay::chaindata::detail {

// A Status of the same code whose message is `context` + ": " + the original.
// REQUIRES: !s.is_ok().
Status with_context(const Status& s, std::string_view context);

}  // namespace klay::chaindata::detail
