#include "vigil/task/yaml_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "vigil/base/text.h"
#include "vigil/task/spec.h"

namespace vigil::task {

base::Status YamlReader::ErrorAt(const YAML::Mark& mark, std::string_view message) const {
  if (mark.is_null()) return base::InvalidArgumentError(fmt::format("{}: {}", file_, message));
  return base::InvalidArgumentError(
      fmt::format("{}:{}:{}: {}", file_, mark.line + 1, mark.column + 1, message));
}

base::Status YamlReader::Error(const YAML::Node& node, std::string_view path,
                               std::string_view message) const {
  return ErrorAt(node.Mark(), fmt::format("{}: {}", path, message));
}

base::Status YamlReader::CheckMap(const YAML::Node& node, std::string_view path,
                                  std::initializer_list<std::string_view> allowed) const {
  if (!node.IsMap()) return Error(node, path, "expected a map of keys and values");
  std::vector<std::string> seen;
  for (const auto& kv : node) {
    if (!kv.first.IsScalar()) return Error(kv.first, path, "keys must be plain words");
    const std::string key = kv.first.Scalar();
    // YAML forbids a key twice in one map; the reader would take one of them silently.
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
      return Error(kv.first, path, fmt::format("key '{}' appears twice", key));
    }
    seen.push_back(key);
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string known;
      for (std::string_view a : allowed) {
        if (!known.empty()) known += ", ";
        known += a;
      }
      return Error(kv.first, path, fmt::format("unknown key '{}' (known: {})", key, known));
    }
  }
  return base::Status::Ok();
}

base::Result<std::string> YamlReader::String(const YAML::Node& node, std::string_view path) const {
  if (!node.IsScalar()) return Error(node, path, "expected a single value");
  return node.Scalar();
}

base::Result<std::vector<std::string>> YamlReader::StringList(const YAML::Node& node,
                                                              std::string_view path) const {
  std::vector<std::string> out;
  if (node.IsNull()) return out;
  if (node.IsScalar()) {
    out.push_back(node.Scalar());
    return out;
  }
  if (!node.IsSequence()) return Error(node, path, "expected a list");
  for (const auto& item : node) {
    if (!item.IsScalar()) return Error(item, path, "expected a list of single values");
    out.push_back(item.Scalar());
  }
  return out;
}

base::Result<bool> YamlReader::Bool(const YAML::Node& node, std::string_view path) const {
  bool v = false;
  if (!node.IsScalar() || !YAML::convert<bool>::decode(node, v)) {
    return Error(node, path, "expected true or false");
  }
  return v;
}

base::Result<double> YamlReader::Number(const YAML::Node& node, std::string_view path) const {
  if (!node.IsScalar()) return Error(node, path, "expected a number");
  auto v = base::ParseDouble(node.Scalar());
  if (!v) return Error(node, path, "expected a number");
  return *v;
}

base::Result<base::Duration> YamlReader::Duration(const YAML::Node& node,
                                                  std::string_view path) const {
  if (!node.IsScalar()) return Error(node, path, "expected a duration such as 6h, 30min or 7d");
  auto d = ParseDuration(node.Scalar());
  if (!d.ok()) return Error(node, path, d.status().message());
  return *d;
}

}  // namespace vigil::task
