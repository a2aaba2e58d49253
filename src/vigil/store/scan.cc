// Store's bulk reads (scan.h). The event scan reads event_rows (event_data and event_text)
// unordered and sorts in memory.
#include "vigil/store/scan.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <thread>

#include "vigil/base/memory.h"
#include "vigil/store/duck.h"
#include "vigil/store/store.h"

namespace vigil::store {
namespace {

using base::Result;
using base::Status;

constexpr double kNoValue = std::numeric_limits<double>::quiet_NaN();

std::optional<std::string> OptText(const duck::Chunk& c, size_t col, size_t row) {
  if (c.IsNull(col, row)) return std::nullopt;
  return std::string(c.GetString(col, row));
}

std::optional<base::Instant> OptInstant(const duck::Chunk& c, size_t col, size_t row) {
  if (c.IsNull(col, row)) return std::nullopt;
  return base::FromMicros(c.GetInt64(col, row));
}

std::optional<double> OptDouble(const duck::Chunk& c, size_t col, size_t row) {
  if (c.IsNull(col, row)) return std::nullopt;
  return c.GetDouble(col, row);
}

std::string KeyList(const std::vector<int32_t>& keys) {
  std::string sql = "(";
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i > 0) sql += ',';
    sql += std::to_string(keys[i]);
  }
  return sql + ")";
}

// The SQL condition for a code filter (integers the store assigned; no user text): "" for none,
// " AND code_key IN (...)", or " AND code_key NOT IN (...)" when the codes left out are fewer
// (DuckDB turns a long IN list into a hash join, which costs more than the scan it filters).
std::string CodeFilter(const EventScanOptions& options, const std::vector<int32_t>& all_codes) {
  if (!options.code_keys) return "";
  std::vector<int32_t> wanted = *options.code_keys;
  std::sort(wanted.begin(), wanted.end());
  std::vector<int32_t> unwanted;
  for (int32_t k : all_codes) {
    if (!std::binary_search(wanted.begin(), wanted.end(), k)) unwanted.push_back(k);
  }
  if (unwanted.empty()) return "";
  if (wanted.empty()) return " AND false";
  if (unwanted.size() < wanted.size()) return " AND code_key NOT IN " + KeyList(unwanted);
  return " AND code_key IN " + KeyList(wanted);
}

// DuckDB's validity mask: bit r set when row r is not NULL; nullptr when no row is NULL.
bool Valid(const uint64_t* mask, size_t r) {
  return mask == nullptr || ((mask[r / 64] >> (r % 64)) & 1) != 0;
}

struct SubjectCount {
  int32_t key;
  size_t count;
};

// A block to read: subjects [first, last] holding `events` events.
struct BlockPlan {
  int32_t first_key;
  int32_t last_key;
  size_t first_subject;  // index into the counts
  size_t end_subject;
};

std::vector<BlockPlan> PlanBlocks(const std::vector<SubjectCount>& counts, size_t max_events) {
  std::vector<BlockPlan> plans;
  size_t begin = 0;
  while (begin < counts.size()) {
    size_t end = begin;
    size_t events = 0;
    while (end < counts.size() && (end == begin || events + counts[end].count <= max_events)) {
      events += counts[end].count;
      ++end;
    }
    plans.push_back({0, 0, begin, end});
    begin = end;
  }
  // Blocks cover the key space without gaps.
  for (size_t i = 0; i < plans.size(); ++i) {
    plans[i].first_key = i == 0 ? std::numeric_limits<int32_t>::min() : plans[i - 1].last_key + 1;
    plans[i].last_key = i + 1 == plans.size() ? std::numeric_limits<int32_t>::max()
                                              : counts[plans[i].end_subject - 1].key;
  }
  if (plans.empty()) {
    plans.push_back(
        {std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max(), 0, 0});
  }
  return plans;
}

bool EventLess(const EventBlock& b, size_t x, size_t y) {
  if (b.time[x] != b.time[y]) return b.time[x] < b.time[y];
  if (b.code_key[x] != b.code_key[y]) return b.code_key[x] < b.code_key[y];
  const double vx = b.value[x], vy = b.value[y];
  if (std::isnan(vx) || std::isnan(vy)) return std::isnan(vx) && !std::isnan(vy);
  return vx < vy;
}

template <typename T, typename A>
void Permute(std::vector<T, A>& column, size_t begin, const std::vector<size_t>& order,
             std::vector<T>& scratch) {
  scratch.resize(order.size());
  for (size_t i = 0; i < order.size(); ++i) scratch[i] = column[order[i]];
  std::copy(scratch.begin(), scratch.end(), column.begin() + static_cast<ptrdiff_t>(begin));
}

