// kchaindata trie proof --datadir D --address 0x.. [--block N] [--slot 0x..] [--json]
// Prints the Merkle proof of an account (and of one storage slot) at a
// block's state root, and verifies it with engine/trie's verifier.
#include <cxxopts.hpp>
#include <nlohmann/json.hpp>

#include "engine/core/keccak.h"
#include "engine/klaytn/account.h"
#include "engine/rawdb/trie_store.h"
#include "engine/state/state_options.h"
#include "engine/state/state_reader.h"
#include "engine/trie/proof.h"
#include "tools/kchaindata/commands.h"
#include "tools/kchaindata/datadir_flags.h"
#include "tools/kchaindata/state_block.h"

namespace klay::kchaindata {

namespace {

nlohmann::json hex_list(const std::vector<Bytes>& nodes) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& n : nodes) a.push_back("0x" + to_hex(n));
  return a;
}

int run_trie_proof(const std::vector<std::string>& args, cli::Context& ctx) {
  cxxopts::Options parser("kchaindata trie proof",
                          "Prints and verifies the Merkle proof of an account, and optionally of one of its storage "
                          "slots, at a block's state root (default: the newest state on disk). Exit 1 when a proof "
                          "does not verify. Read-only.");
  DatadirFlags flags;
  std::string address_hex, slot_hex;
  uint64_t block = 0;
  bool json = false;
  add_datadir_options(parser, flags);
  parser.add_options()
      ("address", "account address (0x + 40 hex)", cxxopts::value(address_hex))
      ("slot", "storage slot (0x + up to 64 hex)", cxxopts::value(slot_hex))
      ("block", "block number (default: newest state on disk)", cxxopts::value(block))
      ("json", "print one JSON object", cxxopts::value(json))
      ("h,help", "show this help");
  std::vector<std::string> storage;
  auto argv = cli::make_argv("kchaindata trie proof", args, storage);
  const auto parsed = parser.parse(static_cast<int>(argv.size() - 1), argv.data());
  if (handle_help(parser, parsed, ctx)) return cli::kExitOk;
  finish_datadir_flags(parsed, flags);
  if (address_hex.empty()) throw cli::UsageError("--address 0x.. is required");
  const Bytes addr_bytes = parse_hex_arg(address_hex, "--address");
  if (addr_bytes.size() != 20) throw cli::UsageError("--address must be 20 bytes");
  const Address address = Address::from(addr_bytes);
  std::optional<Hash> slot;
  if (!slot_hex.empty()) {
    std::string digits = slot_hex.starts_with("0x") || slot_hex.starts_with("0X") ? slot_hex.substr(2) : slot_hex;
    if (digits.size() % 2 != 0) digits.insert(digits.begin(), '0');  // a number like 0x0 or 0x1f3
    Bytes b = parse_hex_arg(digits, "--slot");
    if (b.size() > 32) throw cli::UsageError("--slot must be at most 32 bytes");
    Bytes padded(32 - b.size(), 0);
    append(padded, b);
    slot = Hash::from(padded);
  }
  std::optional<uint64_t> at;
  if (parsed.count("block")) at = block;

  auto dbm = open_datadir(flags, false);
  if (!dbm) return report_failure(ctx, "trie proof", dbm.status());
  auto sb = find_state_block(**dbm, at);
  if (!sb) return report_failure(ctx, "trie proof", sb.status());
  rawdb::StateStoreReader reader((*dbm)->state_trie());
  auto sr = state::StateReader::open(&reader, &reader, sb->root.view());
  if (!sr) return report_failure(ctx, "trie proof", sr.status());
  auto proof = sr->account_proof(address);
  if (!proof) return report_failure(ctx, "trie proof", proof.status());
  const Hash account_key = keccak256(address.view());
  auto verified = trie::verify_proof(sb->root, account_key.view(), *proof);
  nlohmann::json j = {{"block", sb->number}, {"state_root", sb->root.hex()}, {"address", address.hex()},
                      {"account_proof", hex_list(*proof)}, {"account_proof_valid", verified.has_value()}};
  bool ok = verified.has_value();
  std::optional<Account> account;
  if (verified && *verified) {
    auto a = decode_account(**verified);
    if (a) account = *a;
    j["account"] = "0x" + to_hex(**verified);
  } else {
    j["account"] = nullptr;
  }
  if (!verified) j["account_proof_error"] = verified.status().message();
  if (slot) {
    auto sp = sr->storage_proof(address, *slot);
    if (!sp) return report_failure(ctx, "trie proof", sp.status());
    j["slot"] = slot->hex();
    j["storage_proof"] = hex_list(*sp);
    if (account && account->type != AccountType::kEOA) {
      const Hash storage_root = account->storage_root.hash();
      auto sv = trie::verify_proof(storage_root, keccak256(slot->view()).view(), *sp);
      j["storage_root"] = storage_root.hex();
      j["storage_proof_valid"] = sv.has_value();
      ok = ok && sv.has_value();
      if (sv && *sv) {
        auto v = state::decode_storage_value(**sv);
        j["value"] = v ? v->hex() : "0x" + to_hex(**sv);
      } else {
        j["value"] = Hash().hex();
      }
      if (!sv) j["storage_proof_error"] = sv.status().message();
    } else {
      j["storage_proof_valid"] = sp->empty();
      j["value"] = Hash().hex();
    }
  }
  if (json) {
    std::fprintf(ctx.out, "%s\n", j.dump().c_str());
  } else {
    std::fprintf(ctx.out, "block %llu, state root %s\naccount %s\n", static_cast<unsigned long long>(sb->number),
                 sb->root.hex().c_str(), address.hex().c_str());
    for (const auto& n : j["account_proof"]) std::fprintf(ctx.out, "  node %s\n", n.get<std::string>().c_str());
    std::fprintf(ctx.out, "account proof: %s; account %s\n", j["account_proof_valid"].get<bool>() ? "valid" : "INVALID",
                 j["account"].is_null() ? "absent" : j["account"].get<std::string>().c_str());
    if (slot) {
      std::fprintf(ctx.out, "slot %s\n", slot->hex().c_str());
      for (const auto& n : j["storage_proof"]) std::fprintf(ctx.out, "  node %s\n", n.get<std::string>().c_str());
      std::fprintf(ctx.out, "storage proof: %s; value %s\n", j["storage_proof_valid"].get<bool>() ? "valid" : "INVALID",
                   j["value"].get<std::string>().c_str());
    }
  }
  return ok ? cli::kExitOk : cli::kExitProblemsFound;
}

}  // namespace

cli::Command trie_proof_command() {
  return {"trie proof", "print and verify an account/slot proof (--datadir D --address 0x.. [--slot 0x..] [--block N])",
          run_trie_proof};
}

}  // namespace klay::kchaindata
