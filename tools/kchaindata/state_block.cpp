#include "tools/kchaindata/state_block.h"

#include "engine/rawdb/accessors_chain.h"
#include "engine/rawdb/schema.h"

namespace klay::kchaindata {

Result<StateBlock> find_state_block(const chaindata::DBManager& dbm, std::optional<uint64_t> block) {
  StateBlock b;
  if (block) {
    auto h = rawdb::read_canonical_hash(dbm, *block);
    if (!h) return Status::invalid_argument("block " + std::to_string(*block) + " is not in the canonical chain");
    b.hash = *h;
    b.number = *block;
  } else {
    Bytes marker;
    Status s = dbm.db(chaindata::EntryType::kHeader).get(as_view(rawdb::kStateBlockKey), &marker);
    if (s && marker.size() == 32) {
      b.hash = Hash::from(marker);
    } else {
      auto head = rawdb::read_head(dbm, rawdb::Head::kBlock);
      if (!head) return Status::invalid_argument("the datadir has no head block (LastBlock): " + head.status().message());
      b.hash = *head;
    }
    auto n = rawdb::read_header_number(dbm, b.hash);
    if (!n) return n.status();
    b.number = *n;
  }
  auto header = rawdb::read_header(dbm, b.number, b.hash);
  if (!header) return header.status();
  b.root = header->root;
  return b;
}

}  // namespace klay::kchaindata
