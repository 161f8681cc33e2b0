#!/usr/bin/python3
"""Expected outputs of the seed study's data preparation on EdgeQ's small hand-made fixtures.

Writes java/src/test/resources/golden/seed-preprocessing/*.expected.json from the fixtures beside them, for
SeedPreprocessingGoldenTest. Run with Debian's python3 (numpy only; pandas and scikit-learn are not installed):

    /usr/bin/python3 java/src/test/python/seed_preprocessing_golden.py

The rules are those of the seed's data/*_data.py scripts (github mohitgulla/Edge), restated here from their
documented behaviour rather than by calling the libraries they used:
  - pandas Series.quantile([0.05, 0.95]) interpolates linearly between order statistics, which is numpy.quantile's
    default method 'linear';
  - scikit-learn's MinMaxScaler computes scale = 1 / (max - min) and offset = -min * scale per column (a zero range
    counts as 1, so a constant column maps to 0) and transforms as x * scale + offset, in float64;
  - scikit-learn's StandardScaler divides x - mean by the population standard deviation (ddof 0), a zero one
    counting as 1;
  - OneHotEncoder orders categories as numpy.unique sorts them, and make_column_transformer puts the encoded
    columns first, then the remainder in file order;
  - LabelEncoder numbers the sorted class names.
The seed then cast features to float32; so do the outputs here.
"""
import csv
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "..", "resources", "golden", "seed-preprocessing")


def keel(path):
    """Attribute names and the data rows (float64) of a KEEL .dat file with numeric attributes only."""
    names, rows, data = [], [], False
    with open(path) as f:
        for line in f:
            s = line.strip()
            if not s:
                continue
            if data:
                rows.append([float(c) for c in s.split(",")])
            elif s.lower().startswith("@attribute"):
                names.append(s.split()[1].split("[")[0])
            elif s.lower() == "@data":
                data = True
    return names, np.array(rows, dtype=np.float64)


def min_max(x):
    lo, hi = x.min(axis=0), x.max(axis=0)
    rng = hi - lo
    rng[rng == 0.0] = 1.0
    scale = 1.0 / rng
    offset = -lo * scale
    return lo, rng, x * scale + offset


def standard(x):
    mean = x.mean(axis=0)
    std = np.sqrt(x.var(axis=0))
    std[std == 0.0] = 1.0
    return mean, std, (x - mean) / std


def f32(a):
    """float32 values as Python floats, so JSON holds exactly what the seed's float32 arrays held."""
    return [float(v) for v in np.asarray(a, dtype=np.float32).ravel()]


def write(name, payload):
    with open(os.path.join(GOLDEN, name + ".expected.json"), "w") as f:
        json.dump(payload, f, indent=1)
        f.write("\n")


def california():
    names, table = keel(os.path.join(GOLDEN, "california_small.dat"))
    target = table[:, -1] / 1000.0
    low, high = np.quantile(target, [0.05, 0.95])
    kept = np.nonzero((target >= low) & (target <= high))[0]
    features = names[2:-1]
    lo, rng, x = min_max(table[kept][:, 2:-1])
    write("california", {
        "features": features, "target_low": float(low), "target_high": float(high),
        "kept_rows": [int(r) for r in kept], "offset": [float(v) for v in lo], "scale": [float(v) for v in rng],
        "x": f32(x), "y": f32(target[kept]),
    })


def mv():
    names, table = keel(os.path.join(GOLDEN, "mv_small.dat"))
    lo, rng, x = min_max(table[:, :-1])
    write("mv", {
        "features": names[:-1], "kept_rows": list(range(len(table))), "offset": [float(v) for v in lo],
        "scale": [float(v) for v in rng], "x": f32(x), "y": f32(table[:, -1]),
    })


def churn():
    with open(os.path.join(GOLDEN, "churn_small.csv"), newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    keep = [c for c in header[:-1] if c not in ("RowNumber", "CustomerId", "Surname")]
    col = {c: header.index(c) for c in header}
    encoded_names, encoded = [], []
    for c in ("Geography", "Gender"):
        values = np.array([r[col[c]] for r in body])
        for category in np.unique(values):
            encoded_names.append(c + "=" + category)
            encoded.append((values == category).astype(np.float64))
    rest_names = [c for c in keep if c not in ("Geography", "Gender")]
    rest = np.array([[float(r[col[c]]) for c in rest_names] for r in body], dtype=np.float64)
    mean, std, scaled = standard(rest)
    x = np.column_stack(encoded + [scaled])
    write("churn", {
        "features": encoded_names + rest_names, "kept_rows": list(range(len(body))),
        "offset": [0.0] * len(encoded_names) + [float(v) for v in mean],
        "scale": [1.0] * len(encoded_names) + [float(v) for v in std],
        "x": f32(x), "labels": [int(r[col["Exited"]]) for r in body],
    })


def telescope():
    with open(os.path.join(GOLDEN, "telescope_small.dat")) as f:
        rows = [line.strip().split(",") for line in f if line.strip()]
    table = np.array([[float(c) for c in r[:-1]] for r in rows], dtype=np.float64)
    classes = sorted(set(r[-1] for r in rows))
    mean, std, x = standard(table)
    write("telescope", {
        "kept_rows": list(range(len(rows))), "offset": [float(v) for v in mean], "scale": [float(v) for v in std],
        "x": f32(x), "labels": [classes.index(r[-1]) for r in rows],
    })


if __name__ == "__main__":
    california()
    mv()
    churn()
    telescope()
