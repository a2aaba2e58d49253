"""Pieces shared by the evaluation scripts that score `vigil predict` output on held-out patients.

held_out_rows() keeps the rows of patients a model was NOT trained on: the model folder's
training_patients.json holds a salt and salted SHA-256 digests of its training patients'
identifiers (docs/workflow.md), recomputed here. auroc() ranks with ties averaged;
patient_resamples() draws bootstrap resamples of patients (all rows of a drawn patient).
"""
import hashlib
import json
import os

import numpy as np
import pandas as pd


def auroc(score, label):
    order = np.argsort(score, kind="mergesort")
    s = score[order]
    y = label[order]
    ranks = np.empty(len(s))
    i, n = 0, len(s)
    while i < n:  # average ranks for ties
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


def held_out_rows(predictions_csv, model_dir):
    """The labelled rows of `predictions_csv` whose patient the model in `model_dir` did not
    train on, and how many labelled rows were left out for being a training patient's."""
    with open(os.path.join(model_dir, "training_patients.json")) as f:
        trained = json.load(f)
    salt, digests = trained["salt"], set(trained["digests"])

    def was_trained(pid):
        return hashlib.sha256((salt + "\x1f" + pid).encode()).hexdigest()[:24] in digests

    p = pd.read_csv(predictions_csv, dtype={"subject_id": str, "stay_id": str})
    p = p[p["label"].notna()]
    trained_mask = p["subject_id"].map(was_trained)
    return p[~trained_mask].copy(), int(trained_mask.sum())


def patient_resamples(patients, replicates=200, seed=20240601):
    """Yields, per bootstrap replicate, the row indices of a resample of patients drawn with
    replacement (every row of each drawn patient)."""
    rng = np.random.default_rng(seed)
    ids, inverse = np.unique(patients, return_inverse=True)
    rows_of = [[] for _ in ids]
    for r, k in enumerate(inverse):
        rows_of[k].append(r)
    rows_of = [np.array(r) for r in rows_of]
    for _ in range(replicates):
        yield np.concatenate([rows_of[k] for k in rng.integers(0, len(ids), len(ids))])


def interval(values):
    """The 95 % percentile interval of bootstrap values."""
    return np.nanpercentile(values, 2.5), np.nanpercentile(values, 97.5)
