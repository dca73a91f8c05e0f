#include "engine/core/rlp.h"

namespace klay::rlp {

namespace {

size_t be_length(uint64_t v) {
  size_t n = 0;
  for (; v; v >>= 8) ++n;
  return n;
}

void put_be(Bytes& out, uint64_t v, size_t n) {
  for (size_t i = n; i-- > 0;) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

void encode_header(Bytes& out, size_t len, uint8_t short_base) {
  if (len < 56) {
    out.push_back(static_cast<uint8_t>(short_base + len));
  } else {
    const size_t n = be_length(len);
    out.push_back(static_cast<uint8_t>(short_base + 55 + n));
    put_be(out, len, n);
  }
}

}  // namespace

size_t header_size(size_t payload_len) { return payload_len < 56 ? 1 : 1 + be_length(payload_len); }

size_t string_size(ByteView s) {
  if (s.size() == 1 && s[0] < 0x80) return 1;
  return header_size(s.size()) + s.size();
}

void encode_string(Bytes& out, ByteView s) {
  if (s.size() == 1 && s[0] < 0x80) {
    out.push_back(s[0]);
    return;
  }
  encode_header(out, s.size(), 0x80);
  append(out, s);
}

void encode_uint(Bytes& out, uint64_t v) {
  if (v == 0) {
    out.push_back(0x80);
  } else if (v < 0x80) {
    out.push_back(static_cast<uint8_t>(v));
  } else {
    const size_t n = be_length(v);
    out.push_back(static_cast<uint8_t>(0x80 + n));
    put_be(out, v, n);
  }
}

void encode_uint_bytes(Bytes& out, ByteView be) {
  size_t i = 0;
  while (i < be.size() && be[i] == 0) ++i;
  encode_string(out, be.subspan(i));
}

void encode_list_header(Bytes& out, size_t payload_len) { encode_header(out, payload_len, 0xc0); }

void encode_list(Bytes& out, ByteView payload) {
  encode_list_header(out, payload.size());
  append(out, payload);
}

Bytes wrap_list(ByteView payload) {
  Bytes out;
  out.reserve(header_size(payload.size()) + payload.size());
  encode_list(out, payload);
  return out;
}

Result<Item> decode_prefix(ByteView in) {
  if (in.empty()) return Status::corruption("rlp: unexpected end of input");
  const uint8_t b = in[0];
  Item item;
  size_t header = 0;
  size_t len = 0;
  if (b < 0x80) {
    item.kind = Kind::kString;
    item.payload = in.subspan(0, 1);
    item.encoded = in.subspan(0, 1);
    return item;
  }
  const bool is_list = b >= 0xc0;
  const uint8_t base = is_list ? 0xc0 : 0x80;
  item.kind = is_list ? Kind::kList : Kind::kString;
  if (b - base < 56) {
    header = 1;
    len = b - base;
  } else {
    const size_t n = b - base - 55;
    if (in.size() < 1 + n) return Status::corruption("rlp: truncated length");
    if (in[1] == 0) return Status::corruption("rlp: length has leading zero");
    if (n > sizeof(size_t)) return Status::corruption("rlp: length too large");
    len = 0;
    for (size_t i = 0; i < n; ++i) len = (len << 8) | in[1 + i];
    if (len < 56) return Status::corruption("rlp: non-canonical long length");
    header = 1 + n;
  }
  if (len > in.size() - header) return Status::corruption("rlp: value larger than input");
  item.payload = in.subspan(header, len);
  item.encoded = in.subspan(0, header + len);
  if (!is_list && len == 1 && item.payload[0] < 0x80)
    return Status::corruption("rlp: single byte below 0x80 must not be wrapped");
  return item;
}

Result<Item> decode(ByteView in) {
  auto item = decode_prefix(in);
  if (!item) return item;
  if (item->encoded.size() != in.size()) return Status::corruption("rlp: trailing bytes after value");
  return item;
}

Result<Item> ListReader::next() {
  auto item = decode_prefix(rest_);
  if (item) rest_ = rest_.subspan(item->encoded.size());
  return item;
}

Result<std::vector<Item>> decode_list(ByteView list_payload) {
  std::vector<Item> items;
  ListReader reader(list_payload);
  while (!reader.done()) {
    auto item = reader.next();
    if (!item) return item.status();
    items.push_back(*item);
  }
  return items;
}

Result<std::vector<Item>> decode_list_item(ByteView in) {
  auto item = decode(in);
  if (!item) return item.status();
  if (!item->is_list()) return Status::corruption("rlp: expected a list");
  return decode_list(item->payload);
}

Result<uint64_t> decode_uint(const Item& item) {
  if (item.is_list()) return Status::corruption("rlp: expected an integer, got a list");
  if (item.payload.size() > 8) return Status::corruption("rlp: integer larger than 64 bits");
  if (!item.payload.empty() && item.payload[0] == 0)
    return Status::corruption("rlp: integer has leading zero");
  uint64_t v = 0;
  for (uint8_t b : item.payload) v = (v << 8) | b;
  return v;
}

}  // namespace klay::rlp
