// The errors the state layer reports for state it cannot read.
//
// A node or code missing from the store (pruned, never synced, or a wrong
// root) is NotFound with the message
//   "state not available at root 0x<root key>: missing trie node 0x<key> (pruned or missing)"
// An absent *account* or *slot* is never an error: getters return defaults.
#pragma once

#include <string>

#include "engine/core/bytes.h"
#include "engine/core/status.h"
#include "engine/core/types.h"

namespace klay::state {

// NotFound: "state not available at root 0x<root_key>: <cause message> (pruned or missing)".
Status state_unavailable(ByteView root_key, const Status& cause);
bool is_state_unavailable(const Status& s);

// Maps a trie/code error met while reading the state at `root_key`: a missing
// node becomes state_unavailable(); any other error is returned as is.
Status state_error(ByteView root_key, const Status& s);

// The cause used when contract code is absent from the code store.
Status missing_code(const Hash& code_hash);

}  // namespace klay::state
