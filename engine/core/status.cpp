#include "engine/core/status.h"

namespace klay {

std::string Status::to_string() const {
  const char* name = "OK";
  switch (code_) {
    case Code::kOk: return "OK";
    case Code::kNotFound: name = "NotFound"; break;
    case Code::kCorruption: name = "Corruption"; break;
    case Code::kIOError: name = "IOError"; break;
    case Code::kInvalidArgument: name = "InvalidArgument"; break;
    case Code::kNotSupported: name = "NotSupported"; break;
    case Code::kBusy: name = "Busy"; break;
    case Code::kNoSpace: name = "NoSpace"; break;
    case Code::kAborted: name = "Aborted"; break;
  }
  return std::string(name) + ": " + message_;
}

Status with_context(const Status& s, std::string_view context) {
  std::string msg = std::string(context) + ": " + s.message();
  switch (s.code()) {
    case Status::Code::kOk: return s;
    case Status::Code::kNotFound: return Status::not_found(std::move(msg));
    case Status::Code::kCorruption: return Status::corruption(std::move(msg));
    case Status::Code::kIOError: return Status::io_error(std::move(msg));
    case Status::Code::kInvalidArgument: return Status::invalid_argument(std::move(msg));
    case Status::Code::kNotSupported: return Status::not_supported(std::move(msg));
    case Status::Code::kBusy: return Status::busy(std::move(msg));
    case Status::Code::kNoSpace: return Status::no_space(std::move(msg));
    case Status::Code::kAborted: return Status::aborted(std::move(msg));
  }
  return Status::io_error(std::move(msg));
}

}  // namespace klay
