#!/usr/bin/python3
"""Prints vigil's test figures for bench_e2e.sh as key=value pairs, in the Python side's names.

Usage: /usr/bin/python3 e2e_vigil_metrics.py EVAL.json MODEL_DIR
EVAL.json is `vigil evaluate --json` (format vigil.evaluation); MODEL_DIR the folder `vigil train
--out` wrote (training.json, threshold.json, calibration.json). A figure vigil does not write is
printed as "na". Not timed: it runs after the clock of the vigil side stops.
"""
import json
import os
import sys


def get(document, *path):
    for key in path:
        if not isinstance(document, dict) or key not in document:
            return None
        document = document[key]
    return document


def fmt(value):
    return "na" if value is None else f"{value:.4f}" if isinstance(value, float) else str(value)


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def main():
    evaluation = load(sys.argv[1])
    folder = sys.argv[2]
    training = load(os.path.join(folder, "training.json"))
    threshold = load(os.path.join(folder, "threshold.json"))
    calibration = load(os.path.join(folder, "calibration.json"))
    overall = evaluation.get("overall", {})
    chosen = get(training, "candidates") or [{}]
    chosen = chosen[training.get("chosen", 0)] if isinstance(chosen, list) else {}
    figures = {
        "auroc": get(overall, "discrimination", "auroc", "value"),
        "auroc_lo": get(overall, "discrimination", "auroc", "lower"),
        "auroc_hi": get(overall, "discrimination", "auroc", "upper"),
        "auprc": get(overall, "discrimination", "auprc", "value"),
        "brier": get(overall, "calibration", "brier", "value"),
        "utility": get(overall, "task", "utility", "value"),
        "threshold": get(overall, "at_threshold", "threshold") or threshold.get("threshold"),
        "rows_test": get(overall, "counts", "rows"),
        "positives_test": get(overall, "counts", "positives"),
        "fold_rounds": ",".join(map(str, chosen.get("fold_rounds", []))) or None,
        "final_rounds": training.get("final_rounds"),
        "cv_auroc": chosen.get("mean_auroc"),
        "calibration": calibration.get("method"),
        "threshold_rule": threshold.get("rule"),
    }
    print(" ".join(f"{k}={fmt(v)}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
