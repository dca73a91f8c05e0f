#include "engine/rawdb/read_util.h"

namespace klay::rawdb::detail {

namespace {

Result<kv::Database*> open_db(const chaindata::DBManager& dbm, chaindata::EntryType type) {
  kv::Database* db = dbm.find(type);
  if (!db)
    return Status::invalid_argument("the " + std::string(chaindata::entry_type_name(type)) +
                                    " database is not open");
  return db;
}

}  // namespace

Result<Bytes> read_record(const chaindata::DBManager& dbm, chaindata::EntryType type, ByteView key,
                          std::string_view what) {
  auto db = open_db(dbm, type);
  if (!db) return db.status();
  Bytes value;
  Status s = (*db)->get(key, &value);
  if (s.is_not_found()) return Status::not_found("no " + std::string(what));
  if (!s) return with_context(s, chaindata::entry_type_name(type));
  return value;
}

Result<bool> has_record(const chaindata::DBManager& dbm, chaindata::EntryType type, ByteView key) {
  auto db = open_db(dbm, type);
  if (!db) return db.status();
  auto r = (*db)->has(key);
  if (!r) return with_context(r.status(), chaindata::entry_type_name(type));
  return *r;
}

Status corrupt(std::string_view what, ByteView key, std::string_view reason) {
  return Status::corruption("corrupt " + std::string(what) + " at key 0x" + to_hex(key) + ": " +
                            std::string(reason));
}

}  // namespace klay::rawdb::detail
