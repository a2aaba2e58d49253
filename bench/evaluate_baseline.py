#!/usr/bin/python3
"""Baseline for bench_evaluate.sh: the numpy equivalent of vigil's patient bootstrap.

Same cohort shape as evaluate_bench.cc (hourly rows, about 7 % septic patients), generated here with
numpy. Each replicate draws patients with replacement, gathers their rows, and computes what vigil
computes per replicate: AUROC (ties one half), average precision, Brier score, sensitivity, specificity,
PPV, NPV, and the calibration intercept and slope (logistic fits by Newton-Raphson).

    evaluate_baseline.py PATIENTS HOURS REPLICATES
"""
import sys
import time

import numpy as np


def cohort(patients, hours, rng):
    frailty = rng.uniform(size=patients)
    septic = rng.uniform(size=patients) < 0.07
    onset = np.where(septic, (rng.uniform(size=patients) * hours).astype(int), hours)
    h = np.tile(np.arange(hours), patients)
    label = (np.repeat(septic, hours) & (h >= np.repeat(onset, hours) - 6)).astype(np.int8)
    z = -4 + 2 * np.repeat(frailty, hours) + 1.5 * label + (rng.uniform(size=patients * hours) - 0.5)
    return 1 / (1 + np.exp(-z)), label


def auroc_ap(p, y):
    order = np.argsort(-p, kind="stable")
    ps, ys = p[order], y[order]
    ends = np.r_[np.nonzero(np.diff(ps))[0] + 1, len(ps)]
    cpos = np.cumsum(ys)[ends - 1]
    ccalled = ends
    gpos = np.diff(np.r_[0, cpos])
    gneg = np.diff(np.r_[0, ccalled - cpos])
    P, N = cpos[-1], len(ys) - cpos[-1]
    pos_above = cpos - gpos
    auroc = np.sum(gneg * (pos_above + 0.5 * gpos)) / (P * N)
    ap = np.sum((gpos / P) * (cpos / ccalled))
    return auroc, ap


def fit(logit, y, slope):
    a, b = 0.0, 1.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-(a + b * logit)))
        r, v = y - p, p * (1 - p)
        if slope:
            h = np.array([[v.sum(), (v * logit).sum()], [(v * logit).sum(), (v * logit * logit).sum()]])
            g = np.array([r.sum(), (r * logit).sum()])
            da, db = np.linalg.solve(h, g)
        else:
            da, db = r.sum() / v.sum(), 0.0
        a, b = a + da, b + db
        if abs(da) < 1e-9 and abs(db) < 1e-9:
            break
    return a, b


def replicate(p, y, threshold):
    auroc, ap = auroc_ap(p, y)
    brier = np.mean((p - y) ** 2)
    alert = p >= threshold
    tp = np.sum(alert & (y == 1)); fp = np.sum(alert & (y == 0))
    fn = np.sum(~alert & (y == 1)); tn = np.sum(~alert & (y == 0))
    logit = np.log(np.clip(p, 1e-12, 1 - 1e-12) / (1 - np.clip(p, 1e-12, 1 - 1e-12)))
    intercept = fit(logit, y, False)[0]
    slope = fit(logit, y, True)[1]
    return auroc, ap, brier, tp / (tp + fn), tn / (tn + fp), tp / (tp + fp), tn / (tn + fn), intercept, slope


def main():
    patients, hours, replicates = (int(a) for a in sys.argv[1:4])
    rng = np.random.default_rng(2019)
    p, y = cohort(patients, hours, rng)
    start = time.perf_counter()
    point = replicate(p, y, 0.1)
    rows = np.arange(patients * hours).reshape(patients, hours)
    values = []
    for _ in range(replicates):
        drawn = rng.integers(0, patients, size=patients)
        idx = rows[drawn].ravel()
        values.append(replicate(p[idx], y[idx], 0.1))
    np.percentile(np.array(values), [2.5, 97.5], axis=0)
    seconds = time.perf_counter() - start
    print(f"numpy rows={patients * hours} replicates={replicates} seconds={seconds:.3f} auroc={point[0]:.4f}")


if __name__ == "__main__":
    main()
