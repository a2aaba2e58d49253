// The model card: a markdown page a clinician or reviewer can read without vigil, filled from the
// model folder's files (intended use, data, cohort, model, performance, limitations).
#ifndef VIGIL_MODEL_MODEL_CARD_H_
#define VIGIL_MODEL_MODEL_CARD_H_

#include <string>
#include <string_view>

#include "vigil/model/registry.h"

namespace vigil::model {

// `created` is the ISO 8601 time of the model's registration.
std::string RenderModelCard(std::string_view name, int version, std::string_view created,
                            const TrainedModel& model, const ModelMetadata& metadata);

}  // namespace vigil::model

#endif  // VIGIL_MODEL_MODEL_CARD_H_
