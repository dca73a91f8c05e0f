// Loopback detection for the admin-method gate.
#pragma once

#include <string_view>

namespace klay::rpc {

// True when `remote_addr` is a numeric loopback address: 127.0.0.0/8, ::1,
// or an IPv4-mapped ::ffff:127.x.y.z. Host names, empty strings and
// anything unparsable are not loopback (the gate fails closed).
// Pure function, thread-safe.
bool is_loopback(std::string_view remote_addr);

}  // namespace klay::rpc
