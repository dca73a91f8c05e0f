#include "engine/kv/options.h"

#include <array>
#include <cctype>

namespace klay::kv {

namespace {

constexpr std::array<Backend, 4> kAllBackends = {Backend::kLevelDB, Backend::kRocksDB, Backend::kLMDB,
                                                 Backend::kMemory};

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

}  // namespace

Result<Backend> parse_backend(std::string_view name) {
  for (Backend b : kAllBackends) {
    if (iequals(name, backend_name(b))) return b;
  }
  std::string valid;
  for (Backend b : kAllBackends) {
    if (!valid.empty()) valid += ", ";
    valid += backend_name(b);
  }
  return Status::invalid_argument("unknown database type \"" + std::string(name) + "\" (valid: " + valid + ")");
}

std::string_view backend_name(Backend b) {
  switch (b) {
    case Backend::kLevelDB: return "leveldb";
    case Backend::kRocksDB: return "rocksdb";
    case Backend::kLMDB: return "lmdb";
    case Backend::kMemory: return "memory";
  }
  return "unknown";
}

std::string_view backend_display_name(Backend b) {
  switch (b) {
    case Backend::kLevelDB: return "LevelDB";
    case Backend::kRocksDB: return "RocksDB";
    case Backend::kLMDB: return "LMDB";
    case Backend::kMemory: return "memory";
  }
  return "unknown";
}

}  // namespace klay::kv
