#!/usr/bin/python3
"""Check: do derived, causal features help on PhysioNet 2019? (docs/results.md, fourteenth session;
not kept.)

Usage: /usr/bin/python3 evals/derived_features_check.py FEATURES.csv base all ext d24n sofa
FEATURES.csv: `vigil features --task physionet2019-sepsis` output (hourly rows). From each variable's
`.last` and `.time_since_last` columns, over the stay so far (rows at or before the row's own time):
  ext   the lowest and highest value, and the change since the first value;
  d24n  the change over 24 h, and the number of measurements in the last 24 h and since admission;
  sofa  a partial SOFA score (platelets, bilirubin, creatinine, mean arterial pressure < 70), its
        change over 24 h and its rise above its lowest value so far;
  all   the three together.
Each set is added to the task's own features (base) and scored as in tree_depth_check.py: 5 folds
by patient, XGBoost depth 6, 150 rounds, pooled AUROC and the best scanned utility (a ceiling).
"""
import os, sys, numpy as np, pandas as pd
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tree_depth_check as T


def derived(df):
    stay = df.stay_id
    codes = [c[:-len('.last')] for c in df.columns if c.endswith('.last')]
    new = {}
    for c in codes:
        s = df[c + '.last']; gs = s.groupby(stay, sort=False)
        new[c + '.cmin'] = gs.cummin(); new[c + '.cmax'] = gs.cummax()
        # The first value is known from the row where the value first appears (`.last` carries it on).
        new[c + '.dfirst'] = s - gs.transform('first').where(s.notna())
        new[c + '.d24'] = s - gs.shift(24)
        measured = (df[c + '.time_since_last'] == 0).astype(float).groupby(stay, sort=False)
        new[c + '.n24'] = measured.transform(lambda x: x.rolling(24, min_periods=1).sum())
        new[c + '.ncum'] = measured.cumsum()
    N = pd.DataFrame(new)
    plt, bil = df['LOINC/777-3.last'], df['LOINC/1975-2.last']
    cr, mp = df['LOINC/2160-0.last'], df['LOINC/8478-0.last']
    sofa = (np.select([plt < 20, plt < 50, plt < 100, plt < 150], [4, 3, 2, 1], 0)
            + np.select([bil >= 12, bil >= 6, bil >= 2, bil >= 1.2], [4, 3, 2, 1], 0)
            + np.select([cr >= 5, cr >= 3.5, cr >= 2, cr >= 1.2], [4, 3, 2, 1], 0) + (mp < 70))
    S = pd.DataFrame({'sofa': sofa}); g = S.sofa.groupby(stay, sort=False)
    S['sofa.d24'] = S.sofa - g.shift(24); S['sofa.dmin'] = S.sofa - g.cummin()
    return N, S


if __name__ == '__main__':
    df = pd.read_csv(sys.argv[1]).sort_values(['subject_id', 'time'], kind='mergesort').reset_index(drop=True)
    N, S = derived(df)  # from every row, labelled or not: history is history
    keep = df.label.notna().to_numpy()
    base = df.iloc[:, 4:]
    pick = lambda ends: N[[c for c in N if c.endswith(ends)]]
    sets = {'base': base, 'ext': pd.concat([base, pick(('.cmin', '.cmax', '.dfirst'))], axis=1),
            'd24n': pd.concat([base, pick(('.d24', '.n24', '.ncum'))], axis=1),
            'sofa': pd.concat([base, S], axis=1), 'all': pd.concat([base, N, S], axis=1)}
    folds = T.Folds(df.subject_id.to_numpy()[keep], df.label.to_numpy()[keep].astype(float))
    for name in sys.argv[2:]:
        folds.run(name, sets[name].to_numpy(np.float32)[keep], {})
