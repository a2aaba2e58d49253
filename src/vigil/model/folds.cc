#include "vigil/model/folds.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "vigil/model/random.h"

namespace vigil::model {
namespace {

struct Group {
  std::vector<size_t> rows;
  size_t positives = 0;
};

}  // namespace

base::Result<FoldAssignment> AssignGroupedFolds(std::span<const std::string> subjects,
                                                std::span<const float> labels, int folds,
                                                uint64_t seed) {
  if (folds < 2) return base::InvalidArgumentError("cross-validation needs at least 2 folds");
  if (subjects.size() != labels.size()) {
    return base::InvalidArgumentError("one subject and one label per row expected");
  }
  // Groups in order of first appearance, so the result does not depend on hashing.
  std::vector<Group> groups;
  std::unordered_map<std::string_view, size_t> index;
  for (size_t r = 0; r < subjects.size(); ++r) {
    auto [it, inserted] = index.try_emplace(subjects[r], groups.size());
    if (inserted) groups.emplace_back();
    Group& g = groups[it->second];
    g.rows.push_back(r);
    if (labels[r] > 0.5f) ++g.positives;
  }
  const auto positive_groups = static_cast<size_t>(
      std::count_if(groups.begin(), groups.end(), [](const Group& g) { return g.positives > 0; }));
  const size_t negative_groups = groups.size() - positive_groups;
  const auto k = static_cast<size_t>(folds);
  if (positive_groups < k || negative_groups < k) {
    return base::FailedPreconditionError(fmt::format(
        "{}-fold cross-validation needs at least {} subjects with a positive and {} without; "
        "the data has {} and {}",
        folds, folds, folds, positive_groups, negative_groups));
  }

  std::vector<size_t> order(groups.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  Rng rng(seed);
  rng.Shuffle(order);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return groups[a].positives > groups[b].positives; });

  std::vector<size_t> fold_positives(k, 0), fold_rows(k, 0);
  FoldAssignment out;
  out.folds = folds;
  out.fold_of_row.assign(subjects.size(), 0);
  for (size_t gi : order) {
    const Group& g = groups[gi];
    // Subjects with positives balance positives; the others balance rows.
    const auto& first = g.positives > 0 ? fold_positives : fold_rows;
    const auto& second = g.positives > 0 ? fold_rows : fold_positives;
    size_t best = 0;
    for (size_t f = 1; f < k; ++f) {
      if (first[f] < first[best] || (first[f] == first[best] && second[f] < second[best])) best = f;
    }
    fold_positives[best] += g.positives;
    fold_rows[best] += g.rows.size();
    for (size_t r : g.rows) out.fold_of_row[r] = static_cast<int>(best);
  }
  return out;
}

}  // namespace vigil::model
