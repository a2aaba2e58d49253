#!/usr/bin/python3
"""Baseline for bench_ingest_physionet.sh: read every PhysioNet 2012 record file with pandas and concatenate.

One pandas.read_csv per file (long format Time,Parameter,Value), a RecordID column, then pandas.concat.
Prints the number of files, lines and the seconds taken. Run with Debian's /usr/bin/python3 (python3-pandas).
"""
import os
import sys
import time

import pandas as pd


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: pandas_read_physionet2012.py DIR", file=sys.stderr)
        return 2
    folder = sys.argv[1]
    start = time.perf_counter()
    frames = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".txt"):
            frame = pd.read_csv(os.path.join(folder, name))
            frame["RecordID"] = name[:-4]
            frames.append(frame)
    data = pd.concat(frames, ignore_index=True)
    seconds = time.perf_counter() - start
    print(f"files {len(frames)} rows {len(data)} values {len(data)} seconds {seconds:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
