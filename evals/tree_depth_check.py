#!/usr/bin/python3
"""Check: do deeper trees than the default grid's (depth 3 or 6) help on PhysioNet 2019?
(docs/results.md, thirteenth session; not kept.)

Usage: /usr/bin/python3 evals/tree_depth_check.py FEATURES.csv "{'max_depth': 8}" ...
FEATURES.csv: `vigil features --task physionet2019-sepsis` output. Each argument is a dict of XGBoost
parameters over the defaults (depth 6, learning rate 0.05, min_child_weight 10, subsample and column
sample 0.8; 'rounds' sets the fixed round count, default 150). 5 folds by patient; prints the pooled
held-out AUROC, each fold's AUROC, and the best utility over thresholds scanned on the pooled rows (a
ceiling, the same for every candidate).
"""
import ast, os, sys, time, numpy as np, pandas as pd, xgboost as xgb
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'bench'))
import e2e_python as E  # the challenge's utility and AUROC
df = pd.read_csv(sys.argv[1]); df = df[df.label.notna()].sort_values(['subject_id', 'time'], kind='mergesort').reset_index(drop=True)
pid = df.subject_id.to_numpy(); y = df.label.to_numpy().astype(float); X = df.iloc[:, 4:].to_numpy(np.float32)
ia, ino, best = E.row_utilities(pid, y)
rng = np.random.default_rng(1); pats = np.unique(pid); rng.shuffle(pats)
fold_of = dict(zip(pats, np.arange(len(pats)) % 5)); f = np.array([fold_of[p] for p in pid])
def best_u(s):
    qs = np.quantile(s, np.linspace(0.75, 0.97, 89))
    return max(E.normalized_utility(s >= q, ia, ino, best) for q in qs)
for arg in sys.argv[2:]:
    P = dict(objective='binary:logistic', tree_method='hist', max_depth=6, eta=0.05, min_child_weight=10,
             subsample=0.8, colsample_bytree=0.8, nthread=2, seed=1)
    P.update(ast.literal_eval(arg)); rounds = P.pop('rounds', 150)
    out = np.zeros(len(y)); parts = []; t0 = time.time()
    for k in range(5):
        tr = f != k; te = f == k
        b = xgb.train(P, xgb.DMatrix(X[tr], label=y[tr]), rounds)
        out[te] = b.predict(xgb.DMatrix(X[te]), output_margin=True)
        parts.append(E.auroc_weighted(out[te], y[te], np.ones((1, te.sum())))[0])
    auc = E.auroc_weighted(out, y, np.ones((1, len(y))))[0]
    print(f'{arg} rounds {rounds}: AUROC {auc:.4f} (parts {" ".join(f"{a:.4f}" for a in parts)}), '
          f'best utility {best_u(out):.4f}, {time.time() - t0:.0f} s', flush=True)
