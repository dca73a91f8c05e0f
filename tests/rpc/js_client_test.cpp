// Runs tests/rpc/js/rpc_client.test.mjs (Node's built-in fetch) against
// rpc_echo_server. Both child processes are always reaped: a guard kills
// whatever is still running, and the server also exits when the pipe on its
// stdin closes, so it cannot outlive this test even if the test is killed.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace {

using namespace std::chrono_literals;

// A spawned child process; the destructor terminates and reaps it.
class Child {
 public:
  Child() = default;
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      if (!wait_for(3s)) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
      }
    }
    close_fd(stdin_fd_);
    close_fd(stdout_fd_);
  }

  // Starts argv[0] with the given arguments. With `pipes`, the child's stdin
  // and stdout are pipes held by this object. Returns false on spawn failure.
  bool spawn(const std::vector<std::string>& args, bool pipes) {
    int in_pipe[2] = {-1, -1};
    int out_pipe[2] = {-1, -1};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (pipes) {
      if (pipe2(in_pipe, O_CLOEXEC) != 0 || pipe2(out_pipe, O_CLOEXEC) != 0) return false;
      posix_spawn_file_actions_adddup2(&actions, in_pipe[0], STDIN_FILENO);
      posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
    }
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (pipes) {
      close(in_pipe[0]);
      close(out_pipe[1]);
      stdin_fd_ = in_pipe[1];
      stdout_fd_ = out_pipe[0];
    }
    if (rc != 0) pid_ = -1;
    return rc == 0;
  }

  // Reads one stdout line, waiting at most `timeout`. Empty on timeout/EOF.
  std::string read_line(std::chrono::milliseconds timeout) {
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{stdout_fd_, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      char c;
      if (read(stdout_fd_, &c, 1) != 1) break;
      if (c == '\n') return line;
      line += c;
    }
    return {};
  }

  // Waits for exit; true (and the exit status stored) when it exited in time.
  bool wait_for(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (pid_ > 0) {
      int status = 0;
      pid_t r = waitpid(pid_, &status, WNOHANG);
      if (r == pid_ || r < 0) {
        pid_ = -1;
        status_ = status;
        return true;
      }
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(20ms);
    }
    return true;
  }

  void terminate() {
    if (pid_ > 0) kill(pid_, SIGTERM);
  }
  int exit_code() const { return WIFEXITED(status_) ? WEXITSTATUS(status_) : -1; }

 private:
  static void close_fd(int& fd) {
    if (fd >= 0) close(fd);
    fd = -1;
  }
  pid_t pid_ = -1;
  int status_ = 0;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
};

TEST(RpcJsClient, NodeFetchAgainstEchoServer) {
  Child server;
  ASSERT_TRUE(server.spawn({std::string(KLAY_BIN_DIR) + "/rpc_echo_server", "--exit-on-stdin-eof",
                            "--max-seconds", "120"},
                           true));
  const std::string line = server.read_line(10s);
  ASSERT_TRUE(line.starts_with("PORT ")) << "echo server said: \"" << line << "\"";
  const std::string port = line.substr(5);

  Child node;
  ASSERT_TRUE(node.spawn({KLAY_NODE_EXECUTABLE, KLAY_RPC_JS_DIR "/rpc_client.test.mjs", port}, false));
  ASSERT_TRUE(node.wait_for(60s)) << "node script timed out";
  EXPECT_EQ(node.exit_code(), 0) << "see the script's output above";

  // A graceful stop: SIGTERM makes the server finish and exit with 0.
  server.terminate();
  ASSERT_TRUE(server.wait_for(10s)) << "echo server did not stop";
  EXPECT_EQ(server.exit_code(), 0);
}

}  // namespace
