#include "vigil/store/store.h"

#include <fmt/format.h>

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <system_error>
#include <unordered_map>
#include <unordered_set>

#include "vigil/base/file.h"
#include "vigil/base/text.h"
#include "vigil/base/version.h"
#include "vigil/store/duck.h"
#include "vigil/store/event_scan.h"
#include "vigil/store/schema.h"

namespace vigil::store {
namespace fs = std::filesystem;
using base::Result;
using base::Status;

// One name per code (its rows, one per unit, may differ): the rule GetStats and CodeDisplays share.
constexpr std::string_view kCodeNamesSql =
    "SELECT code, min(display) AS display FROM codes WHERE display IS NOT NULL GROUP BY code";

// The store's integer keys for subjects, stays and codes, loaded on first use. Sources are not kept
// in memory (FHIR has one per resource): every batch's sources get fresh keys, and a replaced
// source is found by its text in SQL.
struct KeyMaps {
  std::unordered_map<std::string, int32_t> subjects, stays, codes;  // codes: code \x1f unit
  std::unordered_set<std::string> named_codes;  // codes with a display in some row of `codes`
  int32_t next_subject = 1, next_stay = 1, next_code = 1, next_source = 1;
};

// What one WriteBatch added to the key maps, so that a failed transaction can take it back without
// copying the maps for every batch. Keys at or above the first_* values are new in this batch.
struct KeyUndo {
  int32_t first_subject, first_stay, first_code, first_source;
  std::vector<std::string> subjects, stays, codes, named_codes;

  explicit KeyUndo(const KeyMaps& k)
      : first_subject(k.next_subject),
        first_stay(k.next_stay),
        first_code(k.next_code),
        first_source(k.next_source) {}

