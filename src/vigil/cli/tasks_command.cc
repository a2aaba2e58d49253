// vigil tasks list | show NAME | check FILE...
#include <fmt/format.h>

#include <cstdio>

#include "vigil/cli/command.h"
#include "vigil/task/builtin.h"

namespace vigil::cli {
namespace {

int List() {
  for (const task::BuiltinTask& t : task::BuiltinTasks()) {
    auto spec = task::ParseTaskSpec(t.text, t.name);
    std::printf("%-26s %s\n", std::string(t.name).c_str(),
                spec.ok() ? spec->description.c_str() : "(invalid: run vigil tasks check)");
  }
  return kExitOk;
}

int Show(const std::string& name) {
  auto source = task::FindTask(name);
  if (!source.ok()) return ReportError(source.status());
  std::fputs(source->text.c_str(), stdout);
  return kExitOk;
}

int Check(const std::vector<std::string>& files) {
  int status = kExitOk;
  for (const std::string& f : files) {
    auto spec = task::LoadTask(f);
    if (!spec.ok()) {
      status = ReportError(spec.status());
    } else {
      std::printf("%s: ok (task %s)\n", f.c_str(), spec->name.c_str());
    }
  }
  return status;
}

}  // namespace

void AddTasksCommand(CLI::App& app, const GlobalOptions&, int& exit_code) {
  CLI::App* sub = app.add_subcommand(
      "tasks",
      "Prediction tasks: the built-in ones, shipped as YAML files to copy and change "
      "(docs/tasks.md)");
  sub->require_subcommand(1);
  sub->add_subcommand("list", "The built-in tasks, one a line")->callback([&exit_code] {
    exit_code = List();
  });
  auto name = std::make_shared<std::string>();
  CLI::App* show = sub->add_subcommand(
      "show",
      "Print a task's YAML (a built-in task by name, or a file); to make your own: vigil "
      "tasks show physionet2019-sepsis > my-task.yaml");
  show->add_option("task", *name, "A built-in task name or a task file")->required();
  show->callback([name, &exit_code] { exit_code = Show(*name); });
  auto files = std::make_shared<std::vector<std::string>>();
  CLI::App* check =
      sub->add_subcommand("check", "Validate task files; errors give the file, line and column");
  check->add_option("tasks", *files, "Task files or built-in task names")->required();
  check->callback([files, &exit_code] { exit_code = Check(*files); });
}

}  // namespace vigil::cli
