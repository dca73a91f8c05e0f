#include "node/rpc/method_registry.h"

#include <algorithm>
#include <mutex>

namespace klay::rpc {

bool is_valid_method_name(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

Status MethodRegistry::register_method(std::string name, MethodHandler handler, uint32_t flags) {
  if (!is_valid_method_name(name)) {
    return Status::invalid_argument("invalid RPC method name \"" + name + "\"");
  }
  if (!handler) return Status::invalid_argument("RPC method " + name + " has no handler");
  auto method = std::make_shared<RegisteredMethod>(RegisteredMethod{name, std::move(handler), flags});
  std::unique_lock lock(mu_);
  auto [it, inserted] = methods_.try_emplace(std::move(name), std::move(method));
  if (!inserted) return Status::invalid_argument("RPC method " + it->first + " is already registered");
  return Status::ok();
}

Status MethodRegistry::register_alias(std::string alias, std::string_view target) {
  if (!is_valid_method_name(alias)) {
    return Status::invalid_argument("invalid RPC method name \"" + alias + "\"");
  }
  std::unique_lock lock(mu_);
  auto target_it = methods_.find(target);
  if (target_it == methods_.end()) {
    return Status::not_found("cannot alias " + alias + ": RPC method " + std::string(target) +
                             " is not registered");
  }
  auto method = target_it->second;
  auto [it, inserted] = methods_.try_emplace(std::move(alias), std::move(method));
  if (!inserted) return Status::invalid_argument("RPC method " + it->first + " is already registered");
  return Status::ok();
}

std::shared_ptr<const RegisteredMethod> MethodRegistry::find(std::string_view name) const {
  std::shared_lock lock(mu_);
  auto it = methods_.find(name);
  return it == methods_.end() ? nullptr : it->second;
}

std::vector<std::string> MethodRegistry::names() const {
  std::vector<std::string> out;
  {
    std::shared_lock lock(mu_);
    out.reserve(methods_.size());
    for (const auto& [name, method] : methods_) out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

size_t MethodRegistry::size() const {
  std::shared_lock lock(mu_);
  return methods_.size();
}

}  // namespace klay::rpc
