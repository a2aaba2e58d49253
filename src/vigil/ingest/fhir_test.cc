#include <gtest/gtest.h>
#include <zlib.h>

#include "vigil/ingest/fhir_reader.h"
#include "vigil/testing/temp_dir.h"

namespace vigil::ingest {
namespace {

using Rows = std::vector<std::vector<std::string>>;

constexpr std::string_view kPatient =
    R"({"resourceType":"Patient","id":"p1","gender":"female","birthDate":"1950-03-04",)"
    R"("deceasedDateTime":"2020-01-02T03:04:05Z","extension":[{"url":)"
    R"("http://hl7.org/fhir/us/core/StructureDefinition/us-core-race","extension":[{"url":)"
    R"("ombCategory","valueCoding":{"system":"urn:oid:2.16.840.1.113883.6.238","code":"2106-3",)"
    R"("display":"White"}},{"url":"text","valueString":"White"}]},{"url":)"
    R"("http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity","extension":[{"url":)"
    R"("text","valueString":"Not Hispanic or Latino"}]}]})";

// An observation of `code` (LOINC) for Patient/p1 with a quantity `value` `unit`.
std::string Obs(std::string_view id, std::string_view code, std::string_view value,
                std::string_view unit, std::string_view extra = "") {
  return std::string(R"({"resourceType":"Observation","id":")") + std::string(id) +
         R"(","status":"final","code":{"coding":[{"system":"http://loinc.org","code":")" +
         std::string(code) +
         R"("}]},"subject":{"reference":"Patient/p1"},"effectiveDateTime":"2020-01-01T10:00:00Z",)" +
         R"("valueQuantity":{"value":)" + std::string(value) + R"(,"code":")" + std::string(unit) +
         "\"}" + std::string(extra) + "}";
}

struct Fixture {
  testing::TempDir dir;
  std::unique_ptr<store::Store> store;

  Fixture() {
    auto s = store::Store::Open(dir.path() / "s.duckdb", store::Store::Mode::kReadWrite);
    EXPECT_TRUE(s.ok());
    store = std::move(s).value();
  }
  store::RunSummary Ingest(const std::vector<std::string>& names, FhirOptions options = {}) {
    IngestRequest request;
    for (const auto& n : names) request.inputs.push_back(dir.path() / n);
    auto run = IngestFhir(*store, request, options);
    EXPECT_TRUE(run.ok()) << run.status().ToString();
    EXPECT_TRUE(run->counts.Balanced());
    return run.ok() ? *run : store::RunSummary();
  }
  Rows Query(const std::string& sql) {
    auto rows = store->QueryText(sql);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? *rows : Rows();
  }
  std::vector<store::Reject> Rejects(int64_t run) { return store->GetRejects(run).value(); }
};

