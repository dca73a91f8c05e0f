#include "node/rpc/loopback.h"

#include <arpa/inet.h>

#include <cstring>
#include <string>

namespace klay::rpc {

bool is_loopback(std::string_view remote_addr) {
  if (remote_addr.empty() || remote_addr.size() > INET6_ADDRSTRLEN) return false;
  const std::string addr(remote_addr);  // inet_pton needs a terminated string
  in_addr v4{};
  if (inet_pton(AF_INET, addr.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, addr.c_str(), &v6) != 1) return false;
  static const uint8_t kLoopback6[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  if (std::memcmp(v6.s6_addr, kLoopback6, 16) == 0) return true;
  static const uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return std::memcmp(v6.s6_addr, kMappedPrefix, 12) == 0 && v6.s6_addr[12] == 127;
}

}  // namespace klay::rpc
