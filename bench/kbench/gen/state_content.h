// A deterministic synthetic world state, added slice by slice to a StateDB:
//   account i   an EOA with a pseudo-random balance;
//   contract c  code and `slots` storage slots. Even contracts are clones:
//               the same code and the same slot values, so their storage
//               tries are identical and stored once (content-addressed node
//               keys), as token clones are on real chains; odd contracts get
//               their own code and values.
// Everything is a pure function of the index, so any slice can be rebuilt.
#pragma once

#include <cstdint>

#include "engine/core/status.h"
#include "engine/core/types.h"
#include "engine/state/state_db.h"

namespace klay::kbench::gen {

Address account_address(uint64_t i);
Address contract_address(uint64_t c);

// Adds accounts [begin, end). Does not finalise.
Status add_accounts(state::StateDB& st, uint64_t begin, uint64_t end);
// Creates contracts [begin, end) with their code and storage. Does not finalise.
Status add_contracts(state::StateDB& st, uint64_t begin, uint64_t end, uint64_t slots);

// The contracts a state of `accounts` accounts gets: one per 100, at least one.
inline uint64_t contracts_for(uint64_t accounts) { return accounts / 100 > 0 ? accounts / 100 : 1; }

}  // namespace klay::kbench::gen
