#!/usr/bin/python3
"""The pandas + xgboost equivalent of vigil's end-to-end run on PhysioNet 2019 (bench/bench_e2e.sh).

Usage: /usr/bin/python3 e2e_python.py DATA_DIR PARAMS.json [--threads N] [--seed S]
                                      [--bootstrap B] [--folds K]

What a competent pandas user writes for the job vigil does with `vigil ingest`, `vigil train` and
`vigil evaluate` (task physionet2019-sepsis, XGBoost with one hyperparameter set), phase by phase:
  ingest    pd.read_csv of every .psv file + pd.concat (features_pandas.load, as
            pandas_read_physionet2019.py does).
  features  the task's features (features_pandas.features: the same columns vigil computes, checked
            by bench_features.sh), label per row = SepsisLabel (vigil's label reproduces it exactly,
            docs/tasks.md), and the task's patient-level stratified split (test 20 %, validation
            10 %, seed 42), written as vigil's task::SplitRows does (SplitMix64 over patients sorted
            by identifier, positives and negatives cut separately) so both sides hold out the same
            test patients. Training uses the train + validation patients, as `vigil train` does.
  train     5 patient-grouped folds (vigil's model::AssignGroupedFolds algorithm, seed S);
            XGBoost hist with the hyperparameters of PARAMS.json, instance weights n_neg / n_pos of
            the rows being fitted (the held-out fold weighted by its own ratio; none with
            "class_weighting": "none", as vigil), early stopping after
            50 rounds without improvement of the held-out AUROC (as vigil), at most 2000 rounds;
            Platt calibration (Newton's method) on the out-of-fold margins; the operating threshold
            maximizing the PhysioNet 2019 utility of the calibrated out-of-fold probabilities; then
            a final refit on every training row with the mean best round count.
  evaluate  predict the test patients; AUROC, AUPRC (average precision), Brier score, the
            normalized PhysioNet 2019 utility at the threshold, and a 95 % interval for AUROC from B
            patient-bootstrap replicates (default 200).
Prints one line per phase and a summary line `python e2e: ... total=SECONDS auroc=...` that
bench_e2e.sh parses. scikit-learn is not installed in Debian's python3 here, so the metrics, Platt
scaling and the folds are written with numpy (as vigil writes its own).
"""
import argparse
import json
import time

START = time.perf_counter()
START_CPU = time.process_time()

import numpy as np  # noqa: E402
import xgboost as xgb  # noqa: E402

import features_pandas  # noqa: E402

MASK64 = (1 << 64) - 1
# The PhysioNet 2019 utility (evaluate_sepsis_score.py defaults).
DT_EARLY, DT_OPTIMAL, DT_LATE = -12.0, -6.0, 3.0
MAX_U_TP, MIN_U_FN, U_FP, U_TN = 1.0, -2.0, -0.05, 0.0
TEST_FRACTION, VALIDATION_FRACTION, SPLIT_SEED = 0.2, 0.1, 42  # tasks/physionet2019-sepsis.yaml
MAX_ROUNDS, EARLY_STOPPING_ROUNDS = 2000, 50


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK64

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)


def split_patients(patient_positive):
    """vigil task::SplitRows (stratified): patient id -> 'train' / 'validation' / 'test'."""
    side = {}
    ids = sorted(patient_positive)
    for g in (0, 1):
        group = [p for p in ids if patient_positive[p] == g]
        rng = SplitMix64(SPLIT_SEED * 2 + g)
        for i in range(len(group) - 1, 0, -1):  # Fisher-Yates, as vigil
            j = rng.next() % (i + 1)
            group[i], group[j] = group[j], group[i]
        n_test = int(np.floor(len(group) * TEST_FRACTION + 0.5))  # std::llround
        n_val = int(np.floor(len(group) * VALIDATION_FRACTION + 0.5))
        for i, p in enumerate(group):
            side[p] = "test" if i < n_test else "validation" if i < n_test + n_val else "train"
    return side


