// net_, web3_, admin_ and debug_ methods.
#include <nlohmann/json.hpp>

#include "engine/core/keccak.h"
#include "engine/chaindata/entry_type.h"
#include "node/api/admin_migration_methods.h"
#include "node/api/api.h"
#include "node/api/method_helpers.h"
#include "node/rpc/hex_codec.h"

namespace klay::api {

namespace {

using nlohmann::json;
using rpc::MethodResult;
using rpc::ParamList;
using rpc::RpcError;

// debug_chaindbProperty: "" (or "stats") for every database's summary line,
// or an entry type name ("header", "statetrie", ...) for that database's
// backend details.
MethodResult chaindb_property(chaindata::DBManager& dbm, const json& params) {
  auto args = ParamList::from(params, 0, 1).value_or_throw();
  const std::string prop = args.has(0) ? args.string(0).value_or_throw() : "";
  if (prop.empty() || prop == "stats" || prop == "leveldb.stats") {
    auto report = dbm.stats_report();
    if (!report) return RpcError::server(report.status().message());
    return *report;
  }
  auto type = chaindata::parse_entry_type(prop);
  if (!type) return RpcError::server("unknown property " + prop + ": use \"stats\" or an entry type name");
  kv::Database* db = dbm.find(*type);
  if (!db) return RpcError::server(prop + " has no open database");
  auto st = db->stats();
  if (!st) return RpcError::server(st.status().message());
  return json{{"backend", st->backend},
              {"diskBytes", st->disk_bytes},
              {"details", st->details}};
}

}  // namespace

Status register_node_methods(rpc::MethodRegistry& m, const ApiBackend& b) {
  const chain::BlockChain* chain = b.chain;
  Status s = m.register_method("net_version", [chain](const json& params) -> MethodResult {
    (void)ParamList::from(params, 0, 0).value_or_throw();
    return chain->chain_id().to_string();
  });
  if (!s) return s;
  s = m.register_method("web3_clientVersion", [](const json& params) -> MethodResult {
    (void)ParamList::from(params, 0, 0).value_or_throw();
    return kClientVersion;
  });
  if (!s) return s;
  if (s = m.register_alias("klay_clientVersion", "web3_clientVersion"); !s) return s;
  s = m.register_method("web3_sha3", [](const json& params) -> MethodResult {
    auto args = ParamList::from(params, 1, 1).value_or_throw();
    return rpc::encode_data(keccak256(args.data(0).value_or_throw()));
  });
  if (!s) return s;
  const ApiBackend backend = b;
  s = m.register_method(
      "admin_nodeInfo",
      [backend](const json& params) -> MethodResult {
        (void)ParamList::from(params, 0, 0).value_or_throw();
        const chain::ChainHead head = backend.chain->head();
        return json{{"name", kClientVersion},
                    {"dev", backend.dev},
                    {"protocols",
                     {{"klay",
                       {{"network", backend.chain->chain_id().to_string()},
                        {"genesis", backend.chain->genesis_hash().hex()},
                        {"head", head.hash.hex()},
                        {"headNumber", head.number}}}}}};
      },
      rpc::kMethodAdmin);
  if (!s) return s;
  s = m.register_method(
      "admin_datadir",
      [backend](const json& params) -> MethodResult {
        (void)ParamList::from(params, 0, 0).value_or_throw();
        return backend.datadir.string();
      },
      rpc::kMethodAdmin);
  if (!s) return s;
  chaindata::DBManager* dbm = b.dbm;
  s = m.register_method(
      "debug_chaindbProperty", [dbm](const json& params) { return chaindb_property(*dbm, params); },
      rpc::kMethodDebug);
  if (!s) return s;
  return m.register_method(
      "debug_chaindbCompact",
      [dbm](const json& params) -> MethodResult {
        (void)ParamList::from(params, 0, 0).value_or_throw();
        if (Status st = dbm->compact_all(); !st) return RpcError::server(st.message());
        return nullptr;
      },
      rpc::kMethodDebug);
}

Status register_all(rpc::MethodRegistry& m, const ApiBackend& b) {
  if (Status s = register_chain_methods(m, b); !s) return s;
  if (Status s = register_state_methods(m, b); !s) return s;
  if (Status s = register_txn_methods(m, b); !s) return s;
  if (b.migration != nullptr) {
    if (Status s = register_migration_methods(m, *b.migration); !s) return s;
  }
  return register_node_methods(m, b);
}

}  // namespace klay::api
