// Writes a FeatureMatrix to CSV or Parquet (by the path's extension), through the store module's
// table writer: columns subject_id, stay_id, time, label, then one per feature, one row per
// prediction time, in the matrix's order (subject, then time). Missing values are empty (CSV) or
// NULL (Parquet); the time is ISO 8601 UTC in CSV and a TIMESTAMP in Parquet. The file appears
// whole or not at all (written under a temporary name, then renamed).
#ifndef VIGIL_FEATURES_EXPORT_H_
#define VIGIL_FEATURES_EXPORT_H_

#include <filesystem>

#include "vigil/base/status.h"
#include "vigil/features/matrix.h"
#include "vigil/task/split.h"

namespace vigil::features {

// InvalidArgument for an extension other than .csv or .parquet, or a feature named like one of the
// four key columns.
base::Status WriteFeatureFile(const FeatureMatrix& matrix, const std::filesystem::path& path);

// The task's patient-level split of the matrix's rows (task/split.h).
base::Result<task::Split> SplitMatrix(const task::SplitSpec& spec, const FeatureMatrix& matrix);

}  // namespace vigil::features

#endif  // VIGIL_FEATURES_EXPORT_H_