def grouped_folds(pids, labels, k, seed):
    """vigil model::AssignGroupedFolds: a fold per row, patients kept whole, positives balanced."""
    codes, first = np.unique(pids, return_index=True)
    order_of_appearance = np.argsort(first)
    group_of_row = np.searchsorted(codes, pids)
    positives = np.bincount(group_of_row, weights=labels, minlength=len(codes))
    rows = np.bincount(group_of_row, minlength=len(codes))
    order = list(order_of_appearance)
    rng = SplitMix64(seed)
    for i in range(len(order), 1, -1):
        j = (rng.next() * i) >> 64
        order[i - 1], order[j] = order[j], order[i - 1]
    order.sort(key=lambda g: -positives[g])  # stable, as std::stable_sort
    fold_pos, fold_rows = [0] * k, [0] * k
    fold_of_group = np.zeros(len(codes), dtype=np.int64)
    for g in order:
        first_key, second_key = (fold_pos, fold_rows) if positives[g] > 0 else (fold_rows, fold_pos)
        best = min(range(k), key=lambda f: (first_key[f], second_key[f]))
        fold_pos[best] += positives[g]
        fold_rows[best] += rows[g]
        fold_of_group[g] = best
    return fold_of_group[group_of_row]


def class_weights(y, balanced=True):
    pos = y.sum()
    w = (len(y) - pos) / pos if balanced and 0 < pos < len(y) else 1.0
    return np.where(y > 0.5, w, 1.0).astype(np.float32)


def xgb_params(hyper, threads, seed):
    return {"objective": "binary:logistic", "eval_metric": "auc", "tree_method": "hist",
            "verbosity": 0, "nthread": threads, "seed": seed,
            "max_depth": hyper["max_depth"], "eta": hyper["learning_rate"],
            "min_child_weight": hyper["min_child_weight"], "subsample": hyper["subsample"],
            "colsample_bytree": hyper["colsample_bytree"], "lambda": hyper["reg_lambda"],
            "alpha": hyper["reg_alpha"], "max_bin": hyper["max_bin"]}


def platt(margins, y, iterations=50):
    """Maximum-likelihood p = sigmoid(a m + b) by Newton's method."""
    a, b = 1.0, 0.0
    X = np.column_stack([margins, np.ones_like(margins)])
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-(a * margins + b)))
        grad = X.T @ (p - y)
        hess = (X * (p * (1 - p))[:, None]).T @ X + 1e-12 * np.eye(2)
        step = np.linalg.solve(hess, grad)
        a, b = a - step[0], b - step[1]
        if np.abs(step).max() < 1e-10:
            break
    return a, b


def row_utilities(pids, labels):
    """Per row: utility if alerted, if not, and whether the best predictor alerts (challenge code)."""
    change = np.r_[True, pids[1:] != pids[:-1]]
    stay = np.cumsum(change) - 1
    start = np.flatnonzero(change)
    t = np.arange(len(pids)) - start[stay]
    n = np.bincount(stay)
    septic = np.bincount(stay, weights=labels) > 0
    first = np.full(len(n), -1)
    pos_rows = np.flatnonzero(labels > 0.5)
    first_pos = np.unique(stay[pos_rows], return_index=True)
    first[first_pos[0]] = t[pos_rows[first_pos[1]]]
    t_sepsis = (first - DT_OPTIMAL)[stay]
    s = septic[stay]
    m1 = MAX_U_TP / (DT_OPTIMAL - DT_EARLY)
    b1 = -m1 * DT_EARLY
    m2 = -MAX_U_TP / (DT_LATE - DT_OPTIMAL)
    b2 = -m2 * DT_LATE
    m3 = MIN_U_FN / (DT_LATE - DT_OPTIMAL)
    b3 = -m3 * DT_OPTIMAL
    d = t - t_sepsis
    early = d <= DT_OPTIMAL
    counted = d <= DT_LATE
    if_alert = np.where(s, np.where(early, np.maximum(m1 * d + b1, U_FP), m2 * d + b2), U_FP)
    if_no = np.where(s, np.where(early, 0.0, m3 * d + b3), U_TN)
    if_alert = np.where(s & ~counted, 0.0, if_alert)
    if_no = np.where(s & ~counted, 0.0, if_no)
    best = s & (d >= DT_EARLY) & (d <= DT_LATE)
    del n
    return if_alert, if_no, best


