#!/usr/bin/python3
"""Synthetic deterioration: the model's AUROC against the AUROC of the true (latent) risk.

Usage: /usr/bin/python3 evals/synth_deterioration.py PREDICTIONS.csv MODEL_DIR HOSPITAL_DIR

PREDICTIONS.csv is `vigil predict` output for the deterioration-24h task on the store loaded from
HOSPITAL_DIR (a `vigil synth` folder); MODEL_DIR is the model folder. Only rows of patients the model
was NOT trained on are used: training_patients.json holds salted SHA-256 digests of the training
patients' identifiers, recomputed here. The true risk of a row is `risk24_deterioration` of the
last truth hour (HOSPITAL_DIR/truth/hours.csv) of the same patient at or before the prediction
time: what someone who could see the hidden state would predict. Both AUROCs are computed on the
same rows with the same labels (vigil's), with 95 % intervals from 200 bootstrap resamples of
patients, and the ratio model / truth with its own interval (paired resamples).
"""
import hashlib
import json
import os
import sys

import numpy as np
import pandas as pd


def auroc(score, label):
    order = np.argsort(score, kind="mergesort")
    s = score[order]
    y = label[order]
    # Average ranks for ties.
    ranks = np.empty(len(s))
    i = 0
    n = len(s)
    while i < n:
        j = i
        while j + 1 < n and s[j + 1] == s[i]:
            j += 1
        ranks[i:j + 1] = (i + j) / 2.0 + 1
        i = j + 1
    pos = y == 1
    n_pos = pos.sum()
    n_neg = n - n_pos
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    return (ranks[pos].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg)


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        sys.exit(2)
    predictions, model_dir, hospital = sys.argv[1:]
    with open(os.path.join(model_dir, "training_patients.json")) as f:
        trained = json.load(f)
    salt = trained["salt"]
    digests = set(trained["digests"])

    def was_trained(pid):
        text = (salt + "\x1f" + pid).encode()
        return hashlib.sha256(text).hexdigest()[:24] in digests

    p = pd.read_csv(predictions, dtype={"subject_id": str, "stay_id": str})
    p = p[p["label"].notna()].copy()
    trained_mask = p["subject_id"].map(was_trained)
    held = p[~trained_mask].copy()
    held["time"] = pd.to_datetime(held["time"], utc=True)
    truth = pd.read_csv(os.path.join(hospital, "truth", "hours.csv"),
                        usecols=["patient_id", "time", "risk24_deterioration"],
                        dtype={"patient_id": str})
    truth["time"] = pd.to_datetime(truth["time"], utc=True)
    held = held.sort_values("time")
    truth = truth.sort_values("time")
    merged = pd.merge_asof(held, truth, left_on="time", right_on="time",
                           left_by="subject_id", right_by="patient_id", direction="backward")
    missing = merged["risk24_deterioration"].isna().sum()
    merged = merged[merged["risk24_deterioration"].notna()]
    y = merged["label"].to_numpy().astype(int)
    model = merged["probability"].to_numpy()
    true_risk = merged["risk24_deterioration"].to_numpy()
    patients = merged["subject_id"].to_numpy()
    a_model = auroc(model, y)
    a_truth = auroc(true_risk, y)

    rng = np.random.default_rng(20240601)
    ids, inverse = np.unique(patients, return_inverse=True)
    rows_of = [[] for _ in ids]
    for r, k in enumerate(inverse):
        rows_of[k].append(r)
    rows_of = [np.array(r) for r in rows_of]
    boot_m, boot_t, boot_r = [], [], []
    for _ in range(200):
        draw = rng.integers(0, len(ids), len(ids))
        idx = np.concatenate([rows_of[k] for k in draw])
        m = auroc(model[idx], y[idx])
        t = auroc(true_risk[idx], y[idx])
        boot_m.append(m)
        boot_t.append(t)
        boot_r.append(m / t)

    def ci(v):
        return np.nanpercentile(v, 2.5), np.nanpercentile(v, 97.5)

    print(f"rows of held-out patients: {len(merged)} ({len(ids)} patients, "
          f"{y.sum()} positive rows); rows of training patients left out: {int(trained_mask.sum())}; "
          f"rows without a truth hour: {missing}")
    print("AUROC model      %.4f (%.3f-%.3f)" % ((a_model,) + ci(boot_m)))
    print("AUROC true risk  %.4f (%.3f-%.3f)" % ((a_truth,) + ci(boot_t)))
    print("ratio model/true %.4f (%.3f-%.3f)  target >= 0.95" % ((a_model / a_truth,) + ci(boot_r)))


if __name__ == "__main__":
    main()
