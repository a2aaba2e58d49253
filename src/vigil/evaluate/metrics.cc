#include "vigil/evaluate/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace vigil::evaluate {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double WeightOf(std::span<const double> weights, size_t row) {
  return weights.empty() ? 1.0 : weights[row];
}

double Ratio(double num, double den) { return den > 0 ? num / den : kNaN; }

// Weighted positive and negative totals of one group of tied rows.
struct GroupCounts {
  double pos = 0;
  double neg = 0;
};

template <typename Fn>
void ForEachGroup(const Ranking& ranking, std::span<const uint8_t> labels,
                  std::span<const double> weights, Fn&& fn) {
  uint32_t begin = 0;
  for (uint32_t end : ranking.group_end) {
    GroupCounts g;
    for (uint32_t i = begin; i < end; ++i) {
      const uint32_t row = ranking.order[i];
      (labels[row] ? g.pos : g.neg) += WeightOf(weights, row);
    }
    fn(g, begin, end);
    begin = end;
  }
}

// Keeps at most max_points of `points`, evenly spaced, always keeping the first and the last.
std::vector<CurvePoint> Thin(std::vector<CurvePoint> points, size_t max_points) {
  if (max_points < 2 || points.size() <= max_points) return points;
  std::vector<CurvePoint> kept;
  kept.reserve(max_points);
  const double step = static_cast<double>(points.size() - 1) / static_cast<double>(max_points - 1);
  for (size_t k = 0; k < max_points; ++k) {
    kept.push_back(points[static_cast<size_t>(std::llround(step * static_cast<double>(k)))]);
  }
  return kept;
}

}  // namespace

Ranking Ranking::Build(std::span<const double> scores) {
  Ranking r;
  r.order.resize(scores.size());
  std::iota(r.order.begin(), r.order.end(), 0u);
  std::stable_sort(r.order.begin(), r.order.end(),
                   [&](uint32_t a, uint32_t b) { return scores[a] > scores[b]; });
  for (uint32_t i = 1; i <= r.order.size(); ++i) {
    if (i == r.order.size() || scores[r.order[i]] != scores[r.order[i - 1]]) {
      r.group_end.push_back(i);
    }
  }
  return r;
}

double Auroc(const Ranking& ranking, std::span<const uint8_t> labels,
             std::span<const double> weights) {
  double pos_above = 0;
  double total_pos = 0;
  double total_neg = 0;
  double concordant = 0;  // sum over negatives of the positive weight above them (ties: one half)
  ForEachGroup(ranking, labels, weights, [&](const GroupCounts& g, uint32_t, uint32_t) {
    concordant += g.neg * (pos_above + 0.5 * g.pos);
    pos_above += g.pos;
    total_pos += g.pos;
    total_neg += g.neg;
  });
  if (total_pos <= 0 || total_neg <= 0) return kNaN;
  return concordant / (total_pos * total_neg);
}

double AveragePrecision(const Ranking& ranking, std::span<const uint8_t> labels,
                        std::span<const double> weights) {
  double total_pos = 0;
  for (size_t row = 0; row < labels.size(); ++row) {
    if (labels[row]) total_pos += WeightOf(weights, row);
  }
  if (total_pos <= 0) return kNaN;
  double tp = 0;
  double called = 0;
  double ap = 0;
  ForEachGroup(ranking, labels, weights, [&](const GroupCounts& g, uint32_t, uint32_t) {
    tp += g.pos;
    called += g.pos + g.neg;
    if (g.pos > 0) ap += (g.pos / total_pos) * (tp / called);
  });
  return ap;
}

std::vector<CurvePoint> RocCurve(const Ranking& ranking, std::span<const double> scores,
                                 std::span<const uint8_t> labels, size_t max_points) {
  double total_pos = 0;
  for (uint8_t l : labels) total_pos += l;
  const double total_neg = static_cast<double>(labels.size()) - total_pos;
  if (total_pos <= 0 || total_neg <= 0) return {};
  std::vector<CurvePoint> points;
  points.reserve(ranking.group_end.size() + 1);
  points.push_back({0.0, 0.0, kNaN});  // nothing called positive: no threshold
  double tp = 0;
  double fp = 0;
  ForEachGroup(ranking, labels, {}, [&](const GroupCounts& g, uint32_t begin, uint32_t) {
    tp += g.pos;
    fp += g.neg;
    points.push_back({fp / total_neg, tp / total_pos, scores[ranking.order[begin]]});
  });
  return Thin(std::move(points), max_points);
}

std::vector<CurvePoint> PrCurve(const Ranking& ranking, std::span<const double> scores,
                                std::span<const uint8_t> labels, size_t max_points) {
  double total_pos = 0;
  for (uint8_t l : labels) total_pos += l;
  if (total_pos <= 0) return {};
  std::vector<CurvePoint> points;
  points.reserve(ranking.group_end.size());
  double tp = 0;
  double called = 0;
  ForEachGroup(ranking, labels, {}, [&](const GroupCounts& g, uint32_t begin, uint32_t) {
    tp += g.pos;
    called += g.pos + g.neg;
    points.push_back({tp / total_pos, tp / called, scores[ranking.order[begin]]});
  });
  return Thin(std::move(points), max_points);
}

double Confusion::Sensitivity() const { return Ratio(tp, tp + fn); }
double Confusion::Specificity() const { return Ratio(tn, tn + fp); }
double Confusion::Ppv() const { return Ratio(tp, tp + fp); }
double Confusion::Npv() const { return Ratio(tn, tn + fn); }

Confusion ConfusionAt(std::span<const double> scores, std::span<const uint8_t> labels,
                      std::span<const double> weights, double threshold) {
  Confusion c;
  for (size_t row = 0; row < scores.size(); ++row) {
    const double w = WeightOf(weights, row);
    const bool alert = scores[row] >= threshold;
    if (labels[row]) {
      (alert ? c.tp : c.fn) += w;
    } else {
      (alert ? c.fp : c.tn) += w;
    }
  }
  return c;
}

double BrierScore(std::span<const double> probabilities, std::span<const uint8_t> labels,
                  std::span<const double> weights) {
  double sum = 0;
  double total = 0;
  for (size_t row = 0; row < probabilities.size(); ++row) {
    const double w = WeightOf(weights, row);
    const double d = probabilities[row] - labels[row];
    sum += w * d * d;
    total += w;
  }
  return Ratio(sum, total);
}

}  // namespace vigil::evaluate