TEST(FhirTest, BundleMapsPatientEncounterAndObservations) {
  Fixture f;
  const std::string bundle =
      std::string(R"({"resourceType":"Bundle","type":"transaction","entry":[)") +
      R"({"fullUrl":"urn:uuid:o1","resource":)" +
      Obs("o1", "8310-5", "98.6", "[degF]", R"(,"encounter":{"reference":"urn:uuid:e1"})") +
      R"(},{"fullUrl":"urn:uuid:e1","resource":{"resourceType":"Encounter","id":"e1",)"
      R"("class":{"code":"IMP"},"type":[{"coding":[{"system":"http://snomed.info/sct",)"
      R"("code":"309904001"}]}],"subject":{"reference":"urn:uuid:p1"},)"
      R"("period":{"start":"2020-01-01T08:00:00Z","end":"2020-01-03T08:00:00Z"}}},)"
      R"({"fullUrl":"urn:uuid:p1","resource":)" +
      std::string(kPatient) + "}," +
      R"({"fullUrl":"urn:uuid:bp","resource":{"resourceType":"Observation","id":"bp",)"
      R"("status":"final","code":{"coding":[{"system":"http://loinc.org","code":"85354-9"}]},)"
      R"("subject":{"reference":"urn:uuid:p1"},"effectiveDateTime":"2020-01-01T11:00:00Z",)"
      R"("component":[{"code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},)"
      R"("valueQuantity":{"value":120,"code":"mm[Hg]"}},{"code":{"coding":[{"system":)"
      R"("http://loinc.org","code":"8462-4"}]},"valueQuantity":{"value":80,"code":"mm[Hg]"}}]}},)"
      R"({"fullUrl":"urn:uuid:c1","resource":{"resourceType":"Condition","id":"c1",)"
      R"("code":{"coding":[{"system":"http://snomed.info/sct","code":"91302008"}]},)"
      R"("subject":{"reference":"urn:uuid:p1"},"onsetDateTime":"2020-01-02"}},)"
      R"({"resource":{"resourceType":"Observation","id":"gone","status":"entered-in-error"}},)"
      R"({"resource":{"resourceType":"Claim","id":"x"}}]})";
  f.dir.Write("b.json", bundle);
  auto run = f.Ingest({"b.json"});
  EXPECT_EQ(run.counts.records_in, 7);
  EXPECT_EQ(run.counts.stored, 5);
  EXPECT_EQ(run.counts.skipped, 2);
  EXPECT_EQ(run.counts.rejected, 0);
  EXPECT_EQ(f.Query("SELECT subject_id, sex, birth_date::VARCHAR, race, ethnicity FROM subjects"),
            (Rows{{"p1", "female", "1950-03-04", "White", "Not Hispanic or Latino"}}));
  EXPECT_EQ(f.Query("SELECT stay_id, subject_id, kind, type FROM stays"),
            (Rows{{"e1", "p1", "icu", "SNOMED/309904001"}}));
  EXPECT_EQ(f.Query("SELECT code, round(numeric_value, 3), unit, coalesce(stay_id, '-'), source "
                    "FROM events ORDER BY time, code"),
            (Rows{{"VIGIL/ICU_ADMISSION", "", "", "e1", "Encounter/e1"},
                  {"LOINC/8310-5", "37", "Cel", "e1", "Observation/o1"},
                  {"LOINC/8462-4", "80", "mm[Hg]", "-", "Observation/bp"},
                  {"LOINC/8480-6", "120", "mm[Hg]", "-", "Observation/bp"},
                  {"SNOMED/91302008", "", "", "-", "Condition/c1"},
                  {"VIGIL/DEATH", "", "", "-", "Patient/p1"},
                  {"VIGIL/ICU_DISCHARGE", "", "", "e1", "Encounter/e1"}}));
}

TEST(FhirTest, BulkFilesArePatientsFirstAndGzipIsRead) {
  Fixture f;
  f.dir.Write("in/Observation.000.ndjson", Obs("o1", "8867-4", "80", "/min") + "\n\n" +
                                               Obs("o2", "8867-4", "81", "/min") + "\n");
  f.dir.Write("in/Patient.000.ndjson", std::string(kPatient) + "\n");
  const std::string gz = (f.dir.path() / "in/Condition.000.ndjson.gz").string();
  gzFile out = gzopen(gz.c_str(), "wb");
  const std::string line =
      R"({"resourceType":"Condition","id":"c1","code":{"coding":[{"system":)"
      R"("http://hl7.org/fhir/sid/icd-10","code":"A41.9"}]},"subject":{"reference":"Patient/p1"},)"
      R"("recordedDate":"2020-01-02"})"
      "\n";
  gzwrite(out, line.data(), static_cast<unsigned>(line.size()));
  gzclose(out);
  auto run = f.Ingest({"in"});
  EXPECT_EQ(run.files_ingested, 3);
  EXPECT_EQ(run.counts.records_in, 4);  // the blank line is not a record
  EXPECT_EQ(run.counts.stored, 4);
  EXPECT_EQ(f.Query("SELECT count(*) FROM events WHERE code IN ('LOINC/8867-4', 'ICD10/A41.9')"),
            (Rows{{"3"}}));
}

