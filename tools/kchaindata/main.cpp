#include "tools/kchaindata/commands.h"

int main(int argc, char** argv) {
  klay::cli::Context ctx;
  return klay::kchaindata::run(std::vector<std::string>(argv + 1, argv + argc), ctx);
}
