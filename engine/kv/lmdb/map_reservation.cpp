#include "engine/kv/lmdb/map_reservation.h"

#include <sys/resource.h>

#include <algorithm>
#include <atomic>

namespace klay::kv::lmdb_detail {
namespace {

constexpr uint64_t kUserAddressSpace = 1ull << 47;  // x86-64 and arm64 Linux, 4-level page tables

std::atomic<uint64_t>& taken() {
  static std::atomic<uint64_t> bytes{0};
  return bytes;
}

}  // namespace

uint64_t MapReservation::budget() {
  static const uint64_t b = [] {
    uint64_t space = kUserAddressSpace;
    rlimit lim{};
    if (getrlimit(RLIMIT_AS, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY) {
      space = std::min<uint64_t>(space, lim.rlim_cur);
    }
    return space / 2;
  }();
  return b;
}

uint64_t MapReservation::available() {
  const uint64_t used = taken().load();
  return used >= budget() ? 0 : budget() - used;
}

MapReservation MapReservation::take(uint64_t want) {
  uint64_t used = taken().load();
  for (;;) {
    const uint64_t grant = std::min(want, used >= budget() ? 0 : budget() - used);
    if (grant == 0) return MapReservation();
    if (taken().compare_exchange_weak(used, used + grant)) return MapReservation(grant);
  }
}

MapReservation& MapReservation::operator=(MapReservation&& other) noexcept {
  if (this != &other) {
    release();
    bytes_ = other.bytes_;
    other.bytes_ = 0;
  }
  return *this;
}

void MapReservation::release() {
  if (bytes_ != 0) taken().fetch_sub(bytes_);
  bytes_ = 0;
}

}  // namespace klay::kv::lmdb_detail
