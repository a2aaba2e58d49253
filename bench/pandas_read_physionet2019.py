#!/usr/bin/python3
"""Baseline for bench_ingest_physionet.sh: read every PhysioNet 2019 file with pandas and concatenate.

The usual way to load the challenge data in Python: one pandas.read_csv per file, then pandas.concat. Prints
the number of files, rows and non-missing measurement cells, and the seconds taken (reading + concatenation).
Run with Debian's /usr/bin/python3 (python3-pandas).
"""
import os
import sys
import time

import pandas as pd

MEASUREMENT_COLUMNS = 34


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: pandas_read_physionet2019.py DIR", file=sys.stderr)
        return 2
    folder = sys.argv[1]
    start = time.perf_counter()
    frames = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".psv"):
            frame = pd.read_csv(os.path.join(folder, name), sep="|")
            frame["stay_id"] = name[:-4]
            frames.append(frame)
    data = pd.concat(frames, ignore_index=True)
    seconds = time.perf_counter() - start
    values = int(data.iloc[:, :MEASUREMENT_COLUMNS].notna().sum().sum())
    print(f"files {len(frames)} rows {len(data)} values {values} seconds {seconds:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
