#include "vigil/base/file.h"

#include <gtest/gtest.h>

#include "vigil/testing/temp_dir.h"

namespace vigil::base {
namespace {

TEST(ReadFileTest, ReadsWholeFiles) {
  testing::TempDir dir;
  const std::string big(200'000, 'x');
  EXPECT_EQ(ReadFile(dir.Write("big.txt", big)).value(), big);
  EXPECT_EQ(ReadFile(dir.Write("small.txt", "a\nb\n")).value(), "a\nb\n");
  EXPECT_EQ(ReadFile(dir.Write("empty.txt", "")).value(), "");
}

TEST(ReadFileTest, ReadsFilesWithoutASize) {
  // /proc files report size 0 but have content.
  auto status = ReadFile("/proc/self/status");
  ASSERT_TRUE(status.ok());
  EXPECT_NE(status->find("Name:"), std::string::npos);
}

TEST(ReadFileTest, MissingFileIsAnError) {
  testing::TempDir dir;
  auto missing = ReadFile(dir.path() / "nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().ToString().find("nope"), std::string::npos);
}

}  // namespace
}  // namespace vigil::base
