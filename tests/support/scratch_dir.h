// A scratch directory for tests: created fresh under the system temp dir and
// removed with everything in it on destruction. Not copyable; one per test.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

namespace klay::test_support {

class ScratchDir {
 public:
  // `prefix` names the directory (<temp>/<prefix>-XXXXXX) so leftovers of a
  // killed test say where they came from. Throws when it cannot be created.
  explicit ScratchDir(std::string_view prefix = "klay-test") {
    std::string tmpl = (std::filesystem::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
    if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace klay::test_support
