#include "vigil/model/folds.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "vigil/testing/synthetic_matrix.h"

namespace vigil::model {
namespace {

struct Rows {
  std::vector<std::string> subjects;
  std::vector<float> labels;
};

Rows FromSynthetic(uint64_t seed) {
  testing::SyntheticSpec spec;
  spec.subjects = 97;
  spec.rows_per_subject = 4;
  spec.seed = seed;
  auto data = testing::MakeSynthetic(spec);
  Rows r;
  for (const auto& k : data.matrix.rows) r.subjects.push_back(k.subject_id);
  r.labels = data.matrix.labels;
  return r;
}

TEST(FoldsTest, NoSubjectCrossesFoldsAndFoldsAreBalanced) {
  Rows rows = FromSynthetic(3);
  auto a = AssignGroupedFolds(rows.subjects, rows.labels, 5, 42);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_EQ(a->fold_of_row.size(), rows.subjects.size());
  std::map<std::string, std::set<int>> folds_of_subject;
  std::vector<int> fold_rows(5, 0), fold_pos(5, 0);
  int positives = 0;
  for (size_t i = 0; i < rows.subjects.size(); ++i) {
    const int f = a->fold_of_row[i];
    ASSERT_GE(f, 0);
    ASSERT_LT(f, 5);
    folds_of_subject[rows.subjects[i]].insert(f);
    ++fold_rows[f];
    fold_pos[f] += rows.labels[i] > 0.5f;
    positives += rows.labels[i] > 0.5f;
  }
  for (const auto& [s, f] : folds_of_subject) EXPECT_EQ(f.size(), 1u) << "a subject crosses folds";
  // Positives per fold within one subject's worth (4 rows) of the mean; rows within 2 subjects.
  for (int f = 0; f < 5; ++f) {
    EXPECT_NEAR(fold_pos[f], positives / 5.0, 4.0) << "fold " << f;
    EXPECT_NEAR(fold_rows[f], rows.subjects.size() / 5.0, 8.0) << "fold " << f;
  }
}

TEST(FoldsTest, DeterministicForASeedAndDifferentAcrossSeeds) {
  Rows rows = FromSynthetic(4);
  auto a = AssignGroupedFolds(rows.subjects, rows.labels, 4, 1);
  auto b = AssignGroupedFolds(rows.subjects, rows.labels, 4, 1);
  auto c = AssignGroupedFolds(rows.subjects, rows.labels, 4, 2);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(a->fold_of_row, b->fold_of_row);
  EXPECT_NE(a->fold_of_row, c->fold_of_row);
}

TEST(FoldsTest, InterleavedSubjectRowsStayTogether) {
  std::vector<std::string> subjects;
  std::vector<float> labels;
  for (int i = 0; i < 60; ++i) {
    subjects.push_back("p" + std::to_string(i % 12));  // rows of a subject are not adjacent
    labels.push_back(i % 12 < 4 ? 1.0f : 0.0f);
  }
  auto a = AssignGroupedFolds(subjects, labels, 3, 9);
  ASSERT_TRUE(a.ok());
  for (size_t i = 12; i < subjects.size(); ++i)
    EXPECT_EQ(a->fold_of_row[i], a->fold_of_row[i - 12]);
}

TEST(FoldsTest, RefusesWhenAFoldWouldLackPositives) {
  std::vector<std::string> subjects = {"a", "a", "b", "c", "d", "e", "f"};
  std::vector<float> labels = {1, 1, 1, 0, 0, 0, 0};  // two subjects with positives
  auto a = AssignGroupedFolds(subjects, labels, 3, 0);
  EXPECT_EQ(a.status().code(), base::StatusCode::kFailedPrecondition);
  EXPECT_EQ(AssignGroupedFolds(subjects, labels, 1, 0).status().code(),
            base::StatusCode::kInvalidArgument);
  EXPECT_EQ(AssignGroupedFolds(subjects, std::vector<float>(3), 2, 0).status().code(),
            base::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace vigil::model
