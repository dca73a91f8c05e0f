#include "engine/chaindata/status_context.h"

namespace klay::chaindata::detail {

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

}  // namespace klay::chaindata::detail
