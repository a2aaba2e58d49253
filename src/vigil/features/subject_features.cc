#include "vigil/features/subject_features.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "vigil/features/matrix.h"
#include "vigil/scores/news2.h"
#include "vigil/scores/qsofa_sirs.h"

namespace vigil::features {
namespace {

using task::Stat;

constexpr double kMicrosPerHour = 3'600'000'000.0;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

float F(double v) { return static_cast<float>(v); }

constexpr int64_t kNoBound = std::numeric_limits<int64_t>::min();

// Least-squares slope of value against time, per hour; NaN with fewer than two distinct times.
double Slope(const int64_t* time, const double* value, size_t b, size_t e, int64_t t, double mean_y,
             size_t n) {
  double mean_x = 0;
  for (size_t i = b; i < e; ++i) {
    if (!std::isnan(value[i])) mean_x += static_cast<double>(time[i] - t) / kMicrosPerHour;
  }
  mean_x /= static_cast<double>(n);
  double sxx = 0, sxy = 0;
  for (size_t i = b; i < e; ++i) {
    if (std::isnan(value[i])) continue;
    const double dx = static_cast<double>(time[i] - t) / kMicrosPerHour - mean_x;
    sxx += dx * dx;
    sxy += dx * (value[i] - mean_y);
  }
  return sxx > 0 ? sxy / sxx : kNaN;
}

}  // namespace

bool StatsNeedScan(std::span<const Stat> stats) {
  return std::any_of(stats.begin(), stats.end(), [](Stat s) {
    return s == Stat::kFirst || s == Stat::kMin || s == Stat::kMax || s == Stat::kMean ||
           s == Stat::kSlope || s == Stat::kSum;
  });
}

void WriteStats(const int64_t* time, const double* value, size_t b, size_t e, int64_t t,
                std::span<const Stat> stats, float* out) {
  WriteStats(time, value, b, e, t, stats, StatsNeedScan(stats), out);
}

void WriteStats(const int64_t* time, const double* value, size_t b, size_t e, int64_t t,
                std::span<const Stat> stats, bool scan, float* out) {
  const size_t count = e - b;
  double first = kNaN, last = kNaN, min = kNaN, max = kNaN, mean = kNaN, sum = 0;
  size_t n = 0;
  if (scan) {
    for (size_t i = b; i < e; ++i) {
      const double v = value[i];
      if (std::isnan(v)) continue;
      if (n == 0) {
        first = min = max = v;
      }
      last = v;
      min = std::min(min, v);
      max = std::max(max, v);
      sum += v;
      ++n;
    }
    if (n > 0) mean = sum / static_cast<double>(n);
  } else {
    for (size_t i = e; i > b; --i) {
      if (!std::isnan(value[i - 1])) {
        last = value[i - 1];
        break;
      }
    }
  }
  for (size_t k = 0; k < stats.size(); ++k) {
    switch (stats[k]) {
      case Stat::kLast:
        out[k] = F(last);
        break;
      case Stat::kFirst:
        out[k] = F(first);
        break;
      case Stat::kMin:
        out[k] = F(min);
        break;
      case Stat::kMax:
        out[k] = F(max);
        break;
      case Stat::kMean:
        out[k] = F(mean);
        break;
      case Stat::kCount:
        out[k] = F(static_cast<double>(count));
        break;
      case Stat::kSlope:
        out[k] = n >= 2 ? F(Slope(time, value, b, e, t, mean, n)) : kMissing;
        break;
      case Stat::kTimeSinceLast:
        out[k] = count > 0 ? F(static_cast<double>(t - time[e - 1]) / kMicrosPerHour) : kMissing;
        break;
      case Stat::kMissing:
        out[k] = count == 0 ? 1.0f : 0.0f;
        break;
      case Stat::kSum:
        out[k] = n > 0 ? F(sum) : kMissing;
        break;
    }
  }
}

void SubjectFeatures::Gather(const store::EventBlock& block, size_t begin, size_t end) {
  const size_t tracks = layout_.tracks().size();
  offset_.assign(tracks + 1, 0);
  for (size_t i = begin; i < end; ++i) {
    const int32_t k = layout_.TrackOf(block.code_key[i]);
    if (k >= 0) ++offset_[static_cast<size_t>(k) + 1];
  }
  for (size_t k = 0; k < tracks; ++k) offset_[k + 1] += offset_[k];
  const size_t n = offset_[tracks];
  time_.resize(n);
  value_.resize(n);
  event_.resize(n);
  fill_.assign(offset_.begin(), offset_.end() - 1);
  for (size_t i = begin; i < end; ++i) {
    const int32_t k = layout_.TrackOf(block.code_key[i]);
    if (k < 0) continue;
    const size_t at = fill_[static_cast<size_t>(k)]++;
    time_[at] = block.time[i];
    value_[at] = block.value[i];
    event_[at] = i;
  }
  end_.assign(offset_.begin(), offset_.end() - 1);
  lookback_.resize(tracks);
  window_.resize(layout_.num_windows());
  for (size_t k = 0; k < tracks; ++k) {
    lookback_[k] = {offset_[k], kNoBound};
    const Track& track = layout_.tracks()[k];
    for (size_t w = 0; w < track.windows.size(); ++w) {
      window_[track.first_window + w] = {offset_[k], kNoBound};
    }
  }
}

size_t SubjectFeatures::Begin(Cursor& c, size_t lo, size_t e, int64_t from) const {
  if (from < c.from) {  // a bound that went back (rows of another stay): search again
    c.at = static_cast<size_t>(std::lower_bound(time_.begin() + static_cast<ptrdiff_t>(lo),
                                                time_.begin() + static_cast<ptrdiff_t>(e), from) -
                               time_.begin());
  } else {
    while (c.at < e && time_[c.at] < from) ++c.at;
  }
  c.from = from;
  return c.at;
}

void SubjectFeatures::TrackColumns(const Track& track, size_t k, int64_t t, int64_t stay_start,
                                   float* out) {
  const int64_t* time = time_.data();
  const double* value = value_.data();
  const size_t lo = offset_[k];
  const size_t e = end_[k];
  if (!track.stats.empty()) {
    int64_t from = stay_start;
    if (track.lookback_kind == task::GroupLookback::kDuration) from = t - track.lookback + 1;
    if (track.lookback_kind == task::GroupLookback::kAll) from = kNoBound;
    const size_t b = Begin(lookback_[k], lo, e, from);
    WriteStats(time, value, b, e, t, track.stats, track.stats_scan, out);
    out += track.stats.size();
  }
  for (size_t w = 0; w < track.windows.size(); ++w) {
    const size_t b = Begin(window_[track.first_window + w], lo, e, t - track.windows[w] + 1);
    WriteStats(time, value, b, e, t, track.window_stats, track.window_stats_scan, out);
    out += track.window_stats.size();
  }
}

void SubjectFeatures::Scores(const store::EventBlock& block, int64_t t, float* out) const {
  scores::Observations obs;
  const auto& tracks = layout_.tracks();
  for (size_t k = 0; k < tracks.size(); ++k) {
    if (!tracks[k].is_score_input) continue;
    for (size_t i = end_[k]; i > offset_[k] && time_[i - 1] > t - layout_.score_lookback(); --i) {
      std::string_view text;
      auto it = std::lower_bound(block.texts.begin(), block.texts.end(), event_[i - 1],
                                 [](const auto& p, size_t idx) { return p.first < idx; });
      if (it != block.texts.end() && it->first == event_[i - 1]) text = it->second;
      const double v = value_[i - 1];
      if (obs.Apply(tracks[k].code, std::isnan(v) ? std::nullopt : std::optional<double>(v),
                    text)) {
        break;
      }
    }
  }
  for (const auto& [score, column] : layout_.scores()) {
    int total = 0, missing = 0, parameters = 0;
    if (score == Score::kNews2) {
      const scores::News2Score s = scores::ComputeNews2(obs);
      total = s.total, missing = s.missing, parameters = scores::kNews2ParameterCount;
    } else if (score == Score::kQsofa) {
      const scores::QsofaScore s = scores::ComputeQsofa(obs);
      total = s.total, missing = s.missing, parameters = scores::kQsofaCriterionCount;
    } else {
      const scores::SirsScore s = scores::ComputeSirs(obs);
      total = s.total, missing = s.missing, parameters = scores::kSirsCriterionCount;
    }
    out[column] = missing == parameters ? kMissing : static_cast<float>(total);
    out[column + 1] = static_cast<float>(missing);
  }
}

void SubjectFeatures::Compute(const store::EventBlock& block, size_t begin, size_t end,
                              const task::SubjectData& data,
                              std::span<const task::PredictionRow> rows, float* out) {
  Gather(block, begin, end);
  const auto& tracks = layout_.tracks();
  const size_t columns = layout_.num_columns();
  for (const task::PredictionRow& row : rows) {
    const int64_t t = row.time;
    for (size_t k = 0; k < tracks.size(); ++k) {
      size_t& e = end_[k];
      while (e < offset_[k + 1] && time_[e] <= t) ++e;
    }
    const store::Stay& stay = data.stays[row.stay].stay;
    const int64_t stay_start = base::ToMicros(*stay.start);  // cohort stays have a start
    for (size_t k = 0; k < tracks.size(); ++k) {
      const Track& track = tracks[k];
      if (!track.is_variable) continue;
      if (offset_[k] == offset_[k + 1]) {
        std::copy(track.when_unmeasured.begin(), track.when_unmeasured.end(),
                  out + track.first_column);
      } else {
        TrackColumns(track, k, t, stay_start, out + track.first_column);
      }
    }
    if (layout_.time_in_stay_column() >= 0) {
      out[layout_.time_in_stay_column()] = F(static_cast<double>(t - stay_start) / kMicrosPerHour);
    }
    for (const auto& [d, column] : layout_.demographics()) {
      std::optional<double> v;
      switch (d) {
        case Demographic::kAge:
          v = task::AgeAt(data.subject, stay, *stay.start);
          break;
        case Demographic::kSex:
          if (data.subject != nullptr && data.subject->sex == "female") v = 1;
          if (data.subject != nullptr && data.subject->sex == "male") v = 0;
          break;
        case Demographic::kHeight:
          v = stay.height_cm;
          break;
        case Demographic::kWeight:
          v = stay.weight_kg;
          break;
        case Demographic::kTimeInHospital:
          if (stay.hospital_admit) {
            v = static_cast<double>(t - base::ToMicros(*stay.hospital_admit)) / kMicrosPerHour;
          }
          break;
      }
      out[column] = v ? F(*v) : kMissing;
    }
    for (const auto& [unit, column] : layout_.units()) {
      out[column] = stay.unit ? (*stay.unit == unit ? 1.0f : 0.0f) : kMissing;
    }
    if (!layout_.scores().empty()) Scores(block, t, out);
    out += columns;
  }
}

}  // namespace vigil::features
