// Internal to engine/rawdb: reading one record and naming it in errors.
#pragma once

#include <string>
#include <string_view>

#include "engine/chaindata/db_manager.h"
#include "engine/core/bytes.h"
#include "engine/core/status.h"

namespace klay::rawdb::detail {

// The value of `key` in `type`'s database. NotFound "no <what>" when absent;
// other errors are prefixed with the entry type. InvalidArgument when the
// entry type is not open.
Result<Bytes> read_record(const chaindata::DBManager& dbm, chaindata::EntryType type, ByteView key,
                          std::string_view what);
Result<bool> has_record(const chaindata::DBManager& dbm, chaindata::EntryType type, ByteView key);

// Corruption: "corrupt <what> at key 0x…: <reason>".
Status corrupt(std::string_view what, ByteView key, std::string_view reason);

}  // namespace klay::rawdb::detail
