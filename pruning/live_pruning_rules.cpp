#include "pruning/live_pruning_rules.h"

#include <string>

#include "engine/rawdb/accessors_chain.h"
#include "engine/rawdb/accessors_meta.h"

namespace klay::pruning {

Result<uint64_t> read_head_block_number(const chaindata::DBManager& dbm) {
  auto head = rawdb::read_head(dbm, rawdb::Head::kBlock);
  if (!head) {
    if (head.status().is_not_found()) return uint64_t{0};
    return head.status();
  }
  auto num = rawdb::read_header_number(dbm, *head);
  if (!num) return num.status();
  return *num;
}

Result<bool> resolve_live_pruning(const chaindata::DBManager& dbm, bool flag_requested) {
  auto enabled = rawdb::read_pruning_enabled(dbm);
  if (!enabled) return enabled.status();
  if (*enabled) return true;
  if (!flag_requested) return false;
  auto head = read_head_block_number(dbm);
  if (!head) return head.status();
  if (*head == 0) {
    return Status::invalid_argument(
        "--state.live-pruning must be chosen when the datadir is initialised: its genesis state was written "
        "without ExtHash keys (re-run init with --state.live-pruning on an empty datadir, or convert it with "
        "`kchaindata migrate --to-live-pruning`)");
  }
  return Status::invalid_argument("--state.live-pruning cannot be turned on for a datadir whose chain already "
                                  "advanced to block " +
                                  std::to_string(*head) +
                                  " (it can only be enabled at init; convert the datadir with "
                                  "`kchaindata migrate --to-live-pruning`)");
}

}  // namespace klay::pruning
