#include "node/api/admin_migration_methods.h"

#include "node/rpc/params.h"

namespace klay::api {

using nlohmann::json;
using rpc::MethodResult;
using rpc::ParamList;
using rpc::RpcError;

json migration_status_json(const migration::MigrationStatus& st) {
  return json{{"isMigration", st.is_migration},
              {"migrationBlockNumber", st.block_num},
              {"read", st.read},
              {"committed", st.committed},
              {"pending", st.pending},
              {"progress", st.progress},
              {"err", st.err.empty() ? json(nullptr) : json(st.err)},
              {"skipped", st.skipped},
              {"runs", st.runs},
              {"phase", st.phase}};
}

Status register_migration_methods(rpc::MethodRegistry& m, StateMigrationControl& control) {
  StateMigrationControl* c = &control;
  Status s = m.register_method(
      "admin_startStateMigration",
      [c](const json& params) -> MethodResult {
        (void)ParamList::from(params, 0, 0).value_or_throw();
        if (Status st = c->start_state_migration(); !st) return RpcError::server(st.message());
        return json(nullptr);
      },
      rpc::kMethodAdmin);
  if (!s) return s;
  s = m.register_method(
      "admin_stopStateMigration",
      [c](const json& params) -> MethodResult {
        (void)ParamList::from(params, 0, 0).value_or_throw();
        if (Status st = c->stop_state_migration(); !st) return RpcError::server(st.message());
        return json(nullptr);
      },
      rpc::kMethodAdmin);
  if (!s) return s;
  return m.register_method(
      "admin_stateMigrationStatus",
      [c](const json& params) -> MethodResult {
        (void)ParamList::from(params, 0, 0).value_or_throw();
        return migration_status_json(c->state_migration_status());
      },
      rpc::kMethodAdmin);
}

}  // namespace klay::api
