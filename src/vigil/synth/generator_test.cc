#include "vigil/synth/generator.h"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "vigil/base/file.h"
#include "vigil/base/text.h"
#include "vigil/base/time.h"
#include "vigil/testing/temp_dir.h"

namespace vigil::synth {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

SynthOptions Options(const fs::path& out, int64_t patients, uint64_t seed) {
  SynthOptions o;
  o.out = out;
  o.patients = patients;
  o.cohort.seed = seed;
  o.cohort.start_day = kDefaultStartDay;
  o.cohort.days = 60;
  return o;
}

SynthSummary MustGenerate(const SynthOptions& o) {
  auto s = Generate(o, {});
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? *s : SynthSummary{};
}

std::string Read(const fs::path& p) {
  auto r = base::ReadFile(p);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : std::string();
}

std::vector<json> Lines(const fs::path& p) {
  std::vector<json> out;
  const std::string text = Read(p);
  for (std::string_view line : base::Split(text, '\n')) {
    if (line.empty()) continue;
    out.push_back(json::parse(line));  // throws, failing the test, on invalid JSON
  }
  return out;
}

TEST(GeneratorTest, SameSeedGivesByteIdenticalFilesWithAnyThreadsOrBatches) {
  testing::TempDir a, b, c;
  SynthOptions oa = Options(a.path(), 40, 7);
  oa.threads = 1;
  oa.batch_patients = 128;
  SynthOptions ob = Options(b.path(), 40, 7);
  ob.threads = 3;
  ob.batch_patients = 3;
  SynthOptions oc = Options(c.path(), 40, 8);
  MustGenerate(oa);
  MustGenerate(ob);
  MustGenerate(oc);
  bool seed_matters = false;
  for (int f = 0; f < kOutFileCount; ++f) {
    const auto name = OutFileName(static_cast<OutFile>(f));
    const std::string x = Read(a.path() / name);
    EXPECT_FALSE(x.empty()) << name;
    EXPECT_EQ(x, Read(b.path() / name)) << name;
    seed_matters = seed_matters || x != Read(c.path() / name);
  }
  EXPECT_TRUE(seed_matters);
}

TEST(GeneratorTest, FhirFilesDoNotDependOnWhetherTruthIsWritten) {
  testing::TempDir with, without;
  MustGenerate(Options(with.path(), 30, 3));
  SynthOptions o = Options(without.path(), 30, 3);
  o.cohort.truth = false;
  MustGenerate(o);
  for (int f = 0; f < kFhirFileCount; ++f) {
    const auto name = OutFileName(static_cast<OutFile>(f));
    EXPECT_EQ(Read(with.path() / name), Read(without.path() / name)) << name;
  }
  EXPECT_FALSE(fs::exists(without.path() / "truth" / "hours.csv"));
  EXPECT_TRUE(fs::exists(with.path() / "truth" / "hours.csv"));
}

// Every key used anywhere in a FHIR resource, with its path, for the leak check.
void CollectKeys(const json& j, std::set<std::string>& keys) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      keys.insert(k);
      CollectKeys(v, keys);
    }
  } else if (j.is_array()) {
    for (const auto& v : j) CollectKeys(v, keys);
  }
}

TEST(GeneratorTest, TruthNeverAppearsInTheFhirFiles) {
  testing::TempDir d;
  MustGenerate(Options(d.path(), 25, 11));
  // FHIR R4 element names the writer may use; anything else would be a leak.
  const std::set<std::string> allowed = {"resourceType",
                                         "id",
                                         "meta",
                                         "profile",
                                         "extension",
                                         "url",
                                         "valueCoding",
                                         "valueString",
                                         "valueCode",
                                         "system",
                                         "code",
                                         "display",
                                         "identifier",
                                         "value",
                                         "name",
                                         "use",
                                         "text",
                                         "gender",
                                         "birthDate",
                                         "deceasedDateTime",
                                         "status",
                                         "class",
                                         "type",
                                         "priority",
                                         "coding",
                                         "subject",
                                         "reference",
                                         "period",
                                         "start",
                                         "end",
                                         "reasonCode",
                                         "hospitalization",
                                         "admitSource",
                                         "dischargeDisposition",
                                         "partOf",
                                         "category",
                                         "encounter",
                                         "effectiveDateTime",
                                         "issued",
                                         "valueQuantity",
                                         "unit",
                                         "component",
                                         "clinicalStatus",
                                         "verificationStatus",
                                         "onsetDateTime",
                                         "recordedDate",
                                         "medicationCodeableConcept",
                                         "context",
                                         "effectivePeriod",
                                         "dosage",
                                         "route",
                                         "dose",
                                         "rateQuantity"};
  const std::string truth_header(OutFileHeader(OutFile::kTruthHours));
  for (int f = 0; f < kFhirFileCount; ++f) {
    const auto name = OutFileName(static_cast<OutFile>(f));
    const std::string text = Read(d.path() / name);
    for (const char* word : {"severity", "hazard", "risk24", "latent", "truth", "frailty",
                             "ceiling", "spo2_bias", "sepsis_onset", "true_sao2"}) {
      EXPECT_EQ(text.find(word), std::string::npos) << word << " in " << name;
    }
    std::set<std::string> keys;
    for (const json& r : Lines(d.path() / name)) CollectKeys(r, keys);
    for (const auto& k : keys)
      EXPECT_TRUE(allowed.count(k)) << "unexpected key " << k << " in " << name;
  }
}

