#include "engine/chaindata/merged_iterator.h"

#include <algorithm>
#include <string>


namespace klay::chaindata {

MergedIterator::MergedIterator(std::vector<std::unique_ptr<kv::Iterator>> inputs) : inputs_(std::move(inputs)) {
  heap_.reserve(inputs_.size());
  for (size_t i = 0; i < inputs_.size(); ++i) admit(i);
  settle();
}

void MergedIterator::settle() {
  if (status_.is_ok() && !heap_.empty()) {
    const kv::Iterator& front = *inputs_[heap_.front()];
    return set_entry(front.key(), front.value());
  }
  set_end();
}

bool MergedIterator::greater(size_t a, size_t b) const {
  return compare(inputs_[a]->key(), inputs_[b]->key()) > 0;
}

void MergedIterator::admit(size_t i) {
  kv::Iterator& it = *inputs_[i];
  if (it.valid()) {
    heap_.push_back(i);
    std::push_heap(heap_.begin(), heap_.end(), [this](size_t a, size_t b) { return greater(a, b); });
    return;
  }
  if (Status s = it.status(); !s && status_.is_ok()) {
    status_ = with_context(s, "shard " + std::to_string(i));
  }
}

void MergedIterator::advance() {
  auto cmp = [this](size_t a, size_t b) { return greater(a, b); };
  std::pop_heap(heap_.begin(), heap_.end(), cmp);
  const size_t i = heap_.back();
  heap_.pop_back();
  inputs_[i]->next();
  admit(i);
  settle();
}

}  // namespace klay::chaindata
