#!/usr/bin/python3
"""Two variants of the PhysioNet 2012 blend, checked with the nested protocol of nested_bag_check.py
(docs/results.md, thirteenth session; neither was kept).

Usage: /usr/bin/python3 evals/blend_variants_check.py FEATURES.csv squares|three
FEATURES.csv: `vigil features --task physionet2012-mortality` output. 5 outer stratified folds x seeds 1
and 2; inside each outer training part, 5 inner folds choose the round counts, the logistic L2 penalty
and the mixing weights.
- squares: the logistic part also gets the square of every standardized feature (U-shaped risks);
  prints logistic and blend with and without the squares (lu, lq, bu, bq).
- three: XGBoost depth 3 and depth 6 and logistic regression mixed with three weights (b3) against
  vigil's blend of the better tree model with logistic regression (b2).
About 10 minutes on 2 cores each.
"""
import sys, numpy as np
import nested_bag_check as N


def squares(X, y):
    pooled = {}
    for seed, k, tr, te, inf in N.outer_parts(y):
        p = pooled.setdefault(seed, {key: np.zeros(len(y)) for key in ('xgb', 'lu', 'lq', 'bu', 'bq')})
        Xt, yt = X[tr], y[tr]
        oof_x = np.zeros(len(tr)); rounds = []
        oof_l = {(l2, sq): np.zeros(len(tr)) for l2 in N.L2 for sq in (0, 1)}
        for j in range(5):
            a = inf != j; b = inf == j
            bst = N.xfit(Xt[a], yt[a], Xt[b], yt[b], seed=seed)
            rounds.append(bst.best_iteration+1); oof_x[b] = N.xmargin(bst, Xt[b])
            for (l2, sq) in oof_l:
                oof_l[(l2, sq)][b] = N.Logit(Xt[a], yt[a], l2, 0, bool(sq)).margin(Xt[b])
        def fmean(m): return np.mean([N.auc(m[inf == j], yt[inf == j]) for j in range(5)])
        nr = int(round(np.mean(rounds)))
        mx = N.xmargin(N.xfit(Xt, yt, rounds=nr, seed=seed), X[te], nr); p['xgb'][te] = mx
        for sq, name in ((0, 'u'), (1, 'q')):
            l2 = max(N.L2, key=lambda l: fmean(oof_l[(l, sq)]))
            ml = N.Logit(Xt, yt, l2, 0, bool(sq)).margin(X[te]); p['l'+name][te] = ml
            w = max(np.arange(10, -1, -1)/10, key=lambda w: fmean(w*oof_x + (1-w)*oof_l[(l2, sq)]))
            p['b'+name][te] = w*mx + (1-w)*ml
            print(seed, k, name, 'l2', l2, 'w', w, 'rounds', nr, flush=True)
    return N.pool_aucs(pooled, y)


def three(X, y):
    W = [(a/10, b/10, round(1-a/10-b/10, 1)) for a in range(11) for b in range(11 - a)]
    pooled = {}
    for seed, k, tr, te, inf in N.outer_parts(y):
        p = pooled.setdefault(seed, {key: np.zeros(len(y)) for key in ('x3', 'x6', 'l', 'b2', 'b3')})
        Xt, yt = X[tr], y[tr]
        oof = {n: np.zeros(len(tr)) for n in ('x3', 'x6')}; rounds = {'x3': [], 'x6': []}
        oof_l = {l2: np.zeros(len(tr)) for l2 in N.L2}
        for j in range(5):
            a = inf != j; b = inf == j
            for n, depth in (('x3', 3), ('x6', 6)):
                N.P['max_depth'] = depth
                bst = N.xfit(Xt[a], yt[a], Xt[b], yt[b], seed=seed)
                rounds[n].append(bst.best_iteration+1); oof[n][b] = N.xmargin(bst, Xt[b])
            for l2 in N.L2: oof_l[l2][b] = N.Logit(Xt[a], yt[a], l2, 0).margin(Xt[b])
        def fmean(m): return np.mean([N.auc(m[inf == j], yt[inf == j]) for j in range(5)])
        l2 = max(N.L2, key=lambda l: fmean(oof_l[l]))
        ml = N.Logit(Xt, yt, l2, 0).margin(X[te]); p['l'][te] = ml
        mt = {}
        for n, depth in (('x3', 3), ('x6', 6)):
            N.P['max_depth'] = depth; nr = int(round(np.mean(rounds[n])))
            mt[n] = N.xmargin(N.xfit(Xt, yt, rounds=nr, seed=seed), X[te], nr); p[n][te] = mt[n]
        best = max(('x3', 'x6'), key=lambda n: fmean(oof[n]))  # vigil's blend: one tree model
        w2 = max(np.arange(10, -1, -1)/10, key=lambda w: fmean(w*oof[best] + (1-w)*oof_l[l2]))
        p['b2'][te] = w2*mt[best] + (1-w2)*ml
        w3 = max(W, key=lambda w: fmean(w[0]*oof['x3'] + w[1]*oof['x6'] + w[2]*oof_l[l2]))
        p['b3'][te] = w3[0]*mt['x3'] + w3[1]*mt['x6'] + w3[2]*ml
        print(seed, k, 'best', best, 'w2', w2, 'w3', w3, 'l2', l2, flush=True)
    return N.pool_aucs(pooled, y)


if __name__ == '__main__':
    X, y = N.load(sys.argv[1])
    res = {'squares': squares, 'three': three}[sys.argv[2]](X, y)
    for key, v in res.items(): print(key, ' '.join(f'{a:.4f}' for a in v), f'mean {np.mean(v):.4f}')
