#include "engine/klaytn/block.h"

#include "engine/core/rlp.h"

namespace klay {

namespace {

Bytes tx_list(const std::vector<Transaction>& txs) {
  Bytes items;
  for (const auto& tx : txs) append(items, encode_transaction(tx));
  return rlp::wrap_list(items);
}

Result<std::vector<Transaction>> decode_tx_list(const rlp::Item& list) {
  if (!list.is_list()) return Status::corruption("block: transactions must be a list");
  std::vector<Transaction> txs;
  ByteView rest = list.payload;
  while (!rest.empty()) {
    auto tx = decode_transaction_prefix(rest);
    if (!tx)
      return Status::corruption("block: transaction " + std::to_string(txs.size()) + ": " + tx.status().message());
    txs.push_back(std::move(*tx));
  }
  return txs;
}

}  // namespace

Bytes encode_body(const Body& body) { return rlp::wrap_list(tx_list(body.transactions)); }

Result<Body> decode_body(ByteView encoded) {
  auto items = rlp::decode_list_item(encoded);
  if (!items) return Status::corruption("body: " + items.status().message());
  if (items->size() != 1) return Status::corruption("body: expected exactly one field (the transaction list)");
  auto txs = decode_tx_list((*items)[0]);
  if (!txs) return txs.status();
  return Body{std::move(*txs)};
}

Bytes encode_block(const Block& block) {
  Bytes payload = encode_header(block.header);
  append(payload, tx_list(block.transactions));
  return rlp::wrap_list(payload);
}

Result<Block> decode_block(ByteView encoded) {
  auto items = rlp::decode_list_item(encoded);
  if (!items) return Status::corruption("block: " + items.status().message());
  if (items->size() != 2) return Status::corruption("block: expected [header, transactions]");
  Block b;
  auto h = decode_header((*items)[0].encoded);
  if (!h) return h.status();
  b.header = std::move(*h);
  auto txs = decode_tx_list((*items)[1]);
  if (!txs) return txs.status();
  b.transactions = std::move(*txs);
  return b;
}

Hash transactions_root(DeriveShaImpl impl, const std::vector<Transaction>& txs) {
  std::vector<Bytes> items;
  items.reserve(txs.size());
  for (const auto& tx : txs) items.push_back(encode_transaction(tx));
  return derive_sha(impl, items);
}

}  // namespace klay
