#!/usr/bin/python3
"""Writes tests/fixtures/comparison/scipy.json: pairs of small tables A and B and, for every
compared sample (row i of A against row i of B, column j, all values), what SciPy 1.10 and
NumPy 1.24 say: scipy.stats.ks_2samp (method 'auto', two-sided), scipy.stats.anderson_ksamp
(midrank=True) and the moments (mean, unbiased variance, scipy.stats.skew, scipy.stats.kurtosis).
Tables hold float32 values (as embeddings do); the statistics are computed in float64.

Also "limit_tail": P(A^2_inf > 1 + sigma_inf T), the upper tail of the limiting law of the
standardized two-sample Anderson-Darling statistic, from the Marsaglias' ADinf series (J. Stat.
Softw. 9(2), 2004) evaluated with mpmath at 50 digits, where 1 - ADinf in double (and R's goftest)
has lost its relative accuracy.

Run: /usr/bin/python3 tests/scripts/make_comparison_fixtures.py   (deterministic, fixed seeds)
"""

import json
import pathlib
import warnings

import mpmath as mp
import numpy as np
import scipy
from scipy import stats

OUT = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "comparison"
assert scipy.__version__.startswith("1.10"), scipy.__version__
rng = np.random.default_rng(20261127)


def f32(x):
    return np.asarray(x, dtype=np.float32).astype(np.float64)


def sample_record(a, b):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ks = stats.ks_2samp(a, b)
    fell_back = any("Exact calculation unsuccessful" in str(w.message) for w in caught)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ad = stats.anderson_ksamp([a, b])
    moments = {}
    for name, x in (("a", a), ("b", b)):
        moments[name] = {"n": len(x), "mean": float(np.mean(x)), "sample_variance": float(np.var(x, ddof=1)),
                         "skewness": float(stats.skew(x)), "excess_kurtosis": float(stats.kurtosis(x))}
    return {**moments,
            "ks": {"statistic": float(ks.statistic), "p_value": float(ks.pvalue),
                   "method": "exact" if max(len(a), len(b)) <= 10000 and not fell_back else "asymptotic"},
            "anderson": {"statistic": float(ad.statistic), "critical_values": [float(c) for c in ad.critical_values],
                         "p_value": float(ad.pvalue)}}


def case(name, a, b):
    a = f32(a)
    b = f32(b)
    out = {"name": name, "a": {"rows": a.shape[0], "dim": a.shape[1], "values": a.ravel().tolist()},
           "b": {"rows": b.shape[0], "dim": b.shape[1], "values": b.ravel().tolist()},
           "rows": [sample_record(a[i], b[i]) for i in range(min(a.shape[0], b.shape[0]))],
           "table": sample_record(a.ravel(), b.ravel())}
    if a.shape[1] == b.shape[1]:
        out["columns"] = [sample_record(a[:, j], b[:, j]) for j in range(a.shape[1])]
    return out


cases = [
    # Rows of different lengths (dim 12 against 9) and counts (3 against 4: one row of B unmatched).
    case("different_shapes", rng.standard_normal((3, 12)), 1.2 * rng.standard_normal((4, 9)) + 0.1),
    # Many ties: float16 values of U(1, 1.02) (spacing 2^-10, about 20 distinct values).
    case("float16_ties", rng.uniform(1, 1.02, (5, 30)).astype(np.float16),
         rng.uniform(1, 1.021, (5, 30)).astype(np.float16)),
    # Equal shapes, a shifted B: rows, columns and the table all tested.
    case("shifted", rng.standard_normal((6, 40)), rng.standard_normal((6, 40)) + 0.5),
    # One sample of each pair beyond 10000 values: the asymptotic KS p-value.
    case("large_rows", rng.standard_normal((1, 10500)), rng.standard_normal((1, 10200))),
    # Small samples: a row of 4 against 5 values (the exact KS path, Anderson-Darling not calibrated).
    case("small", rng.standard_normal((2, 4)), rng.standard_normal((2, 5)) * 2),
]


def adinf_term(z, j):
    """The j-th function of the ADinf series (Marsaglia and Marsaglia 2004, ADf)."""
    t = (4 * j + 1) ** 2 * mp.pi ** 2 / (8 * z)
    a = mp.pi / mp.sqrt(2) * mp.exp(-t) / mp.sqrt(t)
    b = mp.pi * mp.sqrt(mp.pi) / mp.sqrt(2) * mp.erfc(mp.sqrt(t))
    r = z / 8
    f = a + b * r
    for i in range(1, 5000):
        c = ((i - mp.mpf(1) / 2 - t) * b + t * a) / i
        a, b = b, c
        r *= z / (8 * i + 8)
        if abs(c * r) < mp.mpf(10) ** -60 * abs(f):
            break
        f += c * r
    return f


def adinf(z):
    z = mp.mpf(z)
    r = 1 / z
    total = r * adinf_term(z, 0)
    for j in range(1, 500):
        r *= (mp.mpf(1) / 2 - j) / j
        term = (4 * j + 1) * r * adinf_term(z, j)
        total += term
        if abs(term) < mp.mpf(10) ** -48:
            break
    return total


mp.mp.dps = 50
sigma_inf = mp.sqrt(2 * (mp.pi ** 2 - 9) / 3)
tail_t = [2, 4, 8, 12, 20, 28, 31, 35, 45, 60]
limit_tail = {"statistic": tail_t, "p_value": [float(1 - adinf(1 + sigma_inf * t)) for t in tail_t]}

OUT.mkdir(parents=True, exist_ok=True)
(OUT / "scipy.json").write_text(json.dumps({"scipy": scipy.__version__, "numpy": np.__version__, "mpmath": mp.__version__,
                                            "cases": cases, "limit_tail": limit_tail}))
