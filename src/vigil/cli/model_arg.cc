#include "vigil/cli/model_arg.h"

#include <filesystem>

namespace vigil::cli {

base::Result<model::StoredModel> LoadModelArg(const std::string& model,
                                              const std::string& registry) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_regular_file(fs::path(model) / "manifest.json", ec)) {
    return model::ReadModelFolder(model);
  }
  if (fs::is_directory(model, ec)) {
    return base::NotFoundError(model + " is a folder without manifest.json: not a model folder");
  }
  return model::Registry(registry).Load(model);
}

}  // namespace vigil::cli
