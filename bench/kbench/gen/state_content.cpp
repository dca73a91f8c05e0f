#include "bench/kbench/gen/state_content.h"

#include <string>

#include "engine/core/keccak.h"

namespace klay::kbench::gen {

namespace {

Address address_of(const std::string& seed) {
  const Hash h = keccak256(as_view(seed));
  return Address::from(h.view().subspan(12, 20));
}

uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

}  // namespace

Address account_address(uint64_t i) { return address_of("kbench-account-" + std::to_string(i)); }
Address contract_address(uint64_t c) { return address_of("kbench-contract-" + std::to_string(c)); }

Status add_accounts(state::StateDB& st, uint64_t begin, uint64_t end) {
  for (uint64_t i = begin; i < end; ++i) {
    if (Status s = st.add_balance(account_address(i), uint256(mix(i) % 1000000000000ull + 1)); !s) return s;
  }
  return Status::ok();
}

Status add_contracts(state::StateDB& st, uint64_t begin, uint64_t end, uint64_t slots) {
  for (uint64_t c = begin; c < end; ++c) {
    const bool clone = c % 2 == 0;
    const uint64_t seed = clone ? 0 : c;
    Bytes code(96 + seed % 400);
    for (size_t i = 0; i < code.size(); ++i) code[i] = static_cast<uint8_t>(mix(seed * 1000003 + i));
    const Address addr = contract_address(c);
    if (Status s = st.set_code(addr, code, 0); !s) return s;
    for (uint64_t k = 0; k < slots; ++k) {
      Hash slot, value;
      put_be64(slot.data() + 24, k);
      put_be64(value.data() + 24, mix(seed * 65537 + k) | 1);
      if (Status s = st.set_storage(addr, slot, value); !s) return s;
    }
  }
  return Status::ok();
}

}  // namespace klay::kbench::gen
