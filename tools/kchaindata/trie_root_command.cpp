// kchaindata trie root --input FILE [--case NAME] [--secure] [--check] [--json]
#include <cxxopts.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "engine/trie/secure_trie.h"
#include "engine/trie/trie.h"
#include "tools/kchaindata/commands.h"
#include "tools/kchaindata/trie_vectors.h"

namespace klay::kchaindata {

namespace {

struct TrieRootOptions {
  std::string input;
  std::string case_name;
  bool secure = false;
  bool check = false;
  bool json = false;
};

Result<Hash> apply_case(const TrieCase& c, bool secure) {
  trie::SecureTrie secure_trie;
  trie::Trie plain_trie;
  for (const auto& op : c.ops) {
    Status s = secure ? (op.value ? secure_trie.put(op.key, *op.value) : secure_trie.erase(op.key))
                      : (op.value ? plain_trie.put(op.key, *op.value) : plain_trie.erase(op.key));
    if (!s) return s;
  }
  return secure ? secure_trie.root_hash() : plain_trie.root_hash();
}

int run_trie_root(const std::vector<std::string>& args, cli::Context& ctx) {
  cxxopts::Options parser("kchaindata trie root",
                          "Computes the Merkle Patricia root of a trie test-vector case "
                          "(format: ../shared/vectors/README.md) and prints it as 0x hex.");
  TrieRootOptions o;
  parser.add_options()
      ("input", "vector file: one case object, or several named cases", cxxopts::value(o.input))
      ("case", "name of the case to use when the file holds several", cxxopts::value(o.case_name))
      ("secure", "hash every key with Keccak-256 before insertion (secure trie)", cxxopts::value(o.secure))
      ("check", "exit 1 when the case's expected root differs from the computed one", cxxopts::value(o.check))
      ("json", "print a JSON object instead of the bare root", cxxopts::value(o.json))
      ("h,help", "show this help");
  std::vector<std::string> storage;
  auto argv = cli::make_argv("kchaindata trie root", args, storage);
  const auto parsed = parser.parse(static_cast<int>(argv.size() - 1), argv.data());
  if (parsed.count("help")) {
    std::fprintf(ctx.out, "%s\n", parser.help().c_str());
    return cli::kExitOk;
  }
  if (!parsed.unmatched().empty()) throw cli::UsageError("unexpected argument '" + parsed.unmatched()[0] + "'");
  if (o.input.empty()) throw cli::UsageError("--input FILE is required");

  std::ifstream in(o.input, std::ios::binary);
  if (!in) {
    std::fprintf(ctx.err, "kchaindata trie root: cannot read '%s'.\n", o.input.c_str());
    return cli::kExitFailure;
  }
  std::stringstream text;
  text << in.rdbuf();
  auto c = parse_trie_case(text.str(), o.case_name);
  if (!c) {
    std::fprintf(ctx.err, "kchaindata trie root: %s: %s.\n", o.input.c_str(), c.status().message().c_str());
    return cli::kExitFailure;
  }
  auto root = apply_case(*c, o.secure);
  if (!root) {
    std::fprintf(ctx.err, "kchaindata trie root: %s.\n", root.status().message().c_str());
    return cli::kExitFailure;
  }
  const bool matches = !c->expected_root || equal(*c->expected_root, root->view());
  if (o.json) {
    nlohmann::json j{{"case", c->name}, {"root", root->hex()}, {"secure", o.secure}};
    if (c->expected_root) {
      j["expected"] = "0x" + to_hex(*c->expected_root);
      j["matches"] = matches;
    }
    std::fprintf(ctx.out, "%s\n", j.dump().c_str());
  } else {
    std::fprintf(ctx.out, "%s\n", root->hex().c_str());
  }
  if (o.check && !matches) {
    std::fprintf(ctx.err, "kchaindata trie root: case '%s' expects 0x%s but the root is %s.\n",
                 c->name.c_str(), to_hex(*c->expected_root).c_str(), root->hex().c_str());
    return cli::kExitProblemsFound;
  }
  return cli::kExitOk;
}

}  // namespace

cli::Command trie_root_command() {
  return {"trie root", "compute the root of a trie test-vector case (--input FILE [--case NAME] [--secure])",
          run_trie_root};
}

}  // namespace klay::kchaindata