def max_utility_threshold(prob, if_alert, if_no):
    """The probability threshold (alert when prob >= it) with the highest total utility."""
    order = np.argsort(-prob, kind="stable")
    gain = np.cumsum((if_alert - if_no)[order])
    p_sorted = prob[order]
    last_of_tie = np.r_[p_sorted[1:] != p_sorted[:-1], True]  # alert whole ties together
    candidates = np.flatnonzero(last_of_tie)
    best = candidates[np.argmax(gain[candidates])]
    return (p_sorted[best] if gain[best] > 0 else np.inf)


def normalized_utility(alert, if_alert, if_no, best):
    observed = np.where(alert, if_alert, if_no).sum()
    optimum = np.where(best, if_alert, if_no).sum()
    inaction = if_no.sum()
    return (observed - inaction) / (optimum - inaction)


def auroc_weighted(score, y, weights):
    """AUROC with tied scores counted half, rows weighted; weights is (replicates, rows)."""
    uniq, inverse = np.unique(score, return_inverse=True)
    out = []
    for w in weights:
        pos = np.bincount(inverse, weights=w * y, minlength=len(uniq))
        neg = np.bincount(inverse, weights=w * (1 - y), minlength=len(uniq))
        below = np.cumsum(neg) - neg
        total = pos.sum() * neg.sum()
        out.append((pos * (below + 0.5 * neg)).sum() / total if total > 0 else np.nan)
    return np.array(out)