// Sorts each subject's events by (time, code_key, value); most subjects are already in order.
void SortSubjects(EventBlock& b, size_t subject_begin, size_t subject_end,
                  std::vector<int32_t>& text_slot) {
  std::vector<size_t> order;
  std::vector<int64_t> s64;
  std::vector<int32_t> s32;
  std::vector<double> sd;
  for (size_t s = subject_begin; s < subject_end; ++s) {
    const size_t begin = b.offsets[s], end = b.offsets[s + 1];
    bool sorted = true;
    for (size_t i = begin + 1; i < end && sorted; ++i) sorted = !EventLess(b, i, i - 1);
    if (sorted) continue;
    order.resize(end - begin);
    std::iota(order.begin(), order.end(), begin);
    std::stable_sort(order.begin(), order.end(),
                     [&b](size_t x, size_t y) { return EventLess(b, x, y); });
    Permute(b.time, begin, order, s64);
    Permute(b.code_key, begin, order, s32);
    Permute(b.value, begin, order, sd);
    Permute(b.stay_key, begin, order, s32);
    if (!text_slot.empty()) Permute(text_slot, begin, order, s32);
  }
}

// One thread's share of a block: subjects [subject_begin, subject_end), their text values.
struct ScanPart {
  size_t subject_begin = 0, subject_end = 0;
  std::vector<std::string> texts;
  Status status;
};

// Reads the events of a part's subjects into their slots of `b` (the subjects' offsets are set),
// then sorts each subject's events.
Status ReadPart(duck::Connection& conn, const EventScanOptions& options, const std::string& filter,
                EventBlock& b, ScanPart& part, std::vector<int32_t>& text_slot) {
  if (part.subject_begin == part.subject_end) return Status::Ok();
  const size_t first = part.subject_begin, last = part.subject_end - 1;
  if (b.offsets[part.subject_end] == b.offsets[first]) return Status::Ok();
  VIGIL_ASSIGN_OR_RETURN(
      auto stmt,
      conn.Prepare(fmt::format(
          "SELECT subject_key, time, code_key, numeric_value, stay_key{} FROM event_rows "
          "WHERE subject_key BETWEEN {} AND {}{}",
          options.text_values ? ", text_value" : "", b.subject_keys[first], b.subject_keys[last],
          filter)));
  VIGIL_ASSIGN_OR_RETURN(auto result, stmt.ExecuteStreaming());
  // Counting sort by subject: each row goes straight to its subject's next slot.
  std::vector<size_t> next(b.offsets.begin() + static_cast<ptrdiff_t>(first),
                           b.offsets.begin() + static_cast<ptrdiff_t>(last) + 1);
  const auto keys_begin = b.subject_keys.begin() + static_cast<ptrdiff_t>(first);
  const auto keys_end = b.subject_keys.begin() + static_cast<ptrdiff_t>(last) + 1;
  size_t subject_index = first;
  while (auto chunk = result.Next()) {
    const int32_t* subject = chunk->Data<int32_t>(0);
    const int64_t* time = chunk->Data<int64_t>(1);
    const int32_t* code = chunk->Data<int32_t>(2);
    const double* value = chunk->Data<double>(3);
    const uint64_t* value_valid = chunk->Validity(3);
    const int32_t* stay = chunk->Data<int32_t>(4);
    const uint64_t* stay_valid = chunk->Validity(4);
    for (size_t r = 0; r < chunk->size(); ++r) {
      if (b.subject_keys[subject_index] != subject[r]) {
        auto it = std::lower_bound(keys_begin, keys_end, subject[r]);
        if (it == keys_end || *it != subject[r]) {
          return base::DataLossError("the events changed while they were being read");
        }
        subject_index = static_cast<size_t>(it - b.subject_keys.begin());
      }
      const size_t at = next[subject_index - first]++;
      if (at >= b.offsets[subject_index + 1]) {
        return base::DataLossError("the events changed while they were being read");
      }
      b.time[at] = time[r];
      b.code_key[at] = code[r];
      b.value[at] = Valid(value_valid, r) ? value[r] : kNoValue;
      b.stay_key[at] = Valid(stay_valid, r) ? stay[r] : EventBlock::kNoStay;
      if (options.text_values && !chunk->IsNull(5, r)) {
        text_slot[at] = static_cast<int32_t>(part.texts.size());
        part.texts.emplace_back(chunk->GetString(5, r));
      }
    }
  }
  for (size_t s = first; s <= last; ++s) {
    if (next[s - first] != b.offsets[s + 1]) {
      return base::DataLossError("the events changed while they were being read");
    }
  }
  SortSubjects(b, first, last + 1, text_slot);
  return Status::Ok();
}

}  // namespace

