#include "node/chain/import_export.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "node/chain/block_checks.h"

namespace klay::chain {

namespace {

std::string errno_text() { return std::strerror(errno); }

// A FILE* that is closed on every path.
struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

// The total length (header + payload) of the RLP list starting with `head`
// (at most 9 bytes available in `n`); 0 when more header bytes are needed;
// an error when it is not a list.
Result<uint64_t> list_length(const uint8_t* head, size_t n) {
  const uint8_t b = head[0];
  if (b < 0xc0) return Status::invalid_argument("not an RLP list (first byte 0x" + to_hex(ByteView(head, 1)) + ")");
  if (b <= 0xf7) return uint64_t{1} + (b - 0xc0);
  const size_t len_of_len = b - 0xf7;
  if (n < 1 + len_of_len) return uint64_t{0};
  if (head[1] == 0) return Status::invalid_argument("non-canonical RLP list length");
  uint64_t len = 0;
  for (size_t i = 0; i < len_of_len; ++i) len = (len << 8) | head[1 + i];
  if (len > (uint64_t{1} << 32)) return Status::invalid_argument("RLP list of " + std::to_string(len) + " bytes");
  return 1 + len_of_len + len;
}

}  // namespace

Result<ChainTransferProgress> export_blocks(const BlockChain& chain, const std::filesystem::path& file, uint64_t from,
                                            uint64_t to, const ChainProgressFn& progress) {
  if (from > to)
    return Status::invalid_argument("export range is empty: first block " + std::to_string(from) +
                                    " is after last block " + std::to_string(to));
  const uint64_t head = chain.head().number;
  if (to > head)
    return Status::invalid_argument("cannot export up to block " + std::to_string(to) + ": the head is block " +
                                    std::to_string(head));
  const std::filesystem::path tmp = file.string() + ".tmp";
  FilePtr out(std::fopen(tmp.c_str(), "wb"));
  if (!out) return Status::io_error("cannot create " + tmp.string() + ": " + errno_text());
  ChainTransferProgress p;
  for (uint64_t n = from; n <= to; ++n) {
    auto block = chain.block_by_number(n);
    if (!block) return Status(block.status());
    const Bytes rlp = encode_block(*block);
    if (std::fwrite(rlp.data(), 1, rlp.size(), out.get()) != rlp.size())
      return Status::io_error("writing " + tmp.string() + ": " + errno_text());
    ++p.blocks;
    p.last_block_num = n;
    if (progress && (p.blocks % 1000 == 0 || n == to)) progress(p);
  }
  if (std::fflush(out.get()) != 0 || ::fsync(fileno(out.get())) != 0)
    return Status::io_error("flushing " + tmp.string() + ": " + errno_text());
  out.reset();
  std::error_code ec;
  std::filesystem::rename(tmp, file, ec);
  if (ec) return Status::io_error("renaming " + tmp.string() + " to " + file.string() + ": " + ec.message());
  return p;
}

Result<ChainTransferProgress> import_blocks(BlockChain& chain, const std::filesystem::path& file,
                                            const ImportOptions& options) {
  FilePtr in(std::fopen(file.c_str(), "rb"));
  if (!in) return Status::io_error("cannot open " + file.string() + ": " + errno_text());
  const size_t batch_size = std::max<size_t>(1, options.batch_blocks);
  ChainTransferProgress p;
  std::vector<Block> batch;
  uint64_t offset = 0;

  auto flush = [&]() -> Status {
    if (batch.empty()) return Status::ok();
    auto stats = chain.insert_blocks(batch);
    if (!stats) return Status::invalid_argument("import from " + file.string() + " stopped: " + stats.status().message());
    p.inserted += stats->inserted;
    p.skipped += stats->skipped;
    p.txns += stats->txns;
    p.last_block_num = batch.back().header.number;
    batch.clear();
    if (options.progress) options.progress(p);
    return Status::ok();
  };

  Bytes item;
  for (;;) {
    uint8_t head[9];
    const size_t got = std::fread(head, 1, sizeof(head), in.get());
    if (got == 0) break;
    const std::string where = "item " + std::to_string(p.blocks) + " at offset " + std::to_string(offset);
    auto len = list_length(head, got);
    if (!len || *len == 0)
      return Status::invalid_argument(file.string() + ": " + where + " is not a block: " +
                                      (len ? std::string("truncated header") : len.status().message()));
    item.assign(head, head + std::min<uint64_t>(got, *len));
    if (*len > got) {
      item.resize(*len);
      if (std::fread(item.data() + got, 1, *len - got, in.get()) != *len - got)
        return Status::invalid_argument(file.string() + ": " + where + " is truncated");
    } else if (std::fseek(in.get(), static_cast<long>(offset + *len), SEEK_SET) != 0) {
      return Status::io_error("seeking in " + file.string() + ": " + errno_text());
    }
    auto block = decode_block(item);
    if (!block)
      return Status::invalid_argument(file.string() + ": " + where + " does not decode: " + block.status().message());
    offset += *len;
    ++p.blocks;
    batch.push_back(std::move(*block));
    if (batch.size() >= batch_size)
      if (Status s = flush(); !s) return s;
  }
  if (std::ferror(in.get())) return Status::io_error("reading " + file.string() + ": " + errno_text());
  if (Status s = flush(); !s) return s;
  return p;
}

}  // namespace klay::chain
