#include "engine/kv/rocksdb/rocksdb_logger.h"

#include <sys/time.h>

#include <cstdarg>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace klay::kv {

namespace {

class StdioLogger final : public rocksdb::Logger {
 public:
  StdioLogger(std::filesystem::path dir, uint64_t max_bytes)
      : rocksdb::Logger(rocksdb::InfoLogLevel::INFO_LEVEL), dir_(std::move(dir)), max_bytes_(max_bytes) {}
  ~StdioLogger() override {
    if (file_) std::fclose(file_);
  }

  bool open() {
    std::error_code ec;
    std::filesystem::rename(dir_ / "LOG", dir_ / "LOG.old", ec);  // absent on first open
    file_ = std::fopen((dir_ / "LOG").c_str(), "w");
    written_ = 0;
    return file_ != nullptr;
  }

  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override {
    char line[1024];
    struct timeval now;
    gettimeofday(&now, nullptr);
    struct tm t;
    localtime_r(&now.tv_sec, &t);
    int n = std::snprintf(line, sizeof line, "%04d/%02d/%02d-%02d:%02d:%02d.%06ld ", t.tm_year + 1900, t.tm_mon + 1,
                          t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, static_cast<long>(now.tv_usec));
    int body = std::vsnprintf(line + n, sizeof line - static_cast<size_t>(n), format, ap);
    size_t len = std::min(sizeof line - 1, static_cast<size_t>(n) + static_cast<size_t>(std::max(body, 0)));
    std::lock_guard lock(mu_);
    if (!file_) return;
    if (written_ > max_bytes_) {
      std::fclose(file_);
      file_ = nullptr;
      if (!open()) return;
    }
    // A short write (disk full) just loses the line; the database reports the real error.
    written_ += std::fwrite(line, 1, len, file_);
    written_ += std::fwrite("\n", 1, 1, file_);
    std::fflush(file_);
  }

  size_t GetLogFileSize() const override {
    std::lock_guard lock(mu_);
    return written_;
  }

 private:
  const std::filesystem::path dir_;
  const uint64_t max_bytes_;
  mutable std::mutex mu_;
  std::FILE* file_ = nullptr;
  uint64_t written_ = 0;
};

}  // namespace

std::shared_ptr<rocksdb::Logger> new_rocksdb_logger(const std::filesystem::path& dir, uint64_t max_bytes) {
  auto logger = std::make_shared<StdioLogger>(dir, max_bytes);
  if (!logger->open()) return nullptr;
  return logger;
}

}  // namespace klay::kv
