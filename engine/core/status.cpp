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

}  // namespace klay
