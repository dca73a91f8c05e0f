#include "engine/chaindata/datadir_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace klay::chaindata {

namespace {

// The pid recorded in the lock file, or 0 if it holds none.
long read_holder_pid(int fd) {
  char buf[32] = {};
  const ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
  if (n <= 0) return 0;
  char* end = nullptr;
  const long pid = std::strtol(buf, &end, 10);
  return (end != buf && pid > 0) ? pid : 0;
}

Status write_pid(int fd, const std::filesystem::path& path) {
  const std::string text = std::to_string(static_cast<long>(getpid())) + "\n";
  if (ftruncate(fd, 0) != 0 ||
      pwrite(fd, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size())) {
    return Status::io_error("cannot write the lock file " + path.string() + ": " + std::strerror(errno));
  }
  return Status::ok();
}

}  // namespace

Result<std::unique_ptr<DatadirLock>> DatadirLock::acquire(const std::filesystem::path& lock_file,
                                                          const std::filesystem::path& datadir) {
  const int fd = ::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    const int err = errno;
    return Status::io_error("cannot create the lock file " + lock_file.string() + ": " + std::strerror(err));
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    const long pid = read_holder_pid(fd);
    ::close(fd);
    if (err != EWOULDBLOCK) {
      return Status::io_error("cannot lock " + lock_file.string() + ": " + std::strerror(err));
    }
    if (pid == static_cast<long>(getpid())) {
      return Status::busy("datadir " + datadir.string() + " is already open in this process (pid " +
                          std::to_string(pid) + "); close the other database manager first");
    }
    if (pid > 0) {
      return Status::busy("datadir " + datadir.string() + " is in use by another process (pid " +
                          std::to_string(pid) + "); stop it first");
    }
    return Status::busy("datadir " + datadir.string() + " is in use by another process; stop it first");
  }
  if (Status s = write_pid(fd, lock_file); !s) {
    ::close(fd);
    return s;
  }
  return std::unique_ptr<DatadirLock>(new DatadirLock(lock_file, fd));
}

DatadirLock::~DatadirLock() {
  // Clear the pid first so nobody reads ours after the lock is gone.
  if (ftruncate(fd_, 0) != 0) {
    // Harmless: the next holder overwrites it.
  }
  ::close(fd_);
}

}  // namespace klay::chaindata
