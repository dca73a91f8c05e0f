#include "tools/kchaindata/datadir_flags.h"

namespace klay::kchaindata {

Result<chaindata::Config> resolve_config(const DatadirFlags& flags) {
  chaindata::Config base;
  base.cache_mib = 16 * 9;
  base.max_open_files = 512;
  return cli::resolve_datadir_config(flags, base);
}

Result<std::unique_ptr<chaindata::DBManager>> open_datadir(const DatadirFlags& flags, bool writable) {
  auto config = resolve_config(flags);
  if (!config) return config.status();
  config->read_only = !writable;
  return cli::open_stopped_datadir(flags, *config, "kchaindata");
}

int report_failure(cli::Context& ctx, std::string_view command, const Status& status) {
  return cli::print_failure(ctx, "kchaindata " + std::string(command), status);
}

Bytes parse_hex_arg(const std::string& text, std::string_view what) {
  std::string_view t = text;
  if (t.starts_with("0x") || t.starts_with("0X")) t.remove_prefix(2);
  Bytes out;
  if (t.size() % 2 != 0 || !from_hex(t, out)) {
    throw cli::UsageError(std::string(what) + " '" + text + "' is not valid hex");
  }
  return out;
}

}  // namespace klay::kchaindata
