#include "node/migration_host.h"

#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <shared_mutex>

#include "engine/rawdb/accessors_meta.h"
#include "engine/rawdb/trie_store.h"
#include "migration/dual_store.h"

namespace klay::node {

using chaindata::EntryType;

// The switchable state-trie I/O shared by the host and the chain.
// write_mu serialises the chain's sink calls with the host's switches;
// read_mu (shared by readers) is taken exclusively by the switches.
// Lock order: host mu_ -> write_mu -> read_mu.
// It is also the chain's disk reader (node and code): target first while
// migrating.
struct MigrationHost::Routing : public trie::NodeReader, public state::CodeReader {
  std::mutex write_mu;
  std::unique_ptr<rawdb::StateStoreBatch> plain;     // over the live state trie
  std::unique_ptr<migration::DualStateWriter> dual;  // over *plain and the target, while migrating
  mutable std::shared_mutex read_mu;
  std::unique_ptr<rawdb::StateStoreReader> plain_reader;
  std::unique_ptr<migration::FallbackStateReader> dual_reader;
  // Set when a write to the target failed: the chain went on with the old
  // database alone and the migration must be abandoned (it lost writes).
  std::atomic<bool> dual_failed{false};

  // Points everything at `live` (a new database: pending writes are dropped,
  // the caller flushed them first).
  void bind_locked(kv::Database& live) {
    dual.reset();
    dual_reader.reset();
    plain = std::make_unique<rawdb::StateStoreBatch>(live);
    plain_reader = std::make_unique<rawdb::StateStoreReader>(live);
  }
  void to_dual_locked(kv::Database& target, kv::Database& live) {
    dual_failed = false;
    dual = std::make_unique<migration::DualStateWriter>(*plain, *plain, target);
    dual_reader = std::make_unique<migration::FallbackStateReader>(target, live);
  }
  // Back to the old database alone, keeping its pending writes.
  void to_plain_locked() {
    dual.reset();
    dual_reader.reset();
  }
  Status get(ByteView key, Bytes* node) const override {
    std::shared_lock lock(read_mu);
    if (dual_reader) return dual_reader->get(key, node);
    if (plain_reader) return plain_reader->get(key, node);
    return Status::invalid_argument("the state trie database is not open");
  }
  Status get(const Hash& code_hash, Bytes* code) const override {
    std::shared_lock lock(read_mu);
    if (dual_reader) return dual_reader->get(code_hash, code);
    if (plain_reader) return plain_reader->get(code_hash, code);
    return Status::invalid_argument("the state trie database is not open");
  }
  // After a target write failed (write_mu held): stop using the target.
  void abandon_dual_locked(const Status& why) {
    spdlog::error("state migration: writing to the new database failed ({}); blocks continue on the old database "
                  "and the migration will be abandoned",
                  why.message());
    dual_failed = true;
    dual.reset();
    std::unique_lock rl(read_mu);
    dual_reader.reset();
  }
};

namespace {

Status not_bound() { return Status::invalid_argument("the state trie database is not open"); }

// The chain's StateSink: the plain batch, or the dual writer.
class RoutedSink : public chain::StateSink {
 public:
  explicit RoutedSink(std::shared_ptr<MigrationHost::Routing> r) : r_(std::move(r)) {}

  Status put(ByteView key, ByteView node) override {
    std::lock_guard lock(r_->write_mu);
    if (!r_->plain) return not_bound();
    if (r_->dual) {
      Status s = r_->dual->put(key, node);
      if (s) return s;
      r_->abandon_dual_locked(s);  // a repeated put into the old batch is harmless
    }
    return r_->plain->put(key, node);
  }
  Status put(const Hash& code_hash, ByteView code) override {
    std::lock_guard lock(r_->write_mu);
    if (!r_->plain) return not_bound();
    if (r_->dual) {
      Status s = r_->dual->put(code_hash, code);
      if (s) return s;
      r_->abandon_dual_locked(s);
    }
    return r_->plain->put(code_hash, code);
  }
  Status flush() override {
    std::lock_guard lock(r_->write_mu);
    if (!r_->plain) return not_bound();
    if (Status s = r_->plain->flush(); !s) return s;
    if (r_->dual) {
      if (Status s = r_->dual->flush(); !s) r_->abandon_dual_locked(s);
    }
    return Status::ok();
  }

