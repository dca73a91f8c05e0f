// Helpers shared by the backend implementations in engine/kv/*/.
// Not part of the public interface: upper layers include database.h/open.h only.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "engine/core/bytes.h"
#include "engine/core/status.h"

namespace klay::kv {

// The Status every call on a closed database returns.
Status closed_error(std::string_view backend, const std::filesystem::path& dir);
// The Status for an empty key (see database.h).
Status empty_key_error();
// The Status for a write to a database opened read-only.
Status read_only_error(std::string_view backend, const std::filesystem::path& dir);

// Classifies a native error text. Backends report disk-full and lock failures
// only inside generic I/O errors, so the text is all there is to go on.
bool mentions_no_space(std::string_view native_message);
bool mentions_lock(std::string_view native_message);

// The smallest key greater than every key starting with `prefix`, or nullopt
// when no such key exists (empty prefix, or a prefix of only 0xff bytes).
std::optional<Bytes> prefix_successor(ByteView prefix);

// Sum of the sizes of the regular files under `dir` (0 when it is missing).
uint64_t directory_bytes(const std::filesystem::path& dir);

}  // namespace klay::kv
