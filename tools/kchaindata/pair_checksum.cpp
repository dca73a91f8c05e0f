#include "tools/kchaindata/pair_checksum.h"

#include <xxhash.h>

#include <cstring>
#include <new>

namespace klay::kchaindata {

namespace {

// Pairs are staged and hashed in blocks: one XXH3 update per 64 KiB instead
// of four per pair (the per-call cost exceeded the hashing itself for
// 200-byte pairs). XXH3's streaming digest does not depend on how the stream
// is split, so the digest is the same either way.
constexpr size_t kStageBytes = 64 * 1024;

void put_le32(uint8_t* out, size_t n) {
  const auto v = static_cast<uint32_t>(n);
  for (int i = 0; i < 4; ++i) out[i] = static_cast<uint8_t>(v >> (8 * i));
}

}  // namespace

struct PairChecksum::State {
  XXH3_state_t* s = XXH3_createState();
  uint8_t stage[kStageBytes];
  size_t staged = 0;
  State() {
    if (s == nullptr) throw std::bad_alloc();
    XXH3_64bits_reset(s);
  }
  ~State() { XXH3_freeState(s); }
  void flush() {
    if (staged > 0) XXH3_64bits_update(s, stage, staged);
    staged = 0;
  }
};

PairChecksum::PairChecksum() : state_(std::make_unique<State>()) {}
PairChecksum::~PairChecksum() = default;
PairChecksum::PairChecksum(PairChecksum&&) noexcept = default;
PairChecksum& PairChecksum::operator=(PairChecksum&&) noexcept = default;

void PairChecksum::add(ByteView key, ByteView value) {
  State& st = *state_;
  const size_t need = 8 + key.size() + value.size();
  if (st.staged + need > kStageBytes) st.flush();
  if (need <= kStageBytes) {
    uint8_t* out = st.stage + st.staged;
    put_le32(out, key.size());
    if (!key.empty()) std::memcpy(out + 4, key.data(), key.size());
    put_le32(out + 4 + key.size(), value.size());
    if (!value.empty()) std::memcpy(out + 8 + key.size(), value.data(), value.size());
    st.staged += need;
  } else {
    // Larger than the stage (now empty): hash the pieces directly.
    uint8_t len[4];
    put_le32(len, key.size());
    XXH3_64bits_update(st.s, len, 4);
    if (!key.empty()) XXH3_64bits_update(st.s, key.data(), key.size());
    put_le32(len, value.size());
    XXH3_64bits_update(st.s, len, 4);
    if (!value.empty()) XXH3_64bits_update(st.s, value.data(), value.size());
  }
  ++count_;
  bytes_ += key.size() + value.size();
}

uint64_t PairChecksum::digest() const {
  state_->flush();
  return XXH3_64bits_digest(state_->s);
}

uint64_t PairChecksum::combine(std::span<const uint64_t> digests) {
  Bytes buf(digests.size() * 8);
  for (size_t i = 0; i < digests.size(); ++i) put_le64(buf.data() + 8 * i, digests[i]);
  return XXH3_64bits(buf.data(), buf.size());
}

}  // namespace klay::kchaindata
