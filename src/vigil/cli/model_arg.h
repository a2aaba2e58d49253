// The model a command works on: a model folder (holding manifest.json) or NAME[@VERSION] in a
// registry.
#ifndef VIGIL_CLI_MODEL_ARG_H_
#define VIGIL_CLI_MODEL_ARG_H_

#include <string>

#include "vigil/base/status.h"
#include "vigil/model/registry.h"

namespace vigil::cli {

inline constexpr char kDefaultRegistry[] = "vigil-models";

base::Result<model::StoredModel> LoadModelArg(const std::string& model,
                                              const std::string& registry);

}  // namespace vigil::cli

#endif  // VIGIL_CLI_MODEL_ARG_H_