TEST(GeneratorTest, EveryFhirLineIsAResourceWithItsRequiredFields) {
  testing::TempDir d;
  const SynthSummary s = MustGenerate(Options(d.path(), 30, 5));
  std::set<std::string> patients, encounters, icu, ids;
  for (const json& p : Lines(d.path() / "Patient.ndjson")) {
    ASSERT_EQ(p["resourceType"], "Patient");
    EXPECT_TRUE(ids.insert("Patient/" + p["id"].get<std::string>()).second);
    patients.insert(p["id"]);
    EXPECT_TRUE(p["gender"] == "female" || p["gender"] == "male");
    EXPECT_TRUE(base::ParseIso8601(p["birthDate"].get<std::string>()).ok());
    EXPECT_EQ(p["extension"].size(), 3u);
    EXPECT_EQ(p["extension"][0]["url"],
              "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race");
  }
  EXPECT_EQ(static_cast<int64_t>(patients.size()), s.tally.patients);
  const auto subject_ok = [&](const json& r) {
    const std::string ref = r["subject"]["reference"];
    return ref.rfind("Patient/", 0) == 0 && patients.count(ref.substr(8)) == 1;
  };
  std::vector<json> all_encounters = Lines(d.path() / "Encounter.ndjson");
  for (const json& e : all_encounters) encounters.insert(e["id"]);
  for (const json& e : all_encounters) {
    ASSERT_EQ(e["resourceType"], "Encounter");
    EXPECT_TRUE(ids.insert("Encounter/" + e["id"].get<std::string>()).second);
    EXPECT_TRUE(subject_ok(e));
    EXPECT_EQ(e["status"], "finished");
    EXPECT_EQ(e["class"]["code"], "IMP");
    const std::string start = e["period"]["start"], end = e["period"]["end"];
    EXPECT_LE(start, end);  // same fixed format: text order is time order
    if (e["type"][0]["coding"][0]["code"] == kSnomedIcu) {
      icu.insert(e["id"]);
      const std::string parent = e["partOf"]["reference"];
      EXPECT_EQ(encounters.count(parent.substr(10)), 1u) << parent;
    } else {
      EXPECT_TRUE(e["priority"]["coding"][0]["code"] == "EM" ||
                  e["priority"]["coding"][0]["code"] == "EL");
      EXPECT_FALSE(e["hospitalization"]["dischargeDisposition"]["coding"][0]["code"]
                       .get<std::string>()
                       .empty());
    }
  }
  EXPECT_EQ(static_cast<int64_t>(icu.size()), s.tally.icu_stays);
  const auto encounter_ok = [&](const json& ref) {
    const std::string r = ref["reference"];
    return r.rfind("Encounter/", 0) == 0 && encounters.count(r.substr(10)) == 1;
  };
  int64_t late = 0, observations = 0;
  for (const json& o : Lines(d.path() / "Observation.ndjson")) {
    ASSERT_EQ(o["resourceType"], "Observation");
    ++observations;
    EXPECT_TRUE(ids.insert("Observation/" + o["id"].get<std::string>()).second);
    EXPECT_EQ(o["status"], "final");
    EXPECT_EQ(o["code"]["coding"][0]["system"], "http://loinc.org");
    EXPECT_TRUE(subject_ok(o));
    EXPECT_TRUE(encounter_ok(o["encounter"]));
    const std::string eff = o["effectiveDateTime"], issued = o["issued"];
    EXPECT_LE(eff, issued);
    const auto te = base::ParseIso8601(eff), ti = base::ParseIso8601(issued);
    ASSERT_TRUE(te.ok() && ti.ok());
    if (ti->instant - te->instant > std::chrono::hours(1)) ++late;
    if (o.contains("valueQuantity")) {
      const json& q = o["valueQuantity"];
      EXPECT_TRUE(q["value"].is_number());
      EXPECT_EQ(q["system"], "http://unitsofmeasure.org");
      EXPECT_EQ(q["unit"], q["code"]);
    } else if (o.contains("component")) {
      EXPECT_EQ(o["code"]["coding"][0]["code"], "85354-9");
      EXPECT_EQ(o["component"][0]["code"]["coding"][0]["code"], "8480-6");
      EXPECT_EQ(o["component"][1]["code"]["coding"][0]["code"], "8462-4");
      EXPECT_EQ(o["component"][0]["valueQuantity"]["code"], "mm[Hg]");
    } else {
      EXPECT_EQ(o["code"]["coding"][0]["code"], "67775-7");
      const std::string v = o["valueString"];
      EXPECT_NE(std::string("ACVPU").find(v), std::string::npos) << v;
    }
  }
  EXPECT_EQ(observations, s.tally.records[static_cast<int>(OutFile::kObservation)]);
  EXPECT_GT(late, 0);  // some documentation is late
  for (const json& c : Lines(d.path() / "Condition.ndjson")) {
    ASSERT_EQ(c["resourceType"], "Condition");
    EXPECT_TRUE(ids.insert("Condition/" + c["id"].get<std::string>()).second);
    EXPECT_TRUE(subject_ok(c));
    EXPECT_FALSE(c["code"]["coding"][0]["code"].get<std::string>().empty());
    if (c.contains("encounter")) {
      EXPECT_TRUE(encounter_ok(c["encounter"]));
    }
  }
  for (const json& m : Lines(d.path() / "MedicationAdministration.ndjson")) {
    ASSERT_EQ(m["resourceType"], "MedicationAdministration");
    EXPECT_TRUE(ids.insert("MedicationAdministration/" + m["id"].get<std::string>()).second);
    EXPECT_EQ(m["status"], "completed");
    EXPECT_TRUE(subject_ok(m));
    EXPECT_TRUE(encounter_ok(m["context"]));
    EXPECT_TRUE(m.contains("effectiveDateTime") || m.contains("effectivePeriod"));
    EXPECT_EQ(m["medicationCodeableConcept"]["coding"][0]["system"],
              "http://www.nlm.nih.gov/research/umls/rxnorm");
  }
}

