// Small file helpers that return Status instead of throwing.
#ifndef VIGIL_BASE_FILE_H_
#define VIGIL_BASE_FILE_H_

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/base/status.h"

namespace vigil::base {

// The whole file. Errors name the path and the system's reason.
Result<std::string> ReadFile(const std::filesystem::path& path);
// The same into `data`, reusing its capacity (a reader of thousands of small files keeps one
// buffer per thread); `data` is empty after an error.
[[nodiscard]] Status ReadFileInto(const std::filesystem::path& path, std::string& data);

// Writes `data` to `path` atomically: a temporary file in the same folder, fsync, then rename.
Status WriteFileAtomically(const std::filesystem::path& path, std::string_view data);
// Checks, before any work, that `path` can be an output file: it names a file, not a folder. Its
// folder is created when missing.
Status CheckOutputFile(const std::filesystem::path& path);

// NotFound ("no such file or folder: P", or "no such file: P" when `files_only`) for the first of
// `paths` that is neither an existing regular file nor, unless `files_only`, a folder.
Status CheckInputPaths(const std::vector<std::filesystem::path>& paths, bool files_only = false);

// Files under each of `paths` (a file stands for itself; a folder is walked recursively) whose name
// ends with one of `suffixes` (all files when empty), sorted by the bytes of the path so runs are
// deterministic.
// Hidden files (leading '.') are ignored. A path that does not exist is an error. Linked folders
// are walked (each real folder once), and a link to nothing is listed (reading it then fails, so it
// is reported rather than silently left out).
Result<std::vector<std::filesystem::path>> ListInputFiles(
    const std::vector<std::filesystem::path>& paths, const std::vector<std::string>& suffixes);

}  // namespace vigil::base

#endif  // VIGIL_BASE_FILE_H_
