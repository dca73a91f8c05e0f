#include "engine/klaytn/genesis.h"

#include <cctype>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "engine/core/keccak.h"
#include "engine/core/rlp.h"
#include "engine/klaytn/derive_sha.h"
#include "engine/klaytn/istanbul_extra.h"
#include "engine/klaytn/json_util.h"
#include "engine/trie/secure_trie.h"

namespace klay {

using nlohmann::json;

namespace {

constexpr uint64_t kGenesisBlockScore = 131072;
constexpr uint64_t kDefaultLowerBoundBaseFee = 25000000000ULL;
constexpr size_t kRandomRevealSize = 96;
constexpr size_t kMixHashSize = 32;

Status prefixed(const std::string& where, const Status& s) {
  return Status::invalid_argument("genesis: " + where + ": " + s.message());
}

Result<GenesisAccount> parse_alloc_entry(const json& v, const std::string& where) {
  if (!v.is_object()) return Status::invalid_argument("genesis: " + where + ": expected an object");
  GenesisAccount a;
  if (const json* code = json_field(v, "code")) {
    auto b = json_hex_bytes(*code, "code");
    if (!b) return prefixed(where, b.status());
    a.code = std::move(*b);
  }
  const json* balance = json_field(v, "balance");
  if (!balance) return Status::invalid_argument("genesis: " + where + ": missing required field 'balance'");
  auto bal = json_uint256(*balance, "balance");
  if (!bal) return prefixed(where, bal.status());
  a.balance = *bal;
  if (const json* nonce = json_field(v, "nonce")) {
    auto n = json_uint64(*nonce, "nonce");
    if (!n) return prefixed(where, n.status());
    a.nonce = *n;
  }
  if (const json* storage = json_field(v, "storage")) {
    if (!storage->is_object()) return Status::invalid_argument("genesis: " + where + ": storage must be an object");
    for (auto it = storage->begin(); it != storage->end(); ++it) {
      auto key = json_word(it.key(), "storage key");
      if (!key) return prefixed(where, key.status());
      if (!it.value().is_string())
        return Status::invalid_argument("genesis: " + where + ": storage values must be hex strings");
      auto val = json_word(it.value().get_ref<const std::string&>(), "storage value");
      if (!val) return prefixed(where, val.status());
      a.storage[*key] = *val;
    }
  }
  return a;
}

Status validate_config(const Genesis& g) {
  const ChainConfig& c = g.config;
  if (!c.chain_id) return Status::invalid_argument("genesis: config.chainId is not specified");
  if (c.clique && c.istanbul)
    return Status::invalid_argument("genesis: only one consensus engine (istanbul or clique) can be configured");
  if (c.istanbul && c.governance) {
    std::string mode = c.governance->governance_mode;
    for (auto& ch : mode) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (mode == "single") {
      auto ist = decode_istanbul_extra(g.extra_data);
      if (!ist) return Status::invalid_argument("genesis: extraData: " + ist.status().message());
      bool found = false;
      for (const auto& v : ist->validators) found = found || v == c.governance->governing_node;
      if (!found) return Status::invalid_argument("genesis: governingNode is not in the validator list");
    }
  }
  return Status::ok();
}

}  // namespace

Result<Genesis> parse_genesis(std::string_view text) {
  auto doc = parse_json(text);
  if (!doc) return Status::invalid_argument("genesis: " + doc.status().message());
  if (!doc->is_object()) return Status::invalid_argument("genesis: the document must be a JSON object");
  Genesis g;
  const json* config = json_field(*doc, "config");
  if (!config) return Status::invalid_argument("genesis: missing \"config\"");
  auto cfg = parse_chain_config(*config);
  if (!cfg) return Status::invalid_argument("genesis: " + cfg.status().message());
  g.config = std::move(*cfg);
  set_genesis_defaults(g.config);

  if (const json* v = json_field(*doc, "timestamp")) {
    auto r = json_uint64(*v, "timestamp");
    if (!r) return prefixed("timestamp", r.status());
    g.timestamp = *r;
  }
  if (const json* v = json_field(*doc, "extraData")) {
    auto r = json_hex_bytes(*v, "extraData");
    if (!r) return prefixed("extraData", r.status());
    g.extra_data = std::move(*r);
  }
  if (const json* v = json_field(*doc, "blockScore")) {
    auto r = json_uint256(*v, "blockScore");
    if (!r) return prefixed("blockScore", r.status());
    g.block_score = *r;
  }
  if (const json* v = json_field(*doc, "number")) {
    auto r = json_uint64(*v, "number");
    if (!r) return prefixed("number", r.status());
    g.number = *r;
  }
  if (const json* v = json_field(*doc, "gasUsed")) {
    auto r = json_uint64(*v, "gasUsed");
    if (!r) return prefixed("gasUsed", r.status());
    g.gas_used = *r;
  }
  if (const json* v = json_field(*doc, "parentHash")) {
    auto r = json_hex_bytes(*v, "parentHash");
    if (!r) return prefixed("parentHash", r.status());
    if (r->size() != 32) return Status::invalid_argument("genesis: parentHash must be 32 bytes");
    g.parent_hash = Hash::from(*r);
  }
  const json* alloc = json_field(*doc, "alloc");
  if (!alloc) return Status::invalid_argument("genesis: missing required field 'alloc'");
  if (!alloc->is_object()) return Status::invalid_argument("genesis: alloc must be an object");
  for (auto it = alloc->begin(); it != alloc->end(); ++it) {
    const std::string where = "alloc[" + it.key() + "]";
    auto addr = json_address(json(it.key()), where);
    if (!addr) return Status::invalid_argument("genesis: " + addr.status().message());
    auto entry = parse_alloc_entry(it.value(), where);
    if (!entry) return entry.status();
    g.alloc[*addr] = std::move(*entry);
  }
  if (auto s = validate_config(g); !s) return s;
  return g;
}

Result<Genesis> load_genesis_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::io_error("cannot open genesis file " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::io_error("cannot read genesis file " + path);
  return parse_genesis(ss.str());
}

Hash genesis_storage_root(const std::map<Hash, Hash>& storage) {
  trie::SecureTrie t;
  for (const auto& [slot, value] : storage) {
    if (value.is_zero()) continue;
    size_t i = 0;
    while (i < 32 && value.bytes[i] == 0) ++i;
    Bytes enc;
    rlp::encode_string(enc, ByteView(value.bytes.data() + i, 32 - i));
    // A put on a fresh in-memory trie cannot fail.
    (void)t.put(slot.view(), enc);
  }
  return t.root_hash();
}

Account genesis_account(const GenesisAccount& entry, const Hash& storage_root) {
  if (entry.code.empty() && entry.storage.empty()) return Account::eoa(entry.nonce, entry.balance);
  const Hash code_hash = entry.code.empty() ? empty_code_hash() : keccak256(entry.code);
  Account a = Account::sca(entry.nonce, entry.balance, AccountKey::fail(), code_hash, 0);
  a.storage_root = ExtHash::make(storage_root, 0);
  return a;
}

Result<GenesisBlock> build_genesis_block(const Genesis& g) {
  if (auto s = validate_config(g); !s) return s;
  GenesisBlock block;
  trie::SecureTrie state;
  for (const auto& [addr, entry] : g.alloc) {
    GenesisStateAccount acc{addr, genesis_account(entry, genesis_storage_root(entry.storage)), entry.code};
    if (auto s = state.put(addr.view(), encode_account(acc.account, ExtHashMode::kPreserveExtHash)); !s)
      return Status::corruption("genesis: state trie update failed: " + s.message());
    block.accounts.push_back(std::move(acc));
  }

  Header& h = block.header;
  h.parent_hash = g.parent_hash;
  h.root = state.root_hash();
  const DeriveShaImpl impl = derive_sha_impl_from(g.config.derive_sha_impl);
  h.tx_hash = empty_derive_sha(impl);
  h.receipt_hash = empty_derive_sha(impl);
  h.block_score = g.block_score ? *g.block_score : uint256(kGenesisBlockScore);
  h.number = g.number;
  h.gas_used = g.gas_used;
  h.time = g.timestamp;
  h.time_fos = 0;
  h.extra = g.extra_data;
  h.governance = genesis_governance_field(g.config);
  if (g.config.is_magma(0)) {
    const auto& gov = g.config.governance;
    h.base_fee = uint256(gov && gov->kip71 ? gov->kip71->lower_bound_base_fee : kDefaultLowerBoundBaseFee);
  }
  if (g.config.is_randao(0)) {
    h.random_reveal = Bytes(kRandomRevealSize, 0);
    h.mix_hash = Bytes(kMixHashSize, 0);
  }
  block.hash = header_hash(h);
  return block;
}

}  // namespace klay
