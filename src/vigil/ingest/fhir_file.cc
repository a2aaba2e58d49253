#include "vigil/ingest/fhir_file.h"

#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <unordered_map>

#include "vigil/base/text.h"
#include "vigil/ingest/fhir_input.h"
#include "vigil/ingest/session.h"

namespace vigil::ingest::fhir {
namespace fs = std::filesystem;
using base::Status;

bool IsNdjson(const fs::path& path) {
  const std::string name = path.filename().string();
  return name.ends_with(".ndjson") || name.ends_with(".ndjson.gz");
}

namespace {

// Resources whose version only the store can tell, resolved together (one store query each time
// this many are waiting, and at the end of the file).
constexpr size_t kMaxUnresolved = 1 << 16;

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

// Reads one file into the session, part by part.
class FileIngester {
 public:
  FileIngester(const PartSink& sink, Context& context, simdjson::ondemand::parser& parser,
               fs::path path)
      : sink_(sink), context_(context), parser_(parser), path_(std::move(path)) {}

  Status ReadNdjson() {
    VIGIL_ASSIGN_OR_RETURN(auto reader, LineReader::Open(path_));
    bool cut = false;
    while (true) {
      VIGIL_ASSIGN_OR_RETURN(std::optional<Line> line, reader->Next());
      if (!line) break;
      if (line->cut) {  // the rest of this line was lost with the gzip data
        cut = true;
        AddReject(part_, path_, fmt::format("line {}", line->number), kGzipDamaged, line->text);
        ++part_records_;
        break;
      }
      if (line->number == 1) {  // a byte order mark some editors write
        const std::string_view text = base::StripByteOrderMark(line->text);
        line->padded_capacity -= line->text.size() - text.size();
        line->text = text;
      }
      if (IsBlank(line->text)) continue;
      Mapped m = MapText(line->text, line->padded_capacity, {"", line->text, false});
      VIGIL_RETURN_IF_ERROR(Handle(m, {"line", line->number}, line->text, ""));
      if (PartFull()) VIGIL_RETURN_IF_ERROR(HandOver(reader->file_bytes_read()));
      if (unresolved_.size() >= kMaxUnresolved) {
        VIGIL_RETURN_IF_ERROR(ResolveVersions(reader->file_bytes_read()));
      }
    }
    if (reader->damaged() && !cut) {
      // Every line read was whole: the damage itself is the record that was lost.
      AddReject(part_, path_, fmt::format("byte {}", reader->file_bytes_read()), kGzipDamaged, "");
    }
    VIGIL_RETURN_IF_ERROR(ResolveVersions(reader->file_bytes_read()));
    return HandOver(reader->file_bytes_read());
  }

  Status ReadJson() {
    bool damaged = false;
    VIGIL_ASSIGN_OR_RETURN(simdjson::padded_string content, ReadPadded(path_, &damaged));
    content_end_ = content.data() + content.size() + simdjson::SIMDJSON_PADDING;
    const std::string_view whole =
        base::StripByteOrderMark(std::string_view(content.data(), content.size()));
    std::vector<Entry> entries;
    bool is_bundle = false;
    if (damaged) {
      AddReject(part_, path_, "file", kGzipDamaged, whole);
    } else if (!CollectEntries(whole, entries, is_bundle)) {
      AddReject(part_, path_, "file", "malformed JSON", whole);
    } else if (!is_bundle) {
      Mapped m = MapText(whole, Padded(whole), {"", whole, false});
      VIGIL_RETURN_IF_ERROR(Handle(m, {"resource", -1}, whole, ""));
    } else {
      VIGIL_RETURN_IF_ERROR(ReadBundle(entries));
    }
    VIGIL_RETURN_IF_ERROR(ResolveVersions(0));
    return HandOver(static_cast<int64_t>(fs::file_size(path_)));
  }

 private:
  struct Entry {
    std::string full_url;
    std::string_view raw;  // empty: the entry has no resource
    std::string type;      // resourceType, when the resource has a string one
    int rank = 2;          // for deferred entries
  };

  size_t Padded(std::string_view raw) const {
    return static_cast<size_t>(content_end_ - raw.data());
  }

  // Parses `text` (readable up to `padded` bytes) and maps the resource in it.
  Mapped MapText(std::string_view text, size_t padded, const EntryInfo& entry) {
    try {
      simdjson::ondemand::document doc;
      simdjson::ondemand::object object;
      if (parser_.iterate(text.data(), text.size(), padded).get(doc) ||
          doc.get_object().get(object)) {
        Mapped m;
        m.reason = "malformed JSON";
        return m;
      }
      return MapResource(object, entry, context_);
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
            if (field.value().get_object().get(resource)) return false;
            // The type first, so that entries of types vigil does not map are not parsed again.
            std::string_view type;
            auto error = resource.find_field_unordered("resourceType").get_string().get(type);
            if (!error) e.type = std::string(type);
            // A parse error leaves the iterator unusable; only these two may be recovered from.
            if (error && error != simdjson::NO_SUCH_FIELD && error != simdjson::INCORRECT_TYPE) {
              return false;
            }
            bool reset = false;
            if (resource.reset().get(reset) || resource.raw_json().get(e.raw)) return false;
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
      if (!e.type.empty() && !IsMappedType(e.type)) {
        AddSkip(part_, SkippedTypeReason(e.type));
        continue;
      }
      Mapped m = MapText(e.raw, Padded(e.raw), {e.full_url, e.raw, true});
      if (m.outcome == Outcome::kDeferred) {
        entries[i].rank = ResourceRank(m.source.substr(0, m.source.find('/')));
        deferred.push_back(i);
        continue;
      }
      VIGIL_RETURN_IF_ERROR(Handle(m, {"entry", static_cast<int64_t>(i)}, e.raw, e.full_url));
    }
    // Entries that named a patient or encounter not read yet: patients, then encounters, then the
    // rest, now without deferral.
    std::stable_sort(deferred.begin(), deferred.end(),
                     [&](size_t a, size_t b) { return entries[a].rank < entries[b].rank; });
    for (size_t i : deferred) {
      const Entry& e = entries[i];
      Mapped m = MapText(e.raw, Padded(e.raw), {e.full_url, e.raw, false});
      VIGIL_RETURN_IF_ERROR(Handle(m, {"entry", static_cast<int64_t>(i)}, e.raw, e.full_url));
    }
    context_.full_urls.clear();
    return Status::Ok();
  }

