// Error texts of the pool. Where the reference (klaytn/kaia
// blockchain/error.go, kerrors, tx_pool.go) has a message for a rejection,
// the pool uses that exact text so clients see the same strings.
#pragma once

namespace klay::txpool::errors {

inline constexpr const char* kNonceTooLow = "nonce too low";
inline constexpr const char* kInsufficientFunds = "insufficient funds for gas * price + value";
inline constexpr const char* kInsufficientFundsFrom = "insufficient funds of the sender for value ";
inline constexpr const char* kInsufficientFundsFeePayer = "insufficient funds of the fee payer for gas * price";
inline constexpr const char* kIntrinsicGas = "intrinsic gas too low";
inline constexpr const char* kOversizedData = "oversized data";
inline constexpr const char* kInvalidUnitPrice = "invalid unit price";
inline constexpr const char* kInvalidChainId = "invalid chain id";
inline constexpr const char* kTxTypeNotSupported = "transaction type not supported";
inline constexpr const char* kGasPriceBelowBaseFee =
    "invalid gas price. It must be set to value greater than or equal to baseFee";
inline constexpr const char* kFeeCapBelowBaseFee =
    "invalid gas fee cap. It must be set to value greater than or equal to baseFee";
inline constexpr const char* kInvalidGasFeeCap =
    "invalid gas fee cap. It must be set to the same value as gas unit price";
inline constexpr const char* kInvalidGasTipCap =
    "invalid gas tip cap. It must be set to the same value as gas unit price";
inline constexpr const char* kTipAboveFeeCap = "max fee per gas higher than max priority fee per gas";
inline constexpr const char* kAlreadyNonceExist = "there is another tx which has the same nonce in the tx pool";
inline constexpr const char* kKnownTransaction = "known transaction";  // + ": 0x<hash>"
inline constexpr const char* kPoolFull = "txpool is full";             // + ": <count>"
inline constexpr const char* kPoolFullNoMissingNonce = "txpool is full and the new tx does not have missing nonce";
inline constexpr const char* kInvalidSender = "invalid sender";        // + ": <why>"
inline constexpr const char* kInvalidFeePayer = "invalid fee payer";   // + ": <why>"
inline constexpr const char* kInvalidAccountKey = "invalid account key";
inline constexpr const char* kLegacyTxNeedsLegacyKey = "a legacy transaction must be with a legacy account key";
inline constexpr const char* kFeeRatioOutOfRange = "fee ratio is out of range [1, 99]";
inline constexpr const char* kNotForProgramAccount = "this type transaction cannot be sent to contract addresses";
inline constexpr const char* kPrecompiledContractAddress = "the address is reserved for pre-compiled contracts";
inline constexpr const char* kAnchoringNotAllowed = "locally anchoring chaindata tx is not allowed in this node";
// Ours: this node has no EVM yet.
inline constexpr const char* kEvmNotSupported = "EVM not supported yet";

}  // namespace klay::txpool::errors
