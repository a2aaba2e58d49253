#include "vigil/testing/temp_dir.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

namespace vigil::testing {
namespace fs = std::filesystem;

TempDir::TempDir() {
  std::string pattern = (fs::temp_directory_path() / "vigil_test_XXXXXX").string();
  char* made = ::mkdtemp(pattern.data());
  if (made == nullptr) ADD_FAILURE() << "mkdtemp failed";
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

fs::path TempDir::Write(std::string_view name, std::string_view content) const {
  fs::path p = path_ / name;
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  return p;
}

fs::path SourceDir() {
  const char* d = std::getenv("VIGIL_SOURCE_DIR");
  return d ? fs::path(d) : fs::path(VIGIL_DEFAULT_SOURCE_DIR);
}

fs::path BinaryDir() {
  const char* d = std::getenv("VIGIL_BINARY_DIR");
  return d ? fs::path(d) : fs::path(VIGIL_DEFAULT_BINARY_DIR);
}

}  // namespace vigil::testing
