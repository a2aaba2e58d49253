#!/usr/bin/python3
"""Outer cross-validation: pools the held-out predictions of N models into one validation.

Usage: /usr/bin/python3 evals/pool_folds.py DIR N [--physionet2019]

DIR holds, for K = 1..N, the model folder fold_K (`vigil train --test-fold K/N`) and its
predictions fold_K.csv (`vigil predict` on the same store). From each fold only the rows of
patients that model was NOT trained on are kept: training_patients.json holds salted SHA-256
digests of its training patients' identifiers, recomputed here. With the split's parts K = 1..N
every patient is held out by exactly one model, so the pooled rows cover every patient once.

Prints, on the pooled rows: AUROC with a 95 % interval (200 bootstrap resamples of patients), and
each fold's own AUROC; sensitivity, PPV and Event 1 = min(Se, PPV) of the `alert` column (each
model's own operating threshold, chosen inside its training folds); the PhysioNet 2012 Event 2
(Hosmer-Lemeshow H as the challenge scored it); with --physionet2019, the challenge's normalized
utility of the alerts (per-row utilities from bench/e2e_python.py, the challenge's own formulas).
evals/cross_validate.sh runs the whole procedure.
"""
import os
import sys

import numpy as np
import pandas as pd

import heldout
from heldout import auroc, interval


def event2(prob, label, deciles=10, epsilon=0.001):
    """PhysioNet 2012 Event 2: H over deciles of risk, divided by the range of decile centroids
    (the challenge's score2.m; src/vigil/evaluate/calibration.cc does the same)."""
    m = len(prob) // deciles
    if m == 0:
        return float("nan")
    order = np.argsort(prob, kind="mergesort")
    h, centroids = 0.0, []
    for d in range(deciles):
        idx = order[d * m:(d + 1) * m]
        c = prob[idx].mean()
        h += (label[idx].sum() - m * c) ** 2 / (m * c * (1 - c) + epsilon)
        centroids.append(c)
    span = centroids[-1] - centroids[0]
    return h / span if span > 0 else float("nan")


def held_out(directory, k):
    rows, _ = heldout.held_out_rows(os.path.join(directory, f"fold_{k}.csv"),
                                    os.path.join(directory, f"fold_{k}"))
    rows["fold"] = k
    return rows


def main():
    args = [a for a in sys.argv[1:] if a != "--physionet2019"]
    utility = "--physionet2019" in sys.argv[1:]
    if len(args) != 2:
        print(__doc__)
        sys.exit(2)
    directory, n = args[0], int(args[1])
    rows = pd.concat([held_out(directory, k) for k in range(1, n + 1)], ignore_index=True)
    rows = rows.sort_values(["subject_id", "time"], kind="mergesort").reset_index(drop=True)
    twice = rows.groupby("subject_id")["fold"].nunique()
    if (twice > 1).any():
        print(f"pool_folds: {int((twice > 1).sum())} patients are held out by more than one model: "
              "the folds do not come from one split")
        sys.exit(1)
    y = rows["label"].to_numpy().astype(int)
    prob = rows["probability"].to_numpy()
    alert = rows["alert"].to_numpy().astype(int)
    patients = rows["subject_id"].to_numpy()
    print(f"pooled held-out rows: {len(rows)} of {rows['subject_id'].nunique()} patients "
          f"({y.sum()} positive) from {n} models")
    for k in range(1, n + 1):
        f = rows[rows["fold"] == k]
        print(f"  fold {k}: {len(f)} rows, {f['subject_id'].nunique()} patients, AUROC "
              f"{auroc(f['probability'].to_numpy(), f['label'].to_numpy().astype(int)):.4f}")

    boot_auc, boot_e1, boot_u = [], [], []
    if utility:
        sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench"))
        import e2e_python  # the challenge's utility, shared with the end-to-end benchmark
        if_alert, if_no, best = e2e_python.row_utilities(patients, y.astype(float))

    def e1(yy, aa):
        tp = int(((aa == 1) & (yy == 1)).sum())
        se = tp / max(1, int(yy.sum()))
        ppv = tp / int(aa.sum()) if aa.sum() > 0 else float("nan")
        return se, ppv, min(se, ppv)

    for idx in heldout.patient_resamples(patients):
        boot_auc.append(auroc(prob[idx], y[idx]))
        boot_e1.append(e1(y[idx], alert[idx])[2])
        if utility:
            boot_u.append(e2e_python.normalized_utility(alert[idx], if_alert[idx], if_no[idx],
                                                        best[idx]))

    se, ppv, event1 = e1(y, alert)
    print("AUROC            %.4f (%.3f-%.3f)" % ((auroc(prob, y),) + interval(boot_auc)))
    print("at each model's threshold: sensitivity %.3f, PPV %.3f, alert rate %.3f"
          % (se, ppv, alert.mean()))
    print("Event 1          %.4f (%.3f-%.3f)" % ((event1,) + interval(boot_e1)))
    print("Event 2 (H)      %.2f" % event2(prob, y))
    if utility:
        u = e2e_python.normalized_utility(alert, if_alert, if_no, best)
        print("normalized utility (PhysioNet 2019) %.4f (%.3f-%.3f)" % ((u,) + interval(boot_u)))


if __name__ == "__main__":
    main()