  // Where a record is: "line 12", "entry 3", or "resource" (index -1). Formatted only for rejects.
  struct Location {
    std::string_view kind;
    int64_t index;
    std::string Text() const {
      return index < 0 ? std::string(kind) : fmt::format("{} {}", kind, index);
    }
  };

  Status Handle(Mapped& m, const Location& location, std::string_view raw,
                std::string_view full_url) {
    switch (m.outcome) {
      case Outcome::kStored:
        if (m.version_unresolved) {
          // Known to the rest of the file at once (its fullUrl); stored or skipped once the store
          // has told its version.
          if (!full_url.empty()) context_.full_urls[std::string(full_url)] = m.source;
          unresolved_.push_back(std::move(m));
          break;
        }
        if (m.replaces_run_version) {
          // The older version's rows may still be pending: write them first, so that this
          // version's replace_sources deletes them.
          VIGIL_RETURN_IF_ERROR(HandOver(0));
          VIGIL_RETURN_IF_ERROR(sink_.write_pending());
        }
        CommitResource(m, full_url, context_, part_);
        ++part_records_;
        break;
      case Outcome::kSkipped:
        // A resource whose version is already stored is still the one its fullUrl names: the rest
        // of a bundle sent again refers to it.
        if (!full_url.empty() && !m.source.empty()) {
          context_.full_urls[std::string(full_url)] = m.source;
        }
        AddSkip(part_, m.reason);
        break;
      case Outcome::kRejected:
      case Outcome::kDeferred:
        AddReject(part_, path_, location.Text(), m.reason, raw);
        ++part_records_;
        break;
    }
    return Status::Ok();
  }

  // Stores or skips the resources waiting for their stored version: hands everything read so far
  // to the session (so the store sees it), asks the store for their versions, and compares, in
  // the order they were read.
  Status ResolveVersions(int64_t file_bytes) {
    if (unresolved_.empty()) return Status::Ok();
    VIGIL_RETURN_IF_ERROR(HandOver(file_bytes));
    VIGIL_RETURN_IF_ERROR(sink_.write_pending());
    std::vector<std::string> sources;
    sources.reserve(unresolved_.size());
    for (const Mapped& m : unresolved_) sources.push_back(m.source);
    std::vector<store::RecordVersion> stored;
    if (sink_.lookup_versions) {
      VIGIL_ASSIGN_OR_RETURN(stored, sink_.lookup_versions(sources));
    }
    std::unordered_map<std::string, KnownVersion> known;
    for (store::RecordVersion& v : stored) {
      std::string source = v.source;
      known[std::move(source)] = {std::move(v), false};
    }
    std::vector<Mapped> waiting = std::move(unresolved_);
    unresolved_.clear();
    for (Mapped& m : waiting) {
      auto it = known.find(m.source);
      m.replaces = false;
      m.replaces_run_version = false;
      if (auto skip = CompareVersion(m, it == known.end() ? nullptr : &it->second)) {
        AddSkip(part_, *skip);
        continue;
      }
      if (m.replaces_run_version) {  // an older version earlier in this list: written first
        VIGIL_RETURN_IF_ERROR(HandOver(0));
        VIGIL_RETURN_IF_ERROR(sink_.write_pending());
      }
      known[m.source] = {m.version, true};
      CommitResource(m, "", context_, part_);
      ++part_records_;
      if (PartFull()) VIGIL_RETURN_IF_ERROR(HandOver(0));
    }
    return Status::Ok();
  }

  bool PartFull() const {
    return part_.events.size() >= sink_.part_events ||
           static_cast<size_t>(part_records_) >= sink_.part_events;
  }

  Status HandOver(int64_t file_bytes) {
    const int64_t bytes = file_bytes - bytes_reported_;
    bytes_reported_ = std::max(bytes_reported_, file_bytes);
    part_records_ = 0;
    store::Batch part = std::move(part_);
    part_ = store::Batch();
    return sink_.add_part(std::move(part), std::max<int64_t>(bytes, 0));
  }

  const PartSink& sink_;
  Context& context_;
  simdjson::ondemand::parser& parser_;
  fs::path path_;
  store::Batch part_;
  int64_t part_records_ = 0;
  int64_t bytes_reported_ = 0;
  std::vector<Mapped> unresolved_;  // stored candidates waiting for their stored version
  const char* content_end_ = nullptr;
};

}  // namespace

Status ReadFile(const fs::path& path, Context& context, simdjson::ondemand::parser& parser,
                const PartSink& sink) {
  FileIngester file(sink, context, parser, path);
  return IsNdjson(path) ? file.ReadNdjson() : file.ReadJson();
}

}  // namespace vigil::ingest::fhir
