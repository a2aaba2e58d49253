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

// Input paths: files, and folders unless only files will do; the first missing one is named.
TEST(CheckInputPathsTest, NamesTheFirstPathThatIsNotThere) {
  testing::TempDir dir;
  const auto file = dir.Write("a.txt", "a");
  const auto folder = dir.path();
  EXPECT_TRUE(CheckInputPaths({file, folder}).ok());
  EXPECT_TRUE(CheckInputPaths({file}, /*files_only=*/true).ok());
  const auto missing = dir.path() / "nope";
  const Status either = CheckInputPaths({file, missing, dir.path() / "other"});
  EXPECT_EQ(either.code(), StatusCode::kNotFound);
  EXPECT_EQ(either.message(), "no such file or folder: " + missing.string());
  const Status file_only = CheckInputPaths({folder}, /*files_only=*/true);
  EXPECT_EQ(file_only.message(), "no such file: " + folder.string());
  EXPECT_EQ(ListInputFiles({missing}, {}).status().message(),
            "no such file or folder: " + missing.string());
}

// Linked folders are walked once each (a link back up does not loop); a link to nothing is listed,
// so that reading it fails and it is reported.
TEST(ListInputFilesTest, FollowsLinkedFoldersOnceAndListsBrokenLinks) {
  testing::TempDir dir;
  namespace fs = std::filesystem;
  dir.Write("in/a/1.psv", "x");
  dir.Write("elsewhere/2.psv", "x");
  fs::create_directory_symlink(dir.path() / "elsewhere", dir.path() / "in" / "linked");
  fs::create_directory_symlink(dir.path() / "in" / "a", dir.path() / "in" / "again");
  fs::create_directory_symlink(dir.path() / "in", dir.path() / "in" / "a" / "up");
  fs::create_symlink(dir.path() / "gone.psv", dir.path() / "in" / "broken.psv");
  auto files = ListInputFiles({dir.path() / "in"}, {".psv"});
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  std::vector<std::string> names;
  for (const auto& f : *files) names.push_back(f.lexically_relative(dir.path() / "in").string());
  // in/a is reached directly and through "again": its file is listed once, under either path.
  ASSERT_EQ(names.size(), 3u) << ::testing::PrintToString(names);
  EXPECT_EQ(names[1], "broken.psv");
  EXPECT_EQ(names[2], "linked/2.psv");
  EXPECT_TRUE(names[0] == "a/1.psv" || names[0] == "again/1.psv") << names[0];
}

// An output file: its missing folders are made; a folder or an empty name is refused before any
// temporary file exists, so nothing is left behind.
TEST(WriteFileAtomicallyTest, MakesFoldersAndRefusesAFolderLeavingNothing) {
  testing::TempDir dir;
  const auto nested = dir.path() / "a" / "b" / "out.csv";
  ASSERT_TRUE(WriteFileAtomically(nested, "x,y\n").ok());
  EXPECT_EQ(ReadFile(nested).value(), "x,y\n");
  const Status folder = WriteFileAtomically(dir.path() / "a", "data");
  EXPECT_EQ(folder.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(folder.message().find("is a folder"), std::string::npos);
  EXPECT_EQ(CheckOutputFile("").code(), StatusCode::kInvalidArgument);
  size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir.path())) {
    if (entry.is_regular_file()) ++files;
  }
  EXPECT_EQ(files, 1u);  // out.csv only: no temporary file left
}

// One buffer reused for files of different sizes holds exactly each file's bytes in turn (a
// shorter file after a longer one leaves nothing of the longer one behind).
TEST(ReadFileTest, ReadFileIntoReusesTheBufferAndHoldsOnlyTheNewFile) {
  testing::TempDir dir;
  const std::string big(100'000, 'b');
  std::string buffer;
  ASSERT_TRUE(ReadFileInto(dir.Write("big.txt", big), buffer).ok());
  EXPECT_EQ(buffer, big);
  const size_t capacity = buffer.capacity();
  ASSERT_TRUE(ReadFileInto(dir.Write("small.txt", "a\nb\n"), buffer).ok());
  EXPECT_EQ(buffer, "a\nb\n");
  EXPECT_EQ(buffer.capacity(), capacity);
  ASSERT_TRUE(ReadFileInto(dir.Write("middle.txt", std::string(5'000, 'm')), buffer).ok());
  EXPECT_EQ(buffer, std::string(5'000, 'm'));
  ASSERT_TRUE(ReadFileInto(dir.Write("empty.txt", ""), buffer).ok());
  EXPECT_EQ(buffer, "");
  EXPECT_FALSE(ReadFileInto(dir.path() / "nope", buffer).ok());
  EXPECT_TRUE(buffer.empty());
}

}  // namespace
}  // namespace vigil::base
