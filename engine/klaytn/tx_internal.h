// Internal to engine/klaytn: field serialization shared by the transaction
// codec and the signing code. Not part of the public API.
#pragma once

#include "engine/core/bytes.h"
#include "engine/core/status.h"
#include "engine/klaytn/tx.h"

namespace klay {

enum class FieldSet {
  kWire,        // everything on the wire
  kSenderOnly,  // Klaytn: sign fields + sender signatures (SenderTxHash)
  kSignOnly,    // fields covered by the signature (no type, no v/r/s)
};

// The RLP list payload (items without the list header) of `tx` for `set`.
Bytes tx_fields_payload(const Transaction& tx, FieldSet set);

// The checks the reference runs while decoding (ValidateSignature).
Status validate_decoded_signatures(const Transaction& tx);

}  // namespace klay
