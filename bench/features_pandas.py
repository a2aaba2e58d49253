#!/usr/bin/python3
"""The pandas equivalent of vigil's physionet2019-sepsis features (bench/bench_features.sh).

Usage: /usr/bin/python3 features_pandas.py DATA_DIR [VIGIL_CHECK.csv]

Reads every PhysioNet 2019 .psv file of DATA_DIR (not timed: vigil reads a store that was loaded
before, too), then times the feature computation, the way a pandas user writes it: per patient,
forward fill (last value, time since last, missing), rolling 6-hour windows on the vital signs (min,
max, mean, count, least-squares slope), hours since admission, age, sex, and NEWS2 / qSOFA / SIRS
from each input's last value in the past 24 hours. The rows are the files' rows (ICULOS hours).

With VIGIL_CHECK.csv (written by features_bench), compares the columns both compute on the rows
both have and prints how many cells differ: the two must compute the same thing for the speed
ratio to mean anything.
"""
import glob
import os
import sys
import time

import numpy as np
import pandas as pd

VITALS = ["HR", "O2Sat", "Temp", "SBP", "MAP", "DBP", "Resp", "EtCO2"]
LABS = ["BaseExcess", "HCO3", "FiO2", "pH", "PaCO2", "SaO2", "AST", "BUN", "Alkalinephos",
        "Calcium", "Chloride", "Creatinine", "Bilirubin_direct", "Glucose", "Lactate",
        "Magnesium", "Phosphate", "Potassium", "Bilirubin_total", "TroponinI", "Hct", "Hgb",
        "PTT", "WBC", "Fibrinogen", "Platelets"]
WINDOW_HOURS = 6
SCORE_LOOKBACK_HOURS = 24


def load(data_dir):
    frames = []
    for path in sorted(glob.glob(os.path.join(data_dir, "*.psv"))):
        df = pd.read_csv(path, sep="|")
        df["pid"] = os.path.basename(path)[:-4]
        frames.append(df)
    df = pd.concat(frames, ignore_index=True)
    df["FiO2"] = df["FiO2"] * 100  # vigil stores percent (docs/terminology.md)
    return df


def band(values, edges, scores):
    """Scores by closed upper edges: value <= edges[i] -> scores[i], else scores[-1]."""
    out = np.full(values.shape, np.nan)
    known = ~np.isnan(values)
    out[known] = np.asarray(scores)[np.searchsorted(edges, values[known], side="left")]
    return out


def features(df):
    out = {}
    g = df.groupby("pid", sort=False)
    hours = df["ICULOS"].astype(float)
    for col in VITALS + LABS:
        seen = hours.where(df[col].notna())
        last = g[col].ffill()
        out[col + ".last"] = last
        out[col + ".time_since_last"] = hours - seen.groupby(df["pid"], sort=False).ffill()
        out[col + ".missing"] = last.isna().astype(float)
    for col in VITALS:
        y = df[col]
        x = hours.where(y.notna())
        parts = pd.DataFrame({"pid": df["pid"], "y": y, "x": x, "xx": x * x, "xy": x * y,
                              "n": y.notna().astype(float)})
        roll = parts.groupby("pid", sort=False).rolling(WINDOW_HOURS, min_periods=1)
        sums = roll[["y", "x", "xx", "xy", "n"]].sum().reset_index(level=0, drop=True)
        yr = parts.groupby("pid", sort=False)["y"].rolling(WINDOW_HOURS, min_periods=1)
        out[col + ".min.6h"] = yr.min().reset_index(level=0, drop=True)
        out[col + ".max.6h"] = yr.max().reset_index(level=0, drop=True)
        n = sums["n"]
        out[col + ".mean.6h"] = (sums["y"] / n).where(n > 0)
        out[col + ".count.6h"] = n
        denom = n * sums["xx"] - sums["x"] ** 2
        out[col + ".slope.6h"] = ((n * sums["xy"] - sums["x"] * sums["y"]) / denom).where(
            (n >= 2) & (denom > 1e-9))
    out["stay.hours_since_start"] = hours
    out["demographics.age_years"] = df["Age"]
    out["demographics.female"] = (df["Gender"] == 0).astype(float)
    # Hours since the hospital admission: the file's HospAdmTime (hours from hospital to ICU
    # admission, negative) before the ICU hours.
    out["stay.hours_since_hospital_admission"] = (
        hours - df.groupby("pid")["HospAdmTime"].transform("first"))
    recent = {c: g[c].ffill(limit=SCORE_LOOKBACK_HOURS - 1).to_numpy()
              for c in ["Resp", "O2Sat", "SBP", "HR", "Temp", "FiO2", "WBC", "PaCO2"]}
    rr, spo2, sbp, hr, temp = (np.round(recent[c]) if c != "Temp" else np.round(recent[c], 1)
                               for c in ["Resp", "O2Sat", "SBP", "HR", "Temp"])
    oxygen = np.where(np.isnan(recent["FiO2"]), np.nan, (recent["FiO2"] > 21) * 2.0)
    news2_parts = [band(rr, [8, 11, 20, 24], [3, 1, 0, 2, 3]),
                   band(spo2, [91, 93, 95], [3, 2, 1, 0]), oxygen,
                   band(sbp, [90, 100, 110, 219], [3, 2, 1, 0, 3]),
                   band(hr, [40, 50, 90, 110, 130], [3, 1, 0, 1, 2, 3]),
                   band(temp, [35.0, 36.0, 38.0, 39.0], [3, 1, 0, 1, 2])]
    stacked = np.vstack(news2_parts)
    out["score.NEWS2"] = np.where(np.isnan(stacked).all(axis=0), np.nan, np.nansum(stacked, axis=0))
    out["score.NEWS2.missing"] = np.isnan(stacked).sum(axis=0) + 1  # no consciousness in 2019
    qsofa = np.vstack([np.where(np.isnan(recent["Resp"]), np.nan, recent["Resp"] >= 22),
                       np.where(np.isnan(recent["SBP"]), np.nan, recent["SBP"] <= 100)])
    out["score.qSOFA"] = np.where(np.isnan(qsofa).all(axis=0), np.nan, np.nansum(qsofa, axis=0))
    out["score.qSOFA.missing"] = np.isnan(qsofa).sum(axis=0) + 1
    t = recent["Temp"]
    sirs = np.vstack([np.where(np.isnan(t), np.nan, (t > 38) | (t < 36)),
                      np.where(np.isnan(recent["HR"]), np.nan, recent["HR"] > 90),
                      np.where(np.isnan(recent["Resp"]) & np.isnan(recent["PaCO2"]), np.nan,
                               (recent["Resp"] > 20) | (recent["PaCO2"] < 32)),
                      np.where(np.isnan(recent["WBC"]), np.nan,
                               (recent["WBC"] > 12) | (recent["WBC"] < 4))])
    out["score.SIRS"] = np.where(np.isnan(sirs).all(axis=0), np.nan, np.nansum(sirs, axis=0))
    out["score.SIRS.missing"] = np.isnan(sirs).sum(axis=0)
    result = pd.DataFrame({k: np.asarray(v, dtype=np.float32) for k, v in out.items()})
    result.insert(0, "ICULOS", df["ICULOS"].to_numpy())
    result.insert(0, "pid", df["pid"].to_numpy())
    return result