 private:
  std::shared_ptr<MigrationHost::Routing> r_;
};

std::string eta_text(double seconds) {
  if (seconds < 0) return "unknown";
  const auto s = static_cast<uint64_t>(seconds);
  if (s >= 3600) return fmt::format("{}h{:02}m", s / 3600, (s / 60) % 60);
  if (s >= 60) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}s", s);
}

}  // namespace

MigrationHostOptions MigrationHostOptions::from_environment() {
  MigrationHostOptions o;
  auto number = [](const char* name) -> uint64_t {
    const char* v = std::getenv(name);
    if (v == nullptr || *v == '\0') return 0;
    char* end = nullptr;
    const unsigned long long n = std::strtoull(v, &end, 10);
    return end != nullptr && *end == '\0' ? n : 0;
  };
  if (const uint64_t delay = number("KNODE_TEST_MIGRATION_DELAY_US"); delay > 0) {
    spdlog::warn("KNODE_TEST_MIGRATION_DELAY_US={}: state migrations are slowed down for testing", delay);
    o.before_subtree = [delay](size_t, const trie::NodeKey&) {
      std::this_thread::sleep_for(std::chrono::microseconds(delay));
    };
  }
  o.threads = number("KNODE_MIGRATION_THREADS");
  return o;
}

MigrationHost::MigrationHost(rpc::MetricsRegistry* metrics, MigrationHostOptions options)
    : metrics_(metrics), options_(std::move(options)) {
  routing_ = std::make_shared<Routing>();
  if (metrics_ != nullptr) {
    rpc::MetricsRegistry& r = *metrics_;
    g_running_ = &r.gauge("klay_migration_running", "1 while an online state migration is requested or running");
    g_block_ = &r.gauge("klay_migration_block", "block number of the running state migration");
    g_read_ = &r.gauge("klay_migration_read_nodes", "trie nodes read from the old database (all runs)");
    g_committed_ = &r.gauge("klay_migration_committed_nodes", "nodes and codes written to the new database");
    g_pending_ = &r.gauge("klay_migration_pending_nodes", "nodes queued in batches not yet written");
    g_skipped_ = &r.gauge("klay_migration_skipped_nodes", "nodes covered by completion records");
    g_progress_ = &r.gauge("klay_migration_progress_percent", "state migration progress in percent");
    g_rate_ = &r.gauge("klay_migration_nodes_per_second", "state migration copy rate of the current run");
    c_finished_ = &r.counter("klay_migration_finished_total", "state migrations swapped in since start");
  }
}

MigrationHost::~MigrationHost() { shutdown(); }

void MigrationHost::prepare(chain::BlockChainOptions& options) {
  std::shared_ptr<Routing> routing = routing_;
  options.state_sink_factory = [this, routing](const chaindata::DBManager& dbm)
      -> Result<std::unique_ptr<chain::StateSink>> {
    // The chain hands over its (non-const) DBManager as const: the host
    // needs it writable for the cleanup, the migration and the swap.
    if (Status s = bind(const_cast<chaindata::DBManager&>(dbm)); !s) return s;
    return std::unique_ptr<chain::StateSink>(std::make_unique<RoutedSink>(routing));
  };
  options.disk_nodes = routing_.get();
  options.disk_codes = routing_.get();
  auto previous = std::move(options.on_state_commit);
  options.on_state_commit = [this, previous](const chain::StateCommitEvent& ev) {
    if (previous) previous(ev);
    on_state_commit(ev);
  };
  auto previous_inserted = std::move(options.on_block_inserted);
  options.on_block_inserted = [last = last_block_ns_, previous_inserted](const chain::BlockInsertedEvent& ev) {
    if (previous_inserted) previous_inserted(ev);
    last->store(std::chrono::steady_clock::now().time_since_epoch().count(), std::memory_order_relaxed);
  };
}

