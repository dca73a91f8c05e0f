#include "tools/kchaindata/db_select.h"

namespace klay::kchaindata {

std::string db_names_help() {
  std::string s;
  for (auto t : chaindata::kAllEntryTypes) {
    if (!s.empty()) s += ", ";
    s += std::string(chaindata::entry_type_name(t));
  }
  return s;
}

Result<kv::Database*> select_db(const chaindata::DBManager& dbm, const std::string& name) {
  if (name == "single") {
    if (!dbm.is_single()) return Status::invalid_argument("--db single applies only to a single-database datadir");
    return &dbm.misc();
  }
  auto type = chaindata::parse_entry_type(name);
  if (!type) return Status::invalid_argument("unknown --db '" + name + "' (valid: " + db_names_help() + ")");
  kv::Database* db = dbm.find(*type);
  if (db == nullptr) return Status::invalid_argument("the " + name + " database is not open in this datadir");
  return db;
}

}  // namespace klay::kchaindata
