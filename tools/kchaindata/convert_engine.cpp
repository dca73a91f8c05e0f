#include "tools/kchaindata/convert_engine.h"

#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <tbb/partitioner.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>

#include "engine/kv/bulk_loader.h"
#include "tools/kchaindata/convert_checkpoint.h"
#include "tools/kchaindata/pair_checksum.h"

namespace klay::kchaindata {

namespace {

// The keys under one first-byte prefix of several databases, merged in key
// order. A key held by more than one source is emitted once when the values
// agree; differing values are an error (they cannot share one database).
class MergedPrefix {
 public:
  MergedPrefix(const std::vector<kv::Database*>& dbs, const std::vector<std::string>& labels, uint8_t first)
      : labels_(labels) {
    kv::IteratorOptions o;
    o.prefix = Bytes{first};
    for (auto* db : dbs) its_.push_back(db->new_iterator(o));
    pick();
  }
  bool valid() const { return cur_ >= 0; }
  ByteView key() const { return its_[cur_]->key(); }
  ByteView value() const { return its_[cur_]->value(); }
  const Status& status() const { return status_; }
  void next() {
    if (its_.size() == 1) {
      its_[0]->next();
      return pick();
    }
    const Bytes k = to_bytes(key());
    for (auto& it : its_) {
      if (it->valid() && equal(it->key(), k)) it->next();
    }
    pick();
  }

