#include <string>
#include <vector>

#include "node/commands.h"

int main(int argc, char** argv) {
  klay::cli::Context ctx;
  return klay::node::run(std::vector<std::string>(argv + 1, argv + argc), ctx);
}
