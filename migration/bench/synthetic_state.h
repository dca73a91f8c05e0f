// A synthetic state for migration benchmarks: many contracts, half of the
// trie nodes duplicated because groups of contracts share identical storage
// (as token clones do on mainnet), written straight into a state-trie
// database. Deterministic for a given shape.
//
// Threading: generate_synthetic_state uses TBB workers and writes `db`
// concurrently (backends allow concurrent writers); call it alone.
#pragma once

#include <cstdint>
#include <functional>

#include "engine/core/status.h"
#include "engine/kv/database.h"
#include "engine/trie/node_store.h"

namespace klay::migration::bench {

struct SyntheticShape {
  uint64_t unique_contracts = 1000;   // contracts with storage of their own
  uint64_t templates = 20;            // distinct shared storage layouts
  uint64_t sharing_contracts = 1000;  // contracts using one of the templates
  uint32_t slots = 100;               // storage slots per contract
  uint64_t eoas = 1000;
  uint64_t codes = 16;                // distinct contract codes
};

struct SyntheticState {
  trie::NodeKey root;
  uint64_t reachable_nodes = 0;  // node visits of a full walk (shared tries counted per contract)
  uint64_t unique_nodes = 0;     // distinct stored nodes reachable
};

// `progress` (optional) gets the number of storage tries written so far.
Result<SyntheticState> generate_synthetic_state(kv::Database& db, const SyntheticShape& shape,
                                                const std::function<void(uint64_t)>& progress = nullptr);

}  // namespace klay::migration::bench
