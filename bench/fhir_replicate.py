#!/usr/bin/python3
"""Builds a larger FHIR input for the benchmark from the shared data, with new ids per copy.

Usage: fhir_replicate.py SRC_FHIR_DIR OUT_DIR SYNTHEA_COPIES BULK_COPIES

Copy k of a file has every UUID's first 8 hex digits replaced by k (in hex), consistently across
all files of that copy, so copies are distinct patients with their own resources. Synthea bundles
are written one file per copy (OUT/synthea/); the bulk export's NDJSON files are concatenated per
resource type (OUT/bulk/Type.000.ndjson), keeping the Bulk Data layout with larger files.
"""
import os
import re
import sys

UUID = re.compile(rb"[0-9a-f]{8}(-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})")


def renumber(text, k):
    prefix = b"%08x" % k
    return UUID.sub(lambda m: prefix + m.group(1), text)


def main():
    src, out, synthea_copies, bulk_copies = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    os.makedirs(os.path.join(out, "synthea"), exist_ok=True)
    os.makedirs(os.path.join(out, "bulk"), exist_ok=True)
    synthea = os.path.join(src, "synthea")
    for name in sorted(os.listdir(synthea)):
        data = open(os.path.join(synthea, name), "rb").read()
        for k in range(synthea_copies):
            with open(os.path.join(out, "synthea", "%04d_%s" % (k, name)), "wb") as f:
                f.write(renumber(data, k))
    bulk = os.path.join(src, "bulk-10-patients")
    for name in sorted(os.listdir(bulk)):
        if name == "log.ndjson":
            continue  # the export's log, not resources
        data = open(os.path.join(bulk, name), "rb").read()
        with open(os.path.join(out, "bulk", name), "wb") as f:
            for k in range(bulk_copies):
                f.write(renumber(data, k))
                if not data.endswith(b"\n"):
                    f.write(b"\n")


if __name__ == "__main__":
    main()
