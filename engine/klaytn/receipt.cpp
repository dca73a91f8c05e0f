#include "engine/klaytn/receipt.h"

#include "engine/core/keccak.h"
#include "engine/core/rlp.h"
#include "engine/klaytn/rlp_fields.h"

namespace klay {

namespace {

void encode_log(Bytes& out, const Log& l, bool stored) {
  Bytes topics;
  for (const auto& t : l.topics) rlp::encode_string(topics, t.view());
  Bytes body;
  rlp::encode_string(body, l.address.view());
  rlp::encode_list(body, topics);
  rlp::encode_string(body, l.data);
  if (stored) {
    rlp::encode_uint(body, l.block_number);
    rlp::encode_string(body, l.tx_hash.view());
    rlp::encode_uint(body, l.tx_index);
    rlp::encode_string(body, l.block_hash.view());
    rlp::encode_uint(body, l.index);
  }
  rlp::encode_list(out, body);
}

Status decode_logs(const rlp::Item& list, std::vector<Log>& out, bool stored) {
  FieldReader lf(list.payload, "receipt logs");
  while (!lf.done()) {
    rlp::Item item, topics;
    if (auto s = lf.list(item, "log"); !s) return s;
    FieldReader f(item.payload, "log");
    Log l;
    if (auto s = f.address(l.address, "address"); !s) return s;
    if (auto s = f.list(topics, "topics"); !s) return s;
    if (auto s = f.bytes(l.data, "data"); !s) return s;
    if (stored) {
      if (auto s = f.u64(l.block_number, "blockNumber"); !s) return s;
      if (auto s = f.hash(l.tx_hash, "txHash"); !s) return s;
      if (auto s = f.u64(l.tx_index, "txIndex"); !s) return s;
      if (auto s = f.hash(l.block_hash, "blockHash"); !s) return s;
      if (auto s = f.u64(l.index, "index"); !s) return s;
    }
    if (auto s = f.finish(); !s) return s;
    FieldReader tf(topics.payload, "log topics");
    while (!tf.done()) {
      Hash t;
      if (auto s = tf.hash(t, "topic"); !s) return s;
      l.topics.push_back(t);
    }
    out.push_back(std::move(l));
  }
  return Status::ok();
}

Status read_bloom(FieldReader& f, Bloom& out) {
  rlp::Item b;
  if (auto s = f.item(b, "bloom"); !s) return s;
  if (b.is_list() || b.payload.size() != Bloom::kSize) return f.fail("bloom", "expected 256 bytes");
  out = Bloom::from(b.payload);
  return Status::ok();
}

Result<Receipt> decode_stored_item(const rlp::Item& top) {
  if (!top.is_list()) return Status::corruption("stored receipt: expected a list");
  FieldReader f(top.payload, "stored receipt");
  Receipt r;
  rlp::Item logs;
  if (auto s = f.u64(r.status, "status"); !s) return s;
  if (auto s = read_bloom(f, r.bloom); !s) return s;
  if (auto s = f.hash(r.tx_hash, "txHash"); !s) return s;
  if (auto s = f.address(r.contract_address, "contractAddress"); !s) return s;
  if (auto s = f.list(logs, "logs"); !s) return s;
  if (auto s = f.u64(r.gas_used, "gasUsed"); !s) return s;
  if (auto s = f.finish(); !s) return s;
  if (auto s = decode_logs(logs, r.logs, true); !s) return s;
  return r;
}

void bloom_add(Bloom& bloom, ByteView data) {
  const Hash h = keccak256(data);
  for (int i = 0; i < 6; i += 2) {
    const unsigned bit = ((static_cast<unsigned>(h.bytes[i]) << 8) | h.bytes[i + 1]) & 2047;
    bloom.bytes[Bloom::kSize - 1 - bit / 8] |= static_cast<uint8_t>(1u << (bit % 8));
  }
}

}  // namespace

Bytes encode_receipt_consensus(const Receipt& r) {
  Bytes logs;
  for (const auto& l : r.logs) encode_log(logs, l, false);
  Bytes body;
  rlp::encode_uint(body, r.status);
  rlp::encode_uint(body, r.gas_used);
  rlp::encode_string(body, r.bloom.view());
  rlp::encode_list(body, logs);
  return rlp::wrap_list(body);
}

Result<Receipt> decode_receipt_consensus(ByteView encoded) {
  auto top = rlp::decode(encoded);
  if (!top) return Status::corruption("receipt: " + top.status().message());
  if (!top->is_list()) return Status::corruption("receipt: expected a list");
  FieldReader f(top->payload, "receipt");
  Receipt r;
  rlp::Item logs;
  if (auto s = f.u64(r.status, "status"); !s) return s;
  if (auto s = f.u64(r.gas_used, "gasUsed"); !s) return s;
  if (auto s = read_bloom(f, r.bloom); !s) return s;
  if (auto s = f.list(logs, "logs"); !s) return s;
  if (auto s = f.finish(); !s) return s;
  if (auto s = decode_logs(logs, r.logs, false); !s) return s;
  return r;
}

Bytes encode_receipt_stored(const Receipt& r) {
  Bytes logs;
  for (const auto& l : r.logs) encode_log(logs, l, true);
  Bytes body;
  rlp::encode_uint(body, r.status);
  rlp::encode_string(body, r.bloom.view());
  rlp::encode_string(body, r.tx_hash.view());
  rlp::encode_string(body, r.contract_address.view());
  rlp::encode_list(body, logs);
  rlp::encode_uint(body, r.gas_used);
  return rlp::wrap_list(body);
}

Result<Receipt> decode_receipt_stored(ByteView encoded) {
  auto top = rlp::decode(encoded);
  if (!top) return Status::corruption("stored receipt: " + top.status().message());
  return decode_stored_item(*top);
}

Bytes encode_block_receipts(const std::vector<Receipt>& receipts) {
  Bytes items;
  for (const auto& r : receipts) append(items, encode_receipt_stored(r));
  return rlp::wrap_list(items);
}

Result<std::vector<Receipt>> decode_block_receipts(ByteView encoded) {
  auto items = rlp::decode_list_item(encoded);
  if (!items) return Status::corruption("block receipts: " + items.status().message());
  std::vector<Receipt> out;
  for (const auto& it : *items) {
    auto r = decode_stored_item(it);
    if (!r) return r.status();
    out.push_back(std::move(*r));
  }
  return out;
}

Bloom logs_bloom(const std::vector<Log>& logs) {
  Bloom b;
  for (const auto& l : logs) {
    bloom_add(b, l.address.view());
    for (const auto& t : l.topics) bloom_add(b, t.view());
  }
  return b;
}

Hash receipts_root(DeriveShaImpl impl, const std::vector<Receipt>& receipts) {
  std::vector<Bytes> items;
  items.reserve(receipts.size());
  for (const auto& r : receipts) items.push_back(encode_receipt_consensus(r));
  return derive_sha(impl, items);
}

}  // namespace klay
