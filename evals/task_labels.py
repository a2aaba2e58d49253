#!/usr/bin/python3
"""Label invariants of the PhysioNet tasks, on the real data (docs/tasks.md, "Label checks").

  /usr/bin/python3 evals/task_labels.py [--vigil build/release/vigil] [--data ../shared/data]

Reads PhysioNet 2019 training set B and 2012 set A from ../shared/data (VIGIL_DATA or --data to
change; the script says what it reads and skips, exit 0, when they are absent), ingests them into
temporary stores with `vigil ingest`, builds the built-in tasks with `vigil features`, and checks:
- physionet2019-sepsis: the label of the row at ICULOS k equals SepsisLabel of row k, for every row
  of every file;
- physionet2012-mortality: the label of each stay equals In-hospital_death of Outcomes-a.txt.
Prints the figures; exit 1 when a known label disagrees or a file row has no vigil row.
"""
import argparse
import glob
import os
import subprocess
import sys
import tempfile

import pandas as pd

EPOCH = pd.Timestamp("2000-01-01", tz="UTC")


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode not in (0, 3):  # 3: some records rejected (kept and counted); the work completed
        sys.exit(f"task_labels: {' '.join(cmd[:2])} failed ({r.returncode}):\n{r.stderr}")
    return r.stdout


def features(vigil, store, task, out):
    print(run([vigil, "features", "--store", store, "--task", task, "--out", out]).rstrip())
    return pd.read_csv(out, usecols=["subject_id", "stay_id", "time", "label"],
                       dtype={"subject_id": str, "stay_id": str})


def check_2019(vigil, data, tmp):
    files = sorted(glob.glob(os.path.join(data, "*.psv")))
    print(f"task_labels: PhysioNet 2019: {len(files)} files from {data}")
    store = os.path.join(tmp, "p19.duckdb")
    run([vigil, "ingest", "-q", "--store", store, "--format", "physionet2019", data])
    v = features(vigil, store, "physionet2019-sepsis", os.path.join(tmp, "p19.csv"))
    v["ICULOS"] = ((pd.to_datetime(v["time"]) - EPOCH) / pd.Timedelta(hours=1)).round().astype(int)
    truth = pd.concat(
        pd.read_csv(f, sep="|", usecols=["ICULOS", "SepsisLabel"]).assign(
            subject_id=os.path.basename(f)[:-4]) for f in files)
    m = truth.merge(v, on=["subject_id", "ICULOS"], how="outer", indicator=True)
    both = m[m["_merge"] == "both"]
    only_file = int((m["_merge"] == "left_only").sum())
    only_vigil = m[m["_merge"] == "right_only"]
    first_row = truth.groupby("subject_id")["ICULOS"].min()
    before_first = int((only_vigil["ICULOS"] < only_vigil["subject_id"].map(first_row)).sum())
    differ = int((both["label"] != both["SepsisLabel"]).sum())
    files_exact = int(both.assign(d=both["label"] != both["SepsisLabel"]).groupby("subject_id")["d"]
                      .sum().eq(0).sum())
    print(f"physionet2019-sepsis: {len(truth)} file rows, {len(both)} with a vigil row, "
          f"{only_file} without; labels differing from SepsisLabel: {differ} "
          f"(files reproduced exactly: {files_exact} of {len(files)}); positive rows "
          f"{int(truth['SepsisLabel'].sum())} in the files, {int(both['label'].sum())} in vigil")
    print(f"physionet2019-sepsis: {len(only_vigil)} vigil rows without a file row, "
          f"{before_first} of them at hours before the file's first row (the store keeps no "
          f"trace of the first ICULOS of a file)")
    return differ == 0 and only_file == 0


def check_2012(vigil, data, tmp):
    outcomes = os.path.join(data, "Outcomes-a.txt")
    records = os.path.join(data, "set-a")
    print(f"task_labels: PhysioNet 2012: {records} and {outcomes}")
    store = os.path.join(tmp, "p12.duckdb")
    run([vigil, "ingest", "-q", "--store", store, "--format", "physionet2012", records,
         "--outcomes", outcomes])
    v = features(vigil, store, "physionet2012-mortality", os.path.join(tmp, "p12.csv"))
    truth = pd.read_csv(outcomes, dtype={"RecordID": str})
    m = truth.merge(v, left_on="RecordID", right_on="subject_id", how="left")
    no_row = int(m["time"].isna().sum())
    unknown = int((m["time"].notna() & m["label"].isna()).sum())
    known = m[m["label"].notna()]
    differ = int((known["label"] != known["In-hospital_death"]).sum())
    print(f"physionet2012-mortality: {len(truth)} outcomes, {len(known)} with a known vigil label, "
          f"{unknown} unknown (discharge unknown and a death after it), {no_row} without a row; "
          f"labels differing from In-hospital_death: {differ}; deaths "
          f"{int(truth['In-hospital_death'].sum())} in the file, {int(known['label'].sum())} in vigil")
    return differ == 0 and no_row == 0


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--vigil", default=os.environ.get("VIGIL", os.path.join(root, "build/release/vigil")))
    p.add_argument("--data", default=os.environ.get(
        "VIGIL_DATA", os.path.join(os.path.dirname(root), "shared/data")))
    args = p.parse_args()
    d19 = os.path.join(args.data, "physionet2019/training_setB_dev")
    d12 = os.path.join(args.data, "physionet2012")
    if not os.path.isdir(d19) and not os.path.isdir(d12):
        print(f"task_labels: skipped: no PhysioNet data under {args.data}")
        return 0
    if not os.access(args.vigil, os.X_OK):
        sys.exit(f"task_labels: no vigil binary at {args.vigil} (make build, or --vigil)")
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        if os.path.isdir(d19):
            ok &= check_2019(args.vigil, d19, tmp)
        if os.path.isdir(d12):
            ok &= check_2012(args.vigil, d12, tmp)
    print("task_labels: " + ("all labels agree" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
