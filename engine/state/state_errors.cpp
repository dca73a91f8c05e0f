#include "engine/state/state_errors.h"

#include "engine/trie/node_store.h"

namespace klay::state {

namespace {
constexpr std::string_view kPrefix = "state not available at root 0x";
}

Status state_unavailable(ByteView root_key, const Status& cause) {
  return Status::not_found(std::string(kPrefix) + to_hex(root_key) + ": " + cause.message() +
                           " (pruned or missing)");
}

bool is_state_unavailable(const Status& s) { return s.is_not_found() && s.message().starts_with(kPrefix); }

Status state_error(ByteView root_key, const Status& s) {
  if (s.is_ok() || is_state_unavailable(s)) return s;
  if (trie::is_missing_node(s)) return state_unavailable(root_key, s);
  return s;
}

Status missing_code(const Hash& code_hash) { return Status::not_found("missing code " + code_hash.hex()); }

}  // namespace klay::state
