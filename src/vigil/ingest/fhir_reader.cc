#include "vigil/ingest/fhir_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <exception>

#include "vigil/base/file.h"
#include "vigil/ingest/fhir_input.h"
#include "vigil/ingest/fhir_mapping.h"
#include "vigil/ingest/session.h"

namespace vigil::ingest {
namespace fs = std::filesystem;
using base::Result;
using base::Status;
using fhir::Mapped;
using fhir::Outcome;

namespace {

// A part is handed to the session after this many events or records, bounding what the reader
// holds between hand-overs.
constexpr size_t kPartEvents = 1 << 16;
constexpr int64_t kPartRecords = 1 << 14;

int FileRank(const fs::path& path) {
  std::string name = path.filename().string();
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (name.starts_with("patient")) return 0;
  if (name.starts_with("encounter")) return 1;
  return 2;
}

bool IsNdjson(const fs::path& path) {
  const std::string name = path.filename().string();
  return name.ends_with(".ndjson") || name.ends_with(".ndjson.gz");
}

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

// Reads one file into the session, part by part.
class FileIngester {
 public:
  FileIngester(IngestSession& session, fhir::Context& context, simdjson::ondemand::parser& parser,
               fs::path path)
      : session_(session), context_(context), parser_(parser), path_(std::move(path)) {}

  Status ReadNdjson() {
    VIGIL_ASSIGN_OR_RETURN(auto reader, fhir::LineReader::Open(path_));
    while (true) {
      VIGIL_ASSIGN_OR_RETURN(std::optional<fhir::Line> line, reader->Next());
      if (!line) break;
      if (IsBlank(line->text)) continue;
      const std::string location = fmt::format("line {}", line->number);
      Mapped m = MapText(line->text, line->padded_capacity, {"", line->text, false});
      VIGIL_RETURN_IF_ERROR(Handle(m, location, line->text, ""));
      if (PartFull()) VIGIL_RETURN_IF_ERROR(HandOver(reader->file_bytes_read()));
    }
    return HandOver(reader->file_bytes_read());
  }

  Status ReadJson() {
    VIGIL_ASSIGN_OR_RETURN(simdjson::padded_string content, fhir::ReadPadded(path_));
    content_end_ = content.data() + content.size() + simdjson::SIMDJSON_PADDING;
    const std::string_view whole(content.data(), content.size());
    std::vector<Entry> entries;
    bool is_bundle = false;
    if (!CollectEntries(whole, entries, is_bundle)) {
      AddReject(part_, path_, "file", "malformed JSON", whole);
    } else if (!is_bundle) {
      Mapped m = MapText(whole, content.size() + simdjson::SIMDJSON_PADDING, {"", whole, false});
      VIGIL_RETURN_IF_ERROR(Handle(m, "resource", whole, ""));
    } else {
      VIGIL_RETURN_IF_ERROR(ReadBundle(entries));
    }
    return HandOver(static_cast<int64_t>(fs::file_size(path_)));
  }

 private:
  struct Entry {
    std::string full_url;
    std::string_view raw;  // empty: the entry has no resource
    int rank = 2;          // for deferred entries
  };

  size_t Padded(std::string_view raw) const {
    return static_cast<size_t>(content_end_ - raw.data());
  }

  // Parses `text` (readable up to `padded` bytes) and maps the resource in it.
  Mapped MapText(std::string_view text, size_t padded, const fhir::EntryInfo& entry) {
    try {
      simdjson::ondemand::document doc;
      simdjson::ondemand::object object;
      if (parser_.iterate(text.data(), text.size(), padded).get(doc) ||
          doc.get_object().get(object)) {
        Mapped m;
        m.reason = "malformed JSON";
        return m;
      }
      return fhir::MapResource(object, entry, context_);
    } catch (const std::exception&) {
      Mapped m;
      m.reason = "malformed JSON";
      return m;
    }
  }

  // Reads the top level of a .json file: for a Bundle, its entries' fullUrls and resource texts.
  // False when the JSON is malformed.
  bool CollectEntries(std::string_view whole, std::vector<Entry>& entries, bool& is_bundle) {
    try {
      simdjson::ondemand::document doc;
      simdjson::ondemand::object top;
      if (parser_.iterate(whole.data(), whole.size(), Padded(whole)).get(doc) ||
          doc.get_object().get(top)) {
        return false;
      }
      std::string_view type;
      auto error = top.find_field_unordered("resourceType").get_string().get(type);
      if (error == simdjson::NO_SUCH_FIELD || (!error && type != "Bundle")) return true;
      if (error) return false;
      is_bundle = true;
      bool reset = false;
      if (top.reset().get(reset)) return false;
      simdjson::ondemand::array items;
      auto entry_error = top.find_field_unordered("entry").get_array().get(items);
      if (entry_error == simdjson::NO_SUCH_FIELD) return true;
      if (entry_error) return false;
      for (auto item : items) {
        simdjson::ondemand::object o;
        if (item.get_object().get(o)) return false;
        Entry e;
        for (auto field : o) {
          simdjson::ondemand::raw_json_string key;
          if (field.key().get(key)) return false;
          if (key == "fullUrl") {
            std::string_view url;
            if (field.value().get_string().get(url)) return false;
            e.full_url = std::string(url);
          } else if (key == "resource") {
            simdjson::ondemand::object resource;
            if (field.value().get_object().get(resource) || resource.raw_json().get(e.raw)) {
              return false;
            }
          }
        }
        entries.push_back(std::move(e));
      }
      return true;
    } catch (const std::exception&) {
      return false;
    }
  }