def average_precision(score, y):
    order = np.argsort(-score, kind="stable")
    s, yy = score[order], y[order]
    tp = np.cumsum(yy)
    last = np.r_[s[1:] != s[:-1], True]
    tp, k = tp[last], (np.arange(len(s)) + 1)[last]
    recall = tp / y.sum()
    precision = tp / k
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def phase(name, started, **figures):
    seconds = time.perf_counter() - started
    extra = " ".join(f"{k}={v}" for k, v in figures.items())
    print(f"python {name}: seconds={seconds:.3f} {extra}".rstrip(), flush=True)
    return seconds


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data_dir")
    ap.add_argument("params")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--bootstrap", type=int, default=200)
    args = ap.parse_args()
    with open(args.params) as f:
        hyper = json.load(f)
    params = xgb_params(hyper, args.threads, args.seed)
    balanced = hyper.get("class_weighting", "balanced") == "balanced"
    seconds = {"imports": time.perf_counter() - START}

    t = time.perf_counter()
    df = features_pandas.load(args.data_dir)
    seconds["ingest"] = phase("ingest", t, files=df["pid"].nunique(), rows=len(df))

    t = time.perf_counter()
    feats = features_pandas.features(df)
    names = list(feats.columns[2:])
    X = feats[names].to_numpy(dtype=np.float32)
    y = df["SepsisLabel"].to_numpy(dtype=np.float64)
    pids = df["pid"].to_numpy()
    positive = df.groupby("pid", sort=False)["SepsisLabel"].max()
    side_of = split_patients(positive.to_dict())
    side = df["pid"].map(side_of).to_numpy()
    train = side != "test"
    test = ~train
    seconds["features"] = phase("features", t, columns=len(names),
                                train_rows=int(train.sum()), test_rows=int(test.sum()),
                                test_patients=len(np.unique(pids[test])))

    t = time.perf_counter()
    Xtr, ytr, ptr = X[train], y[train], pids[train]
    fold = grouped_folds(ptr, ytr, args.folds, args.seed)
    oof = np.zeros(len(ytr))
    rounds, fold_auroc = [], []
    in_xgboost = 0.0  # seconds inside XGBoost calls (DMatrix, train, predict): the shared library
    cpu_xgboost = 0.0  # CPU seconds (every thread) in the same calls
    for f in range(args.folds):
        fit, held = fold != f, fold == f
        x0, c0 = time.perf_counter(), time.process_time()
        dtrain = xgb.DMatrix(Xtr[fit], label=ytr[fit], weight=class_weights(ytr[fit], balanced),
                             feature_names=names, nthread=args.threads)
        dvalid = xgb.DMatrix(Xtr[held], label=ytr[held], weight=class_weights(ytr[held], balanced),
                             feature_names=names, nthread=args.threads)
        booster = xgb.train(params, dtrain, num_boost_round=MAX_ROUNDS,
                            evals=[(dvalid, "valid")], early_stopping_rounds=EARLY_STOPPING_ROUNDS,
                            verbose_eval=False)
        best = booster.best_iteration + 1
        rounds.append(best)
        oof[held] = booster.predict(dvalid, output_margin=True, iteration_range=(0, best))
        in_xgboost += time.perf_counter() - x0
        cpu_xgboost += time.process_time() - c0
        fold_auroc.append(auroc_weighted(oof[held], ytr[held], np.ones((1, held.sum())))[0])
    slope, intercept = platt(oof, ytr)
    oof_prob = 1 / (1 + np.exp(-(slope * oof + intercept)))
    ua_tr, un_tr, _ = row_utilities(ptr, ytr)
    threshold = max_utility_threshold(oof_prob, ua_tr, un_tr)
    final_rounds = max(1, int(np.floor(np.mean(rounds) + 0.5)))
    x0, c0 = time.perf_counter(), time.process_time()
    dall = xgb.DMatrix(Xtr, label=ytr, weight=class_weights(ytr, balanced), feature_names=names,
                       nthread=args.threads)
    model = xgb.train(params, dall, num_boost_round=final_rounds)
    in_xgboost += time.perf_counter() - x0
    cpu_xgboost += time.process_time() - c0
    seconds["train"] = phase("train", t, fold_rounds=",".join(map(str, rounds)),
                             final_rounds=final_rounds,
                             cv_auroc=f"{np.mean(fold_auroc):.4f}",
                             platt=f"{slope:.4f},{intercept:.4f}", threshold=f"{threshold:.4f}")

    t = time.perf_counter()
    Xte, yte, pte = X[test], y[test], pids[test]
    x0, c0 = time.perf_counter(), time.process_time()
    dtest = xgb.DMatrix(Xte, feature_names=names, nthread=args.threads)
    margin = model.predict(dtest, output_margin=True)
    in_xgboost += time.perf_counter() - x0
    cpu_xgboost += time.process_time() - c0
    prob = 1 / (1 + np.exp(-(slope * margin + intercept)))
    auroc = auroc_weighted(prob, yte, np.ones((1, len(yte))))[0]
    auprc = average_precision(prob, yte)
    brier = float(np.mean((prob - yte) ** 2))
    ua, un, best = row_utilities(pte, yte)
    utility = normalized_utility(prob >= threshold, ua, un, best)
    patients, patient_of_row = np.unique(pte, return_inverse=True)
    rng = np.random.default_rng(args.seed)
    counts = np.stack([np.bincount(rng.integers(0, len(patients), len(patients)),
                                   minlength=len(patients)) for _ in range(args.bootstrap)])
    replicates = auroc_weighted(prob, yte, counts[:, patient_of_row].astype(np.float64))
    lo, hi = np.nanpercentile(replicates, [2.5, 97.5])
    seconds["evaluate"] = phase("evaluate", t, auroc=f"{auroc:.4f}", auprc=f"{auprc:.4f}",
                                brier=f"{brier:.4f}", utility=f"{utility:.4f}")
    total = time.perf_counter() - START
    print(f"python e2e: total={total:.3f} " +
          " ".join(f"{k}={v:.3f}" for k, v in seconds.items()) + f" xgboost={in_xgboost:.3f} xgboost_cpu={cpu_xgboost:.3f}"
          f" cpu_in_script={time.process_time() - START_CPU:.3f}" +
          f" auroc={auroc:.4f} auroc_lo={lo:.4f} auroc_hi={hi:.4f} auprc={auprc:.4f}"
          f" brier={brier:.4f} utility={utility:.4f} threshold={threshold:.4f}"
          f" rows_test={len(yte)} positives_test={int(yte.sum())}", flush=True)


if __name__ == "__main__":
    main()
