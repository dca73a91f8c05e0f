#include "tools/common/option_parsing.h"

#include <cstdio>

namespace klay::cli {

bool handle_help(const cxxopts::Options& parser, const cxxopts::ParseResult& parsed, Context& ctx,
                 const std::vector<std::string>& groups) {
  if (parsed.count("help")) {
    std::fprintf(ctx.out, "%s\n", (groups.empty() ? parser.help() : parser.help(groups)).c_str());
    return true;
  }
  if (!parsed.unmatched().empty()) throw UsageError("unexpected argument '" + parsed.unmatched()[0] + "'");
  return false;
}

std::optional<cxxopts::ParseResult> parse_options(cxxopts::Options& parser, const std::vector<std::string>& args,
                                                  Context& ctx, const std::vector<std::string>& groups) {
  std::vector<std::string> storage;
  auto argv = make_argv(parser.program(), args, storage);
  auto parsed = parser.parse(static_cast<int>(argv.size()) - 1, argv.data());  // make_argv ends with nullptr
  if (handle_help(parser, parsed, ctx, groups)) return std::nullopt;
  return parsed;
}

int print_failure(Context& ctx, std::string_view program, const Status& status) {
  std::string msg = status.message();
  while (!msg.empty() && (msg.back() == '.' || msg.back() == '\n')) msg.pop_back();
  const bool ends_sentence = !msg.empty() && (msg.back() == '?' || msg.back() == '!');
  std::fprintf(ctx.err, "%.*s: %s%s\n", static_cast<int>(program.size()), program.data(), msg.c_str(),
               ends_sentence ? "" : ".");
  return kExitFailure;
}

}  // namespace klay::cli
