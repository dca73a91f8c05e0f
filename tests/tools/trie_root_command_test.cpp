#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/tools/cli_capture.h"
#include "tools/kchaindata/commands.h"

namespace klay::kchaindata {
namespace {

namespace fs = std::filesystem;
using klay::testing::run_binary;
using klay::testing::run_in_process;

nlohmann::json load(const std::string& name) {
  std::ifstream in(std::string(KLAY_VECTORS_DIR) + "/" + name);
  return nlohmann::json::parse(in);
}

std::string normalise_root(std::string r) { return r.rfind("0x", 0) == 0 ? r : "0x" + r; }

// Every case of every trie vector file, through the command, must print the expected root.
TEST(TrieRootCommand, EveryVectorCase) {
  const std::pair<const char*, bool> files[] = {
      {"trietest.json", false},
      {"trieanyorder.json", false},
      {"trietest_secureTrie.json", true},
      {"trieanyorder_secureTrie.json", true},
      {"hex_encoded_securetrie_test.json", true},
  };
  int cases = 0;
  for (const auto& [file, secure] : files) {
    const auto doc = load(file);
    for (const auto& [name, c] : doc.items()) {
      std::vector<std::string> argv = {"trie", "root", "--input", std::string(KLAY_VECTORS_DIR) + "/" + file,
                                       "--case", name, "--check"};
      if (secure) argv.push_back("--secure");
      const auto r = run_in_process(run, argv);
      EXPECT_EQ(r.code, 0) << file << " " << name << ": " << r.err;
      EXPECT_EQ(r.out, normalise_root(c["root"].get<std::string>()) + "\n") << file << " " << name;
      ++cases;
    }
  }
  EXPECT_GE(cases, 20);
}

TEST(TrieRootCommand, SingleCaseObjectAndJsonOutput) {
  const fs::path f = fs::temp_directory_path() / "kchaindata_single_case.json";
  {
    std::ofstream out(f);
    out << R"({"in": [["do", "verb"], ["dog", "puppy"], ["doge", "coin"], ["horse", "stallion"]],
              "root": "0x5991bb8c6514148a29db676a14ac506cd2cd5775ace63c30a4fe457715e9ac84"})";
  }
  const auto r = run_in_process(run, {"trie", "root", "--input", f.string(), "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["root"], "0x5991bb8c6514148a29db676a14ac506cd2cd5775ace63c30a4fe457715e9ac84");
  EXPECT_EQ(j["matches"], true);
  fs::remove(f);
}

TEST(TrieRootCommand, CheckFailsOnWrongExpectedRoot) {
  const fs::path f = fs::temp_directory_path() / "kchaindata_wrong_root.json";
  {
    std::ofstream out(f);
    out << R"({"in": {"a": "b"}, "root": "0x0000000000000000000000000000000000000000000000000000000000000000"})";
  }
  const auto r = run_in_process(run, {"trie", "root", "--input", f.string(), "--check"});
  EXPECT_EQ(r.code, cli::kExitProblemsFound);
  EXPECT_NE(r.err.find("expects"), std::string::npos) << r.err;
  fs::remove(f);
}

TEST(TrieRootCommand, ClearErrorsOnBadInput) {
  const fs::path dir = fs::temp_directory_path() / "kchaindata_bad_inputs";
  fs::create_directories(dir);
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
    return (dir / name).string();
  };
  const std::pair<std::string, std::string> bad[] = {
      {write("notjson.json", "{not json"), "not valid JSON"},
      {write("badhex.json", R"({"in": [["0xzz", "v"]]})"), "not valid hex"},
      {write("badpair.json", R"({"in": [["k"]]})"), "pair"},
      {write("many.json", R"({"a": {"in": {}}, "b": {"in": {}}})"), "--case"},
      {(dir / "missing.json").string(), "cannot read"},
  };
  for (const auto& [path, phrase] : bad) {
    const auto r = run_in_process(run, {"trie", "root", "--input", path});
    EXPECT_EQ(r.code, cli::kExitFailure) << path;
    EXPECT_NE(r.err.find(phrase), std::string::npos) << path << ": " << r.err;
  }
  EXPECT_EQ(run_in_process(run, {"trie", "root"}).code, cli::kExitUsage);
  EXPECT_EQ(run_in_process(run, {"trie", "root", "--bogus"}).code, cli::kExitUsage);
  EXPECT_EQ(run_in_process(run, {"no-such-command"}).code, cli::kExitUsage);
  fs::remove_all(dir);
}

// The real binary, as an operator runs it.
TEST(TrieRootCommand, RealBinary) {
  const std::string bin = std::string(KLAY_BIN_DIR) + "/kchaindata";
  const auto ok = run_binary(bin + " trie root --input " + KLAY_VECTORS_DIR +
                             "/trieanyorder.json --case dogs --check");
  EXPECT_EQ(ok.code, 0) << ok.out;
  EXPECT_EQ(ok.out.rfind("0x", 0), 0u) << ok.out;
  const auto help = run_binary(bin + " --help");
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("trie root"), std::string::npos);
  const auto bad = run_binary(bin + " trie root --input /nonexistent/file.json");
  EXPECT_EQ(bad.code, cli::kExitFailure);
  EXPECT_NE(bad.out.find("cannot read"), std::string::npos) << bad.out;
}

}  // namespace
}  // namespace klay::kchaindata
