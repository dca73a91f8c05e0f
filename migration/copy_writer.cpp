#include "migration/copy_writer.h"

#include <algorithm>

#include "migration/migration_records.h"

namespace klay::migration {

CopyWriter::CopyWriter(kv::Database& target, SubtreeFilter& filter, CopyCounters& counters,
                       std::chrono::milliseconds flush_interval)
    : target_(target), filter_(filter), counters_(counters), batch_(target.new_batch()),
      flush_interval_(flush_interval), last_flush_(std::chrono::steady_clock::now()) {}

CopyWriter::~CopyWriter() { counters_.pending.fetch_sub(batch_nodes_, std::memory_order_relaxed); }

void CopyWriter::complete(const trie::NodeKey& key, uint64_t nodes) {
  finished_.emplace_back(key, nodes);
  local_.emplace(key, nodes);
}

uint64_t CopyWriter::locally_completed(const trie::NodeKey& key) const {
  auto it = local_.find(key);
  return it == local_.end() ? 0 : it->second;
}

void CopyWriter::queue(ByteView key, ByteView value) {
  entries_.push_back(Entry{static_cast<uint32_t>(arena_.size()), static_cast<uint32_t>(key.size()),
                           static_cast<uint32_t>(value.size())});
  append(arena_, key);
  append(arena_, value);
}

Status CopyWriter::put_node(ByteView key, ByteView rlp) {
  queue(key, rlp);
  ++batch_nodes_;
  counters_.pending.fetch_add(1, std::memory_order_relaxed);
  return maybe_flush();
}

Status CopyWriter::put_code(ByteView key, ByteView code) {
  queue(key, code);
  ++batch_codes_;
  return maybe_flush();
}

Status CopyWriter::maybe_flush() {
  if (arena_.size() >= kCopyBatchBytes) return flush();
  // The clock is read once every 64 operations only.
  if ((entries_.size() & 63) == 0 && std::chrono::steady_clock::now() - last_flush_ >= flush_interval_) {
    return flush();
  }
  return Status::ok();
}

Status CopyWriter::flush() {
  for (const auto& [key, nodes] : carried_) queue(done_record_key(key.view()), encode_done_count(nodes));
  const uint8_t* base = arena_.data();
  std::sort(entries_.begin(), entries_.end(), [base](const Entry& a, const Entry& b) {
    return compare(ByteView(base + a.offset, a.key_len), ByteView(base + b.offset, b.key_len)) < 0;
  });
  batch_->clear();
  for (const Entry& e : entries_) {
    batch_->put(ByteView(base + e.offset, e.key_len), ByteView(base + e.offset + e.key_len, e.value_len));
  }
  if (batch_->count() > 0) {
    // A failed write ends the copy; a rerun resumes from the durable records.
    if (Status s = target_.write(*batch_); !s) return s;
  }
  counters_.written.fetch_add(batch_nodes_, std::memory_order_relaxed);
  counters_.pending.fetch_sub(batch_nodes_, std::memory_order_relaxed);
  counters_.codes_written.fetch_add(batch_codes_, std::memory_order_relaxed);
  counters_.records.fetch_add(carried_.size(), std::memory_order_relaxed);
  for (const auto& [key, nodes] : carried_) {
    filter_.insert(key.view());
    local_.erase(key);
  }
  batch_->clear();
  arena_.clear();
  entries_.clear();
  last_flush_ = std::chrono::steady_clock::now();
  batch_nodes_ = 0;
  batch_codes_ = 0;
  carried_ = std::move(finished_);
  finished_.clear();
  return Status::ok();
}

Status CopyWriter::finish() {
  if (Status s = flush(); !s) return s;  // nodes and the records of earlier batches
  return flush();                        // the records of subtrees finished in the last batch
}

}  // namespace klay::migration
