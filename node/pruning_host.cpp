#include "node/pruning_host.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "engine/rawdb/datadir_settings.h"
#include "pruning/live_pruning_rules.h"

namespace klay::node {

Result<std::unique_ptr<PruningHost>> PruningHost::prepare(const std::filesystem::path& datadir,
                                                          chain::BlockChainOptions& options,
                                                          rpc::MetricsRegistry* metrics) {
  auto settings = rawdb::load_datadir_settings(datadir);
  if (!settings) return settings.status();
  std::unique_ptr<PruningHost> host(new PruningHost());
  host->metrics_ = metrics;
  if (*settings) {
    host->marks_enabled_.store((*settings)->live_pruning);
    host->retention_ = (*settings)->live_pruning_retention;
  }
  PruningHost* self = host.get();
  auto prev_batch = std::move(options.on_block_batch);
  options.on_block_batch = [self, prev_batch](uint64_t n, std::span<const trie::NodeKey> obsolete,
                                               rawdb::ChainWriter& w) {
    if (prev_batch) {
      if (Status s = prev_batch(n, obsolete, w); !s) return s;
    }
    return self->on_block_batch(n, obsolete, w);
  };
  auto prev_inserted = std::move(options.on_block_inserted);
  options.on_block_inserted = [self, prev_inserted](const chain::BlockInsertedEvent& ev) {
    if (prev_inserted) prev_inserted(ev);
    self->on_block_inserted(ev);
  };
  return host;
}

PruningHost::~PruningHost() {
  std::lock_guard lock(mu_);
  if (running_) spdlog::error("pruning: the host was destroyed before its running pruner");
}

Status PruningHost::on_block_batch(uint64_t block_num, std::span<const trie::NodeKey> obsolete,
                                   rawdb::ChainWriter& w) {
  if (!marks_enabled_.load() || block_num == 0) return Status::ok();
  return pruning::LivePruner::write_marks(w, block_num - 1, obsolete);
}

void PruningHost::on_block_inserted(const chain::BlockInsertedEvent& ev) {
  std::lock_guard lock(mu_);
  if (running_) running_->on_block_inserted(ev);
}

Result<std::unique_ptr<RunningPruning>> PruningHost::start(const chaindata::DBManager& dbm,
                                                           const chain::BlockChain& chain) {
  auto enabled = pruning::resolve_live_pruning(dbm, false);
  if (!enabled) return enabled.status();
  const bool recorded = marks_enabled_.load();
  if (*enabled != recorded) {
    // Misc decides (the chain keys its state by it); marks written meanwhile
    // only ever leak garbage, never delete a live node.
    spdlog::warn("pruning: the datadir settings file says live pruning is {} but the database says {}; "
                 "following the database",
                 recorded ? "on" : "off", *enabled ? "on" : "off");
    marks_enabled_.store(*enabled);
  }
  if (!*enabled) return std::unique_ptr<RunningPruning>();

  pruning::LivePrunerOptions po;
  po.retention = retention_;
  po.memory_window = chain.options().gc_mode == chain::GcMode::kFull ? chain.options().tries_in_memory : 0;
  auto pruner = pruning::LivePruner::open(dbm, po, chain.head().number);
  if (!pruner) return pruner.status();

  std::unique_ptr<RunningPruning> run(new RunningPruning(*this, chain, std::move(*pruner)));
  auto position = run->position();
  if (!position) return position.status();
  const pruning::ChainPosition& pos = *position;
  run->pruner_->start_background();
  spdlog::info("pruning: live pruning keeps the state of the last {} blocks (memory window {}); last pruned "
               "block {}, head {}",
               po.retention, po.memory_window,
               run->pruner_->any_pruned() ? std::to_string(run->pruner_->last_pruned()) : std::string("none"),
               pos.head);
  run->update_metrics(pos);
  run->pruner_->notify(pos);  // catch up now, not at the next block
  {
    std::lock_guard lock(mu_);
    running_ = run.get();
  }
  return run;
}

// ---- RunningPruning ----

RunningPruning::RunningPruning(PruningHost& host, const chain::BlockChain& chain,
                               std::unique_ptr<pruning::LivePruner> pruner)
    : host_(host), chain_(chain), pruner_(std::move(pruner)) {
  if (host.metrics_) {
    last_pruned_gauge_ =
        &host.metrics_->gauge("klay_pruning_last_pruned_block", "live pruning: lastPrunedBlockNumber");
    lag_gauge_ = &host.metrics_->gauge("klay_pruning_lag_blocks",
                                       "live pruning: blocks whose marks may be processed but are not yet");
  }
}

RunningPruning::~RunningPruning() { stop(); }

void RunningPruning::stop() {
  if (stopped_) return;
  stopped_ = true;
  {
    std::lock_guard lock(host_.mu_);
    if (host_.running_ == this) host_.running_ = nullptr;
  }
  pruner_->stop_background();
  if (Status s = pruner_->background_status(); !s) spdlog::warn("pruning: stopped after an error: {}", s.message());
  if (last_pruned_gauge_) last_pruned_gauge_->set(static_cast<double>(pruner_->last_pruned()));
}

Result<pruning::ChainPosition> RunningPruning::position() const {
  const chain::ChainHead head = chain_.head();
  pruning::ChainPosition pos;
  pos.head = head.number;
  pos.durable_state_block = std::min(chain_.state_on_disk_block(), head.number);
  pos.protected_roots.push_back(trie::NodeKey::plain(head.header.root));
  if (pos.durable_state_block != head.number) {
    auto h = chain_.header_by_number(pos.durable_state_block);
    if (!h) return h.status();
    pos.protected_roots.push_back(trie::NodeKey::plain(h->root));
  }
  return pos;
}

void RunningPruning::refresh_metrics() {
  if (auto pos = position()) update_metrics(*pos);
}

std::optional<uint64_t> RunningPruning::limit(const pruning::ChainPosition& pos) const {
  const auto& o = pruner_->options();
  if (pos.head < o.retention || pos.durable_state_block == 0 || pos.head < o.memory_window) return std::nullopt;
  return std::min({pos.head - o.retention, pos.durable_state_block - 1, pos.head - o.memory_window});
}

void RunningPruning::update_metrics(const pruning::ChainPosition& pos) {
  const uint64_t last = pruner_->last_pruned();
  const std::optional<uint64_t> lim = limit(pos);
  const uint64_t next = pruner_->any_pruned() ? last + 1 : 0;
  const uint64_t lag = lim && *lim + 1 > next ? *lim + 1 - next : 0;
  if (last_pruned_gauge_) last_pruned_gauge_->set(static_cast<double>(last));
  if (lag_gauge_) lag_gauge_->set(static_cast<double>(lag));
  const auto now = std::chrono::steady_clock::now();
  if (lag > kPruningBehindWarnBlocks) {
    if (!behind_ || now - last_behind_log_ >= std::chrono::seconds(30)) {
      spdlog::warn("pruning: falling behind: {} blocks of pruning marks wait (last pruned block {}, may prune up "
                   "to {})",
                   lag, last, *lim);
      last_behind_log_ = now;
    }
    behind_ = true;
  } else if (behind_ && lag <= kPruningBehindWarnBlocks / 2) {
    spdlog::info("pruning: caught up (last pruned block {})", last);
    behind_ = false;
  }
}

void RunningPruning::on_block_inserted(const chain::BlockInsertedEvent& ev) {
  pruning::ChainPosition pos;
  pos.head = ev.block.header.number;
  pos.durable_state_block = std::min(chain_.state_on_disk_block(), pos.head);
  pos.protected_roots.push_back(trie::NodeKey::plain(ev.block.header.root));
  if (pos.durable_state_block != pos.head) {
    if (pos.durable_state_block != durable_block_) {
      auto h = chain_.header_by_number(pos.durable_state_block);
      if (h) {
        durable_block_ = pos.durable_state_block;
        durable_root_ = h->root;
      }
    }
    // Without the durable root protected, wait for the next block rather than prune.
    if (durable_block_ != pos.durable_state_block) return;
    pos.protected_roots.push_back(trie::NodeKey::plain(durable_root_));
  }
  update_metrics(pos);
  pruner_->notify(std::move(pos));
}

}  // namespace klay::node
