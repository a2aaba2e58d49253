#!/usr/bin/python3
"""Nested check of bagging and the blend on one-row-per-patient features (docs/results.md, 2012).

Usage: /usr/bin/python3 evals/nested_bag_check.py FEATURES.csv
FEATURES.csv: `vigil features --task physionet2012-mortality` output. 5 outer stratified folds x seeds 1
and 2; inside each outer training part, 5 inner folds choose XGBoost's round count (early stopping on
AUROC), the logistic L2 penalty (weighted and unweighted classes) and the blend weight. Prints the pooled
held-out AUROC of XGBoost alone, XGBoost bagged over 5 seeds, logistic (w: balanced weights, u: none), the
blends, and the blend with the bagged trees. About 10 minutes on 2 cores.
"""
import sys, numpy as np, pandas as pd, xgboost as xgb
def load(path):
    df = pd.read_csv(path); df = df[df.label.notna()].reset_index(drop=True)
    return df.iloc[:, 4:].values.astype(float), df.label.values.astype(float)
def auc(s, y):
    o = np.argsort(s, kind='mergesort'); r = np.empty(len(s)); r[o] = np.arange(1, len(s)+1)
    # ties average
    ss = s[o]; i = 0
    while i < len(ss):
        j = i
        while j+1 < len(ss) and ss[j+1] == ss[i]: j += 1
        if j > i: r[o[i:j+1]] = (i+j+2)/2
        i = j+1
    p = y.sum(); n = len(y)-p
    return (r[y==1].sum() - p*(p+1)/2)/(p*n)
def folds(y, k, rng):
    f = np.empty(len(y), int)
    for c in (0, 1):
        idx = np.where(y==c)[0]; rng.shuffle(idx); f[idx] = np.arange(len(idx)) % k
    return f
P = dict(objective='binary:logistic', eval_metric='auc', tree_method='hist', max_depth=3, eta=0.05,
         subsample=0.8, colsample_bytree=0.8, min_child_weight=10, nthread=2)
def xfit(Xt, yt, Xv=None, yv=None, rounds=2000, seed=0):
    d = xgb.DMatrix(Xt, label=yt); p = dict(P, seed=seed)
    if Xv is None: return xgb.train(p, d, rounds)
    dv = xgb.DMatrix(Xv, label=yv)
    b = xgb.train(p, d, rounds, evals=[(dv,'v')], early_stopping_rounds=50, verbose_eval=False)
    return b
def xmargin(b, X, n=None):
    return b.predict(xgb.DMatrix(X), output_margin=True, iteration_range=(0, n or b.best_iteration+1))
class Logit:
    """L2 logistic regression on clipped, standardized features with missingness indicators (and, with
    squares=True, the squares of the standardized features as extra terms)."""
    def __init__(s, X, y, l2, weighted, squares=False):
        s.squares = squares
        lo = np.nanpercentile(X, 1, axis=0); hi = np.nanpercentile(X, 99, axis=0)
        s.lo, s.hi = lo, hi; Z = s.clip(X)
        s.mu = np.nanmean(Z, 0); s.sd = np.nanstd(Z, 0); s.sd[~(s.sd > 0)] = 1; s.mu[np.isnan(s.mu)] = 0
        s.ind = np.isnan(X).any(0) & ~np.isnan(X).all(0)
        A = s.design(X)
        w = np.ones(len(y))
        if weighted: w[y==1] = (y==0).sum()/(y==1).sum()
        w = w / w.sum()
        beta = np.zeros(A.shape[1]); R = np.eye(A.shape[1])*l2; R[0,0] = 0
        for it in range(30):
            m = A@beta; p = 1/(1+np.exp(-m))
            g = A.T@(w*(p-y)) + R@beta; H = (A*(w*p*(1-p))[:,None]).T@A + R
            step = np.linalg.solve(H, g); beta -= step
            if np.abs(step).max() < 1e-8: break
        s.beta = beta
    def clip(s, X):
        Z = np.clip(X, s.lo, s.hi); const = ~(s.hi > s.lo); Z[:, const] = X[:, const]; return Z
    def design(s, X):
        Z = (s.clip(X) - s.mu)/s.sd; miss = np.isnan(Z); Z[miss] = 0
        if not hasattr(s, 'imu'):  # indicator scaling from the training rows
            s.imu = miss[:, s.ind].mean(0); s.isd = miss[:, s.ind].std(0); s.isd[s.isd == 0] = 1
        I = (miss[:, s.ind] - s.imu)/s.isd
        if s.squares:
            Q = Z*Z
            if not hasattr(s, 'qmu'): s.qmu = Q.mean(0); s.qsd = Q.std(0); s.qsd[s.qsd == 0] = 1
            return np.hstack([np.ones((len(X),1)), Z, I, (Q - s.qmu)/s.qsd])
        return np.hstack([np.ones((len(X),1)), Z, I])
    def margin(s, X): return s.design(X)@s.beta
