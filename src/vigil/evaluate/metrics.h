// Discrimination and threshold metrics on weighted rows.
//
// Every function takes the rows' scores (a probability or a clinical score: higher means more
// risk), labels (1 positive, 0 negative; unknown labels are removed before these functions are
// called) and weights. A weight is how many times a row counts: 1 for the sample itself, the
// patient's bootstrap multiplicity in a replicate (see bootstrap.h). An empty weight span means
// every weight is 1.
//
// Ties in the score are handled as one threshold step (no arbitrary order between tied rows), so
// AUROC equals the Mann-Whitney statistic with ties counted one half.
//
// Thread-safety: all functions are pure; a Ranking may be shared between threads.
#ifndef VIGIL_EVALUATE_METRICS_H_
#define VIGIL_EVALUATE_METRICS_H_

#include <cstdint>
#include <span>
#include <vector>

namespace vigil::evaluate {

// Rows in descending score order, with the boundaries of groups of equal scores. Built once per set
// of rows and reused by every bootstrap replicate.
struct Ranking {
  std::vector<uint32_t> order;      // row indices, highest score first (ties in index order)
  std::vector<uint32_t> group_end;  // exclusive end (in `order`) of each group of tied scores

  // Precondition: no NaN in scores.
  static Ranking Build(std::span<const double> scores);
};

// Area under the ROC curve: the probability that a random positive scores higher than a random
// negative, ties counting one half. NaN when there is no positive or no negative weight.
double Auroc(const Ranking& ranking, std::span<const uint8_t> labels,
             std::span<const double> weights);

// Area under the precision-recall curve as average precision: sum over thresholds of the recall
// step times the precision at that threshold (the step-wise curve, no interpolation; as
// scikit-learn's average_precision_score and the PhysioNet 2019 scorer). NaN when there is no
// positive weight.
double AveragePrecision(const Ranking& ranking, std::span<const uint8_t> labels,
                        std::span<const double> weights);

struct CurvePoint {
  double x;          // ROC: 1 - specificity; PR: recall (sensitivity)
  double y;          // ROC: sensitivity; PR: precision (PPV)
  double threshold;  // score at or above which a row is called positive (NaN at ROC's (0,0))
};

// The ROC curve from (0,0) to (1,1), one point per distinct score, thinned to at most `max_points`
// (evenly along the ranking; the first and last points are always kept). Unweighted. Empty when
// there is no positive or no negative row.
std::vector<CurvePoint> RocCurve(const Ranking& ranking, std::span<const double> scores,
                                 std::span<const uint8_t> labels, size_t max_points);

// The precision-recall curve, one point per distinct score (starting at the highest score), thinned
// as RocCurve. Unweighted. Empty when there is no positive row.
std::vector<CurvePoint> PrCurve(const Ranking& ranking, std::span<const double> scores,
                                std::span<const uint8_t> labels, size_t max_points);

// Weighted counts of the 2x2 table at "score >= threshold is positive".
struct Confusion {
  double tp = 0;
  double fp = 0;
  double tn = 0;
  double fn = 0;

  double Sensitivity() const;  // tp / (tp + fn); NaN when no positive
  double Specificity() const;  // tn / (tn + fp); NaN when no negative
  double Ppv() const;          // tp / (tp + fp); NaN when nothing is called positive
  double Npv() const;          // tn / (tn + fn); NaN when nothing is called negative
  double Alerts() const { return tp + fp; }
  double Total() const { return tp + fp + tn + fn; }
};

Confusion ConfusionAt(std::span<const double> scores, std::span<const uint8_t> labels,
                      std::span<const double> weights, double threshold);

// Mean squared difference between probability and outcome. NaN with no weight.
double BrierScore(std::span<const double> probabilities, std::span<const uint8_t> labels,
                  std::span<const double> weights);

}  // namespace vigil::evaluate

#endif  // VIGIL_EVALUATE_METRICS_H_