Status MigrationHost::bind(chaindata::DBManager& dbm) {
  std::lock_guard lock(mu_);
  dbm_ = &dbm;
  kv::Database* live = dbm.find(EntryType::kStateTrie);
  if (live == nullptr) return not_bound();
  if (Status s = migration::resume_pending_cleanup(dbm); !s) {
    return with_context(s, "cannot finish the cleanup of an earlier state migration");
  }
  {
    std::lock_guard wl(routing_->write_mu);
    std::unique_lock rl(routing_->read_mu);
    routing_->bind_locked(*live);
  }
  if (dbm.is_single() || dbm.config().read_only) return Status::ok();
  auto running = rawdb::read_migration_status(dbm);
  if (!running) return running.status();
  if (*running == 0) return Status::ok();
  auto m = migration::StateMigration::resume(dbm, migration_options());
  if (!m) {
    return with_context(m.status(),
                        "cannot resume the state migration recorded at block " + std::to_string(*running));
  }
  {
    std::lock_guard wl(routing_->write_mu);
    std::unique_lock rl(routing_->read_mu);
    routing_->to_dual_locked((*m)->target(), *live);
  }
  const migration::MigrationStatus st = (*m)->status();
  spdlog::info("state migration at block {} resumed from its checkpoint ({} nodes read, {} committed so far)",
               st.block_num, st.read, st.committed);
  migration_ = std::move(*m);
  publish(migration_->status(), 0);
  return Status::ok();
}

Status MigrationHost::attach(chain::BlockChain& chain) {
  std::lock_guard lock(mu_);
  chain_ = &chain;
  {
    std::lock_guard rl(root_mu_);
    if (latest_root_.is_zero()) {
      auto h = chain.header_by_number(chain.state_on_disk_block());
      if (!h) return h.status();
      latest_root_ = h->root;
    }
  }
  if (migration_ && thread_done_) launch_locked();
  return Status::ok();
}

migration::MigrationOptions MigrationHost::migration_options() {
  migration::MigrationOptions o;
  o.threads = options_.threads != 0 ? options_.threads
                                    : std::max<size_t>(1, std::thread::hardware_concurrency() / 2);
  o.checkpoint_interval = options_.checkpoint_interval;
  o.progress_interval = options_.progress_interval;
  o.before_subtree = [share = options_.busy_share, last_block = last_block_ns_,
                      test_hook = options_.before_subtree](size_t task, const trie::NodeKey& key) {
    using Clock = std::chrono::steady_clock;
    // When this thread's previous task ended (its throttle sleep excluded).
    thread_local Clock::time_point task_start{};
    const Clock::time_point now = Clock::now();
    if (share > 0 && share < 1 && task_start != Clock::time_point{}) {
      const auto since_block = now.time_since_epoch() - Clock::duration(last_block->load(std::memory_order_relaxed));
      if (since_block < std::chrono::milliseconds(500)) {
        const auto worked = std::chrono::duration<double>(now - task_start);
        const auto pause = std::min<std::chrono::duration<double>>(worked * ((1 - share) / share),
                                                                  std::chrono::milliseconds(100));
        std::this_thread::sleep_for(pause);
      }
    }
    if (test_hook) test_hook(task, key);
    task_start = Clock::now();
  };
  o.on_progress = [this](const migration::MigrationProgress& p) { on_progress(p); };
  o.latest_root = [this]() -> Result<trie::NodeKey> {
    std::lock_guard lock(root_mu_);
    if (latest_root_.is_zero()) return Status::not_found("no committed state root is known yet");
    return trie::NodeKey::plain(latest_root_);
  };
  return o;
}

void MigrationHost::on_state_commit(const chain::StateCommitEvent& ev) {
  {
    std::lock_guard lock(root_mu_);
    latest_root_ = ev.root;
  }
  if (ev.at_close) return;
  std::lock_guard lock(mu_);
  if (!start_requested_ || migration_ || !thread_done_) return;
  start_requested_ = false;
  if (Status s = begin_at(ev.block_num, ev.root); !s) {
    spdlog::error("state migration at block {} could not start: {}", ev.block_num, s.message());
    migration::MigrationStatus st;
    st.block_num = ev.block_num;
    st.phase = "failed";
    st.err = s.message();
    last_ = st;
    publish(st, 0);
    idle_cv_.notify_all();
  }
}

Status MigrationHost::begin_at(uint64_t block_num, const Hash& root) {
  auto m = migration::StateMigration::start(*dbm_, block_num, trie::NodeKey::plain(root), migration_options());
  if (!m) return m.status();
  {
    std::lock_guard wl(routing_->write_mu);
    std::unique_lock rl(routing_->read_mu);
    routing_->to_dual_locked((*m)->target(), dbm_->state_trie());
  }
  spdlog::info("state migration started at block {} (root {}): copying into {}", block_num, root.hex(),
               chaindata::migration_dir_name(block_num));
  migration_ = std::move(*m);
  last_.reset();
  last_log_ = std::chrono::steady_clock::now();
  publish(migration_->status(), 0);
  if (chain_ != nullptr) launch_locked();
  return Status::ok();
}