  Status ReadBundle(std::vector<Entry>& entries) {
    std::vector<size_t> deferred;
    for (size_t i = 0; i < entries.size(); ++i) {
      const Entry& e = entries[i];
      if (e.raw.empty()) {
        AddSkip(part_, "bundle entry without a resource");
        continue;
      }
      Mapped m = MapText(e.raw, Padded(e.raw), {e.full_url, e.raw, true});
      if (m.outcome == Outcome::kDeferred) {
        entries[i].rank = fhir::ResourceRank(m.source.substr(0, m.source.find('/')));
        deferred.push_back(i);
        continue;
      }
      VIGIL_RETURN_IF_ERROR(Handle(m, fmt::format("entry {}", i), e.raw, e.full_url));
    }
    // Entries that named a patient or encounter not read yet: patients, then encounters, then the
    // rest, now without deferral.
    std::stable_sort(deferred.begin(), deferred.end(),
                     [&](size_t a, size_t b) { return entries[a].rank < entries[b].rank; });
    for (size_t i : deferred) {
      const Entry& e = entries[i];
      Mapped m = MapText(e.raw, Padded(e.raw), {e.full_url, e.raw, false});
      VIGIL_RETURN_IF_ERROR(Handle(m, fmt::format("entry {}", i), e.raw, e.full_url));
    }
    context_.full_urls.clear();
    return Status::Ok();
  }

  Status Handle(Mapped& m, const std::string& location, std::string_view raw,
                std::string_view full_url) {
    switch (m.outcome) {
      case Outcome::kStored:
        if (m.replaces_run_version) {
          // The older version's rows may still be pending: write them first, so that this
          // version's replace_sources deletes them.
          VIGIL_RETURN_IF_ERROR(HandOver(0));
          VIGIL_RETURN_IF_ERROR(session_.WritePending());
        }
        fhir::CommitResource(m, full_url, context_, part_);
        ++part_records_;
        break;
      case Outcome::kSkipped:
        AddSkip(part_, m.reason);
        break;
      case Outcome::kRejected:
      case Outcome::kDeferred:
        AddReject(part_, path_, location, m.reason, raw);
        ++part_records_;
        break;
    }
    return Status::Ok();
  }

  bool PartFull() const {
    return part_.events.size() >= kPartEvents || part_records_ >= kPartRecords;
  }

  Status HandOver(int64_t file_bytes) {
    const int64_t bytes = file_bytes - bytes_reported_;
    bytes_reported_ = std::max(bytes_reported_, file_bytes);
    part_records_ = 0;
    store::Batch part = std::move(part_);
    part_ = store::Batch();
    return session_.AddPart(std::move(part), std::max<int64_t>(bytes, 0));
  }

  IngestSession& session_;
  fhir::Context& context_;
  simdjson::ondemand::parser& parser_;
  fs::path path_;
  store::Batch part_;
  int64_t part_records_ = 0;
  int64_t bytes_reported_ = 0;
  const char* content_end_ = nullptr;
};

Result<fhir::Context> LoadContext(store::Store& store) {
  fhir::Context context;
  VIGIL_ASSIGN_OR_RETURN(context.patients, store.SubjectIds());
  VIGIL_ASSIGN_OR_RETURN(context.encounters, store.StayIds());
  VIGIL_ASSIGN_OR_RETURN(auto versions, store.RecordVersions());
  context.versions.reserve(versions.size());
  for (auto& [source, version] : versions) {
    context.versions.emplace(source, fhir::KnownVersion{std::move(version), false});
  }
  return context;
}

Status IngestAll(store::Store& store, IngestSession& session, const std::vector<fs::path>& files) {
  VIGIL_ASSIGN_OR_RETURN(fhir::Context context, LoadContext(store));
  simdjson::ondemand::parser parser;
  fhir::HashAhead hashes(files);
  for (size_t i = 0; i < files.size(); ++i) {
    VIGIL_ASSIGN_OR_RETURN(std::string sha256, hashes.Get(i));
    if (session.AlreadyIngested(sha256)) {
      std::error_code ec;
      session.CountUnchanged(static_cast<int64_t>(fs::file_size(files[i], ec)));
      continue;
    }
    FileIngester file(session, context, parser, files[i]);
    VIGIL_RETURN_IF_ERROR(IsNdjson(files[i]) ? file.ReadNdjson() : file.ReadJson());
    VIGIL_RETURN_IF_ERROR(session.EndFile(files[i], sha256));
  }
  return Status::Ok();
}

}  // namespace

Result<store::RunSummary> IngestFhir(store::Store& store, const IngestRequest& request,
                                     const FhirOptions& options) {
  VIGIL_ASSIGN_OR_RETURN(
      std::vector<fs::path> files,
      base::ListInputFiles(request.inputs, {".json", ".ndjson", ".json.gz", ".ndjson.gz"}));
  std::stable_sort(files.begin(), files.end(),
                   [](const fs::path& a, const fs::path& b) { return FileRank(a) < FileRank(b); });
  SessionOptions session_options;
  session_options.commit_events = options.commit_events;
  session_options.replace_stays = true;  // FHIR versions decide what replaces what
  session_options.progress = request.progress;
  VIGIL_ASSIGN_OR_RETURN(auto session,
                         IngestSession::Start(store, "fhir", request.arguments,
                                              static_cast<int64_t>(files.size()), session_options));
  Status s = IngestAll(store, *session, files);
  if (!s.ok()) {
    (void)session->Finish(/*failed=*/true);
    return s;
  }
  return session->Finish();
}

}  // namespace vigil::ingest
