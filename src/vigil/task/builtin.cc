#include "vigil/task/builtin.h"

#include <fmt/format.h>

#include <filesystem>

#include "vigil/base/file.h"

namespace vigil::task {
namespace {

struct EmbeddedFile {
  std::string_view name;
  std::string_view text;
};

// Generated from tasks/*.yaml (cmake/EmbedFiles.cmake).
constexpr EmbeddedFile kEmbedded[] = {
#include "builtin_tasks.inc"
};

constexpr std::string_view kSuffix = ".yaml";

}  // namespace

const std::vector<BuiltinTask>& BuiltinTasks() {
  static const std::vector<BuiltinTask> tasks = [] {
    std::vector<BuiltinTask> out;
    for (const EmbeddedFile& f : kEmbedded) {
      std::string_view name = f.name;
      if (name.ends_with(kSuffix)) name.remove_suffix(kSuffix.size());
      out.push_back({name, f.text});
    }
    return out;
  }();
  return tasks;
}

base::Result<TaskSource> FindTask(std::string_view name_or_path) {
  for (const BuiltinTask& t : BuiltinTasks()) {
    if (t.name == name_or_path) {
      return TaskSource{fmt::format("tasks/{}.yaml", t.name), std::string(t.text)};
    }
  }
  const std::filesystem::path path(name_or_path);
  std::error_code ec;
  if (std::filesystem::is_regular_file(path, ec)) {
    VIGIL_ASSIGN_OR_RETURN(std::string text, base::ReadFile(path));
    return TaskSource{path.string(), std::move(text)};
  }
  std::string names;
  for (const BuiltinTask& t : BuiltinTasks()) {
    names += names.empty() ? "" : ", ";
    names += t.name;
  }
  return base::NotFoundError(fmt::format(
      "no built-in task and no file named {} (built-in tasks: {})", name_or_path, names));
}

base::Result<TaskSpec> LoadTask(std::string_view name_or_path) {
  VIGIL_ASSIGN_OR_RETURN(TaskSource source, FindTask(name_or_path));
  return ParseTaskSpec(source.text, source.file_name);
}

}  // namespace vigil::task