Result<std::vector<CodeEntry>> Store::ListCodes() {
  VIGIL_ASSIGN_OR_RETURN(
      auto r,
      connection().Query("SELECT code_key, code, coalesce(unit, '') FROM codes ORDER BY code_key"));
  std::vector<CodeEntry> out;
  for (auto& row : r.Rows()) {
    out.push_back({static_cast<int32_t>(duck::AsInt(row[0]).value_or(0)), duck::AsString(row[1]),
                   duck::AsString(row[2])});
  }
  return out;
}

namespace {

Result<std::vector<SubjectEntry>> ReadSubjects(duck::Connection& conn) {
  VIGIL_ASSIGN_OR_RETURN(auto stmt,
                         conn.Prepare("SELECT subject_key, subject_id, source, sex, birth_date, "
                                      "race, ethnicity FROM subjects ORDER BY subject_key"));
  VIGIL_ASSIGN_OR_RETURN(auto r, stmt.ExecuteStreaming());
  std::vector<SubjectEntry> out;
  while (auto c = r.Next()) {
    for (size_t i = 0; i < c->size(); ++i) {
      SubjectEntry& e = out.emplace_back();
      e.subject_key = c->GetInt32(0, i);
      e.subject.subject_id = c->GetString(1, i);
      e.subject.source = c->GetString(2, i);
      e.subject.sex = OptText(*c, 3, i);
      if (!c->IsNull(4, i)) e.subject.birth_date = c->GetInt32(4, i);
      e.subject.race = OptText(*c, 5, i);
      e.subject.ethnicity = OptText(*c, 6, i);
    }
  }
  return out;
}

Result<std::vector<StayEntry>> ReadStays(duck::Connection& conn) {
  VIGIL_ASSIGN_OR_RETURN(
      auto stmt,
      conn.Prepare("SELECT stay_key, subject_key, stay_id, subject_id, kind, start_time, "
                   "end_time, hospital_admit, age_years, height_cm, weight_kg, unit, "
                   "disposition, type, location, source FROM stays "
                   "ORDER BY subject_key, start_time NULLS LAST, stay_id"));
  VIGIL_ASSIGN_OR_RETURN(auto r, stmt.ExecuteStreaming());
  std::vector<StayEntry> out;
  while (auto c = r.Next()) {
    for (size_t i = 0; i < c->size(); ++i) {
      StayEntry& e = out.emplace_back();
      e.stay_key = c->GetInt32(0, i);
      e.subject_key = c->GetInt32(1, i);
      Stay& y = e.stay;
      y.stay_id = c->GetString(2, i);
      y.subject_id = c->GetString(3, i);
      y.kind = c->GetString(4, i);
      y.start = OptInstant(*c, 5, i);
      y.end = OptInstant(*c, 6, i);
      y.hospital_admit = OptInstant(*c, 7, i);
      y.age_years = OptDouble(*c, 8, i);
      y.height_cm = OptDouble(*c, 9, i);
      y.weight_kg = OptDouble(*c, 10, i);
      y.unit = OptText(*c, 11, i);
      y.disposition = OptText(*c, 12, i);
      y.type = OptText(*c, 13, i);
      y.location = OptText(*c, 14, i);
      y.source = c->GetString(15, i);
    }
  }
  return out;
}

}  // namespace

Result<std::vector<SubjectEntry>> Store::ListSubjects() { return ReadSubjects(connection()); }

Result<std::vector<StayEntry>> Store::ListStays() { return ReadStays(connection()); }

Result<SubjectsAndStays> Store::ListSubjectsAndStays() {
  SubjectsAndStays out;
  if (in_transaction_) {  // other connections would not see the transaction's rows
    VIGIL_ASSIGN_OR_RETURN(out.subjects, ListSubjects());
    VIGIL_ASSIGN_OR_RETURN(out.stays, ListStays());
    return out;
  }
  VIGIL_ASSIGN_OR_RETURN(duck::Connection subjects_conn, NewConnection());
  VIGIL_ASSIGN_OR_RETURN(duck::Connection stays_conn, NewConnection());
  Result<std::vector<SubjectEntry>> subjects = base::InternalError("not read");
  std::thread reader([&] { subjects = ReadSubjects(subjects_conn); });
  Result<std::vector<StayEntry>> stays = ReadStays(stays_conn);
  reader.join();
  VIGIL_RETURN_IF_ERROR(subjects.status());
  VIGIL_RETURN_IF_ERROR(stays.status());
  out.subjects = std::move(*subjects);
  out.stays = std::move(*stays);
  return out;
}

