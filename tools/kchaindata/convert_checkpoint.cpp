#include "tools/kchaindata/convert_checkpoint.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace klay::kchaindata {

namespace fs = std::filesystem;

namespace {

Status fsync_path(const fs::path& p, bool directory) {
  const int fd = ::open(p.c_str(), directory ? (O_RDONLY | O_DIRECTORY) : O_RDONLY);
  if (fd < 0) return Status::io_error("cannot open " + p.string() + ": " + std::strerror(errno));
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return Status::io_error("cannot fsync " + p.string() + ": " + std::strerror(err));
  return Status::ok();
}

}  // namespace

Status write_file_durably(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      return errno == ENOSPC ? Status::no_space("the disk holding " + path.parent_path().string() + " is full")
                             : Status::io_error("cannot write " + tmp.string());
    }
  }
  if (Status s = fsync_path(tmp, false); !s) return s;
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return Status::io_error("cannot rename " + tmp.string() + ": " + ec.message());
  return fsync_path(path.parent_path(), true);
}

Result<std::unique_ptr<PassCheckpoint>> PassCheckpoint::load(const fs::path& dir, std::string name, size_t parts) {
  std::unique_ptr<PassCheckpoint> cp(new PassCheckpoint(dir / (name + ".json"), parts));
  std::error_code ec;
  if (!fs::exists(cp->file_, ec)) return cp;
  std::ifstream in(cp->file_, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const auto bad = Status::corruption("the convert checkpoint " + cp->file_.string() +
                                      " is damaged; remove the .converting directory to start over");
  try {
    const auto j = nlohmann::json::parse(ss.str());
    const auto& jp = j.at("parts");
    if (!jp.is_array() || jp.size() != parts) return bad;
    for (size_t i = 0; i < parts; ++i) {
      PartProgress p;
      p.done = jp[i].at("done").get<bool>();
      if (jp[i].contains("last_key")) {
        Bytes k;
        if (!from_hex(jp[i]["last_key"].get<std::string>(), k)) return bad;
        p.last_key = std::move(k);
      }
      cp->parts_[i] = std::move(p);
    }
  } catch (const nlohmann::json::exception&) {
    return bad;
  }
  return cp;
}

PartProgress PassCheckpoint::part(size_t i) const {
  std::lock_guard lk(mu_);
  return parts_.at(i);
}

Status PassCheckpoint::update(size_t i, const PartProgress& p) {
  std::lock_guard lk(mu_);
  parts_.at(i) = p;
  return save_locked();
}

Status PassCheckpoint::save_locked() {
  nlohmann::json parts = nlohmann::json::array();
  for (const auto& p : parts_) {
    nlohmann::json jp = {{"done", p.done}};
    if (p.last_key) jp["last_key"] = to_hex(*p.last_key);
    parts.push_back(jp);
  }
  return write_file_durably(file_, nlohmann::json{{"parts", parts}}.dump() + "\n");
}

}  // namespace klay::kchaindata