  void Undo(KeyMaps& k) const {
    for (const auto& s : subjects) k.subjects.erase(s);
    for (const auto& s : stays) k.stays.erase(s);
    for (const auto& s : codes) k.codes.erase(s);
    for (const auto& s : named_codes) k.named_codes.erase(s);
    k.next_subject = first_subject;
    k.next_stay = first_stay;
    k.next_code = first_code;
    k.next_source = first_source;
  }
};

struct Store::Impl {
  std::unique_ptr<duck::Database> db;
  std::optional<duck::Connection> conn;
  std::optional<KeyMaps> keys;
  EventScanSource scan;  // what vigil_event_batch() reads during a WriteBatch
};

namespace {

constexpr duckdb_type kVarchar = DUCKDB_TYPE_VARCHAR;
constexpr duckdb_type kBigint = DUCKDB_TYPE_BIGINT;
constexpr duckdb_type kDouble = DUCKDB_TYPE_DOUBLE;
constexpr duckdb_type kTimestamp = DUCKDB_TYPE_TIMESTAMP;
constexpr duckdb_type kDate = DUCKDB_TYPE_DATE;
constexpr duckdb_type kBlob = DUCKDB_TYPE_BLOB;

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void SetOptString(duck::AppendChunk& c, size_t col, size_t row,
                  const std::optional<std::string>& v) {
  if (v) {
    c.SetString(col, row, *v);
  } else {
    c.SetNull(col, row);
  }
}

// An empty string is stored as NULL (record versions: a resource without a versionId or hash).
void SetStringOrNull(duck::AppendChunk& c, size_t col, size_t row, std::string_view v) {
  if (v.empty()) {
    c.SetNull(col, row);
  } else {
    c.SetString(col, row, v);
  }
}

void SetOptDouble(duck::AppendChunk& c, size_t col, size_t row, const std::optional<double>& v) {
  if (v) {
    c.SetDouble(col, row, *v);
  } else {
    c.SetNull(col, row);
  }
}

void SetOptTime(duck::AppendChunk& c, size_t col, size_t row,
                const std::optional<base::Instant>& v) {
  if (v) {
    c.SetInt64(col, row, base::ToMicros(*v));
  } else {
    c.SetNull(col, row);
  }
}

// Appends `items` through `appender`, filling each row with `fill(chunk, row, item)`.
template <typename T, typename Fill>
Status AppendAll(duck::Appender& appender, const std::vector<duckdb_type>& types,
                 const std::vector<T>& items, Fill fill) {
  if (items.empty()) return Status::Ok();
  duck::AppendChunk chunk(types);
  for (const T& item : items) {
    fill(chunk, chunk.AddRow(), item);
    if (chunk.full()) VIGIL_RETURN_IF_ERROR(appender.Append(chunk));
  }
  VIGIL_RETURN_IF_ERROR(appender.Append(chunk));
  return appender.Flush();
}

// Runs `sql` once over `sources`, which it reads as the table appended_data(source VARCHAR).
Status RunWithSources(duck::Connection& conn, std::string_view sql,
                      const std::vector<std::string>& sources) {
  VIGIL_ASSIGN_OR_RETURN(auto app, conn.CreateQueryAppender(sql, {kVarchar}, {"source"}));
  return AppendAll(
      app, {kVarchar}, sources,
      [](duck::AppendChunk& c, size_t r, const std::string& source) { c.SetString(0, r, source); });
}

constexpr duckdb_type kInteger = DUCKDB_TYPE_INTEGER;

// A subject or stay row: appended (its key is new), upserted (it replaces a stored row), or skipped
// (a later row of the same batch has the same id: the last one wins).
enum RowWrite : uint8_t { kSkipRow, kAppendRow, kReplaceRow };

// Which rows to write and how, given whether each id was new to the store.
template <typename T, typename Id>
std::vector<uint8_t> PlanRows(const std::vector<T>& rows, Id id,
                              const std::unordered_set<std::string>& fresh_ids) {
  std::vector<uint8_t> plan(rows.size(), kSkipRow);
  std::unordered_set<std::string_view> later;
  for (size_t i = rows.size(); i-- > 0;) {
    if (later.insert(id(rows[i])).second) {
      plan[i] = fresh_ids.count(id(rows[i])) ? kAppendRow : kReplaceRow;
    }
  }
  return plan;
}

// Resolves a batch's strings to store keys, assigning new keys in `keys` (a pending copy).
struct BatchKeys {
  // For batch.events, then each of batch.event_parts: store keys by local dictionary index.
  std::vector<EventKeys> events;
  // How to write each row of batch.subjects / batch.stays (RowWrite).
  std::vector<uint8_t> subject_rows, stay_rows;
  std::vector<std::pair<int32_t, EventColumns::CodeUnit>> new_codes;
  // Names for codes stored without one: (code, display), set where the display is NULL.
  std::vector<std::pair<std::string_view, std::string_view>> code_names;
  // New rows of `sources`: the events' sources, and the batch's record versions, each joined to
  // its source's row (or a row of its own for a record without events).
  struct NewSource {
    int32_t key;
    std::string_view source;  // into the batch
    const RecordVersion* version = nullptr;
  };
  std::vector<NewSource> new_sources;
  std::unordered_map<std::string, int32_t> subject_of_stay;  // stay_id -> subject_key, batch stays
};

int32_t Assign(std::unordered_map<std::string, int32_t>& map, int32_t& next, const std::string& key,
               bool& is_new, std::vector<std::string>& undo) {
  auto [it, inserted] = map.try_emplace(key, next);
  is_new = inserted;
  if (inserted) {
    ++next;
    undo.push_back(key);
  }
  return it->second;
}

// The stored keys of `ids`, in order; Internal error for an id the store does not know.
Status KnownKeys(const std::unordered_map<std::string, int32_t>& map,
                 const std::vector<std::string>& ids, std::string_view what,
                 std::vector<int32_t>& out) {
  for (const std::string& id : ids) {
    auto it = map.find(id);
    if (it == map.end()) {
      return base::InternalError(
          fmt::format("an event names a {} that is neither in the batch nor in the store", what));
    }
    out.push_back(it->second);
  }
  return Status::Ok();
}

// A (code, unit) pair by reference, as a hash key.
using CodeRef = std::pair<std::string_view, std::string_view>;
struct CodeRefHash {
  size_t operator()(const CodeRef& c) const {
    const size_t h = std::hash<std::string_view>()(c.first);
    return h ^
           (std::hash<std::string_view>()(c.second) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
  }
};

// Joins each record version to the new `sources` row of its source, or adds a row for it (a record
// without events: a FHIR Patient, an Encounter). A FHIR reader adds a resource's source and its
// version together, so the two lists are mostly in the same order: each version is tried against
// the next unmatched row before the lookup table (built only when that fails) is used.
void AttachVersions(const std::vector<RecordVersion>& versions, KeyMaps& keys,
                    std::vector<BatchKeys::NewSource>& rows) {
  if (versions.empty()) return;
  const size_t with_events = rows.size();
  std::unordered_map<std::string_view, size_t> index;
  size_t next = 0;
  for (const RecordVersion& v : versions) {
    if (next < with_events && rows[next].source == v.source) {
      rows[next++].version = &v;
      continue;
    }
    if (index.empty() && with_events > 0) {
      index.reserve(with_events);
      for (size_t i = 0; i < with_events; ++i) index.try_emplace(rows[i].source, i);
    }
    if (auto it = index.find(v.source); it != index.end()) {
      rows[it->second].version = &v;
      next = it->second + 1;
      continue;
    }
    rows.push_back({keys.next_source++, v.source, &v});
  }
}

Result<BatchKeys> ResolveKeys(const Batch& batch, KeyMaps& keys, KeyUndo& undo) {
  BatchKeys out;
  bool is_new = false;
  std::unordered_set<std::string> fresh_subjects, fresh_stays;
  for (const Subject& s : batch.subjects) {
    Assign(keys.subjects, keys.next_subject, s.subject_id, is_new, undo.subjects);
    if (is_new) fresh_subjects.insert(s.subject_id);
  }
  for (const Stay& s : batch.stays) {
    auto subject = keys.subjects.find(s.subject_id);
    if (subject == keys.subjects.end()) {
      return base::InternalError(
          "a stay names a subject that is neither in the batch nor in the store");
    }
    Assign(keys.stays, keys.next_stay, s.stay_id, is_new, undo.stays);
    if (is_new) fresh_stays.insert(s.stay_id);
  }
  out.subject_rows = PlanRows(
      batch.subjects, [](const Subject& s) -> const std::string& { return s.subject_id; },
      fresh_subjects);
  out.stay_rows = PlanRows(
      batch.stays, [](const Stay& s) -> const std::string& { return s.stay_id; }, fresh_stays);
  // Sources are new in every batch (a replaced record's source was deleted first). One dictionary's
  // sources are distinct; the same source may come in several parts: one key each. A session's
  // batch has its events in parts only, often one (a FHIR file streamed in one part).
  size_t with_sources = batch.events.sources().empty() ? 0 : 1;
  for (const EventColumns& p : batch.event_parts) with_sources += p.sources().empty() ? 0 : 1;
  const bool one_dictionary = with_sources <= 1;
  std::unordered_map<std::string_view, int32_t> batch_sources;
  // The batch's codes, looked up without building their map key: 10,000 parts of about 30 codes
  // each (PhysioNet 2019) repeat the same few dozen.
  std::unordered_map<CodeRef, int32_t, CodeRefHash> batch_codes;
  const auto resolve = [&](const EventColumns& ev) -> Status {
    EventKeys& k = out.events.emplace_back();
    VIGIL_RETURN_IF_ERROR(KnownKeys(keys.subjects, ev.subjects(), "subject", k.subject));
    VIGIL_RETURN_IF_ERROR(KnownKeys(keys.stays, ev.stays(), "stay", k.stay));
    for (const auto& c : ev.codes()) {
      auto [cached, first] = batch_codes.try_emplace({c.code, c.unit}, 0);
      bool appended_with_name = false;
      if (first) {
        cached->second = Assign(keys.codes, keys.next_code, EventColumns::CodeKey(c.code, c.unit),
                                is_new, undo.codes);
        if (is_new) out.new_codes.emplace_back(cached->second, c);
        appended_with_name = is_new && !c.display.empty();
      }
      // A code's first name: a new row carries it; a row stored without one is given it (once per
      // code and store, so later batches cost a set lookup for the few codes that carry a name).
      if (!c.display.empty() && !keys.named_codes.contains(c.code)) {
        keys.named_codes.insert(c.code);
        undo.named_codes.push_back(c.code);
        if (!appended_with_name) out.code_names.emplace_back(c.code, c.display);
      }
      k.code.push_back(cached->second);
    }
    k.source.reserve(ev.sources().size());
    for (const std::string& s : ev.sources()) {
      if (one_dictionary) {
        k.source.push_back(keys.next_source);
        out.new_sources.push_back({keys.next_source++, s});
        continue;
      }
      auto [it, inserted] = batch_sources.try_emplace(s, keys.next_source);
      if (inserted) {
        ++keys.next_source;
        out.new_sources.push_back({it->second, s});
      }
      k.source.push_back(it->second);
    }
    return Status::Ok();
  };
  VIGIL_RETURN_IF_ERROR(resolve(batch.events));
  for (const EventColumns& part : batch.event_parts) VIGIL_RETURN_IF_ERROR(resolve(part));
  AttachVersions(batch.record_versions, keys, out.new_sources);
  return out;
}

const std::vector<duckdb_type> kSubjectTypes = {kInteger, kVarchar, kVarchar, kVarchar,
                                                kDate,    kVarchar, kVarchar};
const std::vector<std::string> kSubjectNames = {"subject_key", "subject_id", "source",   "sex",
                                                "birth_date",  "race",       "ethnicity"};
const std::vector<duckdb_type> kStayTypes = {
    kInteger, kVarchar, kInteger, kVarchar, kVarchar, kTimestamp, kTimestamp, kTimestamp,
    kDouble,  kDouble,  kDouble,  kVarchar, kVarchar, kVarchar,   kVarchar,   kVarchar};
const std::vector<std::string> kStayNames = {
    "stay_key",    "stay_id",        "subject_key", "subject_id", "kind",      "start_time",
    "end_time",    "hospital_admit", "age_years",   "height_cm",  "weight_kg", "unit",
    "disposition", "type",           "location",    "source"};
const std::vector<duckdb_type> kScoreTypes = {kVarchar, kVarchar, kDouble};
const std::vector<std::string> kScoreNames = {"stay_id", "name", "value"};
const std::vector<duckdb_type> kRejectTypes = {kBigint, kVarchar, kVarchar, kVarchar, kBlob};
const std::vector<duckdb_type> kFileTypes = {kVarchar, kVarchar, kVarchar, kBigint,
                                             kBigint,  kBigint,  kBigint,  kBigint};
const std::vector<duckdb_type> kSkipTypes = {kBigint, kVarchar, kBigint};

// Writes `rows` to `table` as `plan` says: rows with a new key through a plain appender, rows
// replacing a stored one through INSERT OR REPLACE. An upsert costs about 30 us a row here (0.3 s
// for the 10,000 stays of the PhysioNet 2019 set), a plain append a hundredth of that.
template <typename T, typename Fill>
Status WriteRows(duck::Connection& conn, std::string_view table,
                 const std::vector<duckdb_type>& types, const std::vector<std::string>& names,
                 const std::vector<T>& rows, const std::vector<uint8_t>& plan, Fill fill) {
  std::vector<std::reference_wrapper<const T>> fresh, replacing;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (plan[i] == kAppendRow) fresh.push_back(std::cref(rows[i]));
    if (plan[i] == kReplaceRow) replacing.push_back(std::cref(rows[i]));
  }
  if (!fresh.empty()) {
    VIGIL_ASSIGN_OR_RETURN(auto app, conn.CreateAppender(table));
    VIGIL_RETURN_IF_ERROR(AppendAll(app, types, fresh, fill));
  }
  if (replacing.empty()) return Status::Ok();
  VIGIL_ASSIGN_OR_RETURN(
      auto app, conn.CreateQueryAppender(
                    fmt::format("INSERT OR REPLACE INTO {} SELECT * FROM appended_data", table),
                    types, names));
  return AppendAll(app, types, replacing, fill);
}

Status WriteSubjects(duck::Connection& conn, const std::vector<Subject>& subjects,
                     const BatchKeys& bk, const KeyMaps& keys) {
  return WriteRows(conn, "subjects", kSubjectTypes, kSubjectNames, subjects, bk.subject_rows,
                   [&keys](duck::AppendChunk& c, size_t r, const Subject& s) {
                     c.SetInt32(0, r, keys.subjects.at(s.subject_id));
                     c.SetString(1, r, s.subject_id);
                     c.SetString(2, r, s.source);
                     SetOptString(c, 3, r, s.sex);
                     if (s.birth_date) {
                       c.SetInt32(4, r, *s.birth_date);
                     } else {
                       c.SetNull(4, r);
                     }
                     SetOptString(c, 5, r, s.race);
                     SetOptString(c, 6, r, s.ethnicity);
                   });
}

Status WriteStays(duck::Connection& conn, const std::vector<Stay>& stays, const BatchKeys& bk,
                  const KeyMaps& keys) {
  return WriteRows(conn, "stays", kStayTypes, kStayNames, stays, bk.stay_rows,
                   [&keys](duck::AppendChunk& c, size_t r, const Stay& s) {
                     c.SetInt32(0, r, keys.stays.at(s.stay_id));
                     c.SetString(1, r, s.stay_id);
                     c.SetInt32(2, r, keys.subjects.at(s.subject_id));
                     c.SetString(3, r, s.subject_id);
                     c.SetString(4, r, s.kind);
                     SetOptTime(c, 5, r, s.start);
                     SetOptTime(c, 6, r, s.end);
                     SetOptTime(c, 7, r, s.hospital_admit);
                     SetOptDouble(c, 8, r, s.age_years);
                     SetOptDouble(c, 9, r, s.height_cm);
                     SetOptDouble(c, 10, r, s.weight_kg);
                     SetOptString(c, 11, r, s.unit);
                     SetOptString(c, 12, r, s.disposition);
                     SetOptString(c, 13, r, s.type);
                     SetOptString(c, 14, r, s.location);
                     c.SetString(15, r, s.source);
                   });
}

const std::vector<duckdb_type> kStayUpdateTypes = {kVarchar, kTimestamp, kVarchar};
const std::vector<std::string> kStayUpdateNames = {"stay_id", "end_time", "disposition"};

Status WriteStayUpdates(duck::Connection& conn, const std::vector<StayUpdate>& updates) {
  if (updates.empty()) return Status::Ok();
  VIGIL_ASSIGN_OR_RETURN(
      auto app, conn.CreateQueryAppender(
                    "UPDATE stays SET end_time = coalesce(u.end_time, stays.end_time), "
                    "disposition = coalesce(u.disposition, stays.disposition) FROM appended_data u "
                    "WHERE stays.stay_id = u.stay_id",
                    kStayUpdateTypes, kStayUpdateNames));
  return AppendAll(app, kStayUpdateTypes, updates,
                   [](duck::AppendChunk& c, size_t r, const StayUpdate& u) {
                     c.SetString(0, r, u.stay_id);
                     SetOptTime(c, 1, r, u.end);
                     SetOptString(c, 2, r, u.disposition);
                   });
}

Status WriteScores(duck::Connection& conn, const std::vector<ReferenceScore>& scores) {
  if (scores.empty()) return Status::Ok();
  VIGIL_ASSIGN_OR_RETURN(auto app,
                         conn.CreateQueryAppender(
                             "INSERT OR REPLACE INTO reference_scores SELECT * FROM appended_data",
                             kScoreTypes, kScoreNames));
  return AppendAll(app, kScoreTypes, scores,
                   [](duck::AppendChunk& c, size_t r, const ReferenceScore& s) {
                     c.SetString(0, r, s.stay_id);
                     c.SetString(1, r, s.name);
                     c.SetDouble(2, r, s.value);
                   });
}

Status WriteDictionaries(duck::Connection& conn, const BatchKeys& bk) {
  if (!bk.new_codes.empty()) {
    VIGIL_ASSIGN_OR_RETURN(auto app, conn.CreateAppender("codes"));
    VIGIL_RETURN_IF_ERROR(AppendAll(
        app, {kInteger, kVarchar, kVarchar, kVarchar}, bk.new_codes,
        [](duck::AppendChunk& c, size_t r, const std::pair<int32_t, EventColumns::CodeUnit>& code) {
          c.SetInt32(0, r, code.first);
          c.SetString(1, r, code.second.code);
          const auto optional = [&](size_t col, const std::string& v) {
            if (v.empty()) {
              c.SetNull(col, r);
            } else {
              c.SetString(col, r, v);
            }
          };
          optional(2, code.second.unit);
          optional(3, code.second.display);
        }));
  }
  if (!bk.code_names.empty()) {
    VIGIL_ASSIGN_OR_RETURN(
        auto name,
        conn.Prepare("UPDATE codes SET display = $1 WHERE code = $2 AND display IS NULL"));
    for (const auto& [code, display] : bk.code_names) {
      VIGIL_RETURN_IF_ERROR(name.BindString(1, display));
      VIGIL_RETURN_IF_ERROR(name.BindString(2, code));
      VIGIL_RETURN_IF_ERROR(name.Execute().status());
    }
  }
  if (!bk.new_sources.empty()) {
    VIGIL_ASSIGN_OR_RETURN(auto app, conn.CreateAppender("sources"));
    const RecordVersion unversioned;  // a PhysioNet file's source: every version column NULL
    VIGIL_RETURN_IF_ERROR(AppendAll(
        app, {kInteger, kVarchar, kVarchar, kTimestamp, kVarchar}, bk.new_sources,
        [&unversioned](duck::AppendChunk& c, size_t r, const BatchKeys::NewSource& source) {
          c.SetInt32(0, r, source.key);
          c.SetString(1, r, source.source);
          const RecordVersion& v = source.version ? *source.version : unversioned;
          SetStringOrNull(c, 2, r, v.version_id);
          SetOptTime(c, 3, r, v.last_updated);
          SetStringOrNull(c, 4, r, v.content_hash);
        }));
  }
  return Status::Ok();
}

// Deletes the events of `sources` (and their rows in `sources`); new rows for them follow.
Status DeleteSources(duck::Connection& conn, const std::vector<std::string>& sources) {
  if (sources.empty()) return Status::Ok();
  for (const char* sql :
       {"DELETE FROM event_data WHERE source_key IN (SELECT s.source_key FROM sources s JOIN "
        "appended_data a ON s.source = a.source)",
        "DELETE FROM event_text WHERE source_key IN (SELECT s.source_key FROM sources s JOIN "
        "appended_data a ON s.source = a.source)",
        "DELETE FROM sources WHERE source IN (SELECT source FROM appended_data)"}) {
    VIGIL_RETURN_IF_ERROR(RunWithSources(conn, sql, sources));
  }
  return Status::Ok();
}

// Appends the events of `parts` that carry text to event_text (vigil_event_batch() leaves them
// out of event_data).
Status WriteTextEvents(duck::Connection& conn, const std::vector<EventScanPart>& parts) {
  bool any = false;
  for (const EventScanPart& p : parts) any = any || !p.events->texts().empty();
  if (!any) return Status::Ok();
  const std::vector<duckdb_type> types = {kInteger, kTimestamp, kInteger, kDouble,
                                          kVarchar, kInteger,   kInteger};
  VIGIL_ASSIGN_OR_RETURN(auto app, conn.CreateAppender("event_text"));
  duck::AppendChunk chunk(types);
  const auto set_key = [&chunk](size_t col, size_t row, const std::vector<int32_t>& keys,
                                uint32_t local) {
    if (local == EventColumns::kNone) {
      chunk.SetNull(col, row);
    } else {
      chunk.SetInt32(col, row, keys[local]);
    }
  };
  for (const EventScanPart& p : parts) {
    const EventColumns& ev = *p.events;
    const EventKeys& keys = *p.keys;
    for (const auto& [i, text] : ev.texts()) {
      const size_t r = chunk.AddRow();
      chunk.SetInt32(0, r, keys.subject[ev.subject_column()[i]]);
      chunk.SetInt64(1, r, ev.time_column()[i]);
      chunk.SetInt32(2, r, keys.code[ev.code_column()[i]]);
      if (ev.has_value_column()[i]) {
        chunk.SetDouble(3, r, ev.value_column()[i]);
      } else {
        chunk.SetNull(3, r);
      }
      chunk.SetString(4, r, text);
      set_key(5, r, keys.stay, ev.stay_column()[i]);
      set_key(6, r, keys.source, ev.source_column()[i]);
      if (chunk.full()) VIGIL_RETURN_IF_ERROR(app.Append(chunk));
    }
  }
  VIGIL_RETURN_IF_ERROR(app.Append(chunk));
  return app.Flush();
}

// The hot path of ingestion: DuckDB pulls the batch through vigil_event_batch() (event_scan.h).
Status WriteEvents(duck::Connection& conn, const Batch& batch, const BatchKeys& bk,
                   EventScanSource& scan) {
  scan = {};
  const auto add = [&](const EventColumns& ev, const EventKeys& keys) {
    if (ev.empty()) return;
    scan.parts.push_back({&ev, &keys, scan.rows});
    scan.rows += ev.size();
  };
  add(batch.events, bk.events[0]);
  for (size_t i = 0; i < batch.event_parts.size(); ++i) add(batch.event_parts[i], bk.events[i + 1]);
  if (scan.rows == 0) return Status::Ok();
  Status s = conn.Exec("INSERT INTO event_data SELECT * FROM vigil_event_batch()");
  const std::vector<EventScanPart> parts = std::move(scan.parts);
  scan = {};
  VIGIL_RETURN_IF_ERROR(s);
  return WriteTextEvents(conn, parts);
}

Status WriteAccounting(duck::Connection& conn, int64_t run_id, const Batch& batch) {
  if (!batch.rejects.empty()) {
    VIGIL_ASSIGN_OR_RETURN(auto app, conn.CreateAppender("rejects"));
    VIGIL_RETURN_IF_ERROR(AppendAll(app, kRejectTypes, batch.rejects,
                                    [run_id](duck::AppendChunk& c, size_t r, const Reject& j) {
                                      c.SetInt64(0, r, run_id);
                                      c.SetString(1, r, j.file);
                                      c.SetString(2, r, j.location);
                                      c.SetString(3, r, j.reason);
                                      c.SetString(4, r, j.raw);
                                    }));
  }
  if (!batch.files.empty()) {
    // No key: a file refused whole is recorded by every run that reads it.
    VIGIL_ASSIGN_OR_RETURN(auto app, conn.CreateAppender("ingest_files"));
    VIGIL_RETURN_IF_ERROR(
        AppendAll(app, kFileTypes, batch.files,
                  [run_id](duck::AppendChunk& c, size_t r, const IngestedFile& f) {
                    c.SetString(0, r, f.sha256);
                    c.SetString(1, r, f.reading);
                    c.SetString(2, r, f.path);
                    c.SetInt64(3, r, run_id);
                    c.SetInt64(4, r, f.counts.records_in);
                    c.SetInt64(5, r, f.counts.stored);
                    c.SetInt64(6, r, f.counts.rejected);
                    c.SetInt64(7, r, f.counts.skipped);
                  }));
  }
  if (!batch.skips.empty()) {
    VIGIL_ASSIGN_OR_RETURN(auto app, conn.CreateAppender("ingest_skips"));
    VIGIL_RETURN_IF_ERROR(AppendAll(app, kSkipTypes, batch.skips,
                                    [run_id](duck::AppendChunk& c, size_t r, const SkipCount& s) {
                                      c.SetInt64(0, r, run_id);
                                      c.SetString(1, r, s.reason);
                                      c.SetInt64(2, r, s.count);
                                    }));
  }
  return conn.Exec(
      fmt::format("UPDATE ingest_runs SET records_in = records_in + {}, stored = stored + {}, "
                  "rejected = rejected + {}, skipped = skipped + {}, files_ingested = "
                  "files_ingested + {} WHERE run_id = {}",
                  batch.counts.records_in, batch.counts.stored, batch.counts.rejected,
                  batch.counts.skipped, batch.files.size(), run_id));
}

Status WriteAll(duck::Connection& conn, int64_t run_id, const Batch& batch, KeyMaps& keys,
                KeyUndo& undo, EventScanSource& scan) {
  VIGIL_ASSIGN_OR_RETURN(BatchKeys bk, ResolveKeys(batch, keys, undo));
  VIGIL_RETURN_IF_ERROR(DeleteSources(conn, batch.replace_sources));
  VIGIL_RETURN_IF_ERROR(WriteSubjects(conn, batch.subjects, bk, keys));
  VIGIL_RETURN_IF_ERROR(WriteStays(conn, batch.stays, bk, keys));
  VIGIL_RETURN_IF_ERROR(WriteStayUpdates(conn, batch.stay_updates));
  VIGIL_RETURN_IF_ERROR(WriteScores(conn, batch.reference_scores));
  VIGIL_RETURN_IF_ERROR(WriteDictionaries(conn, bk));
  VIGIL_RETURN_IF_ERROR(WriteEvents(conn, batch, bk, scan));
  return WriteAccounting(conn, run_id, batch);
}

Result<KeyMaps> LoadKeys(duck::Connection& conn) {
  KeyMaps keys;
  struct Source {
    const char* sql;
    std::unordered_map<std::string, int32_t>* map;
    int32_t* next;
  };
  const Source sources[] = {
      {"SELECT subject_key, subject_id FROM subjects", &keys.subjects, &keys.next_subject},
      {"SELECT stay_key, stay_id FROM stays", &keys.stays, &keys.next_stay},
      {"SELECT code_key, code || chr(31) || coalesce(unit, '') FROM codes", &keys.codes,
       &keys.next_code},
  };
  for (const Source& s : sources) {
    VIGIL_ASSIGN_OR_RETURN(auto r, conn.Query(s.sql));
    while (auto chunk = r.Next()) {
      for (size_t i = 0; i < chunk->size(); ++i) {
        const int32_t key = chunk->GetInt32(0, i);
        s.map->emplace(std::string(chunk->GetString(1, i)), key);
        *s.next = std::max(*s.next, key + 1);
      }
    }
  }
  VIGIL_ASSIGN_OR_RETURN(auto named,
                         conn.Query("SELECT DISTINCT code FROM codes WHERE display IS NOT NULL"));
  while (auto chunk = named.Next()) {
    for (size_t i = 0; i < chunk->size(); ++i) {
      keys.named_codes.emplace(chunk->GetString(0, i));
    }
  }
  VIGIL_ASSIGN_OR_RETURN(auto r,
                         conn.Query("SELECT coalesce(max(source_key), 0) + 1 FROM sources"));
  keys.next_source = static_cast<int32_t>(duck::AsInt(r.Rows().at(0).at(0)).value_or(1));
  return keys;
}

Result<std::optional<int>> ReadSchemaVersion(duck::Connection& conn) {
  VIGIL_ASSIGN_OR_RETURN(auto tables, conn.Query("SELECT count(*) FROM duckdb_tables() WHERE "
                                                 "database_name = current_database() AND "
                                                 "table_name = 'vigil_meta'"));
  auto rows = tables.Rows();
  if (rows.empty() || duck::AsInt(rows[0][0]).value_or(0) == 0) return std::optional<int>();
  VIGIL_ASSIGN_OR_RETURN(auto r,
                         conn.Query("SELECT value FROM vigil_meta WHERE key = 'schema_version'"));
  auto vrows = r.Rows();
  if (vrows.empty()) return base::DataLossError("the store has no schema version");
  auto v = base::ParseInt64(duck::AsString(vrows[0][0]));
  if (!v) return base::DataLossError("the store's schema version is unreadable");
  return std::optional<int>(static_cast<int>(*v));
}

Result<int64_t> CountUserTables(duck::Connection& conn) {
  VIGIL_ASSIGN_OR_RETURN(auto r, conn.Query("SELECT count(*) FROM duckdb_tables() WHERE "
                                            "database_name = current_database()"));
  auto rows = r.Rows();
  return rows.empty() ? 0 : duck::AsInt(rows[0][0]).value_or(0);
}

Status InTransaction(duck::Connection& conn, const std::function<Status()>& body) {
  VIGIL_RETURN_IF_ERROR(conn.Exec("BEGIN TRANSACTION"));
  Status s = body();
  if (s.ok()) s = conn.Exec("COMMIT");
  if (!s.ok()) (void)conn.Exec("ROLLBACK");
  return s;
}

// `is_new`: the database file did not exist before it was opened, so it holds nothing (its two
// catalog queries are the slowest part of opening a new store).
Status CreateOrMigrate(duck::Connection& conn, const fs::path& path, bool is_new = false) {
  std::optional<int> version;
  if (!is_new) {
    VIGIL_ASSIGN_OR_RETURN(version, ReadSchemaVersion(conn));
  }
  if (!version) {
    int64_t tables = 0;
    if (!is_new) {
      VIGIL_ASSIGN_OR_RETURN(tables, CountUserTables(conn));
    }
    if (tables > 0) {
      return base::FailedPreconditionError(
          fmt::format("{} is a DuckDB database but not a vigil store", path.string()));
    }
    return InTransaction(conn, [&]() -> Status {
      VIGIL_RETURN_IF_ERROR(conn.Exec(kSchemaVersion1Sql));
      for (std::string_view migration : kMigrations) VIGIL_RETURN_IF_ERROR(conn.Exec(migration));
      return conn.Exec(
          fmt::format("INSERT INTO vigil_meta VALUES ('schema_version', '{}'), ('created_by', {})",
                      kSchemaVersion, duck::SqlLiteral(fmt::format("vigil {}", base::Version()))));
    });
  }
  if (*version > kSchemaVersion) {
    return base::FailedPreconditionError(fmt::format(
        "{} was written by a newer vigil (store schema version {}); this vigil {} reads schema "
        "versions up to {}. Upgrade vigil to open it.",
        path.string(), *version, base::Version(), kSchemaVersion));
  }
  for (int v = *version; v < kSchemaVersion; ++v) {
    Status s = InTransaction(conn, [&]() -> Status {
      VIGIL_RETURN_IF_ERROR(conn.Exec(kMigrations[static_cast<size_t>(v - 1)]));
      return conn.Exec(
          fmt::format("UPDATE vigil_meta SET value = '{}' WHERE key = 'schema_version'", v + 1));
    });
    if (!s.ok()) return s.WithContext(fmt::format("migrating the store from schema version {}", v));
  }
  return Status::Ok();
}

}  // namespace

Store::Store(fs::path path, std::unique_ptr<Impl> impl)
    : path_(std::move(path)), impl_(std::move(impl)) {}

Store::~Store() = default;

Result<std::unique_ptr<Store>> Store::Open(const fs::path& path, Mode mode) {
  std::error_code ec;
  const bool exists = fs::exists(path, ec);
  if (mode == Mode::kReadOnly && !exists) {
    return base::NotFoundError(fmt::format("no store at {}", path.string()));
  }
  if (mode == Mode::kReadOnly) {
    // An older store is migrated by a short read-write open first.
    VIGIL_ASSIGN_OR_RETURN(auto db, duck::Database::Open(path.string(), /*read_only=*/true));
    VIGIL_ASSIGN_OR_RETURN(auto conn, db->Connect());
    VIGIL_ASSIGN_OR_RETURN(std::optional<int> version, ReadSchemaVersion(conn));
    if (!version) {
      return base::FailedPreconditionError(fmt::format("{} is not a vigil store", path.string()));
    }
    if (*version > kSchemaVersion) {
      // Reuse the writer's message.
      return CreateOrMigrate(conn, path);
    }
    if (*version < kSchemaVersion) {
      { duck::Connection drop = std::move(conn); }
      db.reset();
      VIGIL_ASSIGN_OR_RETURN(auto writer, Open(path, Mode::kReadWrite));
      writer.reset();
      return Open(path, Mode::kReadOnly);
    }
    auto impl = std::make_unique<Impl>();
    impl->db = std::move(db);
    impl->conn.emplace(std::move(conn));
    return std::unique_ptr<Store>(new Store(path, std::move(impl)));
  }

  // Nothing at the path, not even a write-ahead log DuckDB would replay: the store is new.
  std::error_code wal_ec;
  const bool is_new =
      !exists && !ec && !fs::exists(fs::path(path.string() + ".wal"), wal_ec) && !wal_ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  VIGIL_ASSIGN_OR_RETURN(auto db, duck::Database::Open(path.string(), /*read_only=*/false));
  VIGIL_ASSIGN_OR_RETURN(auto conn, db->Connect());
  VIGIL_RETURN_IF_ERROR(CreateOrMigrate(conn, path, is_new));
  VIGIL_RETURN_IF_ERROR(
      conn.Exec("UPDATE ingest_runs SET status = 'interrupted' WHERE status = 'running'"));
  // Insertion order inside a batch carries no meaning (readers sort by subject and time), and
  // dropping it lets DuckDB insert in parallel.
  VIGIL_RETURN_IF_ERROR(conn.Exec("SET preserve_insertion_order = false"));
  auto impl = std::make_unique<Impl>();
  impl->db = std::move(db);
  impl->conn.emplace(std::move(conn));
  VIGIL_RETURN_IF_ERROR(RegisterEventScan(*impl->conn, &impl->scan));
  return std::unique_ptr<Store>(new Store(path, std::move(impl)));
}

OpeningStore::OpeningStore(fs::path path, Store::Mode mode) {
  try {
    // The thread gets a copy: `path` must survive a thread that could not be started.
    thread_ = std::thread([this, path, mode] { opened_ = Store::Open(path, mode); });
  } catch (const std::system_error&) {
    opened_ = Store::Open(path, mode);  // no thread to be had: opened here
  }
}

OpeningStore::OpeningStore(Store& open) : store_(&open) {}

OpeningStore::~OpeningStore() {
  if (thread_.joinable()) thread_.join();
}

Result<Store*> OpeningStore::Get() {
  if (thread_.joinable()) thread_.join();
  if (store_ != nullptr) return store_;
  if (!opened_.ok()) return opened_.status();
  store_ = opened_->get();
  return store_;
}

fs::path Store::RejectFilePath() const {
  fs::path p = path_;
  p += ".rejects.ndjson";
  return p;
}

Result<int64_t> Store::StartRun(std::string_view format, std::string_view arguments,
                                int64_t files_in) {
  duck::Connection& conn = *impl_->conn;
  VIGIL_ASSIGN_OR_RETURN(auto r,
                         conn.Query("SELECT coalesce(max(run_id), 0) + 1 FROM ingest_runs"));
  auto rows = r.Rows();
  const int64_t run_id = duck::AsInt(rows.at(0).at(0)).value_or(1);
  VIGIL_ASSIGN_OR_RETURN(
      auto stmt, conn.Prepare("INSERT INTO ingest_runs (run_id, format, arguments, vigil_version, "
                              "started, status, files_in) VALUES (?, ?, ?, ?, ?, 'running', ?)"));
  VIGIL_RETURN_IF_ERROR(stmt.BindInt64(1, run_id));
  VIGIL_RETURN_IF_ERROR(stmt.BindString(2, format));
  VIGIL_RETURN_IF_ERROR(stmt.BindString(3, arguments));
  VIGIL_RETURN_IF_ERROR(stmt.BindString(4, base::Version()));
  VIGIL_RETURN_IF_ERROR(stmt.BindTimestamp(5, NowMicros()));
  VIGIL_RETURN_IF_ERROR(stmt.BindInt64(6, files_in));
  VIGIL_ASSIGN_OR_RETURN(auto done, stmt.Execute());
  (void)done;
  return run_id;
}

Status Store::FinishRun(int64_t run_id, std::string_view status, int64_t files_unchanged) {
  VIGIL_ASSIGN_OR_RETURN(auto stmt,
                         impl_->conn->Prepare("UPDATE ingest_runs SET status = ?, finished = ?, "
                                              "files_unchanged = ? WHERE run_id = ?"));
  VIGIL_RETURN_IF_ERROR(stmt.BindString(1, status));
  VIGIL_RETURN_IF_ERROR(stmt.BindTimestamp(2, NowMicros()));
  VIGIL_RETURN_IF_ERROR(stmt.BindInt64(3, files_unchanged));
  VIGIL_RETURN_IF_ERROR(stmt.BindInt64(4, run_id));
  VIGIL_ASSIGN_OR_RETURN(auto done, stmt.Execute());
  (void)done;
  return Status::Ok();
}

Status Store::WriteBatch(int64_t run_id, const Batch& batch) {
  duck::Connection& conn = *impl_->conn;
  VIGIL_RETURN_IF_ERROR(EnsureKeys());
  KeyUndo undo(*impl_->keys);
  const auto write = [&] { return WriteAll(conn, run_id, batch, *impl_->keys, undo, impl_->scan); };
  Status s = in_transaction_ ? write() : InTransaction(conn, write);
  if (!s.ok()) {
    undo.Undo(*impl_->keys);
    if (in_transaction_) (void)RollbackTransaction();
    return s.WithContext("writing to the store");
  }
  return Status::Ok();
}

Status Store::BeginTransaction() {
  if (in_transaction_) return base::FailedPreconditionError("a store transaction is already open");
  VIGIL_RETURN_IF_ERROR(impl_->conn->Exec("BEGIN TRANSACTION"));
  in_transaction_ = true;
  return Status::Ok();
}

Status Store::CommitTransaction() {
  if (!in_transaction_) return base::FailedPreconditionError("no store transaction is open");
  in_transaction_ = false;
  Status s = impl_->conn->Exec("COMMIT");
  if (!s.ok()) {
    (void)impl_->conn->Exec("ROLLBACK");
    impl_->keys.reset();  // keys assigned inside the transaction are gone
  }
  return s;
}

Status Store::RollbackTransaction() {
  if (!in_transaction_) return Status::Ok();
  in_transaction_ = false;
  impl_->keys.reset();  // reloaded from the store on next use
  return impl_->conn->Exec("ROLLBACK");
}

Status Store::EnsureKeys() {
  if (impl_->keys) return Status::Ok();
  VIGIL_ASSIGN_OR_RETURN(KeyMaps keys, LoadKeys(*impl_->conn));
  impl_->keys = std::move(keys);
  return Status::Ok();
}

Status Store::WriteRejectFile() {
  VIGIL_ASSIGN_OR_RETURN(
      auto r, impl_->conn->Query("SELECT run_id, file, location, reason, raw FROM rejects "
                                 "ORDER BY run_id, rowid"));
  std::string out;
  while (auto chunk = r.Next()) {
    for (size_t i = 0; i < chunk->size(); ++i) {
      nlohmann::ordered_json j;
      j["run_id"] = chunk->GetInt64(0, i);
      j["file"] = std::string(chunk->GetString(1, i));
      j["location"] = std::string(chunk->GetString(2, i));
      j["reason"] = std::string(chunk->GetString(3, i));
      std::string_view raw = chunk->IsNull(4, i) ? std::string_view() : chunk->GetString(4, i);
      if (base::IsValidUtf8(raw)) {
        j["raw"] = std::string(raw);
      } else {
        j["raw_base64"] = base::Base64Encode(raw);
      }
      out += j.dump();
      out += '\n';
    }
  }
  return base::WriteFileAtomically(RejectFilePath(), out);
}

namespace {

Result<std::unordered_set<std::string>> StringSet(duck::Connection& conn, std::string_view sql) {
  VIGIL_ASSIGN_OR_RETURN(auto r, conn.Query(sql));
  std::unordered_set<std::string> out;
  while (auto chunk = r.Next()) {
    for (size_t i = 0; i < chunk->size(); ++i) out.emplace(chunk->GetString(0, i));
  }
  return out;
}

Counts CountsFrom(const std::vector<duck::Value>& row, size_t first) {
  Counts c;
  c.records_in = duck::AsInt(row[first]).value_or(0);
  c.stored = duck::AsInt(row[first + 1]).value_or(0);
  c.rejected = duck::AsInt(row[first + 2]).value_or(0);
  c.skipped = duck::AsInt(row[first + 3]).value_or(0);
  return c;
}

std::string TimeText(const duck::Value& v) {
  auto micros = duck::AsInt(v);
  return micros ? base::FormatIso8601(base::FromMicros(*micros)) : "";
}

std::optional<base::Instant> OptTime(const duck::Value& v) {
  auto micros = duck::AsInt(v);
  if (!micros) return std::nullopt;
  return base::FromMicros(*micros);
}

std::optional<std::string> OptString(const duck::Value& v) {
  if (std::holds_alternative<std::monostate>(v)) return std::nullopt;
  return duck::AsString(v);
}

constexpr std::string_view kRunColumns =
    "run_id, format, started, finished, status, files_in, files_ingested, files_unchanged, "
    "records_in, stored, rejected, skipped";

RunSummary RunFrom(const std::vector<duck::Value>& row) {
  RunSummary run;
  run.run_id = duck::AsInt(row[0]).value_or(0);
  run.format = duck::AsString(row[1]);
  run.started = TimeText(row[2]);
  run.finished = TimeText(row[3]);
  run.status = duck::AsString(row[4]);
  run.files_in = duck::AsInt(row[5]).value_or(0);
  run.files_ingested = duck::AsInt(row[6]).value_or(0);
  run.files_unchanged = duck::AsInt(row[7]).value_or(0);
  run.counts = CountsFrom(row, 8);
  return run;
}

Status LoadSkips(duck::Connection& conn, RunSummary& run) {
  VIGIL_ASSIGN_OR_RETURN(
      auto r, conn.Query(fmt::format("SELECT reason, sum(count)::BIGINT FROM ingest_skips WHERE "
                                     "run_id = {} GROUP BY reason ORDER BY 2 DESC, 1",
                                     run.run_id)));
  for (auto& row : r.Rows()) run.skips.push_back({duck::AsString(row[0]), *duck::AsInt(row[1])});
  return Status::Ok();
}

}  // namespace

Result<std::unordered_set<std::string>> Store::IngestedFileKeys() {
  // The key and the rule for which files count are IngestedFile's, not restated in SQL.
  VIGIL_ASSIGN_OR_RETURN(
      auto r,
      impl_->conn->Query("SELECT file_sha256, reading, stored, rejected FROM ingest_files"));
  std::unordered_set<std::string> out;
  while (auto chunk = r.Next()) {
    for (size_t i = 0; i < chunk->size(); ++i) {
      Counts counts;
      counts.stored = chunk->GetInt64(2, i);
      counts.rejected = chunk->GetInt64(3, i);
      if (IngestedFile::Remembered(counts)) {
        out.insert(IngestedFile::Key(chunk->GetString(0, i), chunk->GetString(1, i)));
      }
    }
  }
  return out;
}

Result<std::unordered_set<std::string>> Store::StayIds() {
  return StringSet(*impl_->conn, "SELECT stay_id FROM stays");
}

namespace {

// The rows of `sources` that carry a record version (FHIR resources; a PhysioNet file has none).
constexpr std::string_view kVersionColumns =
    "source, coalesce(version_id, ''), last_updated, coalesce(content_hash, '')";
constexpr std::string_view kHasVersion =
    "(version_id IS NOT NULL OR last_updated IS NOT NULL OR content_hash IS NOT NULL)";

Status ForEachVersionRow(duck::QueryResult& r, const std::function<void(RecordVersion&)>& fn) {
  while (auto chunk = r.Next()) {
    for (size_t i = 0; i < chunk->size(); ++i) {
      RecordVersion v;
      v.source = chunk->GetString(0, i);
      v.version_id = chunk->GetString(1, i);
      if (!chunk->IsNull(2, i)) v.last_updated = base::FromMicros(chunk->GetInt64(2, i));
      v.content_hash = chunk->GetString(3, i);
      fn(v);
    }
  }
  return Status::Ok();
}

}  // namespace

Status Store::ForEachRecordVersion(const std::function<void(RecordVersion&)>& fn) {
  VIGIL_ASSIGN_OR_RETURN(auto r, impl_->conn->Query(fmt::format("SELECT {} FROM sources WHERE {}",
                                                                kVersionColumns, kHasVersion)));
  return ForEachVersionRow(r, fn);
}

Result<std::vector<RecordVersion>> Store::RecordVersionsOf(
    const std::vector<std::string>& sources) {
  std::vector<RecordVersion> out;
  if (sources.empty()) return out;
  duck::Connection& conn = *impl_->conn;
  VIGIL_RETURN_IF_ERROR(
      conn.Exec("CREATE TEMP TABLE IF NOT EXISTS vigil_version_lookup (source VARCHAR)"));
  VIGIL_RETURN_IF_ERROR(conn.Exec("DELETE FROM vigil_version_lookup"));
  VIGIL_RETURN_IF_ERROR(RunWithSources(
      conn, "INSERT INTO vigil_version_lookup SELECT source FROM appended_data", sources));
  VIGIL_ASSIGN_OR_RETURN(
      auto r, conn.Query(fmt::format("SELECT {} FROM sources WHERE {} AND source IN (SELECT "
                                     "DISTINCT source FROM vigil_version_lookup)",
                                     kVersionColumns, kHasVersion)));
  VIGIL_RETURN_IF_ERROR(
      ForEachVersionRow(r, [&out](RecordVersion& v) { out.push_back(std::move(v)); }));
  return out;
}

Result<std::unordered_set<std::string>> Store::StayIdsWithDisposition() {
  return StringSet(*impl_->conn, "SELECT stay_id FROM stays WHERE disposition IS NOT NULL");
}

Result<std::unordered_set<std::string>> Store::SubjectIds() {
  return StringSet(*impl_->conn, "SELECT subject_id FROM subjects");
}

Result<std::optional<int32_t>> Store::SubjectKey(std::string_view subject_id) {
  VIGIL_ASSIGN_OR_RETURN(
      auto stmt, impl_->conn->Prepare("SELECT subject_key FROM subjects WHERE subject_id = ?"));
  VIGIL_RETURN_IF_ERROR(stmt.BindString(1, subject_id));
  VIGIL_ASSIGN_OR_RETURN(auto r, stmt.Execute());
  auto rows = r.Rows();
  if (rows.empty()) return std::optional<int32_t>();
  return std::optional<int32_t>(static_cast<int32_t>(*duck::AsInt(rows[0][0])));
}

Result<RunSummary> Store::GetRun(int64_t run_id) {
  duck::Connection& conn = *impl_->conn;
  VIGIL_ASSIGN_OR_RETURN(
      auto r,
      conn.Query(fmt::format("SELECT {} FROM ingest_runs WHERE run_id = {}", kRunColumns, run_id)));
  auto rows = r.Rows();
  if (rows.empty()) return base::NotFoundError(fmt::format("no ingest run {}", run_id));
  RunSummary run = RunFrom(rows[0]);
  VIGIL_RETURN_IF_ERROR(LoadSkips(conn, run));
  return run;
}

Result<Stats> Store::GetStats() {
  duck::Connection& conn = *impl_->conn;
  Stats stats;
  VIGIL_ASSIGN_OR_RETURN(auto totals, conn.Query("SELECT (SELECT count(*) FROM subjects), (SELECT "
                                                 "count(*) FROM stays), (SELECT count(*) FROM "
                                                 "event_rows), (SELECT count(*) FROM rejects)"));
  auto t = totals.Rows().at(0);
  stats.subjects = duck::AsInt(t[0]).value_or(0);
  stats.stays = duck::AsInt(t[1]).value_or(0);
  stats.events = duck::AsInt(t[2]).value_or(0);
  stats.rejects = duck::AsInt(t[3]).value_or(0);
  VIGIL_ASSIGN_OR_RETURN(
      auto codes,
      conn.Query(fmt::format("SELECT c.code, coalesce(c.unit, ''), e.n, coalesce(n.display, '') "
                             "FROM (SELECT code_key, count(*) AS n FROM event_rows GROUP BY "
                             "code_key) e JOIN codes c USING (code_key) LEFT JOIN ({}) n ON "
                             "n.code = c.code ORDER BY 3 DESC, 1, 2",
                             kCodeNamesSql)));
  for (auto& row : codes.Rows()) {
    stats.events_by_code.push_back({duck::AsString(row[0]), duck::AsString(row[1]),
                                    duck::AsInt(row[2]).value_or(0), duck::AsString(row[3])});
  }
  VIGIL_ASSIGN_OR_RETURN(auto reasons, conn.Query("SELECT reason, count(*) FROM rejects GROUP BY "
                                                  "reason ORDER BY 2 DESC, 1"));
  for (auto& row : reasons.Rows()) {
    stats.rejects_by_reason.push_back({duck::AsString(row[0]), duck::AsInt(row[1]).value_or(0)});
  }
  VIGIL_ASSIGN_OR_RETURN(
      auto runs,
      conn.Query(fmt::format("SELECT {} FROM ingest_runs ORDER BY run_id", kRunColumns)));
  for (auto& row : runs.Rows()) {
    RunSummary run = RunFrom(row);
    VIGIL_RETURN_IF_ERROR(LoadSkips(conn, run));
    stats.runs.push_back(std::move(run));
  }
  return stats;
}

Result<std::map<std::string, std::string, std::less<>>> Store::CodeDisplays() {
  VIGIL_ASSIGN_OR_RETURN(auto r, impl_->conn->Query(kCodeNamesSql));
  std::map<std::string, std::string, std::less<>> names;
  while (auto chunk = r.Next()) {
    for (size_t i = 0; i < chunk->size(); ++i) {
      names.emplace(chunk->GetString(0, i), chunk->GetString(1, i));
    }
  }
  return names;
}

Result<Timeline> Store::GetTimeline(std::string_view subject_id) {
  duck::Connection& conn = *impl_->conn;
  Timeline tl;
  VIGIL_ASSIGN_OR_RETURN(auto ss, conn.Prepare("SELECT subject_id, source, sex, birth_date, race, "
                                               "ethnicity FROM subjects WHERE subject_id = ?"));
  VIGIL_RETURN_IF_ERROR(ss.BindString(1, subject_id));
  VIGIL_ASSIGN_OR_RETURN(auto subjects, ss.Execute());
  auto srows = subjects.Rows();
  if (srows.empty()) return tl;
  Subject s;
  s.subject_id = duck::AsString(srows[0][0]);
  s.source = duck::AsString(srows[0][1]);
  s.sex = OptString(srows[0][2]);
  if (auto d = duck::AsInt(srows[0][3])) s.birth_date = static_cast<int32_t>(*d);
  s.race = OptString(srows[0][4]);
  s.ethnicity = OptString(srows[0][5]);
  tl.subject = s;

  VIGIL_ASSIGN_OR_RETURN(auto st,
                         conn.Prepare("SELECT stay_id, subject_id, kind, start_time, end_time, "
                                      "hospital_admit, age_years, height_cm, weight_kg, unit, "
                                      "disposition, type, location, source FROM stays WHERE "
                                      "subject_id = ? ORDER BY start_time NULLS LAST, stay_id"));
  VIGIL_RETURN_IF_ERROR(st.BindString(1, subject_id));
  VIGIL_ASSIGN_OR_RETURN(auto stays, st.Execute());
  for (auto& row : stays.Rows()) {
    Stay y;
    y.stay_id = duck::AsString(row[0]);
    y.subject_id = duck::AsString(row[1]);
    y.kind = duck::AsString(row[2]);
    y.start = OptTime(row[3]);
    y.end = OptTime(row[4]);
    y.hospital_admit = OptTime(row[5]);
    y.age_years = duck::AsDouble(row[6]);
    y.height_cm = duck::AsDouble(row[7]);
    y.weight_kg = duck::AsDouble(row[8]);
    y.unit = OptString(row[9]);
    y.disposition = OptString(row[10]);
    y.type = OptString(row[11]);
    y.location = OptString(row[12]);
    y.source = duck::AsString(row[13]);
    tl.stays.push_back(std::move(y));
  }

  VIGIL_ASSIGN_OR_RETURN(
      auto sc, conn.Prepare("SELECT r.stay_id, r.name, r.value FROM reference_scores r "
                            "JOIN stays s USING (stay_id) WHERE s.subject_id = ? ORDER BY "
                            "r.stay_id, r.name"));
  VIGIL_RETURN_IF_ERROR(sc.BindString(1, subject_id));
  VIGIL_ASSIGN_OR_RETURN(auto scores, sc.Execute());
  for (auto& row : scores.Rows()) {
    tl.reference_scores.push_back(
        {duck::AsString(row[0]), duck::AsString(row[1]), duck::AsDouble(row[2]).value_or(0)});
  }

  VIGIL_ASSIGN_OR_RETURN(std::optional<int32_t> key, SubjectKey(subject_id));
  VIGIL_ASSIGN_OR_RETURN(
      auto ev, conn.Prepare("SELECT s.subject_id, e.time, c.code, e.numeric_value, "
                            "e.text_value, c.unit, y.stay_id, src.source FROM event_rows e "
                            "JOIN subjects s ON s.subject_key = e.subject_key "
                            "JOIN codes c ON c.code_key = e.code_key "
                            "LEFT JOIN stays y ON y.stay_key = e.stay_key "
                            "LEFT JOIN sources src ON src.source_key = e.source_key "
                            "WHERE e.subject_key = ? ORDER BY e.time, c.code, e.numeric_value, "
                            "e.text_value, src.source"));
  VIGIL_RETURN_IF_ERROR(ev.BindInt64(1, key.value_or(-1)));
  VIGIL_ASSIGN_OR_RETURN(auto events, ev.Execute());
  for (auto& row : events.Rows()) {
    Event e;
    e.subject_id = duck::AsString(row[0]);
    e.time = base::FromMicros(duck::AsInt(row[1]).value_or(0));
    e.code = duck::AsString(row[2]);
    e.numeric_value = duck::AsDouble(row[3]);
    e.text_value = OptString(row[4]);
    e.unit = duck::AsString(row[5]);
    e.stay_id = duck::AsString(row[6]);
    e.source = duck::AsString(row[7]);
    tl.events.push_back(std::move(e));
  }
  return tl;
}

Result<std::vector<Reject>> Store::GetRejects(std::optional<int64_t> run_id) {
  std::string sql = "SELECT file, location, reason, raw FROM rejects";
  if (run_id) sql += fmt::format(" WHERE run_id = {}", *run_id);
  sql += " ORDER BY run_id, rowid";
  VIGIL_ASSIGN_OR_RETURN(auto r, impl_->conn->Query(sql));
  std::vector<Reject> out;
  for (auto& row : r.Rows()) {
    out.push_back({duck::AsString(row[0]), duck::AsString(row[1]), duck::AsString(row[2]),
                   duck::AsString(row[3])});
  }
  return out;
}

duck::Connection& Store::connection() { return *impl_->conn; }

Result<duck::Connection> Store::NewConnection() { return impl_->db->Connect(); }

Result<std::vector<std::vector<std::string>>> Store::QueryText(
    std::string_view sql, std::vector<std::string>* column_names) {
  VIGIL_ASSIGN_OR_RETURN(auto r, impl_->conn->Query(sql));
  if (column_names != nullptr) {
    column_names->clear();
    for (size_t c = 0; c < r.column_count(); ++c) column_names->push_back(r.column_name(c));
  }
  std::vector<std::vector<std::string>> out;
  for (auto& row : r.Rows()) {
    std::vector<std::string> cells;
    for (auto& v : row) cells.push_back(duck::AsString(v));
    out.push_back(std::move(cells));
  }
  return out;
}

Result<std::vector<std::vector<std::string>>> Store::QueryAsText(
    std::string_view sql, std::vector<std::string>* column_names) {
  VIGIL_ASSIGN_OR_RETURN(size_t statements, impl_->conn->CountStatements(sql));
  if (statements != 1) {
    return base::InvalidArgumentError(
        fmt::format("give one SQL statement at a time (found {})", statements));
  }
  std::string_view body = sql;
  while (!body.empty() &&
         (std::isspace(static_cast<unsigned char>(body.back())) || body.back() == ';')) {
    body.remove_suffix(1);
  }
  // DuckDB casts every column to text itself; a statement that cannot be a subquery (SET, COPY,
  // ...) runs as written, and its errors are reported as for the statement written.
  auto cast =
      QueryText(fmt::format("SELECT COLUMNS(*)::VARCHAR FROM (\n{}\n)", body), column_names);
  if (cast.ok()) return cast;
  return QueryText(sql, column_names);
}

}  // namespace vigil::store
