// Built-in tasks: the YAML files in the repository's tasks/ folder, embedded in the binary at build
// time (cmake/EmbedFiles.cmake), so `vigil features --task physionet2019-sepsis` works anywhere.
// Users copy one (`vigil tasks show NAME > my.yaml`), change it, and pass the file instead.
#ifndef VIGIL_TASK_BUILTIN_H_
#define VIGIL_TASK_BUILTIN_H_

#include <string>
#include <string_view>
#include <vector>

#include "vigil/base/status.h"
#include "vigil/task/spec.h"

namespace vigil::task {

struct BuiltinTask {
  std::string_view name;  // the file name without .yaml, e.g. physionet2019-sepsis
  std::string_view text;  // the YAML
};

// Every built-in task, by name.
const std::vector<BuiltinTask>& BuiltinTasks();

// The YAML of a built-in task (by name) or of a task file (by path), and the name errors should
// cite (tasks/NAME.yaml, or the path). NotFound names the built-in tasks.
struct TaskSource {
  std::string file_name;
  std::string text;
};
base::Result<TaskSource> FindTask(std::string_view name_or_path);

// FindTask, then ParseTaskSpec.
base::Result<TaskSpec> LoadTask(std::string_view name_or_path);

}  // namespace vigil::task

#endif  // VIGIL_TASK_BUILTIN_H_
