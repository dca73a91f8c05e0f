// Opening a database by backend name, and recognising what a directory holds.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>

#include "engine/kv/database.h"
#include "engine/kv/options.h"

namespace klay::kv {

// Looks at the files in `dir` and names the backend that wrote them, if any.
// Returns nullopt for a missing or empty directory.
std::optional<Backend> detect_backend(const std::filesystem::path& dir);

// Opens (or creates, if options.create_if_missing) a database of `backend` in `dir`.
// Fails with one clear sentence, creating nothing, when `dir` holds another
// backend's files or a corrupt database. For kMemory `dir` only names the store
// within this process (reopening the same name in the same process sees the data).
Result<std::unique_ptr<Database>> open_database(Backend backend, const std::filesystem::path& dir,
                                                const Options& options = {});

}  // namespace klay::kv
