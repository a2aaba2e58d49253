// Test helpers: a temporary folder removed at the end of the test, and fixture writing.
#ifndef VIGIL_TESTING_TEMP_DIR_H_
#define VIGIL_TESTING_TEMP_DIR_H_

#include <filesystem>
#include <string>
#include <string_view>

namespace vigil::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Writes `content` to path()/name (creating folders) and returns the full path.
  std::filesystem::path Write(std::string_view name, std::string_view content) const;

 private:
  std::filesystem::path path_;
};

// The folder of the vigil source tree, for fixtures (the environment's VIGIL_SOURCE_DIR, else the
// source folder this test was configured from).
std::filesystem::path SourceDir();
// The build folder, for the built `vigil` binary (VIGIL_BINARY_DIR, else the configured build
// folder).
std::filesystem::path BinaryDir();

}  // namespace vigil::testing

#endif  // VIGIL_TESTING_TEMP_DIR_H_
