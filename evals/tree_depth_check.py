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

DEFAULTS = dict(objective='binary:logistic', tree_method='hist', max_depth=6, eta=0.05, min_child_weight=10,
                subsample=0.8, colsample_bytree=0.8, nthread=2, seed=1)


class Folds:
    """5 folds by patient over labelled rows sorted by patient and time (`pid`, `y`), and the utility
    of each row's alert and silence for the best-threshold scan."""
    def __init__(self, pid, y):
        self.pid, self.y = pid, y
        self.ia, self.ino, self.best = E.row_utilities(pid, y)
        rng = np.random.default_rng(1); pats = np.unique(pid); rng.shuffle(pats)
        fold_of = dict(zip(pats, np.arange(len(pats)) % 5))
        self.fold = np.array([fold_of[p] for p in pid])

    def best_utility(self, s):
        qs = np.quantile(s, np.linspace(0.75, 0.97, 89))
        return max(E.normalized_utility(s >= q, self.ia, self.ino, self.best) for q in qs)

    def run(self, name, X, params):
        """Fits each fold, prints the pooled and per-fold AUROC and the best scanned utility."""
        P = dict(DEFAULTS); P.update(params); rounds = P.pop('rounds', 150)
        y = self.y; out = np.zeros(len(y)); parts = []; t0 = time.time()
        for k in range(5):
            tr = self.fold != k; te = self.fold == k
            b = xgb.train(P, xgb.DMatrix(X[tr], label=y[tr]), rounds)
            out[te] = b.predict(xgb.DMatrix(X[te]), output_margin=True)
            parts.append(E.auroc_weighted(out[te], y[te], np.ones((1, te.sum())))[0])
        auc = E.auroc_weighted(out, y, np.ones((1, len(y))))[0]
        print(f'{name} ({X.shape[1]} features, {rounds} rounds): AUROC {auc:.4f} '
              f'(parts {" ".join(f"{a:.4f}" for a in parts)}), best utility {self.best_utility(out):.4f}, '
              f'{time.time() - t0:.0f} s', flush=True)


def load(path):
    """The labelled rows of a `vigil features` CSV, sorted by patient and time."""
    df = pd.read_csv(path); df = df[df.label.notna()]
    return df.sort_values(['subject_id', 'time'], kind='mergesort').reset_index(drop=True)


if __name__ == '__main__':
    df = load(sys.argv[1])
    folds = Folds(df.subject_id.to_numpy(), df.label.to_numpy().astype(float))
    X = df.iloc[:, 4:].to_numpy(np.float32)
    for arg in sys.argv[2:]:
        folds.run(arg, X, ast.literal_eval(arg))
