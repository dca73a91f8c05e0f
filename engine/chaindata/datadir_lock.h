// DatadirLock: one process (and one owner within it) per data directory.
//
// The lock is an exclusive flock(2) on a lock file, which also holds the
// holder's pid as decimal text for the message a second opener sees. flock
// belongs to the open file, so:
//  - a second acquire in another process fails with Busy;
//  - a second acquire in the same process also fails with Busy (a different
//    open file), so two DBManagers can never share a datadir by accident;
//  - the kernel drops the lock when the holder dies, so a lock file left by a
//    crashed process never blocks (its stale pid text is simply overwritten).
// The descriptor is close-on-exec, so child processes started with exec do
// not inherit the lock. A child made with fork() alone shares it until it
// exits or closes it.
//
// Thread-safety: the object is immutable after acquire(); destroy it from one thread.
#pragma once

#include <filesystem>
#include <memory>

#include "engine/core/status.h"

namespace klay::chaindata {

class DatadirLock {
 public:
  // Takes the lock on `lock_file` (created if missing; its directory must
  // exist). `datadir` only names the data directory in messages.
  // Busy: "datadir /x is in use by another process (pid 1234); stop it first"
  //   (or "... is already open in this process ..." when the holder is us).
  // IOError: the lock file cannot be created or opened (e.g. no permission).
  static Result<std::unique_ptr<DatadirLock>> acquire(const std::filesystem::path& lock_file,
                                                      const std::filesystem::path& datadir);

  // Releases the lock and clears the pid text; the file itself stays.
  ~DatadirLock();
  DatadirLock(const DatadirLock&) = delete;
  DatadirLock& operator=(const DatadirLock&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  DatadirLock(std::filesystem::path path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::filesystem::path path_;
  int fd_;
};

}  // namespace klay::chaindata
