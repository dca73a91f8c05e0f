// Durable progress of `kchaindata convert`: one JSON file per pass (a pass
// copies one source entry type, or the whole single database), holding for
// each key-range part the last key whose write is complete, or "done".
// Files are replaced atomically (temporary file, fsync, rename, fsync of the
// directory), so after a crash a file is either the old or the new version.
#pragma once

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/bytes.h"
#include "engine/core/status.h"

namespace klay::kchaindata {

struct PartProgress {
  bool done = false;
  std::optional<Bytes> last_key;  // every key <= it is in the destination
};

// Thread-safe: parts of one pass checkpoint from different threads.
class PassCheckpoint {
 public:
  // Loads <dir>/<name>.json if present (Corruption when unreadable), else starts empty.
  static Result<std::unique_ptr<PassCheckpoint>> load(const std::filesystem::path& dir, std::string name,
                                                      size_t parts);
  PartProgress part(size_t i) const;
  // Records and fsyncs the new state of part i.
  Status update(size_t i, const PartProgress& p);

 private:
  PassCheckpoint(std::filesystem::path file, size_t parts) : file_(std::move(file)), parts_(parts) {}
  Status save_locked();
  std::filesystem::path file_;
  mutable std::mutex mu_;
  std::vector<PartProgress> parts_;
};

// Writes `text` to `path` atomically and durably.
Status write_file_durably(const std::filesystem::path& path, const std::string& text);

}  // namespace klay::kchaindata
