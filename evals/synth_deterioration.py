#!/usr/bin/python3
"""Synthetic deterioration: the model's AUROC against the AUROC of the true (latent) risk.

Usage: /usr/bin/python3 evals/synth_deterioration.py PREDICTIONS.csv MODEL_DIR HOSPITAL_DIR

PREDICTIONS.csv is `vigil predict` output for the deterioration-24h task on the store loaded from
HOSPITAL_DIR (a `vigil synth` folder); MODEL_DIR is the model folder. Only rows of patients the model
was NOT trained on are used: training_patients.json holds salted SHA-256 digests of the training
patients' identifiers, recomputed here. The true risk of a row is `risk24_deterioration` of the
last truth hour (HOSPITAL_DIR/truth/hours.csv) of the same patient at or before the prediction
time: what someone who could see the hidden state would predict. Both AUROCs are computed on the
same rows with the same labels (vigil's), with 95 % intervals from 200 bootstrap resamples of
patients, and the ratio model / truth with its own interval (paired resamples).
"""
import os
import sys

import numpy as np
import pandas as pd

import heldout
from heldout import auroc, interval


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        sys.exit(2)
    predictions, model_dir, hospital = sys.argv[1:]
    held, training_rows = heldout.held_out_rows(predictions, model_dir)
    held["time"] = pd.to_datetime(held["time"], utc=True)
    truth = pd.read_csv(os.path.join(hospital, "truth", "hours.csv"),
                        usecols=["patient_id", "time", "risk24_deterioration"],
                        dtype={"patient_id": str})
    truth["time"] = pd.to_datetime(truth["time"], utc=True)
    held = held.sort_values("time")
    truth = truth.sort_values("time")
    merged = pd.merge_asof(held, truth, left_on="time", right_on="time",
                           left_by="subject_id", right_by="patient_id", direction="backward")
    missing = merged["risk24_deterioration"].isna().sum()
    merged = merged[merged["risk24_deterioration"].notna()]
    y = merged["label"].to_numpy().astype(int)
    model = merged["probability"].to_numpy()
    true_risk = merged["risk24_deterioration"].to_numpy()
    patients = merged["subject_id"].to_numpy()
    a_model = auroc(model, y)
    a_truth = auroc(true_risk, y)

    boot_m, boot_t, boot_r = [], [], []
    for idx in heldout.patient_resamples(patients):
        m = auroc(model[idx], y[idx])
        t = auroc(true_risk[idx], y[idx])
        boot_m.append(m)
        boot_t.append(t)
        boot_r.append(m / t)

    print(f"rows of held-out patients: {len(merged)} ({len(np.unique(patients))} patients, "
          f"{y.sum()} positive rows); rows of training patients left out: {training_rows}; "
          f"rows without a truth hour: {missing}")
    print("AUROC model      %.4f (%.3f-%.3f)" % ((a_model,) + interval(boot_m)))
    print("AUROC true risk  %.4f (%.3f-%.3f)" % ((a_truth,) + interval(boot_t)))
    print("ratio model/true %.4f (%.3f-%.3f)  target >= 0.95" % ((a_model / a_truth,) + interval(boot_r)))


if __name__ == "__main__":
    main()
