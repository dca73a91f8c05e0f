// Block bodies and blocks.
//
// Body (stored under "b" + BE64(num) + hash): rlp([[txItems...]]): one field,
// the transaction list, in which each transaction writes its wire items
// inline (one item for legacy, rlp(type) + list for Klaytn types, 0x78 +
// ethType + list for Ethereum typed ones).
// Block (network/RPC form): rlp([header, [txItems...]]).
//
// Value types; thread-safe as values.
#pragma once

#include <vector>

#include "engine/core/bytes.h"
#include "engine/core/status.h"
#include "engine/klaytn/derive_sha.h"
#include "engine/klaytn/header.h"
#include "engine/klaytn/tx.h"

namespace klay {

struct Body {
  std::vector<Transaction> transactions;
  bool operator==(const Body&) const = default;
};

struct Block {
  Header header;
  std::vector<Transaction> transactions;
  bool operator==(const Block&) const = default;
};

Bytes encode_body(const Body& body);
Result<Body> decode_body(ByteView encoded);

Bytes encode_block(const Block& block);
Result<Block> decode_block(ByteView encoded);

// The transaction root of `txs` under `impl` (items: encode_transaction()).
Hash transactions_root(DeriveShaImpl impl, const std::vector<Transaction>& txs);

}  // namespace klay
