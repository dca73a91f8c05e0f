// Status and Result<T>: how errors cross layer boundaries.
//
// A Status is cheap to copy when ok (no allocation). `NotFound` is its own code
// and is not an error for deletes. Exceptions are reserved for programming
// errors and for the outermost layer (CLI `main`, RPC handlers) to map to
// exit codes and messages.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace klay {

class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk = 0,
    kNotFound,
    kCorruption,
    kIOError,
    kInvalidArgument,
    kNotSupported,
    kBusy,        // e.g. the datadir is locked by another process
    kNoSpace,     // disk full
    kAborted,     // stopped by request
  };

  Status() = default;
  static Status ok() { return Status(); }
  static Status not_found(std::string msg = "not found") { return {Code::kNotFound, std::move(msg)}; }
  static Status corruption(std::string msg) { return {Code::kCorruption, std::move(msg)}; }
  static Status io_error(std::string msg) { return {Code::kIOError, std::move(msg)}; }
  static Status invalid_argument(std::string msg) { return {Code::kInvalidArgument, std::move(msg)}; }
  static Status not_supported(std::string msg) { return {Code::kNotSupported, std::move(msg)}; }
  static Status busy(std::string msg) { return {Code::kBusy, std::move(msg)}; }
  static Status no_space(std::string msg) { return {Code::kNoSpace, std::move(msg)}; }
  static Status aborted(std::string msg) { return {Code::kAborted, std::move(msg)}; }

  bool is_ok() const { return code_ == Code::kOk; }
  explicit operator bool() const { return is_ok(); }
  bool is_not_found() const { return code_ == Code::kNotFound; }
  Code code() const { return code_; }
  // One sentence for a user; empty when ok.
  const std::string& message() const { return message_; }
  std::string to_string() const;

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// A Status of the same code whose message is `context` + ": " + the original
// (e.g. "shard 3: <what went wrong>"); `s` itself when ok.
Status with_context(const Status& s, std::string_view context);

// A value or a non-ok Status. Accessing value() of an error is a programming error.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(v_).is_ok());
  }

  bool has_value() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return has_value(); }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  Status status() const { return has_value() ? Status::ok() : std::get<Status>(v_); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace klay
