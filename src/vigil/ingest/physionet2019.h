// PhysioNet/CinC Challenge 2019 ("Early prediction of sepsis from clinical data"; Reyna et al.,
// Crit Care Med 2020): one pipe-separated file per ICU stay (p100001.psv), one row per hour: 34
// measurement columns, Age, Gender, Unit1, Unit2, HospAdmTime, ICULOS, SepsisLabel.
//
// Records (docs/ingest.md): each cell of the 34 measurement columns is one record (an event at
// epoch + ICULOS hours, skipped when NaN, rejected only when malformed: the challenge data are
// stored as they are, out-of-range values included); plus, per file, five stay records taken from
// the first well-formed row: Age, Gender, the unit (Unit1/Unit2), HospAdmTime, and the SepsisLabel
// series (one VIGIL/SEPSIS_ONSET event six hours after the first hour labelled 1).
//
// The reader is a pure function of a file's bytes, safe to call concurrently on different
// FileOutputs.
#ifndef VIGIL_INGEST_PHYSIONET2019_H_
#define VIGIL_INGEST_PHYSIONET2019_H_

#include "vigil/base/status.h"
#include "vigil/ingest/formats.h"
#include "vigil/ingest/session.h"
#include "vigil/store/store.h"

namespace vigil::ingest {

// Parses `out.content` (the file `out.path`; its name without extension is the stay and subject
// id) into `out.batch`. Never fails: bad input becomes rejects; the counts always balance.
void ReadPhysioNet2019(FileOutput& out);

// `vigil ingest --format physionet2019 DIR...`: every *.psv file under the inputs.
base::Result<store::RunSummary> IngestPhysioNet2019(store::OpeningStore& store,
                                                    const IngestRequest& request);

}  // namespace vigil::ingest

#endif  // VIGIL_INGEST_PHYSIONET2019_H_
