#include "node/node_open.h"

namespace klay::node {

Status OpenedChain::close() {
  Status first = Status::ok();
  if (chain) {
    if (Status s = chain->close(); !s && first) first = s;
    chain.reset();
  }
  if (dbm) {
    if (Status s = dbm->close(); !s && first) first = s;
    dbm.reset();
  }
  return first;
}

Result<OpenedChain> open_chain(const std::filesystem::path& datadir, chain::BlockChainOptions options,
                               bool read_only) {
  std::error_code ec;
  if (!std::filesystem::is_directory(datadir, ec))
    return Status::invalid_argument("datadir " + datadir.string() + " does not exist");
  auto settings = rawdb::load_datadir_settings(datadir);
  if (!settings) return settings.status();
  if (!*settings)
    return Status::invalid_argument("datadir " + datadir.string() + " is not initialised: run `knode init --datadir " +
                                    datadir.string() + " --genesis FILE` first");
  OpenedChain out;
  out.settings = **settings;
  chaindata::Config config = out.settings.apply(chaindata::Config{});
  config.read_only = read_only;
  auto dbm = chaindata::DBManager::open(datadir, config);
  if (!dbm) return dbm.status();
  out.dbm = std::move(*dbm);
  auto chain = chain::BlockChain::open(*out.dbm, std::move(options));
  if (!chain) {
    (void)out.dbm->close();
    return chain.status();
  }
  out.chain = std::move(*chain);
  return out;
}

}  // namespace klay::node
