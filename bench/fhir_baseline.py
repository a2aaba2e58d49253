#!/usr/bin/python3
"""Python baseline for bench_ingest_fhir.sh: flattens FHIR Bundles and Bulk NDJSON into the rows
vigil stores (subjects, stays, events), with the standard json module and pandas.

Usage: fhir_baseline.py PATH...   Prints: files, bytes, rows per table, CPU seconds and (last)
wall seconds, both from after the imports to the DataFrames built (interpreter start excluded).
Same mapping as vigil for the resource types and fields it maps (docs/fhir.md), simplified where
that does not change the row count: no store, no versions, no reject file.
"""
import json
import os
import sys
import time

import pandas as pd

LOINC = "http://loinc.org"
SYSTEMS = {
    "http://loinc.org": "LOINC", "http://snomed.info/sct": "SNOMED",
    "http://hl7.org/fhir/sid/icd-10": "ICD10", "http://hl7.org/fhir/sid/icd-10-cm": "ICD10CM",
    "http://www.nlm.nih.gov/research/umls/rxnorm": "RXNORM", "http://hl7.org/fhir/sid/cvx": "CVX",
}
EVENT_TYPES = {"Observation", "Condition", "Procedure", "MedicationRequest",
               "MedicationAdministration", "MedicationStatement", "Immunization", "DiagnosticReport"}
CONVERT = {("[degF]", "Cel"): lambda v: (v - 32) / 1.8, ("[lb_av]", "kg"): lambda v: v * 0.45359237}
CANONICAL = {"LOINC/8310-5": "Cel", "LOINC/29463-7": "kg", "LOINC/8867-4": "/min"}


def code_of(concept):
    chosen = None
    for c in (concept or {}).get("coding", []):
        vocab = SYSTEMS.get(c.get("system"))
        if vocab and c.get("code") and (chosen is None or c["system"] == LOINC):
            chosen = vocab + "/" + c["code"]
    return chosen


def ref_id(ref, urls):
    ref = (ref or {}).get("reference", "")
    ref = urls.get(ref, ref)
    return ref.split("/_history/")[0].rsplit("/", 1)[-1] if ref else None


def value_row(code, r, t, subject, stay, source, events):
    q = r.get("valueQuantity")
    num, text, unit = None, None, ""
    if q and "value" in q:
        num, unit = q["value"], q.get("code", q.get("unit", ""))
        target = CANONICAL.get(code)
        if target and unit != target:
            num, unit = CONVERT[(unit, target)](num), target
    elif "valueCodeableConcept" in r:
        cc = r["valueCodeableConcept"]
        text = cc.get("text") or (cc.get("coding") or [{}])[0].get("display")
    elif "valueString" in r:
        text = r["valueString"]
    events.append((subject, t, code, num, text, unit, stay, source))


def event_time(r):
    for k in ("effectiveDateTime", "effectiveInstant", "onsetDateTime", "recordedDate",
              "performedDateTime", "authoredOn", "occurrenceDateTime", "issued"):
        if k in r:
            return r[k]
    for k in ("effectivePeriod", "onsetPeriod", "performedPeriod"):
        if k in r:
            return r[k].get("start")
    return None


def resource(r, urls, rows):
    subjects, stays, events = rows
    t = r.get("resourceType")
    if t == "Patient":
        subjects.append((r["id"], r.get("gender"), r.get("birthDate")))
        if "deceasedDateTime" in r:
            events.append((r["id"], r["deceasedDateTime"], "VIGIL/DEATH", None, None, "", None,
                           "Patient/" + r["id"]))
    elif t == "Encounter":
        p = r.get("period", {})
        stays.append((r["id"], ref_id(r.get("subject"), urls), r.get("class", {}).get("code"),
                      p.get("start"), p.get("end")))
    elif t in EVENT_TYPES:
        subject = ref_id(r.get("subject") or r.get("patient"), urls)
        stay = ref_id(r.get("encounter") or r.get("context"), urls)
        concept = r.get("code") or r.get("medicationCodeableConcept") or r.get("vaccineCode")
        code, when, source = code_of(concept), event_time(r), t + "/" + r.get("id", "")
        if not (subject and code and when):
            return
        if t == "Observation":
            for comp in r.get("component", []):
                value_row(code_of(comp.get("code")), comp, when, subject, stay, source, events)
            if not r.get("component") or any(k.startswith("value") for k in r):
                value_row(code, r, when, subject, stay, source, events)
        else:
            events.append((subject, when, code, None, None, "", stay, source))


def main():
    start, cpu_start = time.perf_counter(), time.process_time()
    rows = ([], [], [])
    files, size = 0, 0
    for top in sys.argv[1:]:
        for d, _, names in sorted(os.walk(top)):
            for name in sorted(names, key=lambda n: (0 if n.startswith("Patient") else
                                                     1 if n.startswith("Encounter") else 2, n)):
                path = os.path.join(d, name)
                files += 1
                size += os.path.getsize(path)
                with open(path, "rb") as f:
                    if name.endswith(".ndjson"):
                        for line in f:
                            if line.strip():
                                resource(json.loads(line), {}, rows)
                    else:
                        doc = json.load(f)
                        entries = doc.get("entry", []) if doc.get("resourceType") == "Bundle" else [{"resource": doc}]
                        urls = {e["fullUrl"]: e["resource"]["resourceType"] + "/" + e["resource"].get("id", "")
                                for e in entries if "fullUrl" in e and "resource" in e}
                        for e in entries:
                            if "resource" in e:
                                resource(e["resource"], urls, rows)
    subjects = pd.DataFrame(rows[0], columns=["subject_id", "sex", "birth_date"])
    stays = pd.DataFrame(rows[1], columns=["stay_id", "subject_id", "class", "start", "end"])
    events = pd.DataFrame(rows[2], columns=["subject_id", "time", "code", "numeric_value",
                                            "text_value", "unit", "stay_id", "source"])
    events["time"] = pd.to_datetime(events["time"], utc=True, errors="coerce")
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    print(f"files {files} bytes {size} subjects {len(subjects)} stays {len(stays)} "
          f"events {len(events)} cpu {cpu:.3f} seconds {seconds:.3f}")


if __name__ == "__main__":
    main()
