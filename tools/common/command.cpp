#include "tools/common/command.h"

#include <cxxopts.hpp>
#include <exception>
#include <sstream>

namespace klay::cli {

namespace {

std::vector<std::string> split_words(const std::string& s) {
  std::vector<std::string> words;
  std::istringstream in(s);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

void print_list(const std::string& program, const std::string& description,
                const std::vector<Command>& commands, FILE* out) {
  std::fprintf(out, "%s: %s\n\nUsage: %s COMMAND [OPTIONS]\n\nCommands:\n", program.c_str(),
               description.c_str(), program.c_str());
  size_t width = 0;
  for (const auto& c : commands) width = std::max(width, c.name.size());
  for (const auto& c : commands)
    std::fprintf(out, "  %-*s  %s\n", static_cast<int>(width), c.name.c_str(), c.summary.c_str());
  std::fprintf(out, "\nRun '%s COMMAND --help' for a command's options.\n", program.c_str());
}

}  // namespace

std::vector<char*> make_argv(const std::string& program, const std::vector<std::string>& args,
                             std::vector<std::string>& storage) {
  storage.clear();
  storage.push_back(program);
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : storage) argv.push_back(s.data());
  argv.push_back(nullptr);
  return argv;
}

int run_commands(const std::string& program, const std::string& description,
                 const std::vector<Command>& commands, const std::vector<std::string>& argv,
                 Context& ctx) {
  if (argv.empty() || argv[0] == "--help" || argv[0] == "-h" || argv[0] == "help") {
    print_list(program, description, commands, ctx.out);
    return argv.empty() ? kExitUsage : kExitOk;
  }
  const Command* best = nullptr;
  size_t best_words = 0;
  for (const auto& c : commands) {
    const auto words = split_words(c.name);
    if (words.size() > argv.size() || words.size() <= best_words) continue;
    if (std::equal(words.begin(), words.end(), argv.begin())) {
      best = &c;
      best_words = words.size();
    }
  }
  if (!best) {
    std::fprintf(ctx.err, "%s: unknown command '%s'; run '%s --help' for the list.\n",
                 program.c_str(), argv[0].c_str(), program.c_str());
    return kExitUsage;
  }
  const std::vector<std::string> rest(argv.begin() + static_cast<long>(best_words), argv.end());
  try {
    return best->run(rest, ctx);
  } catch (const UsageError& e) {
    std::fprintf(ctx.err, "%s %s: %s\n", program.c_str(), best->name.c_str(), e.what());
    return kExitUsage;
  } catch (const cxxopts::exceptions::exception& e) {
    std::fprintf(ctx.err, "%s %s: %s (see --help)\n", program.c_str(), best->name.c_str(), e.what());
    return kExitUsage;
  } catch (const std::bad_alloc&) {
    std::fprintf(ctx.err, "%s %s: out of memory.\n", program.c_str(), best->name.c_str());
    return kExitFailure;
  } catch (const std::exception& e) {
    std::fprintf(ctx.err, "%s %s: %s\n", program.c_str(), best->name.c_str(), e.what());
    return kExitFailure;
  }
}

}  // namespace klay::cli
