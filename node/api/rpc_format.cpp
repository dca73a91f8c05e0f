#include "node/api/rpc_format.h"

#include "engine/klaytn/tx_types.h"
#include "node/api/api_backend.h"
#include "node/rpc/hex_codec.h"

namespace klay::api {

namespace {

using nlohmann::json;
using rpc::encode_data;
using rpc::encode_quantity;

// keccak256(rlp([])): the uncle hash of a block without uncles.
constexpr const char* kEmptyUncleHash = "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347";

json signature_list(const std::vector<TxSignature>& sigs) {
  json out = json::array();
  for (const TxSignature& s : sigs)
    out.push_back({{"V", encode_quantity(s.v)}, {"R", encode_quantity(s.r)}, {"S", encode_quantity(s.s)}});
  return out;
}

json access_list(const std::vector<AccessTuple>& list) {
  json out = json::array();
  for (const AccessTuple& t : list) {
    json keys = json::array();
    for (const Hash& k : t.storage_keys) keys.push_back(encode_data(k));
    out.push_back({{"address", encode_data(t.address)}, {"storageKeys", std::move(keys)}});
  }
  return out;
}

void add_klaytn_fields(json& o, const Transaction& tx) {
  o["senderTxHash"] = encode_data(sender_tx_hash(tx));
  if (is_fee_delegated(tx.type)) {
    o["feePayer"] = encode_data(tx.fee_payer);
    o["feePayerSignatures"] = signature_list(tx.fee_payer_signatures);
  }
  if (has_fee_ratio(tx.type)) o["feeRatio"] = encode_quantity(tx.fee_ratio);
  const uint16_t base = static_cast<uint16_t>(tx.type) & ~uint16_t{7};
  if (base == 0x20) o["key"] = encode_data(tx.key.encode());
  if (base == 0x28) {
    o["humanReadable"] = tx.human_readable;
    o["codeFormat"] = encode_quantity(tx.code_format);
  }
}

json location_fields(const std::optional<TxLocation>& loc) {
  json o = json::object();
  if (loc) {
    o["blockHash"] = encode_data(loc->block_hash);
    o["blockNumber"] = encode_quantity(loc->block_num);
    o["transactionIndex"] = encode_quantity(loc->index);
  } else {
    o["blockHash"] = nullptr;
    o["blockNumber"] = nullptr;
    o["transactionIndex"] = nullptr;
  }
  return o;
}

}  // namespace

uint64_t ethereum_type_number(TxType type) {
  switch (type) {
    case TxType::kLegacy: return 0;
    case TxType::kEthereumAccessList: return 1;
    case TxType::kEthereumDynamicFee: return 2;
    default: return static_cast<uint16_t>(type);
  }
}

std::string klaytn_type_name(TxType type) {
  if (type == TxType::kLegacy) return "TxTypeLegacyTransaction";
  return "TxType" + to_string(type);
}

uint256 reported_gas_price(const Transaction& tx, const std::optional<TxLocation>& loc) {
  if (loc && loc->base_fee) return *loc->base_fee;
  return tx.type == TxType::kEthereumDynamicFee ? tx.gas_fee_cap : tx.gas_price;
}

json format_transaction(const Transaction& tx, const Address& sender, const std::optional<TxLocation>& loc,
                        Flavor flavor) {
  json o = location_fields(loc);
  o["from"] = encode_data(sender);
  o["gas"] = encode_quantity(tx.gas);
  o["gasPrice"] = encode_quantity(reported_gas_price(tx, loc));
  o["hash"] = encode_data(tx_hash(tx));
  o["input"] = encode_data(tx.data);
  o["nonce"] = encode_quantity(tx.nonce);
  o["to"] = tx.to ? json(encode_data(*tx.to)) : json(nullptr);
  o["value"] = encode_quantity(tx.value);
  o["chainId"] = encode_quantity(tx_chain_id(tx));
  if (is_ethereum_typed(tx.type)) {
    o["accessList"] = access_list(tx.access_list);
    if (tx.type == TxType::kEthereumDynamicFee) {
      o["maxFeePerGas"] = encode_quantity(tx.gas_fee_cap);
      o["maxPriorityFeePerGas"] = encode_quantity(tx.gas_tip_cap);
    }
  }
  if (is_klaytn_type(tx.type)) add_klaytn_fields(o, tx);
  if (flavor == Flavor::kEth) {
    o["type"] = encode_quantity(ethereum_type_number(tx.type));
    if (!tx.signatures.empty()) {
      const TxSignature& s = tx.signatures.front();
      o["v"] = encode_quantity(s.v);
      o["r"] = encode_quantity(s.r);
      o["s"] = encode_quantity(s.s);
      if (is_ethereum_typed(tx.type)) o["yParity"] = encode_quantity(s.v);
    }
  } else {
    o["type"] = klaytn_type_name(tx.type);
    o["typeInt"] = static_cast<uint16_t>(tx.type);
    o["signatures"] = signature_list(tx.signatures);
  }
  return o;
}

json format_receipt(const Transaction& tx, const Address& sender, const Receipt& receipt, const TxLocation& loc,
                    uint64_t cumulative_gas, uint64_t first_log_index, Flavor flavor) {
  json o = flavor == Flavor::kKlay ? format_transaction(tx, sender, loc, flavor) : location_fields(loc);
  const Hash hash = tx_hash(tx);
  json logs = json::array();
  uint64_t log_index = first_log_index;
  for (const Log& l : receipt.logs) {
    json topics = json::array();
    for (const Hash& t : l.topics) topics.push_back(encode_data(t));
    logs.push_back({{"address", encode_data(l.address)},
                    {"topics", std::move(topics)},
                    {"data", encode_data(l.data)},
                    {"blockNumber", encode_quantity(loc.block_num)},
                    {"transactionHash", encode_data(hash)},
                    {"transactionIndex", encode_quantity(loc.index)},
                    {"blockHash", encode_data(loc.block_hash)},
                    {"logIndex", encode_quantity(log_index++)},
                    {"removed", false}});
  }
  o["transactionHash"] = encode_data(hash);
  o["from"] = encode_data(sender);
  o["to"] = tx.to ? json(encode_data(*tx.to)) : json(nullptr);
  o["contractAddress"] = nullptr;  // no contract deployment without an EVM
  o["gasUsed"] = encode_quantity(receipt.gas_used);
  o["cumulativeGasUsed"] = encode_quantity(cumulative_gas);
  o["effectiveGasPrice"] = encode_quantity(reported_gas_price(tx, loc));
  o["logs"] = std::move(logs);
  o["logsBloom"] = encode_data(receipt.bloom);
  const bool ok = receipt.status == 1;
  o["status"] = ok ? "0x1" : "0x0";
  if (flavor == Flavor::kEth) {
    o["type"] = encode_quantity(ethereum_type_number(tx.type));
  } else {
    o["gas"] = encode_quantity(tx.gas);
    if (!ok) o["txError"] = encode_quantity(receipt.status);
  }
  return o;
}

json format_block(const Block& block, const Hash& hash, const uint256& total_score, bool full_txs,
                  const std::vector<Address>& senders, Flavor flavor) {
  const Header& h = block.header;
  json o = json::object();
  o["hash"] = encode_data(hash);
  o["parentHash"] = encode_data(h.parent_hash);
  o["number"] = encode_quantity(h.number);
  o["timestamp"] = encode_quantity(h.time);
  o["timestampFoS"] = encode_quantity(h.time_fos);
  o["nonce"] = "0x0000000000000000";
  o["difficulty"] = encode_quantity(h.block_score);
  o["blockscore"] = encode_quantity(h.block_score);
  o["totalDifficulty"] = encode_quantity(total_score);
  o["totalBlockScore"] = encode_quantity(total_score);
  o["gasLimit"] = encode_quantity(kReportedBlockGasLimit);
  o["gasUsed"] = encode_quantity(h.gas_used);
  o["miner"] = encode_data(h.rewardbase);
  o["reward"] = encode_data(h.rewardbase);
  o["extraData"] = encode_data(h.extra);
  o["governanceData"] = encode_data(h.governance);
  o["voteData"] = encode_data(h.vote);
  o["logsBloom"] = encode_data(h.bloom);
  o["stateRoot"] = encode_data(h.root);
  o["transactionsRoot"] = encode_data(h.tx_hash);
  o["receiptsRoot"] = encode_data(h.receipt_hash);
  o["sha3Uncles"] = kEmptyUncleHash;
  o["uncles"] = json::array();
  o["size"] = encode_quantity(static_cast<uint64_t>(encode_block(block).size()));
  if (h.base_fee) o["baseFeePerGas"] = encode_quantity(*h.base_fee);
  if (h.random_reveal) o["randomReveal"] = encode_data(*h.random_reveal);
  if (h.mix_hash) o["mixHash"] = encode_data(*h.mix_hash);
  json txs = json::array();
  for (size_t i = 0; i < block.transactions.size(); ++i) {
    const Transaction& tx = block.transactions[i];
    if (full_txs) {
      txs.push_back(format_transaction(tx, senders.at(i), TxLocation{hash, h.number, i, h.base_fee}, flavor));
    } else {
      txs.push_back(encode_data(tx_hash(tx)));
    }
  }
  o["transactions"] = std::move(txs);
  return o;
}

}  // namespace klay::api