TEST(GeneratorTest, MemoryIsBoundedByBatchesNotPatients) {
  testing::TempDir d;
  SynthOptions o = Options(d.path(), 120, 2);
  o.threads = 2;
  o.batch_patients = 2;  // 60 batches
  const SynthSummary s = MustGenerate(o);
  EXPECT_EQ(s.tally.patients, 120);
  EXPECT_GE(s.max_batches_in_memory, 1);
  EXPECT_LE(s.max_batches_in_memory, 2 * 2 + 1);
}

TEST(GeneratorTest, RejectsBadOptionsAndLeavesNoPartialFiles) {
  testing::TempDir d;
  SynthOptions o = Options(d.path(), 0, 1);
  EXPECT_EQ(Generate(o, {}).status().code(), base::StatusCode::kInvalidArgument);
  o.patients = 5;
  o.cohort.days = 0;
  EXPECT_EQ(Generate(o, {}).status().code(), base::StatusCode::kInvalidArgument);
  // Dates that would not be four-digit years (a birth date in year 0, a stay in 10000).
  o.cohort.days = 36'526;
  EXPECT_EQ(Generate(o, {}).status().code(), base::StatusCode::kInvalidArgument);
  o.cohort.days = 10;
  o.cohort.start_day = -719'162;  // 0001-01-01
  EXPECT_EQ(Generate(o, {}).status().code(), base::StatusCode::kInvalidArgument);
  o.cohort.start_day = 2'932'890;  // 9999-12-25
  EXPECT_EQ(Generate(o, {}).status().code(), base::StatusCode::kInvalidArgument);
  o.cohort.start_day = kDefaultStartDay;
  MustGenerate(o);
  for (const auto& entry : fs::recursive_directory_iterator(d.path())) {
    EXPECT_EQ(entry.path().filename().string().find(".partial"), std::string::npos);
  }
}

}  // namespace
}  // namespace vigil::synth
