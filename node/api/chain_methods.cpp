// eth_/klay_ methods over blocks, transactions and receipts.
#include <nlohmann/json.hpp>

#include "node/api/api.h"
#include "node/api/chain_reads.h"
#include "node/api/method_helpers.h"
#include "node/api/rpc_format.h"
#include "node/rpc/hex_codec.h"

namespace klay::api {

namespace {

using nlohmann::json;
using rpc::MethodResult;
using rpc::ParamList;

json block_json(const chain::BlockChain& chain, BlockCache& cache, const Block& block, const Hash& hash, bool full,
                Flavor flavor) {
  std::vector<Address> senders;
  if (full) senders = cache.get(chain, hash).value_or_throw()->senders;
  auto score = chain.total_score(hash);
  return format_block(block, hash, score ? *score : uint256(), full, senders, flavor);
}

// The canonical block a tag (not a hash) names; nullopt past the head.
std::optional<Block> block_for_tag(const chain::BlockChain& chain, const rpc::BlockTag& tag) {
  uint64_t num = chain.head().number;
  if (tag.kind == rpc::BlockTag::Kind::kEarliest) num = 0;
  if (tag.kind == rpc::BlockTag::Kind::kNumber) num = tag.block_num;
  return canonical_block(chain, num).value_or_throw();
}

std::optional<Block> block_for_hash(const chain::BlockChain& chain, const Hash& hash) {
  auto num = resolve_block_num(chain, rpc::BlockSelector{std::nullopt, hash, false});
  if (!num) return std::nullopt;
  return canonical_block(chain, num.value()).value_or_throw();
}

TxLocation location_of(const MinedTx& m) {
  return TxLocation{m.block->hash, m.block->block.header.number, m.index, m.block->block.header.base_fee};
}

MethodResult tx_by_hash(const ApiBackend& b, const json& params, Flavor flavor) {
  auto args = ParamList::from(params, 1, 1).value_or_throw();
  const Hash hash = args.hash(0).value_or_throw();
  auto mined = find_mined_tx(*b.chain, *b.blocks, hash).value_or_throw();
  if (mined) return format_transaction(mined->tx(), mined->sender(), location_of(*mined), flavor);
  if (txpool::PooledTxRef p = b.pool->get(hash)) return format_transaction(p->tx, p->sender, std::nullopt, flavor);
  return nullptr;
}

MethodResult receipt_by_hash(const ApiBackend& b, const json& params, Flavor flavor) {
  auto args = ParamList::from(params, 1, 1).value_or_throw();
  const Hash hash = args.hash(0).value_or_throw();
  auto mined = find_mined_tx(*b.chain, *b.blocks, hash).value_or_throw();
  if (!mined) return nullptr;
  const std::vector<Receipt>& receipts = mined->block->receipts;
  uint64_t cumulative = 0, first_log = 0;
  for (size_t i = 0; i <= mined->index; ++i) {
    cumulative += receipts[i].gas_used;
    if (i < mined->index) first_log += receipts[i].logs.size();
  }
  return format_receipt(mined->tx(), mined->sender(), mined->receipt(), location_of(*mined), cumulative, first_log,
                        flavor);
}

MethodResult tx_in_block(const ApiBackend& b, const std::optional<Block>& block, uint64_t index, Flavor flavor) {
  if (!block || index >= block->transactions.size()) return nullptr;
  const Hash hash = header_hash(block->header);
  const Transaction& tx = block->transactions[index];
  const Address sender = txn_sender(*b.chain, tx).value_or_throw();
  return format_transaction(tx, sender, TxLocation{hash, block->header.number, index, block->header.base_fee}, flavor);
}

Status register_flavoured(rpc::MethodRegistry& m, const std::string& name,
                          const std::function<MethodResult(const json&, Flavor)>& fn) {
  if (Status s = m.register_method("eth_" + name, [fn](const json& p) { return fn(p, Flavor::kEth); }); !s) return s;
  return m.register_method("klay_" + name, [fn](const json& p) { return fn(p, Flavor::kKlay); });
}

}  // namespace

Status register_chain_methods(rpc::MethodRegistry& m, const ApiBackend& backend) {
  ApiBackend b = backend;
  if (!b.blocks) b.blocks = std::make_shared<BlockCache>();
  const chain::BlockChain* chain = b.chain;
  std::shared_ptr<BlockCache> cache = b.blocks;
  auto chain_id = [chain](const json& params) -> MethodResult {
    (void)ParamList::from(params, 0, 0).value_or_throw();
    return rpc::encode_quantity(chain->chain_id());
  };
  if (Status s = m.register_method("eth_chainId", chain_id); !s) return s;
  if (Status s = m.register_alias("klay_chainID", "eth_chainId"); !s) return s;
  if (Status s = register_eth_klay(m, "blockNumber",
                                   [chain](const json& params) -> MethodResult {
                                     (void)ParamList::from(params, 0, 0).value_or_throw();
                                     return rpc::encode_quantity(chain->head().number);
                                   });
      !s)
    return s;

  Status s = register_flavoured(m, "getBlockByNumber", [chain, cache](const json& params, Flavor f) -> MethodResult {
    auto args = ParamList::from(params, 1, 2).value_or_throw();
    const rpc::BlockTag tag = args.block_tag(0).value_or_throw();
    const bool full = args.has(1) && args.boolean(1).value_or_throw();
    auto block = block_for_tag(*chain, tag);
    if (!block) return nullptr;
    return block_json(*chain, *cache, *block, header_hash(block->header), full, f);
  });
  if (!s) return s;
  s = register_flavoured(m, "getBlockByHash", [chain, cache](const json& params, Flavor f) -> MethodResult {
    auto args = ParamList::from(params, 1, 2).value_or_throw();
    const Hash hash = args.hash(0).value_or_throw();
    const bool full = args.has(1) && args.boolean(1).value_or_throw();
    auto block = block_for_hash(*chain, hash);
    if (!block) return nullptr;
    return block_json(*chain, *cache, *block, hash, full, f);
  });
  if (!s) return s;
  s = register_eth_klay(m, "getBlockTransactionCountByNumber", [chain](const json& params) -> MethodResult {
    auto args = ParamList::from(params, 1, 1).value_or_throw();
    auto block = block_for_tag(*chain, args.block_tag(0).value_or_throw());
    if (!block) return nullptr;
    return rpc::encode_quantity(static_cast<uint64_t>(block->transactions.size()));
  });
  if (!s) return s;
  s = register_eth_klay(m, "getBlockTransactionCountByHash", [chain](const json& params) -> MethodResult {
    auto args = ParamList::from(params, 1, 1).value_or_throw();
    auto block = block_for_hash(*chain, args.hash(0).value_or_throw());
    if (!block) return nullptr;
    return rpc::encode_quantity(static_cast<uint64_t>(block->transactions.size()));
  });
  if (!s) return s;
  s = register_flavoured(m, "getTransactionByHash", [b](const json& p, Flavor f) { return tx_by_hash(b, p, f); });
  if (!s) return s;
  s = register_flavoured(m, "getTransactionReceipt", [b](const json& p, Flavor f) { return receipt_by_hash(b, p, f); });
  if (!s) return s;
  s = register_flavoured(m, "getTransactionByBlockNumberAndIndex", [b](const json& params, Flavor f) {
    auto args = ParamList::from(params, 2, 2).value_or_throw();
    auto block = block_for_tag(*b.chain, args.block_tag(0).value_or_throw());
    return tx_in_block(b, block, args.quantity(1).value_or_throw(), f);
  });
  if (!s) return s;
  return register_flavoured(m, "getTransactionByBlockHashAndIndex", [b](const json& params, Flavor f) {
    auto args = ParamList::from(params, 2, 2).value_or_throw();
    auto block = block_for_hash(*b.chain, args.hash(0).value_or_throw());
    return tx_in_block(b, block, args.quantity(1).value_or_throw(), f);
  });
}

}  // namespace klay::api
