#include "vigil/task/split.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string_view>
#include <unordered_map>

#include "vigil/base/random.h"

namespace vigil::task {
namespace {

// Fixed by the seed on every platform, unlike std::shuffle's use of a distribution.
using base::SplitMix64;

struct SubjectInfo {
  std::string_view id;
  bool positive = false;
  base::Instant first = base::Instant::max();
  SplitSide side = SplitSide::kTrain;
};

void Shuffle(std::vector<size_t>& v, SplitMix64& rng) {
  for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng.Next() % i]);
}

// Cuts `group` (subject indices, shuffled) into test, validation, and the rest (training). With
// folds > 0 the test set is part `test_fold` of `folds` equal parts of the shuffled group, and
// validation follows it (wrapping around).
void Cut(std::vector<size_t>& group, double test, double validation, int folds, int test_fold,
         SplitMix64& rng, std::vector<SubjectInfo>& subjects) {
  Shuffle(group, rng);
  const auto n = static_cast<double>(group.size());
  auto n_test = static_cast<size_t>(std::llround(n * test));
  if (folds > 0) {
    const auto begin = static_cast<size_t>(std::llround(n * (test_fold - 1) / folds));
    const auto end = static_cast<size_t>(std::llround(n * test_fold / folds));
    std::rotate(group.begin(), group.begin() + static_cast<ptrdiff_t>(begin), group.end());
    n_test = end - begin;
  }
  const auto n_val = static_cast<size_t>(std::llround(n * validation));
  for (size_t i = 0; i < group.size(); ++i) {
    subjects[group[i]].side = i < n_test           ? SplitSide::kTest
                              : i < n_test + n_val ? SplitSide::kValidation
                                                   : SplitSide::kTrain;
  }
}

// Stratified by "any positive row": positives and negatives are cut separately.
void Stratify(const std::vector<size_t>& eligible, double test, double validation, int folds,
              int test_fold, uint64_t seed, std::vector<SubjectInfo>& subjects) {
  std::vector<size_t> groups[2];
  for (size_t i : eligible) groups[subjects[i].positive ? 1 : 0].push_back(i);
  for (int g = 0; g < 2; ++g) {
    SplitMix64 rng(seed * 2 + static_cast<uint64_t>(g));
    Cut(groups[g], test, validation, folds, test_fold, rng, subjects);
  }
}

}  // namespace

std::string_view SplitSideName(SplitSide side) {
  switch (side) {
    case SplitSide::kTrain:
      return "train";
    case SplitSide::kValidation:
      return "validation";
    case SplitSide::kTest:
      return "test";
    case SplitSide::kDropped:
      return "dropped";
  }
  return "dropped";
}

base::Result<Split> SplitRows(const SplitSpec& spec, std::span<const std::string> subject_ids,
                              std::span<const base::Instant> times, std::span<const float> labels) {
  if (subject_ids.size() != times.size() || subject_ids.size() != labels.size()) {
    return base::InvalidArgumentError("split: subject ids, times and labels differ in length");
  }
  std::unordered_map<std::string_view, size_t> index;
  std::vector<SubjectInfo> subjects;
  std::vector<size_t> row_subject(subject_ids.size());
  for (size_t r = 0; r < subject_ids.size(); ++r) {
    auto [it, added] = index.try_emplace(subject_ids[r], subjects.size());
    if (added) subjects.push_back({subject_ids[r]});
    SubjectInfo& s = subjects[it->second];
    s.positive = s.positive || labels[r] == 1;
    s.first = std::min(s.first, times[r]);
    row_subject[r] = it->second;
  }
  // Subjects in identifier order, so the result does not depend on the order of the rows.
  std::vector<size_t> order(subjects.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return subjects[a].id < subjects[b].id; });

  if (spec.method == SplitMethod::kStratified) {
    Stratify(order, spec.test_fraction, spec.validation_fraction, spec.folds, spec.test_fold,
             spec.seed, subjects);
  } else {
    std::vector<size_t> before;
    for (size_t i : order) {
      if (subjects[i].first < *spec.cutoff) {
        before.push_back(i);
      } else {
        subjects[i].side = SplitSide::kTest;
      }
    }
    // Validation patients come from the training period.
    Stratify(before, 0.0, spec.validation_fraction, 0, 0, spec.seed, subjects);
  }

  Split out;
  out.row_side.resize(subject_ids.size());
  for (const SubjectInfo& s : subjects) out.counts.subjects[static_cast<size_t>(s.side)] += 1;
  for (size_t r = 0; r < subject_ids.size(); ++r) {
    SplitSide side = subjects[row_subject[r]].side;
    if (spec.method == SplitMethod::kTemporal && side != SplitSide::kTest &&
        times[r] >= *spec.cutoff) {
      side = SplitSide::kDropped;
    }
    out.row_side[r] = side;
    out.counts.rows[static_cast<size_t>(side)] += 1;
    if (labels[r] == 1) out.counts.positive_rows[static_cast<size_t>(side)] += 1;
  }
  return out;
}

}  // namespace vigil::task