# vigil column -> pandas column
CHECK = {"LOINC/8867-4.last": "HR.last", "LOINC/8867-4.time_since_last": "HR.time_since_last",
         "LOINC/8867-4.missing": "HR.missing", "LOINC/8867-4.min.6h": "HR.min.6h",
         "LOINC/8867-4.max.6h": "HR.max.6h", "LOINC/8867-4.mean.6h": "HR.mean.6h",
         "LOINC/8867-4.count.6h": "HR.count.6h", "LOINC/8867-4.slope.6h": "HR.slope.6h",
         "LOINC/2524-7.last": "Lactate.last",
         "LOINC/2524-7.time_since_last": "Lactate.time_since_last",
         "LOINC/3150-0.last": "FiO2.last", "score.qSOFA": "score.qSOFA"}


def compare(ours, vigil_csv):
    v = pd.read_csv(vigil_csv)
    v["ICULOS"] = ((pd.to_datetime(v["time"]) - pd.Timestamp("2000-01-01", tz="UTC"))
                   / pd.Timedelta(hours=1)).round().astype(int)
    merged = ours.merge(v, left_on=["pid", "ICULOS"], right_on=["subject_id", "ICULOS"],
                        suffixes=("", ".vigil"))
    report = []
    total_bad = 0
    for vcol, pcol in CHECK.items():
        if vcol not in v.columns:
            continue
        a = merged[pcol].to_numpy(dtype=np.float64)
        b = merged[vcol].to_numpy(dtype=np.float64)
        same = (np.isnan(a) & np.isnan(b)) | np.isclose(a, b, rtol=1e-4, atol=1e-3)
        bad = int((~same).sum())
        total_bad += bad
        report.append(f"{pcol}={bad}")
    print(f"pandas check: {len(merged)} rows in both ({len(ours)} pandas, {len(v)} vigil); "
          f"cells differing: {total_bad} ({', '.join(report)})")
    return total_bad


def main():
    data_dir = sys.argv[1]
    start = time.perf_counter()
    df = load(data_dir)
    load_seconds = time.perf_counter() - start
    start = time.perf_counter()
    result = features(df)
    seconds = time.perf_counter() - start
    values = int(df[VITALS + LABS].notna().sum().sum())
    print(f"pandas features: rows={len(result)} columns={result.shape[1] - 2} values={values} "
          f"seconds={seconds:.3f} (load {load_seconds:.1f} s, not counted)")
    if len(sys.argv) > 2:
        sys.exit(1 if compare(result, sys.argv[2]) else 0)


if __name__ == "__main__":
    main()
