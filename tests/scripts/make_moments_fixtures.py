#!/usr/bin/python3
"""Makes tests/fixtures/moments/moments.json with NumPy 1.24 / SciPy 1.10 (float64).

    /usr/bin/python3 tests/scripts/make_moments_fixtures.py        (from the repository root)

Each row: its values (non-finite ones as the strings "nan", "inf", "-inf"), the smallest normal
of its source type (FLT_MIN for float32 data, DBL_MIN for float64), and the expected counts and
moments over the finite values: np.mean, np.var (ddof 0 and 1), np.std(ddof=1), min, max,
scipy.stats.skew and scipy.stats.kurtosis with bias=True (kurtosis is the excess, fisher=True).
Expected values that are NaN are written as the string "nan".

The large row ("float32_offset_1000", 800000 values) is not stored: the C++ test rebuilds it from
Park-Miller minimal-standard integers s_k = 16807 s_{k-1} mod (2^31 - 1), u_k = s_k / (2^31 - 1),
value_k = float32(1000 + 4 u_{2k}^2 + u_{2k+1}) (only exactly rounded operations), and checks a
few probes before comparing moments. It is the spec's precision pitfall: float32 data with an
offset of 1000, where accumulating in float32 loses 2e-4 relative.
"""
import json
import math
import os
import sys
import warnings

import numpy as np
import scipy
import scipy.stats

FLT_MIN = float(np.finfo(np.float32).tiny)
DBL_MIN = float(np.finfo(np.float64).tiny)
out_dir = sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/moments"
os.makedirs(out_dir, exist_ok=True)


def encode(v):
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def expected(values, smallest_normal, shift=0.0, unit_exponent=0):
    a = np.asarray(values, dtype=np.float64)
    f = a[np.isfinite(a)]
    # scipy's skew/kurtosis centre on np.mean without a correction term: at an offset of 1e8 the
    # mean's rounding (~1e-8) moves the skewness by ~5e-9. For offset rows they are computed on the
    # exactly shifted sample (shape statistics are shift invariant).
    shifted = f - shift
    assert np.all(shifted + shift == f)
    # Rows at scales of 1e-110 or 1e80 make scipy's third and fourth moments underflow or overflow:
    # their shape statistics (scale invariant) are computed in units of 2^unit_exponent, exactly.
    shifted = np.ldexp(shifted, -unit_exponent)
    assert np.all(np.ldexp(shifted, unit_exponent) == f - shift)
    # numpy's mean of a constant row can miss the value by an ulp, so scipy warns of cancellation
    # there; embcheck defines that case exactly (variance 0, skewness and kurtosis NaN).
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        r = {
            "n": int(a.size),
            "finite": int(f.size),
            "nan": int(np.isnan(a).sum()),
            "positive_infinity": int(np.isposinf(a).sum()),
            "negative_infinity": int(np.isneginf(a).sum()),
            "zeros": int((a == 0).sum()),
            "subnormals": int(((a != 0) & (np.abs(a) < smallest_normal)).sum()),
        }
        if f.size == 0:
            stats = dict.fromkeys(["mean", "variance", "sample_variance", "std", "min", "max", "skewness",
                                   "excess_kurtosis"], math.nan)
        else:
            stats = {
                "mean": np.mean(f),
                "variance": np.var(f),
                "sample_variance": np.var(f, ddof=1) if f.size > 1 else math.nan,
                "std": np.std(f, ddof=1) if f.size > 1 else math.nan,
                "min": np.min(f),
                "max": np.max(f),
                "skewness": scipy.stats.skew(shifted, bias=True),
                "excess_kurtosis": scipy.stats.kurtosis(shifted, fisher=True, bias=True),
            }
    r.update({k: encode(v) for k, v in stats.items()})
    return r


def row(name, values, smallest_normal, store_values=True, shift=0.0, unit_exponent=0):
    r = {"name": name, "smallest_normal": smallest_normal}
    if store_values:
        r["values"] = [encode(v) for v in values]
    r["expected"] = expected(values, smallest_normal, shift, unit_exponent)
    return r


def f32(values):
    return np.asarray(values, dtype=np.float32).astype(np.float64)


rng = np.random.default_rng(20240501)
rows = [
    row("normal_1000_float64", rng.standard_normal(1000), DBL_MIN),
    row("exponential_999_float64", rng.exponential(size=999), DBL_MIN),
    row("t3_float32", f32(rng.standard_t(3, size=2000)), FLT_MIN),
    row("offset_1e8_float64", 1e8 + rng.standard_normal(1000), DBL_MIN, shift=1e8),
    row("offset_1000_float32", f32(1000 + rng.standard_normal(3000)), FLT_MIN, shift=1000.0),
    row("mixed_nonfinite_float32",
        list(f32(rng.standard_normal(40))) + [math.nan, math.inf, -math.inf, math.nan, 0.0, -0.0, 1e-40, -3e-39,
                                               1e-45, 2.0, -7.5, math.inf],
        FLT_MIN),
    # 1e-40 is normal for float64 but subnormal for float32: which it is depends on smallest_normal.
    row("subnormals_float64", [1e-310, -2e-320, 1e-40, 0.0, 5.0, -1.0, 3.25], DBL_MIN),
    row("constant_0.1", [0.1] * 7, DBL_MIN),
    row("constant_with_nan", [math.nan, -2.5, -2.5, math.inf, -2.5], DBL_MIN),
    row("single", [42.0], DBL_MIN),
    row("two", [1.0, 4.0], DBL_MIN),
    row("all_nan", [math.nan, math.nan], DBL_MIN),
    row("empty", [], DBL_MIN),
    row("blocks_with_gaps_float64",
        [math.nan if i % 997 == 0 else (0.0 if i % 1499 == 0 else math.sin(i) * 3 + 1) for i in range(5000)],
        DBL_MIN),
]

# Normal values times 1e-110 and 1e80: embcheck's skewness and kurtosis were NaN and infinite
# there until 2026-11-28 (their third and fourth powers under- and overflowed), and the tests of
# them ended the check with an error. Drawn after the rows above, so those did not change.
rows.append(row("scaled_1e-110_float64", 1e-110 * rng.standard_normal(500), DBL_MIN, unit_exponent=-365))
rows.append(row("scaled_1e80_float64", 1e80 * rng.standard_normal(500), DBL_MIN, unit_exponent=266))

# The 800000-value float32 row with an offset of 1000.
n = 800000
seed = 20240501
state = seed
values = np.empty(n)
for k in range(n):
    state = state * 16807 % 2147483647
    u1 = state / 2147483647
    state = state * 16807 % 2147483647
    u2 = state / 2147483647
    values[k] = 1000.0 + 4.0 * u1 * u1 + u2
values = f32(values)
large = row("float32_offset_1000", values, FLT_MIN, store_values=False, shift=1000.0)
large["park_miller_seed"] = seed
large["size"] = n
large["probes"] = {str(i): float(values[i]) for i in (0, 1, 2, 12345, 400000, 799999)}
rows.append(large)

fixture = {
    "generator": "tests/scripts/make_moments_fixtures.py",
    "numpy": np.__version__,
    "scipy": scipy.__version__,
    "rows": rows,
}
with open(os.path.join(out_dir, "moments.json"), "w") as f:
    json.dump(fixture, f, allow_nan=False)
    f.write("\n")
