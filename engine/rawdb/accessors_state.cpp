#include "engine/rawdb/accessors_state.h"

#include "engine/rawdb/read_util.h"
#include "engine/rawdb/schema.h"

namespace klay::rawdb {

Result<Bytes> read_code(const chaindata::DBManager& dbm, const Hash& code_hash) {
  return detail::read_record(dbm, kCodeDb, code_key(code_hash), "code with hash " + code_hash.hex());
}

Result<bool> has_code(const chaindata::DBManager& dbm, const Hash& code_hash) {
  return detail::has_record(dbm, kCodeDb, code_key(code_hash));
}

Status write_code(ChainWriter& w, const Hash& code_hash, ByteView code) {
  return w.put(kCodeDb, code_key(code_hash), code);
}

Status delete_code(ChainWriter& w, const Hash& code_hash) { return w.del(kCodeDb, code_key(code_hash)); }

Result<Bytes> read_preimage(const chaindata::DBManager& dbm, const Hash& hash) {
  return detail::read_record(dbm, kPreimageDb, preimage_key(hash), "preimage of " + hash.hex());
}

Status write_preimage(ChainWriter& w, const Hash& hash, ByteView preimage) {
  return w.put(kPreimageDb, preimage_key(hash), preimage);
}

Status write_preimages(ChainWriter& w, const std::map<Hash, Bytes>& preimages) {
  for (const auto& [hash, preimage] : preimages)
    if (auto s = write_preimage(w, hash, preimage); !s) return s;
  return Status::ok();
}

}  // namespace klay::rawdb
