#!/usr/bin/python3
"""The Python baseline of bench_logistic.sh: the same L2 logistic regression as vigil's
model::LogisticModel, written as one would in a notebook with numpy (Debian's python3-numpy and
its BLAS), fitted on every labelled row of a `vigil features` CSV.

Same model and objective (src/vigil/model/logistic.h): present values clipped to their 1st and 99th
percentiles; features mean-imputed and standardized by their mean and standard deviation over
present values; an indicator (1 = missing), standardized, for a feature missing in some rows and
present in others; constant columns left out; weighted mean log loss + l2 / 2 * |coefficients|^2,
intercept unpenalized; Newton's method with a backtracking line search and the same stopping rule.
Prints the fit's time (loading the CSV is not timed), its iterations and the fitted model's mean
log loss, in the format of bench/logistic_bench.cc.

Usage: logistic_numpy.py FEATURES.csv L2
"""
import sys
import time

import numpy as np
import pandas as pd


def fit(x, y, l2, tolerance=1e-9, max_iterations=100):
    n = x.shape[0]
    present = ~np.isnan(x)
    count = present.sum(0)
    # Present values clipped to their 1st and 99th percentiles, unless that leaves a column constant.
    with np.errstate(all="ignore"):
        lower = np.nanpercentile(x, 1, axis=0)
        upper = np.nanpercentile(x, 99, axis=0)
    clip = (count > 0) & (lower < upper)
    x = np.where(clip, np.clip(x, np.where(clip, lower, -np.inf), np.where(clip, upper, np.inf)), x)
    mean = np.where(count > 0, np.nansum(x, 0) / np.maximum(count, 1), 0.0)
    sd = np.sqrt(np.nansum((x - mean) ** 2, 0) / np.maximum(count, 1))
    values = (np.where(present, x, mean) - mean)[:, sd > 1e-12] / sd[sd > 1e-12]
    partial = (count > 0) & (count < n)
    p = 1.0 - count[partial] / n
    indicators = ((~present[:, partial]).astype(float) - p) / np.sqrt(p * (1 - p))
    z = np.hstack([np.ones((n, 1)), values, indicators])
    theta = np.zeros(z.shape[1])
    theta[0] = np.log(y.mean() / (1 - y.mean()))
    penalty = np.full(z.shape[1], l2)
    penalty[0] = 0.0

    def objective(t):
        eta = z @ t
        return np.mean(np.logaddexp(0, eta) - y * eta) + 0.5 * l2 * (t[1:] @ t[1:]), eta

    f, eta = objective(theta)
    iterations = 0
    while iterations < max_iterations:
        iterations += 1
        prob = 1.0 / (1.0 + np.exp(-eta))
        gradient = z.T @ (prob - y) / n + penalty * theta
        hessian = (z * (prob * (1 - prob))[:, None]).T @ z / n + np.diag(penalty + 1e-12 * (penalty == 0))
        step = np.linalg.solve(hessian, -gradient)
        decrease = -(gradient @ step)
        if decrease / 2 < tolerance:
            break
        t = 1.0
        for _ in range(40):
            f_next, eta_next = objective(theta + t * step)
            if f_next <= f - 1e-4 * t * decrease:
                theta, f, eta = theta + t * step, f_next, eta_next
                break
            t /= 2
        else:
            break
    loss = np.mean(np.logaddexp(0, eta) - y * eta)
    return iterations, loss, z.shape[1]


def main():
    path, l2 = sys.argv[1], float(sys.argv[2])
    frame = pd.read_csv(path)
    frame = frame[frame["label"].notna()]
    x = frame.iloc[:, 4:].to_numpy(dtype=np.float32).astype(np.float64)  # vigil's values are float
    y = frame["label"].to_numpy(dtype=np.float64)
    start = time.perf_counter()
    iterations, loss, terms = fit(x, y, l2)
    seconds = time.perf_counter() - start
    print(f"numpy logistic fit: rows={x.shape[0]} columns={x.shape[1]} l2={l2:g} terms={terms} "
          f"seconds={seconds:.3f} iterations={iterations} mean_log_loss={loss:.9f}")


if __name__ == "__main__":
    main()
