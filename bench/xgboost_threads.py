#!/usr/bin/python3
"""How XGBoost's boosting scales from 1 to 2 threads on a task's rows (docs/benchmarks.md).

Usage: /usr/bin/python3 bench/xgboost_threads.py FEATURES.csv [ROUNDS]
FEATURES.csv: `vigil features` output (subject_id, stay_id, time, label, then the features). Fits
ROUNDS (default 60) rounds of the end-to-end benchmark's parameters on a fixed 80 % of the labelled
rows with 2, 1, 2 and 1 threads, and prints each fit's wall and CPU time. The first fit also builds
the matrix's quantile index; compare the later ones.
"""
import sys
import time

import numpy as np
import pandas as pd
import xgboost as xgb


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        sys.exit(2)
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    df = pd.read_csv(sys.argv[1])
    df = df[df.label.notna()]
    x = df.iloc[:, 4:].to_numpy(np.float32)
    y = df.label.to_numpy()
    keep = np.random.default_rng(0).random(len(y)) < 0.8
    d = xgb.DMatrix(x[keep], label=y[keep])
    for threads in (2, 1, 2, 1):
        params = dict(objective="binary:logistic", tree_method="hist", max_depth=4, eta=0.05,
                      subsample=0.8, colsample_bytree=0.8, nthread=threads, seed=1)
        wall, cpu = time.perf_counter(), time.process_time()
        xgb.train(params, d, rounds)
        print(f"{threads} thread(s): wall {time.perf_counter() - wall:.2f} s, "
              f"CPU {time.process_time() - cpu:.2f} s", flush=True)


if __name__ == "__main__":
    main()
