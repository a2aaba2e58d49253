#!/usr/bin/python3
"""Check: do thresholds that depend on the hour of the stay raise the PhysioNet 2019 utility?

Usage: /usr/bin/python3 evals/utility_threshold_buckets_check.py DIR [N]
DIR: an outer cross-validation (evals/cross_validate.sh): fold_K/ and fold_K.csv for K = 1..N
(default 5). The held-out rows of every part are pooled (as evals/pool_folds.py does). Thresholds
are cross-fitted: for each part, the threshold of each band of hours is the one that maximizes the
utility of the other parts' held-out rows in that band, then applied to this part's rows; nothing
is chosen on the rows it is scored on. Prints the normalized utility of the models' own alerts, of
one cross-fitted threshold, and of cross-fitted thresholds per band of hours (the hour of a row is
its position in its stay, 1 for the first). docs/results.md.
"""
import os
import sys

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench"))
import e2e_python  # the challenge's utility
import heldout

BANDS = {
    "one threshold": [(0, 10**6)],
    "hours 1-6, 7+": [(0, 7), (7, 10**6)],
    "hours 1-12, 13-48, 49+": [(0, 13), (13, 49), (49, 10**6)],
    "hours 1-6, 7-24, 25-72, 73+": [(0, 7), (7, 25), (25, 73), (73, 10**6)],
    "hours 1-3, 4-12, 13-24, 25-48, 49+": [(0, 4), (4, 13), (13, 25), (25, 49), (49, 10**6)],
}


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__)
        sys.exit(2)
    directory, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) == 3 else 5
    parts = []
    for k in range(1, n + 1):
        rows, _ = heldout.held_out_rows(os.path.join(directory, f"fold_{k}.csv"),
                                        os.path.join(directory, f"fold_{k}"))
        rows["fold"] = k
        parts.append(rows)
    rows = pd.concat(parts, ignore_index=True)
    rows = rows.sort_values(["subject_id", "time"], kind="mergesort").reset_index(drop=True)
    rows = rows[rows.label.notna()].reset_index(drop=True)
    y = rows.label.to_numpy().astype(float)
    prob = rows.probability.to_numpy()
    fold = rows.fold.to_numpy()
    hour = rows.groupby("subject_id").cumcount().to_numpy() + 1
    if_alert, if_no, best = e2e_python.row_utilities(rows.subject_id.to_numpy(), y)
    gain = if_alert - if_no
    grid = np.quantile(prob, np.linspace(0.80, 0.97, 69))

    def utility(alert):
        return e2e_python.normalized_utility(alert.astype(int), if_alert, if_no, best)

    print(f"{len(rows)} held-out rows of {rows.subject_id.nunique()} patients from {n} models")
    print(f"{'the models own alerts':40s} {utility(rows.alert.to_numpy()):.4f}")
    for name, bands in BANDS.items():
        alert = np.zeros(len(prob), dtype=bool)
        for k in range(1, n + 1):
            for lo, hi in bands:
                band = (hour >= lo) & (hour < hi)
                fit, apply = band & (fold != k), band & (fold == k)
                t = max(grid, key=lambda q: gain[fit & (prob >= q)].sum())
                alert[apply] = prob[apply] >= t
        print(f"{'cross-fitted, ' + name:40s} {utility(alert):.4f}")


if __name__ == "__main__":
    main()
