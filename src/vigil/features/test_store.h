// Test helper (header only, for *_test.cc): a small random hospital written into a store, with
// the stays and codes every built-in task reads: PhysioNet-2019-like and 2012-like ICU stays, and
// adult ward (inpatient) admissions with vital signs, ACVPU, oxygen, laboratory values, ICU
// transfers, cardiac arrests, deaths and readmissions. Deterministic for a seed.
#ifndef VIGIL_FEATURES_TEST_STORE_H_
#define VIGIL_FEATURES_TEST_STORE_H_

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "vigil/store/store.h"

namespace vigil::features::test_store {

inline const base::Instant kEpoch = base::MakeInstant(2000, 1, 1);

class HospitalBuilder {
 public:
  explicit HospitalBuilder(uint32_t seed) : rng_(seed) {}

  store::Batch Build(int subjects) {
    for (int i = 0; i < subjects; ++i) {
      const std::string id = "s" + std::to_string(1000 + i);
      const int kind = i % 3;
      store::Subject s{id,
                       kind == 2   ? "fhir"
                       : kind == 0 ? "physionet2019"
                                   : "physionet2012",
                       Pick(2) ? "female" : "male",
                       std::nullopt,
                       std::nullopt,
                       std::nullopt};
      if (kind == 2) s.birth_date = -365 * static_cast<int32_t>(Uniform(0, 60));  // 1910..1970
      b_.subjects.push_back(s);
      if (kind == 0) Sepsis(id);
      if (kind == 1) Mortality(id);
      if (kind == 2) Hospital(id);
    }
    return std::move(b_);
  }

 private:
  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Pick(int one_in) { return Uniform(1, one_in) == 1; }
  double Around(double centre, double spread) {
    return std::round(std::normal_distribution<double>(centre, spread)(rng_) * 10) / 10;
  }

  store::Stay& AddStay(const std::string& subject, const std::string& id, const std::string& kind,
                       const std::string& source, base::Instant start, base::Instant end) {
    store::Stay y;
    y.stay_id = id;
    y.subject_id = subject;
    y.kind = kind;
    y.source = source;
    y.start = start;
    y.end = end;
    b_.stays.push_back(y);
    return b_.stays.back();
  }

  void Num(const std::string& subject, const std::string& stay, base::Instant t,
           const std::string& code, double v) {
    store::Event e;
    e.subject_id = subject;
    e.time = t;
    e.code = code;
    e.numeric_value = v;
    e.unit = "u";
    e.stay_id = stay;
    e.source = stay;
    b_.events.Add(e);
  }
  void Occurs(const std::string& subject, const std::string& stay, base::Instant t,
              const std::string& code, std::optional<std::string> text = std::nullopt) {
    store::Event e;
    e.subject_id = subject;
    e.time = t;
    e.code = code;
    e.text_value = std::move(text);
    e.stay_id = stay;
    e.source = stay;
    b_.events.Add(e);
  }

  void Vitals(const std::string& subject, const std::string& stay, base::Instant t, double sick) {
    Num(subject, stay, t, "LOINC/8867-4", Around(80 + 30 * sick, 10));
    if (!Pick(4)) Num(subject, stay, t, "LOINC/9279-1", Around(16 + 8 * sick, 3));
    if (!Pick(4)) Num(subject, stay, t, "LOINC/59408-5", Around(97 - 5 * sick, 1.5));
    if (!Pick(3)) Num(subject, stay, t, "LOINC/8310-5", Around(37 + sick, 0.5));
    if (!Pick(4)) Num(subject, stay, t, "LOINC/8480-6", Around(125 - 25 * sick, 15));
    if (!Pick(3)) Num(subject, stay, t, "LOINC/8462-4", Around(70, 10));
    if (!Pick(3)) Num(subject, stay, t, "LOINC/8478-0", Around(85, 10));
  }
  void Labs(const std::string& subject, const std::string& stay, base::Instant t, double sick) {
    Num(subject, stay, t, "LOINC/6690-2", Around(9 + 6 * sick, 3));
    if (!Pick(2)) Num(subject, stay, t, "LOINC/2524-7", Around(1.5 + 2 * sick, 0.5));
    if (!Pick(2)) Num(subject, stay, t, "LOINC/777-3", Around(220, 60));
    if (!Pick(2)) Num(subject, stay, t, "LOINC/2160-0", Around(1 + sick, 0.3));
    if (!Pick(3)) Num(subject, stay, t, "LOINC/2019-8", Around(40, 5));
  }

