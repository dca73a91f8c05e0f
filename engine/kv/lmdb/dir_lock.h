// DirLock: an exclusive advisory lock (flock) on an LMDB environment directory.
//
// LMDB itself lets many processes share an environment, but it forbids opening
// one environment twice in the same process (closing the second handle drops
// the first one's locks), and the kv contract says a directory is open at most
// once. Locking the directory itself adds no file to LMDB's standard layout.
// Internal to engine/kv/lmdb. Move-only; the lock is released on destruction.
#pragma once

#include <filesystem>

#include "engine/core/status.h"

namespace klay::kv::lmdb_detail {

class DirLock {
 public:
  DirLock() = default;
  // Busy when another DirLock (in this or another process) holds `dir`.
  static Result<DirLock> acquire(const std::filesystem::path& dir);
  ~DirLock() { release(); }
  DirLock(DirLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  DirLock& operator=(DirLock&& other) noexcept;
  void release();

 private:
  explicit DirLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace klay::kv::lmdb_detail