void MigrationHost::launch_locked() {
  if (thread_.joinable()) thread_.join();  // a finished thread (it released mu_)
  thread_done_ = false;
  stop_requested_ = false;
  migration::StateMigration* m = migration_.get();
  thread_ = std::thread([this, m] { copy_thread(m); });
}

void MigrationHost::copy_thread(migration::StateMigration* m) {
  // The copy runs on a thread of lower priority (nice is per thread on Linux
  // and inherited by the threads it starts); the swap below runs on this one
  // at the node's priority, since it holds the chain's state I/O.
  Status s;
  std::thread copier([&] {
    if (options_.nice != 0 &&
        setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), options_.nice) != 0) {
      spdlog::debug("state migration: cannot lower the copy thread's priority");
    }
    s = m->run();
  });
  copier.join();
  std::unique_lock lock(mu_);
  // A stop that arrived while the copy was completing wins: stop_state_migration drops it.
  if (s && stop_requested_) s = Status::aborted("the state migration was stopped");
  if (routing_->dual_failed.load()) {  // also when on_progress stopped it for that reason
    s = Status::io_error("a block's state could not be written to the new database");
  }
  std::unique_ptr<migration::StateMigration> done;  // set when this thread finished or dropped it
  if (s) {
    s = finish_locked(*m);
    if (s) {
      done = std::move(migration_);
      ++finished_;
      if (c_finished_ != nullptr) c_finished_->inc();
    }
  }
  if (!s && s.code() != Status::Code::kAborted && migration_.get() == m) {
    // Like the reference: a failed migration is dropped, the old database stays.
    migration::MigrationStatus st = m->status();
    st.phase = "failed";
    st.is_migration = false;
    st.err = s.message();
    spdlog::error("state migration at block {} failed: {}; its database is dropped", st.block_num, s.message());
    if (Status ds = drop_locked(*m); !ds) {
      spdlog::error("state migration: dropping the new database failed: {}", ds.message());
    }
    last_ = st;
    done = std::move(migration_);
  }
  if (done && s) {
    // The old directory is deleted outside the lock, while blocks go on.
    // Still reported as running (phase "deleting") until the old directory is gone.
    last_ = done->status();
    last_->is_migration = true;
    last_->phase = "deleting";
    publish(*last_, 0);
    lock.unlock();
    Status rs = done->remove_old();
    lock.lock();
    last_->is_migration = false;
    last_->phase = "finished";
    if (!rs) {
      spdlog::error("state migration: deleting the old state trie failed ({}); it is retried at the next start",
                    rs.message());
      last_->err = "deleting the old state trie: " + rs.message();
    } else {
      spdlog::info("state migration at block {} finished: the state trie now lives in {}", last_->block_num,
                   chaindata::migration_dir_name(last_->block_num));
    }
  }
  if (last_) publish(*last_, 0);
  thread_done_ = true;
  idle_cv_.notify_all();
}

Status MigrationHost::finish_locked(migration::StateMigration& m) {
  std::lock_guard wl(routing_->write_mu);
  std::unique_lock rl(routing_->read_mu);
  if (routing_->dual) {
    if (Status s = routing_->plain->flush(); !s) return s;
    if (Status s = routing_->dual->flush(); !s) return s;
  }
  Status s = m.swap();
  if (dbm_->find(EntryType::kStateTrieMigration) == nullptr) {
    // Promoted (even if a later step of swap() failed): the new database is
    // the state trie now; the old one is closed.
    routing_->bind_locked(dbm_->state_trie());
  }
  return s;
}

Status MigrationHost::drop_locked(migration::StateMigration& m) {
  {
    std::lock_guard wl(routing_->write_mu);
    std::unique_lock rl(routing_->read_mu);
    routing_->to_plain_locked();
  }
  return m.drop();
}

