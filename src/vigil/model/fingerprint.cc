#include "vigil/model/fingerprint.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <unordered_set>

#include "vigil/base/hash.h"
#include "vigil/base/json_integer.h"
#include "vigil/base/time.h"

namespace vigil::model {
namespace {

constexpr std::string_view kDomain = "vigil-training-data-v1\n";
constexpr uint32_t kCanonicalNaN = 0x7fc00000u;

void AppendLittleEndian(std::string& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void AppendFloat(std::string& out, float f) {
  const uint32_t bits = std::isnan(f) ? kCanonicalNaN : std::bit_cast<uint32_t>(f);
  AppendLittleEndian(out, bits, 4);
}

void AppendString(std::string& out, const std::string& s) {
  AppendLittleEndian(out, s.size(), 8);  // length-prefixed: no separator ambiguity
  out += s;
}

}  // namespace

DataFingerprint Fingerprint(const features::FeatureMatrix& m) {
  DataFingerprint f;
  f.rows = m.num_rows();
  f.features = m.num_cols();
  base::Sha256 hash;
  hash.Update(kDomain);
  std::string buf;
  AppendLittleEndian(buf, m.num_rows(), 8);
  AppendLittleEndian(buf, m.num_cols(), 8);
  for (const auto& n : m.names) AppendString(buf, n);
  hash.Update(buf);
  std::unordered_set<std::string_view> subjects;
  for (size_t r = 0; r < m.num_rows(); ++r) {
    buf.clear();
    const auto& key = m.rows[r];
    subjects.insert(key.subject_id);
    AppendString(buf, key.subject_id);
    AppendString(buf, key.stay_id);
    AppendLittleEndian(buf, static_cast<uint64_t>(base::ToMicros(key.time)), 8);
    for (size_t j = 0; j < m.num_cols(); ++j) AppendFloat(buf, m.at(r, j));
    AppendFloat(buf, m.labels[r]);
    hash.Update(buf);
    if (m.has_label(r)) {
      ++f.labelled_rows;
      f.positives += m.labels[r] > 0.5f;
    }
  }
  f.subjects = subjects.size();
  f.sha256 = hash.FinishHex();
  if (!m.rows.empty()) {
    auto [lo, hi] = std::minmax_element(
        m.rows.begin(), m.rows.end(), [](const auto& a, const auto& b) { return a.time < b.time; });
    f.first_time = base::FormatIso8601(lo->time);
    f.last_time = base::FormatIso8601(hi->time);
  }
  return f;
}

nlohmann::ordered_json DataFingerprint::ToJson() const {
  return {{"sha256", sha256},
          {"rows", rows},
          {"features", features},
          {"subjects", subjects},
          {"labelled_rows", labelled_rows},
          {"positives", positives},
          {"first_time", first_time},
          {"last_time", last_time}};
}

base::Result<DataFingerprint> DataFingerprint::FromJson(const nlohmann::json& j) {
  try {
    DataFingerprint f;
    f.sha256 = j.at("sha256").get<std::string>();
    f.rows = base::IntegerAt<size_t>(j, "rows");
    f.features = base::IntegerAt<size_t>(j, "features");
    f.subjects = base::IntegerAt<size_t>(j, "subjects");
    f.labelled_rows = base::IntegerAt<size_t>(j, "labelled_rows");
    f.positives = base::IntegerAt<size_t>(j, "positives");
    f.first_time = j.at("first_time").get<std::string>();
    f.last_time = j.at("last_time").get<std::string>();
    return f;
  } catch (const nlohmann::json::exception& e) {
    return base::DataLossError(fmt::format("fingerprint JSON: {}", base::JsonErrorText(e.what())));
  }
}

}  // namespace vigil::model