// A code keeps the display of the coding vigil chose, the first one given (in this run or an
// earlier one), cut to 200 bytes at a character boundary; a code first seen without one gets a
// later one.
TEST(FhirTest, CodesKeepTheFirstDisplayOfTheirChosenCoding) {
  Fixture f;
  const auto condition = [](std::string_view id, std::string_view codings) {
    return std::string(R"({"resourceType":"Condition","id":")") + std::string(id) +
           R"(","code":{"coding":[)" + std::string(codings) +
           R"(]},"subject":{"reference":"Patient/p1"},"recordedDate":"2020-01-02"})"
           "\n";
  };
  const std::string icd = R"({"system":"http://hl7.org/fhir/sid/icd-10","code":"A41.9",)"
                          R"("display":"Sepsis, unspecified organism"})";
  const std::string snomed =
      R"j({"system":"http://snomed.info/sct","code":"91302008","display":"Sepsis (disorder)"})j";
  // 199 ASCII bytes, then a 2-byte character across the 200-byte limit.
  const std::string long_name = std::string(199, 'x') + "\xc3\xa9 and more";
  f.dir.Write("a/Patient.ndjson", std::string(kPatient) + "\n");
  f.dir.Write("a/Condition.ndjson",
              condition("c1", icd + "," + snomed) +
                  condition("c2", R"({"system":"http://hl7.org/fhir/sid/icd-10","code":"A41.9",)"
                                  R"("display":"Another name"})") +
                  condition("c3", R"({"system":"http://snomed.info/sct","code":"1"})") +
                  condition("c4", R"({"system":"http://snomed.info/sct","code":"2","display":")" +
                                      long_name + "\"}"));
  f.Ingest({"a"});
  const auto names = [&] {
    return f.Query(
        "SELECT code, coalesce(display, '-'), octet_length(encode(coalesce(display, "
        "''))) FROM codes WHERE code NOT LIKE 'VIGIL/%' ORDER BY code");
  };
  EXPECT_EQ(names(), (Rows{{"ICD10/A41.9", "Sepsis, unspecified organism", "28"},
                           {"SNOMED/1", "-", "0"},
                           {"SNOMED/2", std::string(199, 'x'), "199"}}));
  // A later run: a new name for a named code is not taken; the unnamed code gets its first.
  f.dir.Write("b/Condition.ndjson",
              condition("c5", R"({"system":"http://hl7.org/fhir/sid/icd-10","code":"A41.9",)"
                              R"("display":"Renamed"})") +
                  condition("c6", R"({"system":"http://snomed.info/sct","code":"1",)"
                                  R"("display":"Named at last"})"));
  f.Ingest({"b"});
  EXPECT_EQ(names(), (Rows{{"ICD10/A41.9", "Sepsis, unspecified organism", "28"},
                           {"SNOMED/1", "Named at last", "13"},
                           {"SNOMED/2", std::string(199, 'x'), "199"}}));
}

// One bad record of each kind (issue 3: a test per reject kind): its reason, its location and raw
// text; the good records around it still load.
struct RejectCase {
  std::string name;
  std::string line;
  std::string reason;
};

std::string Ev(std::string_view id, std::string_view body) {
  return std::string(R"({"resourceType":"Observation","id":")") + std::string(id) + "\"," +
         std::string(body) + "}";
}

constexpr std::string_view kLoinc =
    R"("code":{"coding":[{"system":"http://loinc.org","code":"1-1"}]})";
constexpr std::string_view kP1 = R"("subject":{"reference":"Patient/p1"})";
constexpr std::string_view kWhen = R"("effectiveDateTime":"2020-01-01")";

std::string Join(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view p : parts) out += (out.empty() ? "" : ",") + std::string(p);
  return out;
}

class FhirRejectTest : public ::testing::TestWithParam<RejectCase> {};

TEST_P(FhirRejectTest, IsRejectedWithLocationAndReasonAndTheRestLoads) {
  const RejectCase& c = GetParam();
  Fixture f;
  f.dir.Write("Patient.ndjson", std::string(kPatient) + "\n");
  const std::string lines = Obs("before", "8867-4", "70", "/min") + "\n" + c.line + "\n" +
                            Obs("after", "8867-4", "71", "/min") + "\n";
  f.dir.Write("Observation.ndjson", lines);
  auto run = f.Ingest({"Patient.ndjson", "Observation.ndjson"});
  EXPECT_EQ(run.counts.records_in, 4);
  EXPECT_EQ(run.counts.rejected, 1);
  EXPECT_EQ(run.counts.stored, 3);
  EXPECT_EQ(run.counts.skipped, 0);
  auto rejects = f.Rejects(run.run_id);
  ASSERT_EQ(rejects.size(), 1u);
  EXPECT_EQ(rejects[0].reason, c.reason);
  EXPECT_EQ(rejects[0].location, "line 2");
  EXPECT_EQ(rejects[0].raw, c.line);
  EXPECT_NE(rejects[0].file.find("Observation.ndjson"), std::string::npos);
  EXPECT_EQ(f.Query("SELECT count(*) FROM events WHERE source IN ('Observation/before', "
                    "'Observation/after')"),
            (Rows{{"2"}}));
}

INSTANTIATE_TEST_SUITE_P(
    EveryKind, FhirRejectTest,
    ::testing::Values(
        RejectCase{"MalformedJson", R"({"resourceType":"Observation","id":)", "malformed JSON"},
        RejectCase{"FieldOfWrongJsonType", Ev("h", Join({R"("code":"8867-4")", kP1, kWhen})),
                   "malformed JSON"},
        RejectCase{"NoResourceType", R"({"id":"x"})", "not a FHIR resource (no resourceType)"},
        RejectCase{
            "MissingId",
            std::string(R"({"resourceType":"Observation",)") + Join({kLoinc, kP1, kWhen}) + "}",
            "missing id"},
        RejectCase{"MissingSubject", Ev("a", Join({kLoinc, kWhen})), "missing subject"},
        RejectCase{"SubjectIsNotAPatient",
                   Ev("s", Join({kLoinc, R"("subject":{"reference":"Group/herd"})", kWhen})),
                   "subject is not a Patient"},
        RejectCase{"ContainedSubject",
                   Ev("t", Join({kLoinc, R"("subject":{"reference":"#newborn"})", kWhen})),
                   "unsupported subject reference (contained or conditional)"},
        RejectCase{"UnknownPatient",
                   Ev("f", Join({kLoinc, R"("subject":{"reference":"Patient/nobody"})", kWhen})),
                   "reference to no known patient"},
        RejectCase{"MissingCode", Ev("b", Join({kP1, kWhen})), "missing code"},
        RejectCase{"UnknownCodeSystem",
                   Ev("g", Join({R"("code":{"coding":[{"system":"http://acme.org","code":"1"}]})",
                                 kP1, kWhen})),
                   "code from no known code system"},
        RejectCase{"MedicationByReference",
                   std::string(R"({"resourceType":"MedicationRequest","id":"m",)") +
                       Join({R"("medicationReference":{"reference":"Medication/x"})", kP1,
                             R"("authoredOn":"2020-01-01")"}) +
                       "}",
                   "medication given by reference (not resolved)"},
        RejectCase{"MissingTime", Ev("c", Join({kLoinc, kP1})), "missing time"},
        RejectCase{"UnparseableDate",
                   Ev("d", Join({kLoinc, kP1, R"("effectiveDateTime":"2020-02-30")"})),
                   "unparseable date"},
        RejectCase{"UnitNotConvertible", Obs("e", "8310-5", "37", "furlongs"),
                   "unit not convertible to the code's unit"}),
    [](const ::testing::TestParamInfo<RejectCase>& info) { return info.param.name; });

TEST(FhirTest, BundleRejectsNameTheEntryAndAMalformedBundleIsOneReject) {
  Fixture f;
  f.dir.Write("a.json", std::string(R"({"resourceType":"Bundle","entry":[{"resource":)") +
                            std::string(kPatient) +
                            R"(},{"resource":{"resourceType":"Encounter",)"
                            R"("id":"e","subject":{"reference":"Patient/p1"}}}]})");
  f.dir.Write("b.json", R"({"resourceType":"Bundle","entry":[{"resource":{"resourceType")");
  auto run = f.Ingest({"a.json", "b.json"});
  EXPECT_EQ(run.counts.records_in, 3);
  EXPECT_EQ(run.counts.rejected, 2);
  auto rejects = f.Rejects(run.run_id);
  ASSERT_EQ(rejects.size(), 2u);
  EXPECT_EQ(rejects[0].location, "entry 1");
  EXPECT_EQ(rejects[0].reason, "missing time");
  EXPECT_EQ(rejects[1].location, "file");
  EXPECT_EQ(rejects[1].reason, "malformed JSON");
}

TEST(FhirTest, SameVersionStoresNothingNewerVersionReplaces) {
  Fixture f;
  const std::string meta1 = R"(,"meta":{"versionId":"1"})";
  const std::string meta2 = R"(,"meta":{"versionId":"2"})";
  f.dir.Write("Patient.ndjson", std::string(kPatient) + "\n");
  f.dir.Write("v1/Observation.ndjson", Obs("o1", "8867-4", "80", "/min", meta1) + "\n");
  auto first = f.Ingest({"Patient.ndjson", "v1"});
  EXPECT_EQ(first.counts.stored, 2);
  // The same file again: unchanged. The same resource in another file: skipped as unchanged.
  f.dir.Write("copy/Observation.ndjson", Obs("o1", "8867-4", "80", "/min", meta1) + "\n\n");
  auto again = f.Ingest({"v1", "copy"});
  EXPECT_EQ(again.files_unchanged, 1);
  EXPECT_EQ(again.counts.skipped, 1);
  EXPECT_EQ(again.counts.stored, 0);
  // A newer version replaces the older one's events; an older one is skipped.
  f.dir.Write("v2/Observation.ndjson", Obs("o1", "8867-4", "95", "/min", meta2) + "\n");
  auto update = f.Ingest({"v2"});
  EXPECT_EQ(update.counts.stored, 1);
  f.dir.Write("old/Observation.ndjson", Obs("o1", "8867-4", "70", "/min", meta1) + "\n \n");
  auto old = f.Ingest({"old"});
  EXPECT_EQ(old.counts.skipped, 1);
  EXPECT_EQ(f.Query("SELECT count(*), max(numeric_value) FROM events WHERE source = "
                    "'Observation/o1'"),
            (Rows{{"1", "95"}}));
}

// Gzip data that ends early or is damaged: the whole lines before the damage load, and the loss is
// one reject (the cut line, or the damage itself at its byte offset); a damaged .json.gz is one
// reject for the file.
TEST(FhirTest, TruncatedOrCorruptGzipIsRejectedAndTheLinesBeforeLoad) {
  Fixture f;
  f.dir.Write("Patient.ndjson", std::string(kPatient) + "\n");
  std::string lines;
  for (int i = 0; i < 3; ++i) lines += Obs("o" + std::to_string(i), "8867-4", "80", "/min") + "\n";
  const auto gzip = [](const std::string& text) {
    std::string out(compressBound(text.size()) + 64, '\0');
    z_stream z{};
    EXPECT_EQ(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    z.avail_in = static_cast<uInt>(text.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
  };
  const std::string whole = gzip(lines);
  // Without its 8-byte trailer (CRC and size): every line decodes, the end is missing.
  f.dir.Write("a/Observation.ndjson.gz", whole.substr(0, whole.size() - 8));
  // Cut inside the compressed data: the last line read lacks its end.
  const std::string longer = gzip(lines + lines.substr(0, 40) + std::string(4000, 'x'));
  f.dir.Write("b/Observation.ndjson.gz", longer.substr(0, longer.size() - 10));
  f.dir.Write("c/b.json.gz", whole.substr(0, whole.size() - 8));
  auto run = f.Ingest({"Patient.ndjson", "a", "b", "c"});
  EXPECT_EQ(run.counts.rejected, 3);
  const auto rejects = f.Rejects(run.run_id);
  ASSERT_EQ(rejects.size(), 3u);
  for (const store::Reject& r : rejects) EXPECT_TRUE(r.reason.starts_with("corrupt or truncated"));
  EXPECT_TRUE(rejects[0].location.starts_with("byte ")) << rejects[0].location;
  EXPECT_TRUE(rejects[1].location.starts_with("line ")) << rejects[1].location;
  EXPECT_EQ(rejects[2].location, "file");
  // a: 3 observations; b: the same 3 before the cut line, read and skipped as unchanged.
  EXPECT_EQ(run.counts.stored, 1 + 3);
  EXPECT_EQ(run.counts.skipped, 3);
}

// A resource type vigil does not map is skipped and named in the summary only when FHIR R4 defines
// it: anything else in that field may be patient data, and the summary and logs never show it.
TEST(FhirTest, OnlyFhirResourceTypesAreNamedInSkipReasons) {
  Fixture f;
  f.dir.Write("x/Other.ndjson", R"({"resourceType":"Claim","id":"c"})"
                                "\n"
                                R"({"resourceType":"JANE ROE MRN 123","id":"a"})"
                                "\n"
                                R"({"resourceType":"Claimx","id":"b"})"
                                "\n");
  auto run = f.Ingest({"x"});
  EXPECT_EQ(run.counts.skipped, 3);
  auto skips = f.Query("SELECT reason, count FROM ingest_skips ORDER BY reason");
  EXPECT_EQ(skips, (Rows{{"resource type Claim", "1"},
                         {"resource type not in FHIR R4 (not shown)", "2"}}));
}

// A UTF-8 byte order mark at the start of a file is not part of its JSON (docs/ingest.md).
TEST(FhirTest, AByteOrderMarkIsIgnored) {
  Fixture f;
  f.dir.Write("a/Patient.ndjson", "\xEF\xBB\xBF" + std::string(kPatient) + "\r\n");
  f.dir.Write("b/o.json", "\xEF\xBB\xBF" + Obs("o1", "8867-4", "80", "/min"));
  auto run = f.Ingest({"a", "b"});
  EXPECT_EQ(run.counts.rejected, 0);
  EXPECT_EQ(run.counts.stored, 2);
}

// A file that cannot be read (see the PhysioNet test of the same name) is one rejected record.
TEST(FhirTest, AnUnreadableFileIsARejectAndTheRunGoesOn) {
  Fixture f;
  f.dir.Write("a/Patient.ndjson", std::string(kPatient) + "\n");
  std::filesystem::create_symlink("/proc/self/mem", f.dir.path() / "a" / "Observation.ndjson");
  auto run = f.Ingest({"a"});
  EXPECT_EQ(run.counts.stored, 1);
  EXPECT_EQ(run.counts.rejected, 1);
  const auto rejects = f.Rejects(run.run_id);
  ASSERT_EQ(rejects.size(), 1u);
  EXPECT_EQ(rejects[0].location, "file");
  EXPECT_EQ(rejects[0].reason.rfind("cannot read the file (", 0), 0u) << rejects[0].reason;
}

// A bundle sent again with one resource changed: the unchanged Patient is skipped, yet the other
// entries still find it through its fullUrl; the changed Observation replaces its older version.
TEST(FhirTest, BundleSentAgainWithAChangeReplacesOnlyTheChange) {
  Fixture f;
  const auto by_full_url = [](std::string obs) {  // the subject named by the Patient's fullUrl
    const std::string from = "Patient/p1";
    return obs.replace(obs.find(from), from.size(), "urn:uuid:p1");
  };
  const auto bundle = [&](std::string_view value) {
    return std::string(R"({"resourceType":"Bundle","type":"collection","entry":[)") +
           R"({"fullUrl":"urn:uuid:p1","resource":)" + std::string(kPatient) + "}," +
           R"({"fullUrl":"urn:uuid:o1","resource":)" +
           by_full_url(Obs("o1", "8867-4", value, "/min")) + "}," +
           R"({"fullUrl":"urn:uuid:o2","resource":)" +
           by_full_url(Obs("o2", "8310-5", "37", "Cel")) + "}]}";
  };
  f.dir.Write("a.json", bundle("80"));
  auto first = f.Ingest({"a.json"});
  EXPECT_EQ(first.counts.stored, 3);
  f.dir.Write("b.json", bundle("95"));
  auto again = f.Ingest({"b.json"});
  EXPECT_EQ(again.counts.rejected, 0);
  EXPECT_EQ(again.counts.stored, 1);
  EXPECT_EQ(again.counts.skipped, 2);
  EXPECT_EQ(f.Query("SELECT source, numeric_value FROM events WHERE subject_id = 'p1' AND "
                    "source LIKE 'Observation/%' ORDER BY source"),
            (Rows{{"Observation/o1", "95"}, {"Observation/o2", "37"}}));
}

// A newer version of a resource whose value is text replaces its text event (event_text, schema
// version 3), as a numeric one replaces its number.
TEST(FhirTest, NewerVersionReplacesATextValue) {
  Fixture f;
  const auto text_obs = [](std::string_view version, std::string_view text) {
    return std::string(R"({"resourceType":"Observation","id":"t1","meta":{"versionId":")") +
           std::string(version) +
           R"("},"status":"final","code":{"coding":[{"system":"http://loinc.org","code":"883-9"}]},)"
           R"("subject":{"reference":"Patient/p1"},"effectiveDateTime":"2020-01-01T10:00:00Z",)"
           R"("valueString":")" +
           std::string(text) + "\"}\n";
  };
  f.dir.Write("Patient.ndjson", std::string(kPatient) + "\n");
  f.dir.Write("v1/Observation.ndjson", text_obs("1", "A") + Obs("o1", "8867-4", "80", "/min"));
  EXPECT_EQ(f.Ingest({"Patient.ndjson", "v1"}).counts.stored, 3);
  f.dir.Write("v2/Observation.ndjson", text_obs("2", "O"));
  EXPECT_EQ(f.Ingest({"v2"}).counts.stored, 1);
  EXPECT_EQ(f.Query("SELECT source, coalesce(text_value, '-'), coalesce(numeric_value::VARCHAR, "
                    "'-') FROM events WHERE source LIKE 'Observation/%' ORDER BY source"),
            (Rows{{"Observation/o1", "-", "80.0"}, {"Observation/t1", "O", "-"}}));
  EXPECT_EQ(f.Query("SELECT count(*) FROM event_text"), (Rows{{"1"}}));
}

// The reader keeps only hashes of stored observations' ids; their versions come from the store.
TEST(FhirTest, StoredVersionsAreLookedUpForKnownIdsOnly) {
  Fixture f;
  const std::string v1 = R"(,"meta":{"versionId":"1"})";
  const std::string v2 = R"(,"meta":{"versionId":"2"})";
  f.dir.Write("Patient.ndjson", std::string(kPatient) + "\n");
  f.dir.Write("a/Observation.ndjson", Obs("same", "8867-4", "80", "/min", v1) + "\n" +
                                          Obs("newer", "8867-4", "81", "/min", v1) + "\n" +
                                          Obs("nometa", "8867-4", "82", "/min") + "\n");
  auto first = f.Ingest({"Patient.ndjson", "a"});
  EXPECT_EQ(first.counts.stored, 4);
  // Known ids in the same version, a newer version, changed content without meta, a new id, and
  // the new id again in the same file (unchanged), in one file read in parts of one event.
  f.dir.Write("b/Observation.ndjson", Obs("same", "8867-4", "80", "/min", v1) + "\n" +
                                          Obs("newer", "8867-4", "91", "/min", v2) + "\n" +
                                          Obs("nometa", "8867-4", "92", "/min") + "\n" +
                                          Obs("fresh", "8867-4", "93", "/min") + "\n" +
                                          Obs("fresh", "8867-4", "93", "/min") + "\n");
  FhirOptions options;
  options.commit_events = 1;
  auto second = f.Ingest({"b"}, options);
  EXPECT_EQ(second.counts.records_in, 5);
  EXPECT_EQ(second.counts.stored, 3);
  EXPECT_EQ(second.counts.skipped, 2);
  EXPECT_EQ(f.Query("SELECT source, numeric_value FROM events WHERE code = 'LOINC/8867-4' "
                    "ORDER BY source"),
            (Rows{{"Observation/fresh", "93"},
                  {"Observation/newer", "91"},
                  {"Observation/nometa", "92"},
                  {"Observation/same", "80"}}));
  // One sources row per stored resource, holding its version (the Patient's too, which has no
  // events).
  EXPECT_EQ(f.Query("SELECT count(*), count(DISTINCT source), count(version_id) + "
                    "count(last_updated) + count(content_hash) > 0 FROM sources"),
            (Rows{{"5", "5", "true"}}));
}

TEST(FhirTest, AFileInManyPartsIsOneTransactionAndInFileUpdatesReplace) {
  Fixture f;
  std::string lines = std::string(kPatient) + "\n";
  for (int i = 0; i < 20; ++i) {
    lines += Obs("o" + std::to_string(i), "8867-4", std::to_string(60 + i), "/min") + "\n";
  }
  // A second version of o3 later in the same file (no meta: versions by content).
  lines += Obs("o3", "8867-4", "200", "/min") + "\n";
  f.dir.Write("all.ndjson", lines);
  FhirOptions options;
  options.commit_events = 3;  // many parts, written inside one transaction
  auto run = f.Ingest({"all.ndjson"}, options);
  EXPECT_EQ(run.counts.stored, 22);
  EXPECT_FALSE(f.store->in_transaction());
  EXPECT_EQ(f.Query("SELECT count(*) FROM events WHERE code = 'LOINC/8867-4'"), (Rows{{"20"}}));
  EXPECT_EQ(f.Query("SELECT numeric_value FROM events WHERE source = 'Observation/o3'"),
            (Rows{{"200"}}));
  EXPECT_EQ(f.Query("SELECT count(*) FROM ingest_files"), (Rows{{"1"}}));
}

}  // namespace
}  // namespace vigil::ingest
