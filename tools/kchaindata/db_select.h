// --db TYPE: choosing one entry type's database of an open datadir.
#pragma once

#include <string>

#include "engine/chaindata/db_manager.h"
#include "engine/core/status.h"
#include "engine/kv/database.h"

namespace klay::kchaindata {

// The database of the entry type named `name` ("misc", "header", "body",
// "receipts", "statetrie", "statetrie_migrated", "txlookup", "bridgeservice",
// "snapshot"; "single" in single-DB mode too). InvalidArgument naming the
// valid names, or saying the entry type has no open database.
Result<kv::Database*> select_db(const chaindata::DBManager& dbm, const std::string& name);

// Printable names of --db values, for help texts.
std::string db_names_help();

}  // namespace klay::kchaindata
