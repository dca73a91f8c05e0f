#include "engine/klaytn/istanbul_extra.h"

#include "engine/core/rlp.h"
#include "engine/klaytn/rlp_fields.h"

namespace klay {

Result<IstanbulExtra> decode_istanbul_extra(ByteView extra) {
  if (extra.size() < kIstanbulExtraVanity)
    return Status::corruption("istanbul extra: shorter than the 32-byte vanity");
  auto top = rlp::decode(extra.subspan(kIstanbulExtraVanity));
  if (!top) return Status::corruption("istanbul extra: " + top.status().message());
  if (!top->is_list()) return Status::corruption("istanbul extra: expected a list");
  FieldReader f(top->payload, "istanbul extra");
  rlp::Item validators, committed;
  IstanbulExtra ist;
  if (auto s = f.list(validators, "validators"); !s) return s;
  if (auto s = f.bytes(ist.seal, "seal"); !s) return s;
  if (auto s = f.list(committed, "committedSeal"); !s) return s;
  if (auto s = f.finish(); !s) return s;

  FieldReader vf(validators.payload, "istanbul extra validators");
  while (!vf.done()) {
    Address a;
    if (auto s = vf.address(a, "validator"); !s) return s;
    ist.validators.push_back(a);
  }
  FieldReader cf(committed.payload, "istanbul extra committed seals");
  while (!cf.done()) {
    Bytes seal;
    if (auto s = cf.bytes(seal, "committed seal"); !s) return s;
    ist.committed_seals.push_back(std::move(seal));
  }
  return ist;
}

Bytes encode_istanbul_extra(const IstanbulExtra& ist) {
  Bytes validators;
  for (const auto& v : ist.validators) rlp::encode_string(validators, v.view());
  Bytes committed;
  for (const auto& c : ist.committed_seals) rlp::encode_string(committed, c);
  Bytes body;
  rlp::encode_list(body, validators);
  rlp::encode_string(body, ist.seal);
  rlp::encode_list(body, committed);
  return rlp::wrap_list(body);
}

Bytes make_header_extra(ByteView vanity, const IstanbulExtra& ist) {
  Bytes out(vanity.begin(), vanity.end());
  append(out, encode_istanbul_extra(ist));
  return out;
}

}  // namespace klay
