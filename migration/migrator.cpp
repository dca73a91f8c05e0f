#include "migration/migrator.h"

#include <algorithm>
#include <condition_variable>
#include <thread>

#include "engine/rawdb/accessors_meta.h"
#include "engine/rawdb/chain_batch.h"
#include "migration/migration_cleanup.h"

namespace klay::migration {

using chaindata::EntryType;

namespace {
enum PhaseCode : int { kCopying = 0, kVerifying = 1, kVerifiedPhase = 2, kFinished = 3, kStopped = 4, kFailed = 5 };
const char* phase_name(int p) {
  switch (p) {
    case kCopying: return "copying";
    case kVerifying: return "verifying";
    case kVerifiedPhase: return "verified";
    case kFinished: return "finished";
    case kStopped: return "stopped";
    default: return "failed";
  }
}
}  // namespace

Result<std::unique_ptr<StateMigration>> StateMigration::start(chaindata::DBManager& dbm, uint64_t block_num,
                                                              const trie::NodeKey& root, MigrationOptions options) {
  if (dbm.is_single()) {
    return Status::not_supported(
        "state migration needs a separate state-trie database, but this datadir is in single-DB mode (--db.single)");
  }
  if (dbm.config().read_only) return Status::not_supported("state migration cannot run on a read-only chaindata");
  if (root.empty()) return Status::invalid_argument("state migration needs the state root of block " +
                                                    std::to_string(block_num));
  auto running = rawdb::read_migration_status(dbm);
  if (!running) return running.status();
  if (*running != 0) {
    return Status::busy("a state migration at block " + std::to_string(*running) + " is already running");
  }
  auto has_root = dbm.state_trie().has(root.view());
  if (!has_root) return has_root.status();
  if (!*has_root) {
    return Status::not_found("the state of block " + std::to_string(block_num) + " is not available (root " +
                             root.hex() + " is missing)");
  }
  const std::string dir = chaindata::migration_dir_name(block_num);
  auto live = dbm.dir_name(EntryType::kStateTrie);
  if (!live) return live.status();
  if (*live == dir) {
    return Status::invalid_argument("the state trie already lives in " + dir + ": it was migrated at block " +
                                    std::to_string(block_num));
  }
  // A leftover directory of an earlier attempt holds no usable checkpoint (its
  // misc record is gone), so start clean.
  if (!dbm.is_open(EntryType::kStateTrieMigration)) {
    if (Status s = dbm.remove_dir(dir); !s) return s;
  }
  if (Status s = dbm.open_entry(EntryType::kStateTrieMigration, dir); !s) return s;
  CheckpointMeta meta;
  meta.block_num = block_num;
  meta.root = root;
  // Order: checkpoint first, then misc, so migrationStatus never names a
  // target without a checkpoint.
  if (Status s = dbm.db(EntryType::kStateTrieMigration).put(as_view(kMetaKey), encode_meta(meta)); !s) return s;
  rawdb::DirectWriter w(dbm);
  if (Status s = rawdb::write_migration_status(w, block_num); !s) return s;
  std::unique_ptr<StateMigration> m(new StateMigration(dbm, meta, std::move(options)));
  if (Status s = m->init_filters(); !s) return s;
  return m;
}

Result<std::unique_ptr<StateMigration>> StateMigration::resume(chaindata::DBManager& dbm, MigrationOptions options) {
  auto running = rawdb::read_migration_status(dbm);
  if (!running) return running.status();
  if (*running == 0) return Status::not_found("no state migration is running");
  kv::Database* target = dbm.find(EntryType::kStateTrieMigration);
  if (target == nullptr) {
    return Status::corruption("misc records a state migration at block " + std::to_string(*running) +
                              " but its database is not open");
  }
  Bytes value;
  Status s = target->get(as_view(kMetaKey), &value);
  if (s.is_not_found()) return Status::corruption("the state migration database has no checkpoint record");
  if (!s) return s;
  auto meta = decode_meta(value);
  if (!meta) return meta.status();
  if (meta->block_num != *running) {
    return Status::corruption("the state migration checkpoint is for block " + std::to_string(meta->block_num) +
                              " but misc records block " + std::to_string(*running));
  }
  std::unique_ptr<StateMigration> m(new StateMigration(dbm, *meta, std::move(options)));
  if (Status fs = m->init_filters(); !fs) return fs;
  return m;
}

StateMigration::StateMigration(chaindata::DBManager& dbm, CheckpointMeta meta, MigrationOptions options)
    : dbm_(dbm), meta_(std::move(meta)), base_(meta_), options_(std::move(options)) {
  phase_ = meta_.phase == Phase::kVerified ? kVerifiedPhase : kCopying;
  runs_ = meta_.runs;
}

StateMigration::~StateMigration() = default;

kv::Database& StateMigration::target() const { return dbm_.db(EntryType::kStateTrieMigration); }

Status StateMigration::init_filters() {
  auto stats = dbm_.state_trie().stats();
  if (!stats) return stats.status();
  estimated_nodes_ = std::max<uint64_t>(stats->estimated_keys, 1024);
  // Existing completion records (a resumed run) must all enter the filter.
  uint64_t existing = 0;
  {
    kv::IteratorOptions io;
    io.prefix = to_bytes(kDoneRecordPrefix);
    auto it = target().new_iterator(io);
    for (; it->valid(); it->next()) ++existing;
    if (Status s = it->status(); !s) return s;
  }
  const uint64_t expected = std::max(estimated_nodes_ / (options_.record_min_nodes / 2 + 1), existing * 2);
  subtrees_ = std::make_unique<SubtreeFilter>(expected);
  codes_ = std::make_unique<SubtreeFilter>(estimated_nodes_ / 16);
  kv::IteratorOptions io;
  io.prefix = to_bytes(kDoneRecordPrefix);
  auto it = target().new_iterator(io);
  for (; it->valid(); it->next()) subtrees_->insert(it->key().subspan(kDoneRecordPrefix.size()));
  return it->status();
}

Status StateMigration::write_meta() {
  CheckpointMeta m = meta_;
  m.nodes_read = base_.nodes_read + counters_.read.load();
  m.nodes_written = base_.nodes_written + counters_.written.load() + counters_.codes_written.load();
  return target().put(as_view(kMetaKey), encode_meta(m));
}

CopyOptions StateMigration::copy_options() const {
  CopyOptions o;
  o.threads = options_.threads;
  o.record_min_nodes = std::max<uint64_t>(options_.record_min_nodes, 1);
  o.flush_interval = options_.checkpoint_interval;
  o.unsafe_skip_if_present = options_.unsafe_skip_if_present;
  o.before_subtree = options_.before_subtree;
  return o;
}

Status StateMigration::run() {
  stop_ = false;
  {
    std::lock_guard lock(err_mu_);
    err_.clear();
  }
  meta_.runs = ++runs_;
  run_start_ = std::chrono::steady_clock::now();
  if (Status s = write_meta(); !s) return s;
  monitor_stop_ = false;
  std::thread monitor([this] { monitor_loop(); });
  struct JoinOnExit {  // also when a hook throws through copy_and_verify()
    std::atomic<bool>& stop;
    std::thread& t;
    ~JoinOnExit() {
      stop = true;
      if (t.joinable()) t.join();
    }
  } join_monitor{monitor_stop_, monitor};
  verified_latest_ = trie::NodeKey{};
  Status s = copy_and_verify();
  monitor_stop_ = true;
  monitor.join();
  if (s && !verified_latest_.empty()) {
    meta_.phase = Phase::kVerified;
    meta_.verified_root = verified_latest_;
  }
  // Fold this run's counters into the checkpoint even on failure.
  meta_.nodes_read = base_.nodes_read + counters_.read.load();
  meta_.nodes_written = base_.nodes_written + counters_.written.load() + counters_.codes_written.load();
  if (Status ws = target().put(as_view(kMetaKey), encode_meta(meta_)); !ws && s) s = ws;
  if (!s) {
    phase_ = s.code() == Status::Code::kAborted ? kStopped : kFailed;
    if (phase_ == kFailed) {
      std::lock_guard lock(err_mu_);
      err_ = s.message();
    }
  }
  return s;
}

Status StateMigration::copy_and_verify() {
  trie::NodeKey latest = meta_.root;
  if (options_.latest_root) {
    auto r = options_.latest_root();
    if (!r) return r.status();
    latest = *r;
  }
  if (meta_.phase == Phase::kVerified && meta_.verified_root == latest) {
    phase_ = kVerifiedPhase;
    return Status::ok();
  }
  phase_ = kCopying;
  TrieCopier copier(dbm_.state_trie(), target(), *subtrees_, *codes_, counters_, copy_options(), stop_);
  if (Status s = copier.copy(meta_.root); !s) return s;
  if (!(latest == meta_.root)) {
    if (Status s = copier.copy(latest); !s) return s;
  }
  phase_ = kVerifying;
  verify_nodes_ = 0;
  verify_total_ = std::max<uint64_t>(counters_.read.load() + counters_.skipped.load(), 1);
  VerifiedSet seen(std::max<uint64_t>(estimated_nodes_ / 8, 1u << 20));
  if (Status s = verify_state(target(), meta_.root, seen, options_.threads, stop_, nullptr, &verify_nodes_); !s) {
    return s;
  }
  if (!(latest == meta_.root)) {
    if (Status s = verify_state(target(), latest, seen, options_.threads, stop_, nullptr, &verify_nodes_); !s) {
      return s;
    }
  }
  verified_latest_ = latest;  // folded into meta_ by run() once the monitor stopped
  phase_ = kVerifiedPhase;
  return Status::ok();
}

void StateMigration::monitor_loop() {
  using clock = std::chrono::steady_clock;
  auto last_checkpoint = clock::now();
  auto last_progress = clock::now();
  const auto tick = std::chrono::milliseconds(50);
  while (!monitor_stop_.load()) {
    std::this_thread::sleep_for(tick);
    const auto now = clock::now();
    if (now - last_checkpoint >= options_.checkpoint_interval) {
      last_checkpoint = now;
      (void)write_meta();  // best effort: the completion records are the real checkpoint
    }
    if (options_.on_progress && now - last_progress >= options_.progress_interval) {
      last_progress = now;
      MigrationProgress p;
      p.status = status();
      const double secs = std::chrono::duration<double>(now - run_start_).count();
      const double nodes = static_cast<double>(counters_.read.load() + counters_.skipped.load());
      p.nodes_per_second = secs > 0 ? nodes / secs : 0;
      if (p.status.progress > 0.5) p.eta_seconds = secs * (100.0 - p.status.progress) / p.status.progress;
      options_.on_progress(p);
    }
  }
}

MigrationStatus StateMigration::status() const {
  MigrationStatus st;
  const int phase = phase_.load();
  st.is_migration = phase != kFinished && phase != kStopped;
  st.block_num = meta_.block_num;
  st.read = base_.nodes_read + counters_.read.load();
  st.committed = base_.nodes_written + counters_.written.load() + counters_.codes_written.load();
  st.pending = counters_.pending.load();
  st.skipped = counters_.skipped.load();
  st.runs = runs_.load();
  st.phase = phase_name(phase);
  if (phase == kCopying) {
    const uint64_t total = counters_.units_total.load();
    st.progress = total == 0 ? 0 : 90.0 * static_cast<double>(counters_.units_done.load()) / static_cast<double>(total);
  } else if (phase == kVerifying) {
    const double v = static_cast<double>(verify_nodes_.load()) / static_cast<double>(std::max<uint64_t>(verify_total_, 1));
    st.progress = 90.0 + 10.0 * std::min(v, 0.99);
  } else if (phase == kVerifiedPhase || phase == kFinished) {
    st.progress = 100;
  }
  std::lock_guard lock(err_mu_);
  st.err = err_;
  return st;
}

Status StateMigration::finish() {
  if (Status s = swap(); !s) return s;
  return remove_old();
}

Status StateMigration::swap() {
  if (meta_.phase != Phase::kVerified) {
    return Status::invalid_argument("the state migration is not verified yet; run it to completion first");
  }
  if (options_.latest_root) {
    // Whatever the newest root gained since the verify: only unrecorded
    // (changed) subtrees are read, the rest is skipped by its records.
    auto latest = options_.latest_root();
    if (!latest) return latest.status();
    if (!(*latest == meta_.verified_root)) {
      TrieCopier copier(dbm_.state_trie(), target(), *subtrees_, *codes_, counters_, copy_options(), stop_);
      if (Status s = copier.copy(*latest); !s) return s;
    }
  }
  auto old_dir = dbm_.dir_name(EntryType::kStateTrie);
  if (!old_dir) return old_dir.status();
  rawdb::DirectWriter w(dbm_);
  if (Status s = rawdb::write_migration_old_db_path(w, *old_dir); !s) return s;
  auto promoted = dbm_.promote_migration_target();
  if (!promoted) return promoted.status();
  if (Status s = w.del(EntryType::kMisc, rawdb::fixed_key(rawdb::kMigrationStatusKey)); !s) return s;
  phase_ = kFinished;
  old_dir_ = *promoted;
  return Status::ok();
}

Status StateMigration::remove_old() {
  if (old_dir_.empty()) return Status::invalid_argument("the state migration was not swapped in");
  if (Status s = dbm_.remove_dir(old_dir_); !s) return s;
  rawdb::DirectWriter w(dbm_);
  if (Status s = rawdb::delete_migration_old_db_path(w); !s) return s;
  return delete_migration_records(dbm_.state_trie());
}

Status StateMigration::drop() {
  const std::string dir = chaindata::migration_dir_name(meta_.block_num);
  if (dbm_.is_open(EntryType::kStateTrieMigration)) {
    if (Status s = dbm_.close_entry(EntryType::kStateTrieMigration, /*clear_record=*/true); !s) return s;
  }
  if (Status s = dbm_.remove_dir(dir); !s) return s;
  rawdb::DirectWriter w(dbm_);
  if (Status s = w.del(EntryType::kMisc, rawdb::fixed_key(rawdb::kMigrationStatusKey)); !s) return s;
  phase_ = kStopped;
  return Status::ok();
}

}  // namespace klay::migration
