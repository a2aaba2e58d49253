// Typed reads from a yaml-cpp tree with errors that say where: "FILE:LINE:COLUMN: key: problem".
// Internal to the task module. Never throws: yaml-cpp's exceptions are caught here.
#ifndef VIGIL_TASK_YAML_READER_H_
#define VIGIL_TASK_YAML_READER_H_

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/base/status.h"
#include "vigil/base/time.h"

namespace vigil::task {

class YamlReader {
 public:
  explicit YamlReader(std::string file_name) : file_(std::move(file_name)) {}

  // InvalidArgument "FILE:LINE:COL: path: message" at `node`'s position.
  base::Status Error(const YAML::Node& node, std::string_view path, std::string_view message) const;
  base::Status ErrorAt(const YAML::Mark& mark, std::string_view message) const;

  // `node` must be a map whose keys are all in `allowed`.
  base::Status CheckMap(const YAML::Node& node, std::string_view path,
                        std::initializer_list<std::string_view> allowed) const;

  base::Result<std::string> String(const YAML::Node& node, std::string_view path) const;
  // A list of strings; a single string is accepted as a list of one.
  base::Result<std::vector<std::string>> StringList(const YAML::Node& node,
                                                    std::string_view path) const;
  base::Result<bool> Bool(const YAML::Node& node, std::string_view path) const;
  base::Result<double> Number(const YAML::Node& node, std::string_view path) const;
  base::Result<base::Duration> Duration(const YAML::Node& node, std::string_view path) const;

 private:
  std::string file_;
};

}  // namespace vigil::task

#endif  // VIGIL_TASK_YAML_READER_H_
