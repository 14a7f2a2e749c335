#!/usr/bin/python3
"""Writes tests/fixtures/two_sample/reference.json: scipy.stats.ks_2samp (method 'auto', two-sided)
and scipy.stats.anderson_ksamp (midrank=True) of SciPy 1.10 on seeded samples, values as repr().

Run: /usr/bin/python3 tests/scripts/make_two_sample_fixtures.py   (deterministic, fixed seeds)
"""

import json
import pathlib
import warnings

import numpy as np
import scipy
from scipy import stats

OUT = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "two_sample"
assert scipy.__version__.startswith("1.10"), scipy.__version__
rng = np.random.default_rng(20261126)


def sample(kind, n):
    if kind == "normal":
        return rng.standard_normal(n)
    if kind == "shifted":
        return rng.standard_normal(n) + 0.3
    if kind == "wide":
        return 1.5 * rng.standard_normal(n)
    if kind == "ties":
        return np.round(rng.standard_normal(n), 1)
    if kind == "float32":
        return rng.standard_normal(n).astype(np.float32).astype(np.float64)
    raise ValueError(kind)


ks = []
for n1, n2, k1, k2 in [(5, 7, "normal", "normal"), (10, 10, "normal", "shifted"), (20, 30, "normal", "wide"),
                       (50, 50, "ties", "ties"), (100, 37, "normal", "shifted"), (300, 200, "normal", "normal"),
                       (1000, 1000, "normal", "shifted"), (3, 1, "normal", "normal"), (1, 1, "normal", "normal"),
                       (2000, 3000, "float32", "float32"), (12000, 9000, "normal", "normal"),
                       (64, 48, "ties", "normal")]:
    a, b = sample(k1, n1), sample(k2, n2)
    r = stats.ks_2samp(a, b)
    method = "exact" if max(n1, n2) <= 10000 else "asymp"
    ks.append({"a": [repr(float(x)) for x in a], "b": [repr(float(x)) for x in b],
               "statistic": repr(float(r.statistic)), "p_value": repr(float(r.pvalue)), "method": method})

ad = []
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    for sizes, kinds in [((10, 12), ("normal", "normal")), ((50, 60), ("normal", "shifted")),
                         ((30, 30, 30), ("normal", "normal", "wide")), ((100, 80), ("ties", "ties")),
                         ((200, 200), ("normal", "shifted")), ((40, 45), ("normal", "normal")),
                         ((500, 400, 300, 200), ("normal", "normal", "normal", "normal")),
                         ((25, 25), ("normal", "wide")), ((1000, 1000), ("normal", "shifted"))]:
        samples = [sample(k, n) for n, k in zip(sizes, kinds)]
        r = stats.anderson_ksamp(samples)
        ad.append({"samples": [[repr(float(x)) for x in s] for s in samples], "statistic": repr(float(r.statistic)),
                   "critical_values": [repr(float(c)) for c in r.critical_values],
                   "p_value": repr(float(r.pvalue))})

OUT.mkdir(parents=True, exist_ok=True)
(OUT / "reference.json").write_text(json.dumps({"scipy": scipy.__version__, "ks_2samp": ks, "anderson_ksamp": ad}))