 private:
  void pick() {
    cur_ = -1;
    for (size_t i = 0; i < its_.size(); ++i) {
      if (!its_[i]->valid()) {
        if (Status s = its_[i]->status(); !s && status_) status_ = s;
        continue;
      }
      if (cur_ < 0) { cur_ = static_cast<int>(i); continue; }
      const int c = compare(its_[i]->key(), its_[cur_]->key());
      if (c < 0) {
        cur_ = static_cast<int>(i);
      } else if (c == 0 && !equal(its_[i]->value(), its_[cur_]->value()) && status_) {
        status_ = Status::invalid_argument("key 0x" + to_hex(its_[i]->key()) + " is in both " + labels_[cur_] +
                                           " and " + labels_[i] + " with different values; they cannot share "
                                           "one database");
      }
    }
    if (!status_) cur_ = -1;
  }
  std::vector<std::unique_ptr<kv::Iterator>> its_;
  const std::vector<std::string>& labels_;
  int cur_ = -1;
  Status status_;
};

Status write_error(const std::string& unit, const Status& s) {
  if (s.code() == Status::Code::kNoSpace) {
    return Status::no_space("the destination disk is full while writing " + unit + " (" + s.message() +
                            "); free space and rerun the same command to resume");
  }
  return Status(Status::io_error("cannot write " + unit + " in the destination: " + s.message()));
}

}  // namespace

ConvertEngine::ConvertEngine(std::vector<DestUnit> units, std::vector<ConvertPass> passes,
                             std::filesystem::path checkpoint_dir, ConvertTuning tuning)
    : units_(std::move(units)), passes_(std::move(passes)), checkpoint_dir_(std::move(checkpoint_dir)),
      tuning_(tuning), sums_(units_.size(), std::vector<PartSums>(tuning.parts)) {}

std::pair<uint8_t, uint8_t> ConvertEngine::part_range(size_t part) const {
  const size_t width = 256 / tuning_.parts;
  return {static_cast<uint8_t>(part * width), static_cast<uint8_t>(part * width + width - 1)};
}

Status ConvertEngine::copy_part(const ConvertPass& pass, size_t pass_index, size_t part, cli::Progress& progress) {
  (void)pass;
  PassCheckpoint* cp = checkpoints_[pass_index].get();
  PartProgress state = cp->part(part);
  if (state.done || state.last_key) resumed_ = true;
  std::vector<PairChecksum> sums(units_.size());
  std::vector<std::unique_ptr<kv::BulkLoader>> loaders(units_.size());
  uint64_t chunk_bytes = 0, chunk_keys = 0, pending_progress = 0;
  Bytes last_added;

  auto flush = [&](bool done) -> Status {
    for (size_t u = 0; u < loaders.size(); ++u) {
      if (!loaders[u]) continue;
      if (Status s = loaders[u]->finish(); !s) return write_error(units_[u].name, s);
      loaders[u].reset();
    }
    PartProgress next = state;
    next.done = done;
    if (!last_added.empty()) next.last_key = last_added;
    if (Status s = cp->update(part, next); !s) return s;
    state = next;
    chunk_bytes = chunk_keys = 0;
    if (tuning_.pause_ms > 0 && !done) std::this_thread::sleep_for(std::chrono::milliseconds(tuning_.pause_ms));
    return Status::ok();
  };

  const auto [lo, hi] = part_range(part);
  for (unsigned first = lo; first <= hi; ++first) {
    MergedPrefix it(pass.sources, pass.source_labels, static_cast<uint8_t>(first));
    for (; it.valid(); it.next()) {
      if (stop_.load(std::memory_order_relaxed)) return Status::aborted("stopped");
      const ByteView key = it.key();
      const ByteView value = it.value();
      const size_t u = pass.route(key);
      sums[u].add(key, value);
      if (++pending_progress == 4096) {
        progress.add(pending_progress);
        pending_progress = 0;
      }
      if (state.done || (state.last_key && compare(key, *state.last_key) <= 0)) continue;
      if (!loaders[u]) {
        auto l = kv::new_bulk_loader(*units_[u].db);
        if (!l) return l.status();
        loaders[u] = std::move(*l);
      }
      if (Status s = loaders[u]->add(key, value); !s) return write_error(units_[u].name, s);
      loaded_.fetch_add(1, std::memory_order_relaxed);
      last_added.assign(key.begin(), key.end());
      chunk_bytes += key.size() + value.size();
      ++chunk_keys;
      if (chunk_bytes >= tuning_.chunk_bytes || (tuning_.chunk_keys && chunk_keys >= tuning_.chunk_keys)) {
        if (Status s = flush(false); !s) return s;
      }
    }
    if (!it.status()) return it.status();
  }
  progress.add(pending_progress);
  if (!state.done) {
    if (Status s = flush(true); !s) return s;
  }
  for (size_t u = 0; u < units_.size(); ++u) {
    if (sums[u].count() == 0) continue;
    sums_[u][part] = {sums[u].count(), sums[u].bytes(), sums[u].digest()};
  }
  return Status::ok();
}

Status ConvertEngine::verify_part(size_t unit, size_t part, cli::Progress& progress) {
  PairChecksum sum;
  const auto [lo, hi] = part_range(part);
  uint64_t pending = 0;
  for (unsigned b = lo; b <= hi; ++b) {
    if (stop_.load(std::memory_order_relaxed)) return Status::aborted("stopped");
    kv::IteratorOptions o;
    o.prefix = Bytes{static_cast<uint8_t>(b)};
    auto it = units_[unit].db->new_iterator(o);
    for (; it->valid(); it->next()) {
      sum.add(it->key(), it->value());
      if (++pending == 4096) {
        progress.add(pending);
        pending = 0;
      }
    }
    if (Status s = it->status(); !s) {
      return Status::io_error("cannot read " + units_[unit].name + " back from the destination: " + s.message());
    }
  }
  progress.add(pending);
  const PartSums& src = sums_[unit][part];
  const uint64_t digest = sum.count() > 0 ? sum.digest() : 0;
  if (src.count != sum.count() || src.digest != digest) {
    return Status::corruption("verification failed for " + units_[unit].name + " (keys 0x" + to_hex(Bytes{lo}) +
                              "..0x" + to_hex(Bytes{hi}) + "): the source has " + std::to_string(src.count) +
                              " keys, the destination " + std::to_string(sum.count()) +
                              (src.count == sum.count() ? " with a different checksum" : ""));
  }
  return Status::ok();
}

Status ConvertEngine::copy_and_verify(cli::Progress& progress) {
  const auto started = std::chrono::steady_clock::now();
  std::error_code ec;
  std::filesystem::create_directories(checkpoint_dir_, ec);
  if (ec) return Status::io_error("cannot create " + checkpoint_dir_.string() + ": " + ec.message());
  checkpoints_.clear();
  for (const auto& pass : passes_) {
    auto cp = PassCheckpoint::load(checkpoint_dir_, pass.name, tuning_.parts);
    if (!cp) return cp.status();
    checkpoints_.push_back(std::move(*cp));
  }
  std::mutex mu;
  Status first;
  std::atomic<int64_t> last_copied_ns{0};
  auto fail = [&](const Status& s) {
    if (s || s.code() == Status::Code::kAborted) return;
    std::lock_guard lk(mu);
    if (first) first = s;
    stop_ = true;
  };
  // One task per (pass, part): load it, then read it back while other parts load.
  auto run_task = [&](size_t t) {
    const size_t p = t / tuning_.parts;
    const size_t part = t % tuning_.parts;
    if (stop_.load()) return;
    if (Status s = copy_part(passes_[p], p, part, progress); !s) return fail(s);
    const int64_t ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - started).count();
    for (int64_t prev = last_copied_ns.load(); prev < ns && !last_copied_ns.compare_exchange_weak(prev, ns);) {
    }
    // Every loader of this part has finished: the range is durable and visible.
    for (size_t u : passes_[p].feeds) {
      if (Status s = verify_part(u, part, progress); !s) return fail(s);
    }
  };
  const size_t tasks = passes_.size() * tuning_.parts;
  const size_t hw = std::max<size_t>(1, std::thread::hardware_concurrency());
  const size_t threads = tuning_.threads != 0 ? tuning_.threads : std::max<size_t>(4, 2 * hw);
  // The global limit caps every arena; raise it so the arena may exceed the cores.
  tbb::global_control allow(tbb::global_control::max_allowed_parallelism, std::max(threads, hw));
  tbb::task_arena arena(static_cast<int>(threads));
  arena.execute([&] { tbb::parallel_for(size_t{0}, tasks, run_task, tbb::simple_partitioner()); });
  copy_seconds_ = static_cast<double>(last_copied_ns.load()) / 1e9;
  total_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return first;
}

std::vector<UnitTotals> ConvertEngine::source_totals() const {
  std::vector<UnitTotals> out(units_.size());
  for (size_t u = 0; u < units_.size(); ++u) {
    std::vector<uint64_t> digests;
    for (const auto& p : sums_[u]) {
      out[u].count += p.count;
      out[u].bytes += p.bytes;
      digests.push_back(p.digest);
    }
    out[u].checksum = PairChecksum::combine(digests);
  }
  return out;
}

}  // namespace klay::kchaindata
