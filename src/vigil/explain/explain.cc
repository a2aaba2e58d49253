#include "vigil/explain/explain.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numeric>
#include <unordered_map>

namespace vigil::explain {
namespace {

base::Result<std::vector<size_t>> MatchColumns(const std::vector<std::string>& names,
                                               const features::FeatureMatrix& matrix) {
  std::unordered_map<std::string_view, size_t> column;
  for (size_t j = 0; j < matrix.num_cols(); ++j) column.emplace(matrix.names[j], j);
  std::vector<size_t> out;
  for (const auto& n : names) {
    auto it = column.find(n);
    if (it == column.end()) {
      return base::InvalidArgumentError("the model's feature '" + n + "' is not in the matrix");
    }
    out.push_back(it->second);
  }
  return out;
}

}  // namespace

double Contributions::Margin(size_t row) const {
  double sum = 0;
  for (size_t j = 0; j < width(); ++j) sum += values[row * width() + j];
  return sum;
}

base::Result<Contributions> Explain(const model::TrainedModel& model,
                                    const features::FeatureMatrix& matrix) {
  Contributions c;
  c.names = model.feature_names();
  c.rows = matrix.num_rows();
  VIGIL_ASSIGN_OR_RETURN(c.matrix_column, MatchColumns(c.names, matrix));
  if (c.rows == 0) return c;
  // A blend's margin is w x booster margin + (1 - w) x logistic margin, and SHAP values are linear
  // in the model: its contributions are the same mix of the two parts' exact contributions.
  const double w = model.xgboost_weight();
  const auto* booster = model.booster();
  const auto* logistic = model.logistic();
  if (booster == nullptr && logistic == nullptr) {
    return base::InternalError("model has neither booster nor coefficients");
  }
  c.values.assign(c.rows * c.width(), 0.0f);
  if (booster != nullptr) {
    VIGIL_ASSIGN_OR_RETURN(auto d, model.ToDMatrix(matrix));
    VIGIL_ASSIGN_OR_RETURN(std::vector<float> tree,
                           booster->Predict(d, model::xgb::PredictKind::kContributions));
    if (tree.size() != c.values.size()) {
      return base::InternalError("XGBoost returned contributions of an unexpected shape");
    }
    if (logistic == nullptr) {
      c.values = std::move(tree);
      return c;
    }
    for (size_t i = 0; i < tree.size(); ++i) c.values[i] = static_cast<float>(w * tree[i]);
  }
  if (logistic != nullptr) {
    VIGIL_ASSIGN_OR_RETURN(std::vector<float> aligned, model.AlignColumns(matrix));
    std::vector<float> row(c.width());
    for (size_t r = 0; r < c.rows; ++r) {
      logistic->Contributions(aligned.data() + r * c.names.size(), std::span<float>(row));
      for (size_t j = 0; j < c.width(); ++j)
        c.values[r * c.width() + j] += static_cast<float>((1 - w) * row[j]);
    }
  }
  return c;
}

std::vector<TopContribution> TopContributions(const Contributions& c,
                                              const features::FeatureMatrix& matrix, size_t row,
                                              size_t k) {
  std::vector<size_t> order(c.names.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return std::abs(c.at(row, a)) > std::abs(c.at(row, b));
  });
  order.resize(std::min(k, order.size()));
  std::vector<TopContribution> out;
  for (size_t j : order) {
    out.push_back({c.names[j], matrix.at(row, c.matrix_column[j]), c.at(row, j), {}});
  }
  return out;
}

namespace {

// A float as the double with its shortest decimal form, so that JSON shows 0.25775033 (what the
// float holds) rather than 0.25775033235549927 (the float widened to a double).
double ShortestDecimal(float v) {
  char text[32];
  const auto end = std::to_chars(text, text + sizeof text, v).ptr;
  double out = v;
  std::from_chars(text, end, out);
  return out;
}

}  // namespace

nlohmann::ordered_json ToJson(const std::vector<TopContribution>& top) {
  auto out = nlohmann::ordered_json::array();
  for (const auto& t : top) {
    nlohmann::ordered_json item = {{"feature", t.name}};
    if (!t.display.empty()) item["name"] = t.display;
    item["value"] = std::isnan(t.value) ? nlohmann::ordered_json()
                                        : nlohmann::ordered_json(ShortestDecimal(t.value));
    item["contribution"] = ShortestDecimal(t.contribution);
    out.push_back(std::move(item));
  }
  return out;
}

std::vector<FeatureImportance> GlobalImportance(const Contributions& c) {
  std::vector<FeatureImportance> out(c.names.size());
  for (size_t j = 0; j < c.names.size(); ++j) {
    out[j].name = c.names[j];
    double abs_sum = 0, sum = 0;
    for (size_t r = 0; r < c.rows; ++r) {
      abs_sum += std::abs(c.at(r, j));
      sum += c.at(r, j);
    }
    if (c.rows > 0) {
      out[j].mean_abs = abs_sum / static_cast<double>(c.rows);
      out[j].mean = sum / static_cast<double>(c.rows);
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const FeatureImportance& a, const FeatureImportance& b) {
                     return a.mean_abs > b.mean_abs;
                   });
  return out;
}

}  // namespace vigil::explain
