#include "node/txpool/pool_state.h"

namespace klay::txpool {

PoolAccount pool_account_of(const Account& account) {
  PoolAccount out;
  out.nonce = account.nonce;
  out.balance = account.balance;
  // A Legacy-type account has no key field; the reference answers the legacy key.
  out.key = account.type == AccountType::kLegacy ? AccountKey::legacy() : account.key;
  out.program_account = account.is_program_account();
  out.has_code = account.is_program_account() && account.code_hash != empty_code_hash();
  return out;
}

Result<PoolAccount> StateReaderPoolState::account(const Address& addr) {
  auto stored = reader_.account(addr);
  if (!stored) return stored.status();
  if (!*stored) return PoolAccount{};
  return pool_account_of(**stored);
}

}  // namespace klay::txpool
