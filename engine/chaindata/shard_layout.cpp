#include "engine/chaindata/shard_layout.h"

#include <algorithm>
#include <charconv>
#include <string>
#include <system_error>
#include <vector>

#include "engine/kv/open.h"

namespace klay::chaindata {

namespace fs = std::filesystem;

namespace {

// The number a shard directory name spells, or nullopt ("00", "x", "-1" are not shard names).
std::optional<uint32_t> parse_shard_name(const std::string& name) {
  if (name.empty() || name.size() > 3 || (name.size() > 1 && name[0] == '0')) return std::nullopt;
  uint32_t v = 0;
  const auto [ptr, ec] = std::from_chars(name.data(), name.data() + name.size(), v);
  if (ec != std::errc() || ptr != name.data() + name.size()) return std::nullopt;
  return v;
}

std::string flag_hint(uint32_t n) { return "restart with --db.num-statetrie-shards=" + std::to_string(n); }

}  // namespace

std::string shard_dir_name(uint32_t index) { return std::to_string(index); }

Result<std::optional<uint32_t>> detect_shard_count(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return std::optional<uint32_t>{};
  if (!fs::is_directory(dir, ec)) {
    return Status::invalid_argument(dir.string() + " is a file, not a database directory");
  }
  if (kv::detect_backend(dir).has_value()) return std::optional<uint32_t>{1};

  std::vector<uint32_t> shards;
  bool other_entries = false;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const auto idx = parse_shard_name(it->path().filename().string());
    if (idx && it->is_directory(ec)) {
      shards.push_back(*idx);
    } else {
      other_entries = true;
    }
  }
  if (ec) return Status::io_error("cannot list " + dir.string() + ": " + ec.message());
  if (shards.empty()) {
    if (!other_entries) return std::optional<uint32_t>{};
    return Status::corruption(dir.string() + " holds neither a database nor shard directories");
  }
  std::sort(shards.begin(), shards.end());
  for (size_t i = 0; i < shards.size(); ++i) {
    if (shards[i] != i) {
      return Status::corruption("shard directory " + std::to_string(i) + " is missing in " + dir.string() +
                                " (found " + std::to_string(shards.size()) + " shard directories)");
    }
  }
  return std::optional<uint32_t>{static_cast<uint32_t>(shards.size())};
}

Status check_shard_layout(const fs::path& dir, uint32_t num_shards, std::string_view what) {
  auto found = detect_shard_count(dir);
  if (!found) return found.status();
  if (!found->has_value() || **found == num_shards) return Status::ok();
  const uint32_t on_disk = **found;
  const std::string name(what);
  if (on_disk == 1) {
    return Status::invalid_argument(name + " at " + dir.string() +
                                    " holds an unsharded database but --db.num-statetrie-shards is " +
                                    std::to_string(num_shards) + "; " + flag_hint(1));
  }
  return Status::invalid_argument(name + " at " + dir.string() + " holds " + std::to_string(on_disk) +
                                  " shards but --db.num-statetrie-shards is " + std::to_string(num_shards) +
                                  "; " + flag_hint(on_disk));
}

}  // namespace klay::chaindata
