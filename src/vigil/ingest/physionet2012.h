// PhysioNet/CinC Challenge 2012 ("Predicting mortality of ICU patients"; Silva et al., CinC 2012):
// one text file per ICU stay, `Time,Parameter,Value` lines over the first 48 hours, and an outcomes
// file (`RecordID,SAPS-I,SOFA,Length_of_stay,Survival,In-hospital_death`).
//
// Records (docs/ingest.md): every non-empty line after the header is one record. Descriptor lines
// (RecordID, Age, Gender, Height, ICUType, and the first Weight, all at 00:00) go to subjects /
// stays, or are skipped when -1; every other line becomes exactly one event or one reject with its
// reason (including values outside terminology's physiological range table). Every outcomes line
// is one record too.
//
// The readers are pure functions of a file's bytes (plus, for outcomes, which stays exist), safe to
// call concurrently on different FileOutputs.
#ifndef VIGIL_INGEST_PHYSIONET2012_H_
#define VIGIL_INGEST_PHYSIONET2012_H_

#include <functional>
#include <string>
#include <unordered_set>

#include "vigil/base/status.h"
#include "vigil/ingest/formats.h"
#include "vigil/ingest/session.h"
#include "vigil/store/store.h"

namespace vigil::ingest {

// Parses the record file `out.content` (named `out.path`) into `out.batch`. Never fails: bad input
// becomes rejects; the batch's counts always balance.
void ReadPhysioNet2012(FileOutput& out);

// What the outcomes reader needs to know about the stays.
struct OutcomeStays {
  // True when the stay (RecordID) is in the store or earlier in the run.
  std::function<bool(const std::string& stay_id)> known;
  // Stays whose outcome is already stored (from an earlier outcomes file); the reader adds the
  // stays it stores outcomes for, so a RecordID repeated later is a duplicate.
  std::unordered_set<std::string>* with_outcome = nullptr;
};

// Parses an outcomes file into `out.batch`: per stay, SAPS-I and SOFA as reference scores, a
// VIGIL/HOSPITAL_DISCHARGE event (the stay's end), a VIGIL/DEATH event when the patient died, and
// the stay's disposition ("expired" or "alive"). Times are placed as docs/ingest.md explains.
void ReadPhysioNet2012Outcomes(FileOutput& out, const OutcomeStays& stays);

// `vigil ingest --format physionet2012 DIR... [--outcomes FILE...]`: the record files (*.txt) under
// the inputs, then the outcomes files.
base::Result<store::RunSummary> IngestPhysioNet2012(store::OpeningStore& store,
                                                    const IngestRequest& request);

}  // namespace vigil::ingest

#endif  // VIGIL_INGEST_PHYSIONET2012_H_
