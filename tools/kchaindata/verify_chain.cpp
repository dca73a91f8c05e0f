#include <tbb/parallel_for.h>

#include <atomic>

#include "engine/klaytn/block.h"
#include "engine/klaytn/receipt.h"
#include "engine/rawdb/accessors_chain.h"
#include "engine/rawdb/accessors_meta.h"
#include "engine/rawdb/schema.h"
#include "tools/kchaindata/verify_levels.h"

namespace klay::kchaindata {

namespace {

struct ChainChecker {
  const chaindata::DBManager& dbm;
  DeriveShaImpl impl;
  ProblemLog& log;

  void problem(uint64_t n, const char* kind, ByteView key, const std::string& msg) const {
    log.add({"chain", kind, key.empty() ? "" : "0x" + to_hex(key), "block " + std::to_string(n),
             "block " + std::to_string(n) + ": " + msg});
  }

  void check_block(uint64_t n) const {
    auto hash = rawdb::read_canonical_hash(dbm, n);
    if (!hash) return problem(n, "missing_canonical_hash", rawdb::canonical_hash_key(n), hash.status().message());
    const Bytes hkey = rawdb::header_key(n, *hash);
    auto header = rawdb::read_header(dbm, n, *hash);
    if (!header) return problem(n, "bad_header", hkey, header.status().message());
    if (header->number != n) problem(n, "header_number", hkey, "the header says number " + std::to_string(header->number));
    const Hash computed = header_hash(*header);
    if (computed != *hash) problem(n, "header_hash", hkey, "the header under " + hash->hex() + " hashes to " + computed.hex());
    if (n > 0) {
      auto parent = rawdb::read_canonical_hash(dbm, n - 1);
      if (parent && header->parent_hash != *parent) {
        problem(n, "parent_link", hkey, "parent hash " + header->parent_hash.hex() + " is not canonical block " +
                                            std::to_string(n - 1) + " " + parent->hex());
      }
    }
    auto number = rawdb::read_header_number(dbm, *hash);
    if (!number) problem(n, "header_number", rawdb::header_number_key(*hash), number.status().message());
    else if (*number != n) problem(n, "header_number", rawdb::header_number_key(*hash), "hash maps to block " + std::to_string(*number));
    auto td = rawdb::read_total_score(dbm, n, *hash);
    if (!td) problem(n, "total_score", rawdb::total_score_key(n, *hash), td.status().message());

    auto body = rawdb::read_body(dbm, n, *hash);
    if (!body) return problem(n, "bad_body", rawdb::body_key(n, *hash), body.status().message());
    const Hash tx_root = transactions_root(impl, body->transactions);
    if (tx_root != header->tx_hash) {
      problem(n, "tx_root", rawdb::body_key(n, *hash),
              "the body's transactions give root " + tx_root.hex() + " but the header has " + header->tx_hash.hex());
    }
    auto receipts = rawdb::read_receipts(dbm, n, *hash);
    if (!receipts) {
      problem(n, "bad_receipts", rawdb::receipts_key(n, *hash), receipts.status().message());
    } else {
      if (receipts->size() != body->transactions.size()) {
        problem(n, "receipt_count", rawdb::receipts_key(n, *hash),
                std::to_string(receipts->size()) + " receipts for " + std::to_string(body->transactions.size()) +
                    " transactions");
      }
      const Hash r_root = receipts_root(impl, *receipts);
      if (r_root != header->receipt_hash) {
        problem(n, "receipts_root", rawdb::receipts_key(n, *hash),
                "the receipts give root " + r_root.hex() + " but the header has " + header->receipt_hash.hex());
      }
    }
    for (size_t i = 0; i < body->transactions.size(); ++i) {
      const Hash th = tx_hash(body->transactions[i]);
      auto e = rawdb::read_tx_lookup(dbm, th);
      if (!e) {
        problem(n, "tx_lookup", rawdb::tx_lookup_key(th), "transaction " + th.hex() + ": " + e.status().message());
      } else if (e->block_hash != *hash || e->block_num != n || e->index != i) {
        problem(n, "tx_lookup", rawdb::tx_lookup_key(th),
                "the lookup of transaction " + th.hex() + " points at block " + std::to_string(e->block_num) + " " +
                    e->block_hash.hex() + " index " + std::to_string(e->index) + ", not index " + std::to_string(i));
      }
    }
  }
};

}  // namespace

Result<LevelResult> verify_chain(const chaindata::DBManager& dbm, std::optional<uint64_t> block, ProblemLog& log,
                                 FILE* progress_out, bool quiet) {
  uint64_t last = 0;
  if (block) {
    last = *block;
  } else {
    auto head = rawdb::read_head(dbm, rawdb::Head::kBlock);
    if (!head) return Status::invalid_argument("the datadir has no head block (LastBlock): " + head.status().message());
    auto n = rawdb::read_header_number(dbm, *head);
    if (!n) return Status::invalid_argument("the head block " + head->hex() + " has no number record: " + n.status().message());
    last = *n;
  }
  DeriveShaImpl impl = DeriveShaImpl::kOriginal;
  auto genesis = rawdb::read_canonical_hash(dbm, 0);
  if (!genesis) return Status::invalid_argument("the datadir has no genesis block: " + genesis.status().message());
  auto config = rawdb::read_chain_config(dbm, *genesis);
  if (!config) {
    log.add({"chain", "chain_config", "0x" + to_hex(rawdb::config_key(*genesis)), "genesis",
             "no readable chain config (" + config.status().message() + "); roots checked with deriveShaImpl 0"});
  } else {
    impl = derive_sha_impl_from(config->derive_sha_impl);
  }
  for (auto head : {rawdb::Head::kHeader, rawdb::Head::kBlock, rawdb::Head::kFastBlock}) {
    auto h = rawdb::read_head(dbm, head);
    if (!h) continue;
    auto n = rawdb::read_header_number(dbm, *h);
    auto canon = n ? rawdb::read_canonical_hash(dbm, *n) : Result<Hash>(n.status());
    if (!canon || *canon != *h) {
      log.add({"chain", "head", "0x" + to_hex(as_view(rawdb::head_key(head))), "heads",
               std::string(rawdb::head_key(head)) + " names " + h->hex() + ", which is not a canonical block"});
    }
  }
  cli::Progress progress("verify chain", last + 1, "blocks", progress_out);
  if (quiet) progress.silence();
  ChainChecker checker{dbm, impl, log};
  tbb::parallel_for(tbb::blocked_range<uint64_t>(0, last + 1, 64), [&](const tbb::blocked_range<uint64_t>& r) {
    for (uint64_t n = r.begin(); n != r.end(); ++n) checker.check_block(n);
    progress.add(r.size());
  });
  progress.finish();
  LevelResult r;
  r.checked = last + 1;
  r.note = "blocks 0.." + std::to_string(last);
  return r;
}

}  // namespace klay::kchaindata
