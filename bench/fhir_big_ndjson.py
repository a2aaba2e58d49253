#!/usr/bin/python3
"""Writes a large Bulk Data export for the memory check of bench_ingest_fhir.sh:
OUT/Patient.000.ndjson (PATIENTS patients) and OUT/Observation.000.ndjson of about GB gigabytes
(vital-sign observations with distinct ids, one per line).

Usage: fhir_big_ndjson.py OUT GB [PATIENTS]
"""
import os
import sys

out, gigabytes = sys.argv[1], float(sys.argv[2])
patients = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "Patient.000.ndjson"), "w") as f:
    for p in range(patients):
        f.write('{"resourceType":"Patient","id":"big%d","gender":"female","birthDate":"1960-01-01"}\n' % p)
template = ('{"resourceType":"Observation","id":"o%d","meta":{"versionId":"1"},"status":"final",'
            '"category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category",'
            '"code":"vital-signs","display":"vital-signs"}]}],"code":{"coding":[{"system":"http://loinc.org",'
            '"code":"8310-5","display":"Body temperature"}],"text":"Body temperature"},'
            '"subject":{"reference":"Patient/big%d"},"effectiveDateTime":"2020-01-%02dT%02d:%02d:00Z",'
            '"issued":"2020-01-01T00:00:00.000Z","valueQuantity":{"value":%.1f,"unit":"degF",'
            '"system":"http://unitsofmeasure.org","code":"[degF]"}}\n')
target = int(gigabytes * 1e9)
written, i = 0, 0
block = []
with open(os.path.join(out, "Observation.000.ndjson"), "w") as f:
    while written < target:
        line = template % (i, i % patients, 1 + i % 28, i % 24, i % 60, 97 + (i % 40) / 10)
        block.append(line)
        written += len(line)
        i += 1
        if len(block) == 10000:
            f.write("".join(block))
            block = []
    f.write("".join(block))
print(f"observations {i} bytes {written}")
