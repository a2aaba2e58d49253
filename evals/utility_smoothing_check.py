#!/usr/bin/python3
"""Ceiling check: does a causal per-stay transform of hourly risk raise the PhysioNet 2019 utility?

Usage: /usr/bin/python3 evals/utility_smoothing_check.py HELD_OUT.csv [...]
HELD_OUT.csv: `vigil predict` rows of patients the model never saw (for one part of an outer
cross-validation, the rows evals/pool_folds.py keeps). For the raw probability, its cumulative maximum
over the stay, rolling 3 h / 6 h maxima, a rolling 3 h mean and an exponential mean (half-life 2 h),
prints the best normalized utility over thresholds scanned on these same rows (a ceiling, the same for
every variant, not a result). docs/results.md.
"""
import sys, numpy as np, pandas as pd
import os
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'bench'))
import e2e_python as E  # the challenge's utility
rows = pd.concat([pd.read_csv(f) for f in sys.argv[1:]], ignore_index=True)
rows = rows[rows.label.notna()].sort_values(['subject_id', 'time'], kind='mergesort').reset_index(drop=True)
pid = rows.subject_id.to_numpy(); y = rows.label.to_numpy().astype(float); p = rows.probability.to_numpy()
ia, ino, best = E.row_utilities(pid, y)
g = rows.groupby('subject_id', sort=False).probability
variants = {'raw': p, 'cummax': g.cummax().to_numpy(),
            'max3': g.transform(lambda s: s.rolling(3, min_periods=1).max()).to_numpy(),
            'max6': g.transform(lambda s: s.rolling(6, min_periods=1).max()).to_numpy(),
            'mean3': g.transform(lambda s: s.rolling(3, min_periods=1).mean()).to_numpy(),
            'ewm2': g.transform(lambda s: s.ewm(halflife=2).mean()).to_numpy()}
for name, s in variants.items():
    qs = np.quantile(s, np.linspace(0.70, 0.97, 109))
    us = [E.normalized_utility(s >= q, ia, ino, best) for q in qs]
    i = int(np.argmax(us))
    print(f'{name:7s} best utility {us[i]:.4f} at alert rate {(s >= qs[i]).mean():.3f}')
