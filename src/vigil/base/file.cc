#include "vigil/base/file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

namespace vigil::base {
namespace fs = std::filesystem;

namespace {

Status SysError(std::string_view what, const fs::path& path) {
  return IoError(fmt::format("{} {}: {}", what, path.string(), std::strerror(errno)));
}

bool HasSuffix(const std::string& name, const std::vector<std::string>& suffixes) {
  if (suffixes.empty()) return true;
  return std::any_of(suffixes.begin(), suffixes.end(), [&](const std::string& s) {
    return name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
  });
}

}  // namespace

Status ReadFileInto(const fs::path& path, std::string& data) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return SysError("cannot open", path);
  // Read a regular file's known size straight into the string (one read for most files: ingestion
  // opens thousands); read on to the end for files without a size (pipes, /proc).
  size_t expected = 0;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    expected = static_cast<size_t>(st.st_size);
  }
  // A reused buffer keeps its capacity: only bytes beyond its current size are zero-filled.
  data.resize(expected);
  size_t used = 0;
  while (true) {
    if (used == data.size()) data.resize(std::max<size_t>(data.size() * 2, 1 << 16));
    ssize_t n = ::read(fd, data.data() + used, data.size() - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      Status s = SysError("cannot read", path);
      ::close(fd);
      data.clear();
      return s;
    }
    if (n == 0) break;
    used += static_cast<size_t>(n);
    if (expected > 0 && used == expected) break;
  }
  data.resize(used);
  ::close(fd);
  return Status::Ok();
}

Result<std::string> ReadFile(const fs::path& path) {
  std::string data;
  VIGIL_RETURN_IF_ERROR(ReadFileInto(path, data));
  return data;
}

Status WriteFileAtomically(const fs::path& path, std::string_view data) {
  fs::path tmp = path;
  tmp += fmt::format(".tmp{}", ::getpid());
  VIGIL_RETURN_IF_ERROR(CheckOutputFile(path));
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return SysError("cannot create", tmp);
  // On failure the temporary file goes too: it may hold patient rows (predictions, a report).
  const auto fail = [&tmp](Status s) {
    std::error_code ec;
    fs::remove(tmp, ec);
    return s;
  };
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      Status s = SysError("cannot write", tmp);
      ::close(fd);
      return fail(s);
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    Status s = SysError("cannot flush", tmp);
    ::close(fd);
    return fail(s);
  }
  if (::close(fd) != 0) return fail(SysError("cannot flush", tmp));
  if (::rename(tmp.c_str(), path.c_str()) != 0) return fail(SysError("cannot rename to", path));
  return Status::Ok();
}

Status CheckOutputFile(const fs::path& path) {
  if (path.empty() || !path.has_filename()) {
    return InvalidArgumentError(fmt::format("'{}' names no file", path.string()));
  }
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    return InvalidArgumentError(
        fmt::format("{} is a folder: give the name of a file to write", path.string()));
  }
  if (path.has_parent_path() && !fs::exists(path.parent_path(), ec)) {
    fs::create_directories(path.parent_path(), ec);
    if (ec) {
      return IoError(fmt::format("cannot create the folder {}: {}", path.parent_path().string(),
                                 ec.message()));
    }
  }
  return Status::Ok();
}

Status CheckInputPaths(const std::vector<fs::path>& paths, bool files_only) {
  for (const fs::path& p : paths) {
    std::error_code ec;
    if (fs::is_regular_file(p, ec) || (!files_only && fs::is_directory(p, ec))) continue;
    return NotFoundError(
        fmt::format("no such file{}: {}", files_only ? "" : " or folder", p.string()));
  }
  return Status::Ok();
}

Result<std::vector<fs::path>> ListInputFiles(const std::vector<fs::path>& paths,
                                             const std::vector<std::string>& suffixes) {
  VIGIL_RETURN_IF_ERROR(CheckInputPaths(paths));
  std::vector<fs::path> out;
  for (const fs::path& p : paths) {
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) {
      out.push_back(p);
      continue;
    }
    // Linked folders are walked too, each real folder once (a link back up would loop).
    std::set<fs::path> walked = {fs::canonical(p, ec)};
    for (auto it = fs::recursive_directory_iterator(
             p, fs::directory_options::follow_directory_symlink, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      const std::string name = it->path().filename().string();
      std::error_code entry_ec;
      const bool is_directory = it->is_directory(entry_ec);
      if (!name.empty() && name[0] == '.') {
        if (is_directory) it.disable_recursion_pending();
        continue;
      }
      if (is_directory) {
        if (!walked.insert(fs::canonical(it->path(), entry_ec)).second) {
          it.disable_recursion_pending();
        }
        continue;
      }
      if (!HasSuffix(name, suffixes)) continue;
      // A link to nothing is listed too: reading it fails, and the file is reported, not lost.
      if (it->is_regular_file(entry_ec) || (it->is_symlink(entry_ec) && !it->exists(entry_ec))) {
        out.push_back(it->path());
      }
    }
    if (ec) return IoError(fmt::format("cannot list {}: {}", p.string(), ec.message()));
  }
  // Byte order of the path strings: std::filesystem::path's own ordering walks the components
  // and cost 40 ms for the 10,000 PhysioNet 2019 files.
  std::sort(out.begin(), out.end(),
            [](const fs::path& a, const fs::path& b) { return a.native() < b.native(); });
  out.erase(
      std::unique(out.begin(), out.end(),
                  [](const fs::path& a, const fs::path& b) { return a.native() == b.native(); }),
      out.end());
  return out;
}

}  // namespace vigil::base
