#include "vigil/model/train.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <thread>
#include <unordered_set>

#include "vigil/model/fit.h"
#include "vigil/model/folds.h"
#include "vigil/model/scoring.h"

namespace vigil::model {
namespace {

base::Status ValidateInputs(const features::FeatureMatrix& m, const TrainOptions& o) {
  if (m.num_cols() == 0) return base::InvalidArgumentError("the feature matrix has no columns");
  if (m.values.size() != m.num_rows() * m.num_cols() || m.labels.size() != m.num_rows()) {
    return base::InvalidArgumentError("feature matrix values or labels do not match its shape");
  }
  std::unordered_set<std::string_view> seen;
  for (size_t j = 0; j < m.names.size(); ++j) {
    if (m.names[j].empty() || !seen.insert(m.names[j]).second) {
      return base::InvalidArgumentError(
          fmt::format("feature column {} has an empty or duplicate name", j + 1));
    }
  }
  for (size_t r = 0; r < m.num_rows(); ++r) {
    const float y = m.labels[r];
    if (!std::isnan(y) && y != 0.0f && y != 1.0f) {
      return base::InvalidArgumentError(
          fmt::format("row {} has a label other than 0, 1 or none", r + 1));
    }
  }
  for (size_t i = 0; i < m.values.size(); ++i) {
    if (std::isinf(m.values[i])) {
      return base::InvalidArgumentError(
          fmt::format("feature '{}' is infinite in row {} (use NaN for missing)",
                      m.names[i % m.num_cols()], i / m.num_cols() + 1));
    }
  }
  if (o.folds < 2) return base::InvalidArgumentError("cross-validation needs at least 2 folds");
  if (o.bags < 1 || o.bags > 100) return base::InvalidArgumentError("bags must be 1 to 100");
  if (o.max_rounds < 1 || o.early_stopping_rounds < 1) {
    return base::InvalidArgumentError("max_rounds and early_stopping_rounds must be positive");
  }
  for (double l2 : o.logistic_l2_grid) {
    if (!(l2 > 0)) return base::InvalidArgumentError("logistic L2 penalties must be positive");
  }
  if (!o.threshold.row_utility.empty() && o.threshold.row_utility.size() != m.num_rows()) {
    return base::InvalidArgumentError("one row utility per matrix row expected");
  }
  return base::Status::Ok();
}

LogisticOptions LogisticOptionsFor(double l2, const TrainOptions& o) {
  LogisticOptions lo;
  lo.l2 = l2;
  lo.num_threads =
      o.num_threads > 0 ? o.num_threads : static_cast<int>(std::thread::hardware_concurrency());
  return lo;
}

// The candidates searched: the options' grids, or the defaults when they are empty. Candidate c of
// the report is entry c of these.
std::vector<XgboostParams> XgboostGrid(const TrainOptions& o) {
  return o.xgboost_grid.empty() ? DefaultXgboostGrid() : o.xgboost_grid;
}
std::vector<double> LogisticL2Grid(const TrainOptions& o) {
  return o.logistic_l2_grid.empty() ? DefaultLogisticL2Grid() : o.logistic_l2_grid;
}

// The labelled rows and their folds, plus what the report says about them.
struct Design {
  std::vector<size_t> rows;  // matrix rows with a label
  std::vector<float> labels;
  FoldAssignment folds;
  size_t subjects = 0;
  size_t positives = 0;
};

base::Result<Design> MakeDesign(const features::FeatureMatrix& m, const TrainOptions& o) {
  Design d;
  std::vector<std::string> subjects;
  std::unordered_set<std::string_view> distinct;
  for (size_t r = 0; r < m.num_rows(); ++r) {
    if (!m.has_label(r)) continue;
    d.rows.push_back(r);
    d.labels.push_back(m.labels[r]);
    subjects.push_back(m.rows[r].subject_id);
    distinct.insert(m.rows[r].subject_id);
    d.positives += m.labels[r] > 0.5f;
  }
  d.subjects = distinct.size();
  VIGIL_ASSIGN_OR_RETURN(d.folds, AssignGroupedFolds(subjects, d.labels, o.folds, o.seed));
  return d;
}

// Cross-validation of every candidate: held-out margins per candidate (indexed like Design::rows).
struct CvResult {
  std::vector<CandidateResult> candidates;
  std::vector<std::vector<double>> margins;
};

// "fold 2/5, candidate 3/8" ("logistic candidate" for logistic regression, a blend's part too),
// shown while that candidate is fitted.
std::string CandidateLabel(const TrainOptions& o, int fold, size_t candidate, size_t candidates) {
  return fmt::format("fold {}/{}, {}candidate {}/{}", fold + 1, o.folds,
                     o.kind == ModelKind::kLogistic ? "logistic " : "", candidate + 1, candidates);
}

base::Status CrossValidateFold(const features::FeatureMatrix& m, const TrainOptions& o,
                               const Design& d, int fold, CvResult& cv) {
  std::vector<size_t> train_rows, valid_rows, valid_pos;
  std::vector<float> valid_labels;
  for (size_t i = 0; i < d.rows.size(); ++i) {
    if (d.folds.fold_of_row[i] == fold) {
      valid_rows.push_back(d.rows[i]);
      valid_pos.push_back(i);
      valid_labels.push_back(d.labels[i]);
    } else {
      train_rows.push_back(d.rows[i]);
    }
  }
  const size_t n = cv.candidates.size();
  auto record = [&](size_t c, const std::vector<double>& held_out, int rounds) {
    for (size_t k = 0; k < valid_pos.size(); ++k) cv.margins[c][valid_pos[k]] = held_out[k];
    cv.candidates[c].fold_auroc.push_back(Auroc(held_out, valid_labels));
    if (rounds > 0) cv.candidates[c].fold_rounds.push_back(rounds);
  };
  if (o.kind == ModelKind::kLogistic) {
    const auto grid = LogisticL2Grid(o);
    const auto train_w = internal::ClassWeights(m, train_rows, o.class_weighting, nullptr);
    for (size_t c = 0; c < n; ++c) {
      if (o.progress) o.progress(CandidateLabel(o, fold, c, n));
      const LogisticOptions lo = LogisticOptionsFor(grid[c], o);
      VIGIL_ASSIGN_OR_RETURN(LogisticModel lm, LogisticModel::Fit(m, train_rows, train_w, lo));
      std::vector<double> held_out(valid_rows.size());
      for (size_t k = 0; k < valid_rows.size(); ++k) held_out[k] = lm.Margin(m.row(valid_rows[k]));
      record(c, held_out, 0);
    }
    return base::Status::Ok();
  }
  // Candidates sharing a class weighting share one pair of matrices, rebuilt when it changes (the
  // weights feed XGBoost's quantile sketch, so a matrix is not reweighted in place).
  const auto grid = XgboostGrid(o);
  std::optional<ClassWeighting> built;
  std::optional<xgb::DMatrix> dtrain, dvalid;
  for (size_t c = 0; c < n; ++c) {
    if (built != grid[c].class_weighting) {
      built = grid[c].class_weighting;
      const auto fit_w = internal::ClassWeights(m, train_rows, *built, nullptr);
      const auto valid_w = internal::ClassWeights(m, valid_rows, *built, nullptr);
      dtrain.reset();
      dvalid.reset();
      VIGIL_ASSIGN_OR_RETURN(dtrain, internal::MakeDMatrix(m, train_rows, fit_w, o.num_threads));
      VIGIL_ASSIGN_OR_RETURN(dvalid, internal::MakeDMatrix(m, valid_rows, valid_w, o.num_threads));
    }
    const std::string label = CandidateLabel(o, fold, c, n);
    if (o.progress) o.progress(label);
    VIGIL_ASSIGN_OR_RETURN(auto fit, internal::FitXgboost(*dtrain, &*dvalid, grid[c], o, 0, label));
    VIGIL_ASSIGN_OR_RETURN(auto margins,
                           fit.booster.Predict(*dvalid, xgb::PredictKind::kMargin, fit.rounds));
    record(c, std::vector<double>(margins.begin(), margins.end()), fit.rounds);
  }
  return base::Status::Ok();
}

base::Result<CvResult> CrossValidate(const features::FeatureMatrix& m, const TrainOptions& o,
                                     const Design& d) {
  CvResult cv;
  if (o.kind == ModelKind::kLogistic) {
    for (double l2 : LogisticL2Grid(o)) {
      CandidateResult c;
      c.hyperparameters = {{"l2", l2}};
      cv.candidates.push_back(std::move(c));
    }
  } else {
    for (const auto& p : XgboostGrid(o)) {
      CandidateResult c;
      c.hyperparameters = p.ToJson();
      cv.candidates.push_back(std::move(c));
    }
  }
  cv.margins.assign(cv.candidates.size(), std::vector<double>(d.rows.size(), 0.0));
  for (int f = 0; f < o.folds; ++f) VIGIL_RETURN_IF_ERROR(CrossValidateFold(m, o, d, f, cv));
  for (auto& c : cv.candidates) {
    c.mean_auroc = std::accumulate(c.fold_auroc.begin(), c.fold_auroc.end(), 0.0) /
                   static_cast<double>(c.fold_auroc.size());
  }
  return cv;
}

// Calibrated probabilities where each fold's rows are calibrated by a fit on the other folds.
base::Result<std::vector<double>> CrossFitCalibration(CalibrationMethod method,
                                                      const std::vector<double>& margins,
                                                      const Design& d) {
  std::vector<double> out(margins.size());
  for (int f = 0; f < d.folds.folds; ++f) {
    std::vector<double> fit_m;
    std::vector<float> fit_y;
    for (size_t i = 0; i < margins.size(); ++i) {
      if (d.folds.fold_of_row[i] == f) continue;
      fit_m.push_back(margins[i]);
      fit_y.push_back(d.labels[i]);
    }
    VIGIL_ASSIGN_OR_RETURN(Calibrator c, Calibrator::Fit(method, fit_m, fit_y));
    for (size_t i = 0; i < margins.size(); ++i) {
      if (d.folds.fold_of_row[i] == f) out[i] = c.Probability(margins[i]);
    }
  }
  return out;
}

base::Status FitFinalLogistic(const features::FeatureMatrix& m, const TrainOptions& o,
                              const Design& d, const CandidateResult& best, double* positive_weight,
                              TrainedModel::Parts& parts) {
  const auto weights = internal::ClassWeights(m, d.rows, o.class_weighting, positive_weight);
  const LogisticOptions lo = LogisticOptionsFor(best.hyperparameters.at("l2").get<double>(), o);
  if (o.progress) o.progress("final fit, logistic regression");
  VIGIL_ASSIGN_OR_RETURN(LogisticModel lm, LogisticModel::Fit(m, d.rows, weights, lo));
  parts.logistic = std::move(lm);
  return base::Status::Ok();
}

base::Status FitFinalXgboost(const features::FeatureMatrix& m, const TrainOptions& o,
                             const Design& d, TrainingReport& report, TrainedModel::Parts& parts) {
  const CandidateResult& best = report.candidates[report.chosen];
  const auto grid = XgboostGrid(o);
  const ClassWeighting weighting = grid[report.chosen].class_weighting;
  report.class_weighting = ClassWeightingName(weighting);
  const auto weights = internal::ClassWeights(m, d.rows, weighting, &report.positive_weight);
  const double mean_rounds =
      std::accumulate(best.fold_rounds.begin(), best.fold_rounds.end(), 0.0) /
      static_cast<double>(best.fold_rounds.size());
  report.final_rounds = std::max(1, static_cast<int>(std::lround(mean_rounds)));
  VIGIL_ASSIGN_OR_RETURN(auto dall, internal::MakeDMatrix(m, d.rows, weights, o.num_threads));
  report.bags = o.bags;
  std::vector<xgb::Booster> members;
  for (int b = 0; b < o.bags; ++b) {
    TrainOptions member = o;
    member.seed = o.seed + static_cast<uint64_t>(b);
    const std::string label =
        o.bags > 1 ? fmt::format("final fit, bag {}/{}", b + 1, o.bags) : std::string("final fit");
    VIGIL_ASSIGN_OR_RETURN(auto fit, internal::FitXgboost(dall, nullptr, grid[report.chosen],
                                                          member, report.final_rounds, label));
    VIGIL_ASSIGN_OR_RETURN(xgb::Booster sliced, fit.booster.Slice(report.final_rounds));
    members.push_back(std::move(sliced));
  }
  // A bag becomes one booster; a single fit is kept as it is (no JSON round trip).
  if (members.size() > 1) {
    std::vector<const xgb::Booster*> pointers;
    for (const auto& b : members) pointers.push_back(&b);
    VIGIL_ASSIGN_OR_RETURN(xgb::Booster averaged, xgb::AverageBoosters(pointers));
    members.clear();
    members.push_back(std::move(averaged));
  }
  VIGIL_RETURN_IF_ERROR(members[0].SetFeatureNames(m.names));
  parts.booster = std::make_unique<xgb::Booster>(std::move(members[0]));
  return base::Status::Ok();
}

base::Status FitFinal(const features::FeatureMatrix& m, const TrainOptions& o, const Design& d,
                      TrainingReport& report, TrainedModel::Parts& parts) {
  switch (o.kind) {
    case ModelKind::kLogistic:
      report.class_weighting = ClassWeightingName(o.class_weighting);
      return FitFinalLogistic(m, o, d, report.candidates[report.chosen], &report.positive_weight,
                              parts);
    case ModelKind::kXgboost:
      return FitFinalXgboost(m, o, d, report, parts);
    case ModelKind::kBlend:
      break;
  }
  VIGIL_RETURN_IF_ERROR(FitFinalXgboost(m, o, d, report, parts));
  report.logistic_class_weighting = ClassWeightingName(o.class_weighting);
  return FitFinalLogistic(m, o, d, report.logistic_candidates[report.logistic_chosen], nullptr,
                          parts);
}

size_t BestCandidate(const std::vector<CandidateResult>& candidates) {
  size_t best = 0;
  for (size_t c = 1; c < candidates.size(); ++c) {
    if (candidates[c].mean_auroc > candidates[best].mean_auroc) best = c;
  }
  return best;
}

// The mean over folds of the AUROC of `margins` on each fold's rows (as candidates are scored).
double MeanFoldAuroc(const std::vector<double>& margins, const Design& d) {
  double sum = 0;
  for (int f = 0; f < d.folds.folds; ++f) {
    std::vector<double> fold_margins;
    std::vector<float> fold_labels;
    for (size_t i = 0; i < margins.size(); ++i) {
      if (d.folds.fold_of_row[i] != f) continue;
      fold_margins.push_back(margins[i]);
      fold_labels.push_back(d.labels[i]);
    }
    sum += Auroc(fold_margins, fold_labels);
  }
  return sum / d.folds.folds;
}

// A blend's logistic part: its own search on the same folds, then the weight. Returns the mixed
// held-out margins.
base::Result<std::vector<double>> BlendWithLogistic(const features::FeatureMatrix& m,
                                                    const TrainOptions& o, const Design& d,
                                                    const std::vector<double>& xgboost_margins,
                                                    TrainingReport& report) {
  TrainOptions lo = o;
  lo.kind = ModelKind::kLogistic;
  VIGIL_ASSIGN_OR_RETURN(CvResult cv, CrossValidate(m, lo, d));
  report.logistic_chosen = BestCandidate(cv.candidates);
  report.logistic_candidates = cv.candidates;
  const std::vector<double>& logistic_margins = cv.margins[report.logistic_chosen];
  std::vector<double> mixed(xgboost_margins.size()), best;
  double best_auroc = -1;
  for (int k = 10; k >= 0; --k) {  // the larger XGBoost weight first: it wins ties
    const double w = k / 10.0;
    for (size_t i = 0; i < mixed.size(); ++i)
      mixed[i] = w * xgboost_margins[i] + (1 - w) * logistic_margins[i];
    const double auroc = MeanFoldAuroc(mixed, d);
    report.blend_weights.emplace_back(w, auroc);
    if (auroc > best_auroc) {
      best_auroc = auroc;
      best = mixed;
      report.xgboost_weight = w;
    }
  }
  return best;
}

nlohmann::ordered_json CandidatesJson(const std::vector<CandidateResult>& candidates) {
  auto out = nlohmann::ordered_json::array();
  for (const auto& c : candidates) {
    nlohmann::ordered_json cj = {{"hyperparameters", c.hyperparameters},
                                 {"mean_auroc", c.mean_auroc},
                                 {"fold_auroc", c.fold_auroc}};
    if (!c.fold_rounds.empty()) cj["fold_rounds"] = c.fold_rounds;
    out.push_back(std::move(cj));
  }
  return out;
}

}  // namespace

nlohmann::ordered_json XgboostParams::ToJson() const {
  return {{"max_depth", max_depth},
          {"learning_rate", learning_rate},
          {"min_child_weight", min_child_weight},
          {"subsample", subsample},
          {"colsample_bytree", colsample_bytree},
          {"reg_lambda", reg_lambda},
          {"reg_alpha", reg_alpha},
          {"max_bin", max_bin},
          {"class_weighting", ClassWeightingName(class_weighting)}};
}

std::string_view ClassWeightingName(ClassWeighting weighting) {
  return weighting == ClassWeighting::kBalanced ? "balanced" : "none";
}

std::optional<ClassWeighting> ParseClassWeighting(std::string_view name) {
  for (auto w : {ClassWeighting::kNone, ClassWeighting::kBalanced}) {
    if (ClassWeightingName(w) == name) return w;
  }
  return std::nullopt;
}

std::vector<XgboostParams> DefaultXgboostGrid() {
  std::vector<XgboostParams> grid;
  for (ClassWeighting weighting : {ClassWeighting::kBalanced, ClassWeighting::kNone}) {
    for (int depth : {3, 6}) {
      for (double min_child_weight : {1.0, 10.0}) {
        XgboostParams p;
        p.max_depth = depth;
        p.min_child_weight = min_child_weight;
        p.class_weighting = weighting;
        grid.push_back(p);
      }
    }
  }
  return grid;
}

std::vector<double> DefaultLogisticL2Grid() { return {1.0, 1e-1, 1e-2, 1e-3, 1e-4}; }

nlohmann::ordered_json TrainingReport::ToJson() const {
  nlohmann::ordered_json j;
  j["model"] = model;
  j["seed"] = seed;
  j["folds"] = folds;
  j["rows"] = rows;
  j["unlabelled_rows"] = unlabelled_rows;
  j["subjects"] = subjects;
  j["positives"] = positives;
  j["class_weighting"] = class_weighting;
  j["positive_weight"] = positive_weight;
  j["candidates"] = CandidatesJson(candidates);
  j["chosen"] = chosen;
  j["hyperparameters"] =
      candidates.empty() ? nlohmann::ordered_json() : candidates[chosen].hyperparameters;
  if (model != "logistic") {
    j["final_rounds"] = final_rounds;
    j["bags"] = bags;
  }
  if (model == "blend") {
    auto& lj = j["logistic"] = nlohmann::ordered_json::object();
    lj["class_weighting"] = logistic_class_weighting;
    lj["candidates"] = CandidatesJson(logistic_candidates);
    lj["chosen"] = logistic_chosen;
    lj["hyperparameters"] = logistic_candidates.empty()
                                ? nlohmann::ordered_json()
                                : logistic_candidates[logistic_chosen].hyperparameters;
    auto& bj = j["blend"] = nlohmann::ordered_json::object();
    bj["xgboost_weight"] = xgboost_weight;
    auto& bc = bj["candidates"] = nlohmann::ordered_json::array();
    for (const auto& [w, auroc] : blend_weights)
      bc.push_back({{"xgboost_weight", w}, {"mean_auroc", auroc}});
  }
  j["held_out"] = {{"auroc", held_out_auroc},
                   {"calibration", calibration},
                   {"brier_uncalibrated", brier_uncalibrated},
                   {"brier_platt", brier_platt},
                   {"brier_isotonic", brier_isotonic},
                   {"ece_uncalibrated", ece_uncalibrated},
                   {"ece_calibrated", ece_calibrated}};
  return j;
}

base::Result<TrainedModel> Train(const features::FeatureMatrix& m, const TrainOptions& o) {
  VIGIL_RETURN_IF_ERROR(ValidateInputs(m, o));
  VIGIL_ASSIGN_OR_RETURN(Design d, MakeDesign(m, o));
  TrainingReport report;
  report.model = ModelKindName(o.kind);
  report.seed = o.seed;
  report.folds = o.folds;
  report.rows = d.rows.size();
  report.unlabelled_rows = m.num_rows() - d.rows.size();
  report.subjects = d.subjects;
  report.positives = d.positives;

  TrainOptions first = o;  // a blend's XGBoost part first
  if (o.kind == ModelKind::kBlend) first.kind = ModelKind::kXgboost;
  VIGIL_ASSIGN_OR_RETURN(CvResult cv, CrossValidate(m, first, d));
  report.candidates = cv.candidates;
  report.chosen = BestCandidate(cv.candidates);
  std::vector<double> held_out = std::move(cv.margins[report.chosen]);
  if (o.kind == ModelKind::kBlend) {
    VIGIL_ASSIGN_OR_RETURN(held_out, BlendWithLogistic(m, o, d, held_out, report));
  }
  report.held_out_auroc = Auroc(held_out, d.labels);

  VIGIL_ASSIGN_OR_RETURN(CalibrationSelection sel,
                         SelectCalibration(held_out, d.labels, d.folds.fold_of_row, o.folds));
  if (o.calibration) {
    VIGIL_ASSIGN_OR_RETURN(sel.calibrator, Calibrator::Fit(*o.calibration, held_out, d.labels));
  }
  report.calibration = CalibrationMethodName(sel.calibrator.method());
  report.brier_uncalibrated = sel.brier_none;
  report.brier_platt = sel.brier_platt;
  report.brier_isotonic = sel.brier_isotonic;
  std::vector<double> raw(held_out.size());
  for (size_t i = 0; i < raw.size(); ++i) raw[i] = Sigmoid(held_out[i]);
  report.ece_uncalibrated = ExpectedCalibrationError(raw, d.labels);
  VIGIL_ASSIGN_OR_RETURN(auto cross_fitted,
                         CrossFitCalibration(sel.calibrator.method(), held_out, d));
  report.ece_calibrated = ExpectedCalibrationError(cross_fitted, d.labels);

  TrainedModel::Parts parts;
  parts.rule = o.threshold;
  if (!parts.rule.row_utility.empty()) {
    parts.rule.row_utility.clear();
    for (size_t r : d.rows) parts.rule.row_utility.push_back(o.threshold.row_utility[r]);
  }
  std::vector<double> calibrated(held_out.size());
  for (size_t i = 0; i < held_out.size(); ++i)
    calibrated[i] = sel.calibrator.Probability(held_out[i]);
  VIGIL_ASSIGN_OR_RETURN(parts.operating_point, ChooseThreshold(calibrated, d.labels, parts.rule));

  VIGIL_RETURN_IF_ERROR(FitFinal(m, o, d, report, parts));
  parts.kind = o.kind;
  parts.xgboost_weight = report.xgboost_weight;
  parts.feature_names = m.names;
  parts.calibrator = sel.calibrator;
  parts.num_threads = o.num_threads;
  parts.training = report.ToJson();
  return TrainedModel::Assemble(std::move(parts));
}

}  // namespace vigil::model
