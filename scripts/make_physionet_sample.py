#!/usr/bin/python3
"""Writes a small, synthetic PhysioNet 2019-format sample (one pipe-separated file per ICU stay).

Nothing in it comes from real patients: values are drawn from plain distributions around normal vital signs,
with a share of stays that turn septic (SepsisLabel 1 from six hours before onset, as the challenge defines it)
and drift accordingly. One cell is deliberately malformed so that the demo shows a rejected record.

usage: make_physionet_sample.py [--stays N] [--seed S] OUT_DIR
"""
import argparse
import os
import random

COLUMNS = ("HR|O2Sat|Temp|SBP|MAP|DBP|Resp|EtCO2|BaseExcess|HCO3|FiO2|pH|PaCO2|SaO2|AST|BUN|Alkalinephos|"
           "Calcium|Chloride|Creatinine|Bilirubin_direct|Glucose|Lactate|Magnesium|Phosphate|Potassium|"
           "Bilirubin_total|TroponinI|Hct|Hgb|PTT|WBC|Fibrinogen|Platelets").split("|")
STAY_COLUMNS = ["Age", "Gender", "Unit1", "Unit2", "HospAdmTime", "ICULOS", "SepsisLabel"]
SEPTIC_SHARE = 0.08
LABEL_LEAD_HOURS = 6  # SepsisLabel is 1 from six hours before onset (Reyna et al., CCM 2020)
LAB_EVERY_HOURS = 12


def fmt(value):
    return "NaN" if value is None else f"{value:.4g}"


def stay_rows(rng, hours, onset):
    """Rows of one stay; `onset` is the sepsis onset hour or None."""
    rows = []
    for hour in range(1, hours + 1):
        sick = onset is not None and hour >= onset - LABEL_LEAD_HOURS
        drift = max(0, hour - (onset - LABEL_LEAD_HOURS)) if sick else 0
        cells = dict.fromkeys(COLUMNS)
        if rng.random() < 0.9:
            cells["HR"] = rng.gauss(82 + 1.5 * drift, 10)
            cells["O2Sat"] = min(100, rng.gauss(97 - 0.3 * drift, 1.5))
            cells["SBP"] = rng.gauss(122 - 1.5 * drift, 15)
            cells["DBP"] = rng.gauss(64, 8)
            cells["MAP"] = (cells["SBP"] + 2 * cells["DBP"]) / 3
            cells["Resp"] = rng.gauss(18 + 0.5 * drift, 3)
        if hour % 4 == 1:
            cells["Temp"] = rng.gauss(36.9 + 0.1 * drift, 0.4)
        if hour % LAB_EVERY_HOURS == 2:
            cells["WBC"] = rng.gauss(9 + 0.8 * drift, 2.5)
            cells["Platelets"] = rng.gauss(220 - 5 * drift, 50)
            cells["Creatinine"] = abs(rng.gauss(1.0 + 0.05 * drift, 0.3))
            cells["Lactate"] = abs(rng.gauss(1.4 + 0.2 * drift, 0.5))
            cells["Bilirubin_total"] = abs(rng.gauss(0.8, 0.3))
            cells["Glucose"] = rng.gauss(125, 25)
        if sick and rng.random() < 0.3:
            cells["FiO2"] = rng.choice([0.3, 0.4, 0.5])
        rows.append(([fmt(cells[c]) for c in COLUMNS], hour, 1 if sick else 0))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stays", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("out_dir")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out_dir, exist_ok=True)
    septic = 0
    for n in range(1, args.stays + 1):
        hours = rng.randint(12, 96)
        onset = rng.randint(8, hours + 4) if rng.random() < SEPTIC_SHARE else None
        septic += onset is not None
        unit = rng.choice([("1", "0"), ("0", "1"), ("NaN", "NaN")])
        stay = [str(rng.randint(18, 90)), str(rng.randint(0, 1)), unit[0], unit[1],
                f"{-abs(rng.gauss(20, 40)):.2f}"]
        lines = ["|".join(COLUMNS + STAY_COLUMNS)]
        for cells, hour, label in stay_rows(rng, hours, onset):
            if n == 3 and hour == 2:
                cells[0] = "9O"  # a typo: the demo shows it rejected, with file, line and reason
            lines.append("|".join(cells + stay + [str(hour), str(label)]))
        with open(os.path.join(args.out_dir, f"p{n:06d}.psv"), "w") as out:
            out.write("\n".join(lines) + "\n")
    print(f"wrote {args.stays} synthetic PhysioNet 2019-format stays ({septic} septic) to {args.out_dir}")


if __name__ == "__main__":
    main()
