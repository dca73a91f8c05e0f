#include "engine/rawdb/datadir_settings.h"

#include <fstream>
#include <sstream>
#include <system_error>

#include <nlohmann/json.hpp>

namespace klay::rawdb {

namespace fs = std::filesystem;
using nlohmann::json;

chaindata::Config DatadirSettings::apply(chaindata::Config config) const {
  config.backend = backend;
  config.single_db = single_db;
  config.num_statetrie_shards = num_statetrie_shards;
  return config;
}

fs::path datadir_settings_path(const fs::path& datadir) { return datadir / "klay" / "chaindata-settings.json"; }

std::string to_json(const DatadirSettings& s) {
  json j = {{"backend", std::string(kv::backend_name(s.backend))},
            {"single_db", s.single_db},
            {"num_statetrie_shards", s.num_statetrie_shards},
            {"live_pruning", s.live_pruning},
            {"live_pruning_retention", s.live_pruning_retention}};
  return j.dump() + "\n";
}

Result<std::optional<DatadirSettings>> load_datadir_settings(const fs::path& datadir) {
  const fs::path path = datadir_settings_path(datadir);
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::optional<DatadirSettings>();
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::io_error("cannot open " + path.string());
  std::stringstream ss;
  ss << in.rdbuf();
  const auto bad = [&](const std::string& why) {
    return Status::corruption(path.string() + " is not a valid settings file: " + why);
  };
  const json j = json::parse(ss.str(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return bad("not a JSON object");
  DatadirSettings s;
  const auto backend = j.find("backend");
  if (backend == j.end() || !backend->is_string()) return bad("\"backend\" must be a string");
  auto b = kv::parse_backend(backend->get<std::string>());
  if (!b) return bad(b.status().message());
  s.backend = *b;
  const auto flag = [&](const char* key, bool& out) -> bool {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_boolean()) return false;
    out = it->get<bool>();
    return true;
  };
  if (!flag("single_db", s.single_db)) return bad("\"single_db\" must be true or false");
  if (!flag("live_pruning", s.live_pruning)) return bad("\"live_pruning\" must be true or false");
  const auto shards = j.find("num_statetrie_shards");
  if (shards == j.end() || !shards->is_number_unsigned()) return bad("\"num_statetrie_shards\" must be a number");
  if (auto st = chaindata::validate_num_statetrie_shards(shards->get<uint64_t>()); !st) return bad(st.message());
  s.num_statetrie_shards = shards->get<uint32_t>();
  const auto retention = j.find("live_pruning_retention");
  if (retention != j.end()) {
    if (!retention->is_number_unsigned()) return bad("\"live_pruning_retention\" must be a number");
    s.live_pruning_retention = retention->get<uint64_t>();
  }
  return std::optional<DatadirSettings>(s);
}

Status save_datadir_settings(const fs::path& datadir, const DatadirSettings& settings) {
  const fs::path path = datadir_settings_path(datadir);
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::io_error("cannot write " + tmp.string());
    out << to_json(settings);
    out.flush();
    if (!out) return Status::io_error("cannot write " + tmp.string());
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return Status::io_error("cannot rename " + tmp.string() + " to " + path.string() + ": " + ec.message());
  return Status::ok();
}

}  // namespace klay::rawdb
