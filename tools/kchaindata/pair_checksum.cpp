#include "tools/kchaindata/pair_checksum.h"

#include <xxhash.h>

#include <cstring>
#include <new>

namespace klay::kchaindata {

struct PairChecksum::State {
  XXH3_state_t* s = XXH3_createState();
  State() {
    if (s == nullptr) throw std::bad_alloc();
    XXH3_64bits_reset(s);
  }
  ~State() { XXH3_freeState(s); }
};

PairChecksum::PairChecksum() : state_(std::make_unique<State>()) {}
PairChecksum::~PairChecksum() = default;
PairChecksum::PairChecksum(PairChecksum&&) noexcept = default;
PairChecksum& PairChecksum::operator=(PairChecksum&&) noexcept = default;

void PairChecksum::add(ByteView key, ByteView value) {
  uint8_t len[4];
  const auto put = [&](ByteView b) {
    const auto n = static_cast<uint32_t>(b.size());
    for (int i = 0; i < 4; ++i) len[i] = static_cast<uint8_t>(n >> (8 * i));
    XXH3_64bits_update(state_->s, len, 4);
    if (!b.empty()) XXH3_64bits_update(state_->s, b.data(), b.size());
  };
  put(key);
  put(value);
  ++count_;
  bytes_ += key.size() + value.size();
}

uint64_t PairChecksum::digest() const { return XXH3_64bits_digest(state_->s); }

uint64_t PairChecksum::combine(std::span<const uint64_t> digests) {
  Bytes buf(digests.size() * 8);
  for (size_t i = 0; i < digests.size(); ++i) put_le64(buf.data() + 8 * i, digests[i]);
  return XXH3_64bits(buf.data(), buf.size());
}

}  // namespace klay::kchaindata
