#include "pruning/prune_marker.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

namespace klay::pruning {

namespace {

namespace fs = std::filesystem;
constexpr char kMagic[8] = {'K', 'P', 'R', 'U', 'N', 'E', 'M', '1'};
constexpr uint32_t kVersion = 1;

Status sys_error(const std::string& what, const fs::path& p) {
  return Status::io_error(what + " " + p.string() + ": " + std::strerror(errno));
}

Status fsync_dir(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return sys_error("cannot open directory", dir);
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return sys_error("cannot fsync directory", dir);
  return Status::ok();
}

class Writer {
 public:
  explicit Writer(int fd) : fd_(fd) { XXH64_reset(&state_, 0); }
  void u32(uint32_t v) {
    uint8_t b[4];
    for (int i = 0; i < 4; ++i) b[i] = static_cast<uint8_t>(v >> (8 * i));
    raw(b, 4);
  }
  void u64(uint64_t v) {
    uint8_t b[8];
    put_le64(b, v);
    raw(b, 8);
  }
  void raw(const void* p, size_t n) {
    XXH64_update(&state_, p, n);
    const auto* c = static_cast<const uint8_t*>(p);
    buf_.insert(buf_.end(), c, c + n);
    if (buf_.size() >= (1u << 20)) flush();
  }
  void finish() {
    const uint64_t sum = XXH64_digest(&state_);
    uint8_t b[8];
    put_le64(b, sum);
    buf_.insert(buf_.end(), b, b + 8);
    flush();
  }
  bool ok() const { return ok_; }

 private:
  void flush() {
    size_t off = 0;
    while (ok_ && off < buf_.size()) {
      const ssize_t w = ::write(fd_, buf_.data() + off, buf_.size() - off);
      if (w < 0) {
        if (errno == EINTR) continue;
        ok_ = false;
        break;
      }
      off += static_cast<size_t>(w);
    }
    buf_.clear();
  }
  int fd_;
  XXH64_state_t state_;
  Bytes buf_;
  bool ok_ = true;
};

class Reader {
 public:
  explicit Reader(std::ifstream& in) : in_(in) { XXH64_reset(&state_, 0); }
  bool raw(void* p, size_t n) {
    if (!in_.read(static_cast<char*>(p), static_cast<std::streamsize>(n))) return false;
    XXH64_update(&state_, p, n);
    return true;
  }
  bool u32(uint32_t* v) {
    uint8_t b[4];
    if (!raw(b, 4)) return false;
    *v = 0;
    for (int i = 3; i >= 0; --i) *v = (*v << 8) | b[i];
    return true;
  }
  bool u64(uint64_t* v) {
    uint8_t b[8];
    if (!raw(b, 8)) return false;
    *v = get_le64(b);
    return true;
  }
  uint64_t digest() { return XXH64_digest(&state_); }

 private:
  std::ifstream& in_;
  XXH64_state_t state_;
};

}  // namespace

fs::path prune_marker_path(const fs::path& datadir) { return datadir / "klay" / "prune-state.marker"; }

Status write_prune_marker(const fs::path& path, const std::vector<RetainedRoot>& roots, const NodeBloom& filter) {
  const fs::path tmp = path.string() + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return sys_error("cannot create", tmp);
  Writer w(fd);
  w.raw(kMagic, sizeof(kMagic));
  w.u32(kVersion);
  w.u32(filter.probes());
  const std::vector<uint64_t> words = filter.words();
  w.u64(words.size());
  w.u32(static_cast<uint32_t>(roots.size()));
  for (const RetainedRoot& r : roots) {
    w.u64(r.block_num);
    w.raw(r.root.data(), 32);
  }
  for (uint64_t word : words) w.u64(word);
  w.finish();
  const bool written = w.ok();
  const bool synced = written && ::fsync(fd) == 0;
  ::close(fd);
  if (!written || !synced) {
    Status s = sys_error(written ? "cannot fsync" : "cannot write", tmp);
    std::error_code ec;
    fs::remove(tmp, ec);
    return s;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) return sys_error("cannot rename the prune marker to", path);
  return fsync_dir(path.parent_path());
}

Result<std::optional<PruneMarker>> read_prune_marker(const fs::path& path) {
  std::error_code ec;
  const fs::path tmp = path.string() + ".tmp";
  if (fs::exists(tmp, ec)) fs::remove(tmp, ec);
  if (!fs::exists(path, ec)) return std::optional<PruneMarker>();
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::io_error("cannot open the prune marker " + path.string());
  const auto corrupt = [&](const std::string& why) {
    return Status::corruption("the prune marker " + path.string() + " is damaged (" + why +
                              "); delete it only if no prune was interrupted during its sweep");
  };
  Reader r(in);
  char magic[8];
  uint32_t version = 0, probes = 0, nroots = 0;
  uint64_t nwords = 0;
  if (!r.raw(magic, 8) || std::memcmp(magic, kMagic, 8) != 0) return corrupt("unknown format");
  if (!r.u32(&version) || version != kVersion) return corrupt("unknown version");
  if (!r.u32(&probes) || !r.u64(&nwords) || !r.u32(&nroots)) return corrupt("truncated header");
  const uint64_t size = fs::file_size(path, ec);
  if (ec || nwords == 0 || nwords > size / 8 || nroots > size / 40) return corrupt("impossible sizes");
  PruneMarker m;
  for (uint32_t i = 0; i < nroots; ++i) {
    RetainedRoot root;
    if (!r.u64(&root.block_num) || !r.raw(root.root.data(), 32)) return corrupt("truncated roots");
    m.roots.push_back(root);
  }
  std::vector<uint64_t> words(nwords);
  for (uint64_t i = 0; i < nwords; ++i) {
    if (!r.u64(&words[i])) return corrupt("truncated filter");
  }
  const uint64_t expect = r.digest();
  uint8_t b[8];
  if (!in.read(reinterpret_cast<char*>(b), 8)) return corrupt("missing checksum");
  if (get_le64(b) != expect) return corrupt("checksum mismatch");
  if (in.peek() != std::ifstream::traits_type::eof()) return corrupt("trailing bytes");
  auto filter = NodeBloom::from_words(std::move(words), probes);
  if (!filter) return corrupt(filter.status().message());
  m.filter = std::move(*filter);
  return std::optional<PruneMarker>(std::move(m));
}

Status remove_prune_marker(const fs::path& path) {
  std::error_code ec;
  fs::remove(path, ec);
  if (ec) return Status::io_error("cannot remove the prune marker " + path.string() + ": " + ec.message());
  return fsync_dir(path.parent_path());
}

}  // namespace klay::pruning