Status Store::ScanEvents(const EventScanOptions& options,
                         const std::function<Status(EventBlock&)>& fn) {
  duck::Connection& conn = connection();
  std::vector<int32_t> all_codes;
  if (options.code_keys) {
    VIGIL_ASSIGN_OR_RETURN(auto codes, ListCodes());
    for (const CodeEntry& c : codes) all_codes.push_back(c.code_key);
  }
  const std::string filter = CodeFilter(options, all_codes);
  VIGIL_ASSIGN_OR_RETURN(auto counted,
                         conn.Query(fmt::format("SELECT subject_key, count(*) FROM event_rows "
                                                "WHERE true{} GROUP BY 1 ORDER BY 1",
                                                filter)));
  std::vector<SubjectCount> counts;
  while (auto chunk = counted.Next()) {
    for (size_t i = 0; i < chunk->size(); ++i) {
      counts.push_back({chunk->GetInt32(0, i), static_cast<size_t>(chunk->GetInt64(1, i))});
    }
  }

  // Worker connections read parts of each block in parallel. Not inside a write transaction:
  // another connection would not see its rows.
  size_t max_parts = options.threads > 0
                         ? static_cast<size_t>(options.threads)
                         : std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 8);
  if (in_transaction_) max_parts = 1;
  std::vector<duck::Connection> workers;
  for (const BlockPlan& plan : PlanBlocks(counts, std::max<size_t>(1, options.max_block_events))) {
    EventBlock b;
    b.first_key = plan.first_key;
    b.last_key = plan.last_key;
    b.offsets.push_back(0);
    for (size_t s = plan.first_subject; s < plan.end_subject; ++s) {
      b.subject_keys.push_back(counts[s].key);
      b.offsets.push_back(b.offsets.back() + counts[s].count);
    }
    const size_t n = b.offsets.back();
    base::ResizeLarge(b.time, n);
    base::ResizeLarge(b.code_key, n);
    base::ResizeLarge(b.value, n);
    base::ResizeLarge(b.stay_key, n);
    std::vector<int32_t> text_slot(options.text_values ? n : 0, -1);
    // Parts of about equal event counts, each a run of whole subjects.
    const size_t parts = std::clamp<size_t>(
        std::min(max_parts, n / std::max<size_t>(1, options.min_events_per_thread)), 1,
        std::max<size_t>(1, b.num_subjects()));
    std::vector<ScanPart> part(parts);
    for (size_t p = 0, s = 0; p < parts; ++p) {
      part[p].subject_begin = s;
      const size_t goal = n * (p + 1) / parts;
      while (s < b.num_subjects() && (p + 1 == parts || b.offsets[s + 1] <= goal)) ++s;
      if (s == part[p].subject_begin && s < b.num_subjects()) ++s;
      part[p].subject_end = s;
    }
    while (workers.size() + 1 < parts) {
      VIGIL_ASSIGN_OR_RETURN(duck::Connection c, NewConnection());
      workers.push_back(std::move(c));
    }
    std::vector<std::thread> threads;
    for (size_t p = 1; p < parts; ++p) {
      threads.emplace_back([&, p] {
        part[p].status = ReadPart(workers[p - 1], options, filter, b, part[p], text_slot);
      });
    }
    part[0].status = ReadPart(conn, options, filter, b, part[0], text_slot);
    for (auto& t : threads) t.join();
    for (const ScanPart& p : part) VIGIL_RETURN_IF_ERROR(p.status);
    if (options.text_values) {
      for (ScanPart& p : part) {  // in index order: texts stay sorted by event index
        for (size_t i = b.offsets[p.subject_begin]; i < b.offsets[p.subject_end]; ++i) {
          if (text_slot[i] >= 0) {
            b.texts.emplace_back(i, std::move(p.texts[static_cast<size_t>(text_slot[i])]));
          }
        }
      }
    }
    VIGIL_RETURN_IF_ERROR(fn(b));
  }
  return Status::Ok();
}

}  // namespace vigil::store