L2 = [1, .1, .01, .001]

def outer_parts(y, seeds=(1, 2), k=5):
    """The nested protocol: for each seed, k stratified outer folds; inside each outer training part, k
    stratified inner folds. Yields (seed, part, outer training rows, outer test rows, inner fold of each
    training row)."""
    for seed in seeds:
        of = folds(y, k, np.random.default_rng(seed))
        for part in range(k):
            tr = np.where(of != part)[0]; te = np.where(of == part)[0]
            yield seed, part, tr, te, folds(y[tr], k, np.random.default_rng(100+seed*10+part))

def pool_aucs(pooled, y):
    """{seed: {name: pooled margins}} -> {name: [AUROC of each seed]}."""
    res = {}
    for by_name in pooled.values():
        for key, m in by_name.items(): res.setdefault(key, []).append(auc(m, y))
    return res

def main(path):
    X, y = load(path)
    pooled = {}
    for seed, k, tr, te, inf in outer_parts(y):
        p = pooled.setdefault(seed, {key: np.zeros(len(y)) for key in ('xgb','bag','lw','lu','bw','bu','bagu')})
        Xt, yt = X[tr], y[tr]
        oof_x = np.zeros(len(tr)); rounds = []
        oof_l = {(l2, wt): np.zeros(len(tr)) for l2 in L2 for wt in (0, 1)}
        for j in range(5):
            a = inf != j; b = inf == j
            bst = xfit(Xt[a], yt[a], Xt[b], yt[b], seed=seed)
            rounds.append(bst.best_iteration+1); oof_x[b] = xmargin(bst, Xt[b])
            for (l2, wt) in oof_l: oof_l[(l2, wt)][b] = Logit(Xt[a], yt[a], l2, wt).margin(Xt[b])
        def fmean(m): return np.mean([auc(m[inf==j], yt[inf==j]) for j in range(5)])
        nr = int(round(np.mean(rounds)))
        fx = xfit(Xt, yt, rounds=nr, seed=seed); mx = xmargin(fx, X[te], nr)
        mb = np.mean([xmargin(xfit(Xt, yt, rounds=nr, seed=seed*1000+s), X[te], nr) for s in range(5)], 0)
        p['xgb'][te] = mx; p['bag'][te] = mb
        for wt, name in ((1, 'w'), (0, 'u')):
            l2 = max(L2, key=lambda l: fmean(oof_l[(l, wt)]))
            ml = Logit(Xt, yt, l2, wt).margin(X[te]); p['l'+name][te] = ml
            wbest = max(np.arange(10, -1, -1)/10, key=lambda w: fmean(w*oof_x + (1-w)*oof_l[(l2, wt)]))
            p['b'+name][te] = wbest*mx + (1-wbest)*ml
            if wt == 0: p['bagu'][te] = wbest*mb + (1-wbest)*ml
            print(seed, k, name, 'l2', l2, 'w', wbest, 'rounds', nr, flush=True)
    for key, v in pool_aucs(pooled, y).items(): print(key, ' '.join(f'{a:.4f}' for a in v), f'mean {np.mean(v):.4f}')

if __name__ == '__main__':
    main(sys.argv[1])
