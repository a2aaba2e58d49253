#include "vigil/features/export.h"

#include "vigil/store/table_file.h"

namespace vigil::features {

base::Status WriteFeatureFile(const FeatureMatrix& m, const std::filesystem::path& path) {
  VIGIL_ASSIGN_OR_RETURN(store::TableFileFormat format, store::TableFileFormatFor(path));
  std::vector<std::string> subject_ids, stay_ids;
  std::vector<int64_t> times;
  subject_ids.reserve(m.num_rows());
  stay_ids.reserve(m.num_rows());
  times.reserve(m.num_rows());
  for (const RowKey& k : m.rows) {
    subject_ids.push_back(k.subject_id);
    stay_ids.push_back(k.stay_id);
    times.push_back(base::ToMicros(k.time));
  }
  // A task with no rows in the store still gets its header: number columns need a non-null
  // pointer to say what they are, though no row is read from it.
  static constexpr float kNoRows = 0;
  const float* labels = m.num_rows() > 0 ? m.labels.data() : &kNoRows;
  const float* values = m.num_rows() > 0 ? m.values.data() : &kNoRows;
  std::vector<store::TableColumn> columns = {{"subject_id", &subject_ids},
                                             {"stay_id", &stay_ids},
                                             {"time", nullptr, &times},
                                             {"label", nullptr, nullptr, labels, 1}};
  for (size_t c = 0; c < m.num_cols(); ++c) {
    columns.push_back(
        {m.names[c], nullptr, nullptr, m.num_rows() > 0 ? values + c : values, m.num_cols()});
  }
  return store::WriteTableFile(columns, m.num_rows(), path, format);
}

base::Result<task::Split> SplitMatrix(const task::SplitSpec& spec, const FeatureMatrix& m) {
  std::vector<std::string> ids;
  std::vector<base::Instant> times;
  ids.reserve(m.num_rows());
  times.reserve(m.num_rows());
  for (const RowKey& k : m.rows) {
    ids.push_back(k.subject_id);
    times.push_back(k.time);
  }
  return task::SplitRows(spec, ids, times, m.labels);
}

}  // namespace vigil::features