Status MigrationHost::start_state_migration() {
  std::lock_guard lock(mu_);
  if (dbm_ == nullptr || chain_ == nullptr) return Status::aborted("the node is not running yet");
  if (dbm_->is_single()) {
    return Status::not_supported(
        "state migration needs a separate state-trie database, but this datadir is in single-DB mode (--db.single)");
  }
  auto pruning = rawdb::read_pruning_enabled(*dbm_);
  if (!pruning) return pruning.status();
  if (*pruning) {
    return Status::not_supported("state migration cannot run while live pruning is enabled (--state.live-pruning)");
  }
  if (migration_) {
    return Status::busy("a state migration at block " + std::to_string(migration_->block_num()) +
                        " is already running");
  }
  if (start_requested_) {
    return Status::busy("a state migration is already requested; it starts at the next committed block");
  }
  if (!thread_done_) return Status::busy("the last state migration is still deleting the old state trie");
  start_requested_ = true;
  last_.reset();
  if (g_running_ != nullptr) g_running_->set(1);
  spdlog::info("state migration requested: it starts at the next block whose state is committed to disk");
  return Status::ok();
}

Status MigrationHost::stop_state_migration() {
  std::unique_lock lock(mu_);
  if (start_requested_ && !migration_) {
    start_requested_ = false;
    if (g_running_ != nullptr) g_running_->set(0);
    idle_cv_.notify_all();
    return Status::ok();
  }
  if (!migration_) return Status::not_found("no state migration is running");
  migration::StateMigration* m = migration_.get();
  m->request_stop();
  stop_requested_ = true;
  std::thread t = std::move(thread_);
  lock.unlock();
  if (t.joinable()) t.join();
  lock.lock();
  if (migration_.get() != m) {
    // Its swap had begun before the stop arrived (or it failed meanwhile).
    return Status::aborted("the state migration could not be stopped: it had already " +
                           std::string(last_ && last_->phase == "failed" ? "failed" : "been swapped in"));
  }
  Status s = drop_locked(*m);
  migration::MigrationStatus st = m->status();
  st.is_migration = false;
  st.phase = "stopped";
  if (!s) st.err = "dropping the new database: " + s.message();
  last_ = st;
  migration_.reset();
  thread_done_ = true;
  publish(st, 0);
  idle_cv_.notify_all();
  spdlog::info("state migration at block {} stopped; its database was dropped", st.block_num);
  return s;
}

migration::MigrationStatus MigrationHost::state_migration_status() const {
  std::lock_guard lock(mu_);
  if (migration_) return migration_->status();
  migration::MigrationStatus st;
  if (start_requested_) {
    st.is_migration = true;
    st.phase = "waiting";  // for the next committed state
    return st;
  }
  if (last_) return *last_;
  st.phase = "none";
  return st;
}

bool MigrationHost::wait_idle(std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return idle_cv_.wait_for(lock, timeout, [this] { return !start_requested_ && !migration_ && thread_done_; });
}

void MigrationHost::shutdown() {
  std::unique_lock lock(mu_);
  start_requested_ = false;
  if (migration_) migration_->request_stop();
  std::thread t = std::move(thread_);
  lock.unlock();
  if (t.joinable()) t.join();
}

void MigrationHost::on_progress(const migration::MigrationProgress& p) {
  if (routing_->dual_failed.load()) {
    std::lock_guard lock(mu_);
    if (migration_) migration_->request_stop();
  }
  publish(p.status, p.nodes_per_second);
  const auto now = std::chrono::steady_clock::now();
  if (now - last_log_ < options_.log_interval) return;
  last_log_ = now;
  const migration::MigrationStatus& st = p.status;
  spdlog::info("state migration at block {}: {} {:.1f}%, {} nodes read, {} committed, {} skipped, {:.0f} nodes/s, "
               "ETA {}",
               st.block_num, st.phase, st.progress, st.read, st.committed, st.skipped, p.nodes_per_second,
               eta_text(p.eta_seconds));
}

void MigrationHost::publish(const migration::MigrationStatus& st, double nodes_per_second) {
  if (metrics_ == nullptr) return;
  g_running_->set(st.is_migration ? 1 : 0);
  g_block_->set(static_cast<double>(st.block_num));
  g_read_->set(static_cast<double>(st.read));
  g_committed_->set(static_cast<double>(st.committed));
  g_pending_->set(static_cast<double>(st.pending));
  g_skipped_->set(static_cast<double>(st.skipped));
  g_progress_->set(st.progress);
  g_rate_->set(nodes_per_second);
}

}  // namespace klay::node
