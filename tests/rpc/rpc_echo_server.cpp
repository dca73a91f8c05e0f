// rpc_echo_server: a tiny JSON-RPC server for client-side tests (the Node.js
// test drives it). Serves on 127.0.0.1 only.
//
//   rpc_echo_server [--port N] [--exit-on-stdin-eof] [--max-seconds S]
//
// Prints "PORT <n>" on stdout once it accepts connections. Stops gracefully on
// SIGTERM/SIGINT, when stdin reaches EOF (with --exit-on-stdin-eof, so it dies
// with a parent that holds the other end of a pipe), or after --max-seconds
// (default 120) as a last resort against leaked processes.
//
// Methods: eth_chainId -> "0x2019" (alias klay_chainID), test_echo -> params,
// test_add(a, b) -> a + b as QUANTITY, admin_ping -> "pong" (loopback only).
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include "node/rpc/hex_codec.h"
#include "node/rpc/params.h"
#include "node/rpc/rpc_server.h"

namespace {

using nlohmann::json;
using namespace klay::rpc;

std::atomic<bool> g_stop{false};

klay::Status register_methods(MethodRegistry& m) {
  if (auto s = m.register_method("eth_chainId", [](const json&) -> MethodResult { return "0x2019"; }); !s) return s;
  if (auto s = m.register_alias("klay_chainID", "eth_chainId"); !s) return s;
  if (auto s = m.register_method("test_echo", [](const json& p) -> MethodResult { return p; }); !s) return s;
  if (auto s = m.register_method("test_add", [](const json& p) -> MethodResult {
        auto args = ParamList::from(p, 2, 2).value_or_throw();
        return encode_quantity(args.quantity(0).value_or_throw() + args.quantity(1).value_or_throw());
      });
      !s) {
    return s;
  }
  return m.register_method("admin_ping", [](const json&) -> MethodResult { return "pong"; }, kMethodAdmin);
}

int run(int argc, char** argv) {
  int port = 0;
  bool exit_on_eof = false;
  long max_seconds = 120;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--port" && i + 1 < argc) {
      port = std::atoi(argv[++i]);
    } else if (arg == "--exit-on-stdin-eof") {
      exit_on_eof = true;
    } else if (arg == "--max-seconds" && i + 1 < argc) {
      max_seconds = std::atol(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: rpc_echo_server [--port N] [--exit-on-stdin-eof] [--max-seconds S]\n");
      return 2;
    }
  }

  // Signals are taken by a dedicated thread; block them everywhere else first.
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGTERM);
  sigaddset(&sigs, SIGINT);
  pthread_sigmask(SIG_BLOCK, &sigs, nullptr);
  std::thread([sigs] {
    int sig = 0;
    sigwait(&sigs, &sig);
    g_stop = true;
  }).detach();
  if (exit_on_eof) {
    std::thread([] {
      char buf[256];
      while (read(STDIN_FILENO, buf, sizeof(buf)) > 0) {
      }
      g_stop = true;
    }).detach();
  }

  MethodRegistry methods;
  if (auto s = register_methods(methods); !s) {
    std::fprintf(stderr, "rpc_echo_server: %s\n", s.message().c_str());
    return 1;
  }
  RpcServerConfig cfg;
  cfg.addr = "127.0.0.1";
  cfg.port = port;
  cfg.thread_count = 4;
  cfg.keep_alive_timeout_sec = 1;
  RpcServer server(methods, cfg);
  if (auto s = server.start(); !s) {
    std::fprintf(stderr, "rpc_echo_server: %s\n", s.message().c_str());
    return 1;
  }
  std::printf("PORT %d\n", server.port());
  std::fflush(stdout);

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(max_seconds);
  while (!g_stop && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  server.stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  int code = 1;
  try {
    code = run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rpc_echo_server: %s\n", e.what());
  }
  std::fflush(stdout);
  std::fflush(stderr);
  std::_Exit(code);  // detached watcher threads may still be blocked in read()/sigwait()
}
