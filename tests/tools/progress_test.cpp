#include <gtest/gtest.h>

#include "tests/tools/cli_capture.h"
#include "tools/common/progress.h"

namespace klay::cli {
namespace {

TEST(Progress, FormatsRatesAndDurations) {
  EXPECT_EQ(Progress::format_rate(950), "950");
  EXPECT_EQ(Progress::format_rate(12'345), "12.3k");
  EXPECT_EQ(Progress::format_rate(2'500'000), "2.50M");
  EXPECT_EQ(Progress::format_duration(42), "42s");
  EXPECT_EQ(Progress::format_duration(125), "2m05s");
  EXPECT_EQ(Progress::format_duration(3 * 3600 + 7 * 60), "3h07m");
}

TEST(Progress, PlainLinesWhenNotATerminal) {
  FILE* f = std::tmpfile();
  {
    Progress p("copy", 1000, "nodes", f);
    p.log_interval = std::chrono::milliseconds(0);
    p.add(250);
    p.add(250);
    p.finish();
  }
  const std::string text = testing::read_all(f);
  std::fclose(f);
  EXPECT_NE(text.find("copy:  25.0% 250/1000 nodes"), std::string::npos) << text;
  EXPECT_NE(text.find("ETA"), std::string::npos) << text;
  EXPECT_NE(text.find("50.0% 500/1000 nodes"), std::string::npos) << text;
  EXPECT_NE(text.find("took"), std::string::npos) << text;  // the final line
}

}  // namespace
}  // namespace klay::cli