  // Hourly rows at epoch + k h, k = 1..n; sepsis onset (for some) after a few hours.
  void Sepsis(const std::string& id) {
    const int n = Uniform(4, 40);
    AddStay(id, id, "icu", "physionet2019", kEpoch, kEpoch + base::Hours(n)).age_years =
        Uniform(20, 90);
    const int onset = Pick(3) ? Uniform(7, n + 8) : -1;
    for (int k = 1; k <= n; ++k) {
      const double sick = onset > 0 && k + 8 > onset ? 1.0 : 0.0;
      if (!Pick(8)) Vitals(id, id, kEpoch + base::Hours(k), sick);
      if (Pick(6)) Labs(id, id, kEpoch + base::Hours(k), sick);
      if (Pick(5)) Num(id, id, kEpoch + base::Hours(k), "LOINC/3150-0", Uniform(21, 60));
    }
    if (onset > 0) Occurs(id, id, kEpoch + base::Hours(onset), "VIGIL/SEPSIS_ONSET");
  }

  // 48 hours of measurements at irregular minutes, a stay of 2-20 days, death for some.
  void Mortality(const std::string& id) {
    const int days = Uniform(2, 20);
    store::Stay& y = AddStay(id, id, "icu", "physionet2012", kEpoch, kEpoch + base::Days(days));
    y.age_years = Uniform(18, 90);
    y.height_cm = Pick(3) ? std::optional<double>() : Around(170, 10);
    y.weight_kg = Around(80, 15);
    const bool dies = Pick(4);
    for (int m = Uniform(0, 30); m <= 48 * 60; m += Uniform(20, 90)) {
      const base::Instant t = kEpoch + base::Minutes(m);
      Vitals(id, id, t, dies ? 0.7 : 0.1);
      if (Pick(8)) Labs(id, id, t, dies ? 0.7 : 0.1);
      if (Pick(10)) Num(id, id, t, "LOINC/9269-2", Uniform(3, 15));
    }
    if (dies) {
      Occurs(id, "", kEpoch + base::Hours(Uniform(48, 24 * days)), "VIGIL/DEATH");
    } else if (Pick(3)) {
      Occurs(id, "", kEpoch + base::Days(days) + base::Hours(Uniform(1, 500)), "VIGIL/DEATH");
    }
  }

  // Ward admissions with vital signs every few hours, sometimes an ICU transfer, arrest or death;
  // some patients come back within 30 days.
  void Hospital(const std::string& id) {
    base::Instant t = kEpoch + base::Days(Uniform(0, 300)) + base::Minutes(Uniform(0, 1439));
    const int admissions = Uniform(1, 3);
    for (int a = 0; a < admissions; ++a) {
      const std::string stay = id + "-a" + std::to_string(a);
      const int hours = Uniform(10, 200);
      const base::Instant end = t + base::Hours(hours);
      AddStay(id, stay, "inpatient", "fhir", t, end);
      const int outcome = Pick(3) ? Uniform(3, hours) : -1;
      // A chronic condition recorded at the first admission (read by look-back `all`), a
      // diagnosis of the stay (look-back `stay`), antibiotic doses (the task's look-back).
      if (a == 0 && Pick(3)) Occurs(id, "", t, "SNOMED/84114007");
      if (Pick(2)) Occurs(id, stay, t + base::Minutes(Uniform(10, 600)), "SNOMED/233604007");
      for (int d = 0; Pick(2) && d < hours; d += Uniform(6, 30)) {
        Num(id, stay, t + base::Hours(d), "RXNORM/2193", 2);
      }
      for (int h = Uniform(0, 2); h <= hours; h += Uniform(2, 8)) {
        const base::Instant v = t + base::Hours(h) + base::Minutes(Uniform(0, 59));
        if (v > end) break;
        const double sick = outcome > 0 && h + 24 > outcome ? 1.0 : 0.0;
        Vitals(id, stay, v, sick);
        if (!Pick(3)) Occurs(id, stay, v, "LOINC/67775-7", sick > 0 && Pick(2) ? "V" : "A");
        if (Pick(4)) Num(id, stay, v, "LOINC/3151-8", Uniform(0, 6));
        if (Pick(8)) Labs(id, stay, v, sick);
      }
      if (outcome > 0) {
        const base::Instant o = t + base::Hours(outcome);
        const int what = Uniform(0, 2);
        if (what == 0) {
          const std::string icu = stay + "-icu";
          AddStay(id, icu, "icu", "fhir", o, o + base::Hours(Uniform(12, 96)));
          Occurs(id, icu, o, "VIGIL/ICU_ADMISSION");
        } else if (what == 1) {
          Occurs(id, stay, o, "SNOMED/410429000");
        } else {
          Occurs(id, stay, end, "VIGIL/DEATH");
          return;
        }
      }
      t = end + base::Days(Uniform(1, 60)) + base::Minutes(Uniform(0, 1439));
    }
  }

  std::mt19937 rng_;
  store::Batch b_;
};

}  // namespace vigil::features::test_store

#endif  // VIGIL_FEATURES_TEST_STORE_H_
