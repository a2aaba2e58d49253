#!/usr/bin/python3
"""Check: does training on the utility-aware target beat training on SepsisLabel (PhysioNet 2019)?

Usage: /usr/bin/python3 evals/utility_target_check.py FEATURES.csv [ROUNDS]
FEATURES.csv: `vigil features --task physionet2019-sepsis` output. The utility-aware target is 1 where
the challenge's utility of an alert exceeds that of no alert (from about 12 h before onset), each row
weighted by the difference. 5 folds by patient, fixed XGBoost parameters (depth 6, learning rate 0.05,
ROUNDS rounds, default 150); prints the pooled held-out AUROC against SepsisLabel and the best utility
over thresholds scanned on the pooled rows (a ceiling, the same for both). docs/results.md.
"""
import sys, numpy as np, pandas as pd, xgboost as xgb
import os
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'bench'))
import e2e_python as E  # the challenge's utility
df = pd.read_csv(sys.argv[1]); df = df[df.label.notna()].sort_values(['subject_id', 'time'], kind='mergesort').reset_index(drop=True)
pid = df.subject_id.to_numpy(); y = df.label.to_numpy().astype(float); X = df.iloc[:, 4:].to_numpy(np.float32)
ia, ino, best = E.row_utilities(pid, y)
yu = (ia > ino).astype(float); wu = np.abs(ia - ino)
print('rows', len(y), 'label pos', y.sum(), 'utility-label pos', yu.sum())
rng = np.random.default_rng(1); pats = np.unique(pid); rng.shuffle(pats)
fold_of = dict(zip(pats, np.arange(len(pats)) % 5)); f = np.array([fold_of[p] for p in pid])
P = dict(objective='binary:logistic', tree_method='hist', max_depth=6, eta=0.05, min_child_weight=10,
         subsample=0.8, colsample_bytree=0.8, nthread=2, seed=1)
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 150
def best_u(s, idx):
    qs = np.quantile(s, np.linspace(0.75, 0.97, 89))
    us = [E.normalized_utility(s >= q, ia[idx], ino[idx], best[idx]) for q in qs]
    i = int(np.argmax(us)); return us[i], qs[i]
for name, lab, w, mcw in (('sepsislabel', y, None, 10), ('utility', yu, wu, 0.5)):
    out = np.zeros(len(y))
    for k in range(5):
        tr = f != k; te = f == k
        d = xgb.DMatrix(X[tr], label=lab[tr], weight=None if w is None else w[tr])
        b = xgb.train(dict(P, min_child_weight=mcw), d, rounds)
        out[te] = b.predict(xgb.DMatrix(X[te]), output_margin=True)
    from e2e_python import auroc_weighted
    auc = auroc_weighted(out, y, np.ones((1, len(y))))[0]
    u, q = best_u(out, np.arange(len(y)))
    print(f'{name:12s} pooled AUROC(SepsisLabel) {auc:.4f}  best utility (scanned) {u:.4f} alert rate {(out >= q).mean():.3f}', flush=True)
