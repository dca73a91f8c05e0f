// State-trie database records that are not trie nodes: contract code
// ("c" + codeHash) and secure-trie preimages ("secure-key-" + hash).
// Same error conventions as accessors_chain.h.
//
// Note: while a state migration runs, the reference writes new code to both
// the old and the migration state trie; callers handle that by writing to
// both entry types (these functions write to kStateTrie only).
#pragma once

#include <map>

#include "engine/chaindata/db_manager.h"
#include "engine/core/status.h"
#include "engine/core/types.h"
#include "engine/rawdb/chain_batch.h"

namespace klay::rawdb {

Result<Bytes> read_code(const chaindata::DBManager& dbm, const Hash& code_hash);
Result<bool> has_code(const chaindata::DBManager& dbm, const Hash& code_hash);
Status write_code(ChainWriter& w, const Hash& code_hash, ByteView code);
Status delete_code(ChainWriter& w, const Hash& code_hash);

Result<Bytes> read_preimage(const chaindata::DBManager& dbm, const Hash& hash);
Status write_preimage(ChainWriter& w, const Hash& hash, ByteView preimage);
Status write_preimages(ChainWriter& w, const std::map<Hash, Bytes>& preimages);

}  // namespace klay::rawdb
