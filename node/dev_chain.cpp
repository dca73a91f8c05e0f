#include "node/dev_chain.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>

#include "engine/klaytn/istanbul_extra.h"

namespace klay::node {

namespace fs = std::filesystem;

namespace {

Status write_private_file(const fs::path& path, const std::string& text, mode_t mode) {
  const fs::path tmp = path.string() + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, mode);
  if (fd < 0) return Status::io_error("cannot create " + tmp.string() + ": " + std::strerror(errno));
  ::fchmod(fd, mode);  // the umask may have narrowed or the file may have existed
  const char* p = text.data();
  size_t left = text.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      const std::string why = std::strerror(errno);
      ::close(fd);
      return Status::io_error("cannot write " + tmp.string() + ": " + why);
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) return Status::io_error("cannot write " + tmp.string());
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return Status::io_error("cannot rename " + tmp.string() + " to " + path.string() + ": " + ec.message());
  return Status::ok();
}

}  // namespace

fs::path dev_nodekey_path(const fs::path& datadir) { return datadir / "klay" / "nodekey"; }
fs::path dev_account_key_path(const fs::path& datadir) { return datadir / "dev-account.key"; }
fs::path dev_genesis_path(const fs::path& datadir) { return datadir / "dev-genesis.json"; }

bool has_dev_keys(const fs::path& datadir) {
  std::error_code ec;
  return fs::exists(dev_nodekey_path(datadir), ec) && fs::exists(dev_account_key_path(datadir), ec);
}

Result<PrivateKey> read_key_file(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return Status::io_error("cannot read key file " + path.string());
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  const auto first = text.find_first_not_of(" \t\r\n");
  const auto last = text.find_last_not_of(" \t\r\n");
  text = first == std::string::npos ? "" : text.substr(first, last - first + 1);
  Bytes raw;
  if (!from_hex(text, raw) || raw.size() != PrivateKey::kSize)
    return Status::invalid_argument("key file " + path.string() + " does not hold a 32-byte hex private key");
  auto key = PrivateKey::from_bytes(raw);
  if (!key) return Status::invalid_argument("key file " + path.string() + ": " + key.status().message());
  return *key;
}

Status write_key_file(const fs::path& path, const PrivateKey& key) {
  return write_private_file(path, to_hex(key.bytes()) + "\n", 0600);
}

Result<DevKeys> load_dev_keys(const fs::path& datadir) {
  auto validator = read_key_file(dev_nodekey_path(datadir));
  if (!validator) return validator.status();
  auto account = read_key_file(dev_account_key_path(datadir));
  if (!account) return account.status();
  return DevKeys{*validator, *account};
}

std::string dev_genesis_json(const Address& validator, const Address& account, uint64_t timestamp) {
  IstanbulExtra ist;
  ist.validators = {validator};
  const Bytes extra = make_header_extra(Bytes(kIstanbulExtraVanity, 0), ist);
  std::ostringstream o;
  o << "{\n"
    << "  \"config\": {\n"
    << "    \"chainId\": " << kDevChainId << ",\n"
    << "    \"istanbulCompatibleBlock\": 0,\n"
    << "    \"londonCompatibleBlock\": 0,\n"
    << "    \"ethTxTypeCompatibleBlock\": 0,\n"
    << "    \"magmaCompatibleBlock\": 0,\n"
    << "    \"deriveShaImpl\": 2,\n"
    << "    \"unitPrice\": 25000000000,\n"
    << "    \"istanbul\": {\"epoch\": 604800, \"policy\": 0, \"sub\": 1},\n"
    << "    \"governance\": {\n"
    << "      \"governingNode\": \"" << validator.hex() << "\",\n"
    << "      \"governanceMode\": \"none\",\n"
    << "      \"reward\": {\"mintingAmount\": 9600000000000000000, \"ratio\": \"100/0/0\", \"useGiniCoeff\": false,\n"
    << "                 \"deferredTxFee\": false, \"stakingUpdateInterval\": 86400,\n"
    << "                 \"proposerUpdateInterval\": 3600, \"minimumStake\": 5000000},\n"
    << "      \"kip71\": {\"lowerboundbasefee\": 25000000000, \"upperboundbasefee\": 750000000000,\n"
    << "                \"gastarget\": 30000000, \"maxblockgasusedforbasefee\": 60000000, \"basefeedenominator\": 20}\n"
    << "    }\n"
    << "  },\n"
    << "  \"timestamp\": \"0x" << std::hex << timestamp << std::dec << "\",\n"
    << "  \"extraData\": \"0x" << to_hex(extra) << "\",\n"
    << "  \"blockScore\": \"0x1\",\n"
    << "  \"alloc\": {\n"
    << "    \"" << account.hex() << "\": {\"balance\": \"0x33b2e3c9fd0803ce8000000\"}\n"
    << "  }\n"
    << "}\n";
  return o.str();
}

Result<DevKeys> create_dev_files(const fs::path& datadir) {
  std::error_code ec;
  if (fs::exists(dev_nodekey_path(datadir), ec) || fs::exists(dev_account_key_path(datadir), ec))
    return Status::invalid_argument("datadir " + datadir.string() + " already holds dev keys");
  fs::create_directories(datadir / "klay", ec);
  if (ec) return Status::io_error("cannot create " + (datadir / "klay").string() + ": " + ec.message());
  auto validator = PrivateKey::generate();
  if (!validator) return validator.status();
  auto account = PrivateKey::generate();
  if (!account) return account.status();
  const uint64_t now = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  const std::string genesis = dev_genesis_json(validator->address(), account->address(), now);
  if (Status s = write_private_file(dev_genesis_path(datadir), genesis, 0644); !s) return s;
  if (Status s = write_key_file(dev_nodekey_path(datadir), *validator); !s) return s;
  if (Status s = write_key_file(dev_account_key_path(datadir), *account); !s) return s;
  return DevKeys{*validator, *account};
}

}  // namespace klay::node
