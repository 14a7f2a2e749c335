#!/usr/bin/python3
"""Make tests/fixtures/ks/*.json: reference values of the one-sample Kolmogorov-Smirnov
distribution and test from SciPy 1.10 (scipy.stats.kstwo.sf, scipy.special.smirnov,
scipy.stats.kstest(x, 'norm', method='exact')), plus a few far-tail values of the Birnbaum-Tingey
sum in 30-digit arithmetic with mpmath (1.2.1 beside Debian's python3-scipy). SciPy rounds each
term of that sum to a double, so its results below 2.2e-308 (subnormal terms) are only good to a
few percent.

Deterministic: fixed grids and a fixed NumPy seed. Run from anywhere with /usr/bin/python3;
takes about five minutes (SciPy and mpmath sum O(n) terms for n up to 10^6).
"""
import json
import math
import os

import mpmath
import numpy as np
import scipy
import scipy.special
import scipy.stats

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "ks")

NS = [1, 2, 3, 5, 10, 20, 50, 99, 100, 140, 141, 200, 500, 1000, 5000, 10000, 100000,
      800000, 1000000, 1000001, 10000000]
# n * d^2 values spanning every branch of kstwo.sf: DMTW (<= 0.754693 for n <= 140),
# Pomeranz (<= 4), Pelz-Good / DMTW (< 2.2 for n > 140), 2*smirnov (>= 2.2), 0 (>= 370).
LAMBDAS = [1e-4, 1e-3, 0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.754693, 0.7547, 0.9, 1.0, 1.3,
           1.7, 2.0, 2.1999, 2.2, 2.2001, 2.5, 3.0, 3.5, 3.9999, 4.0, 4.0001, 5.0, 7.0, 10.0,
           14.0, 18.0, 25.0, 40.0, 60.0, 100.0, 150.0, 200.0, 250.0, 300.0, 340.0, 360.0,
           369.0, 369.9, 370.0, 371.0]


def ds_for(n):
    ds = set()
    for lam in LAMBDAS:
        d = math.sqrt(lam / n)
        if d < 1.0:
            ds.add(d)
    # Ends of the range: Ruben-Gambino below 1/n and above 1 - 1/n, knots at k/n.
    for t in [0.25, 0.5, 0.5000001, 0.6, 0.75, 0.9, 0.999, 1.0, 1.0000001, 1.5, 2.0, 2.5, 3.0]:
        ds.add(t / n)
    for d in [0.3, 0.45, 0.4999999, 0.5, 0.5000001, 0.55, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99,
              1 - 1e-9, 1.0]:
        ds.add(d)
    for t in [n - 1.5, n - 1.0, n - 0.999, n - 0.5, n - 0.1]:
        if t > 0:
            ds.add(t / n)
    # The DMTW / Pelz-Good switch of SciPy for n > 140: n * d^1.5 = 1.4.
    if 140 < n <= 100000:
        c = (1.4 / n) ** (2.0 / 3.0)
        for f in [0.9, 0.999999, 1.000001, 1.1]:
            ds.add(c * f)
    return sorted(d for d in ds if 0.0 < d <= 1.0)


def smirnov_mpmath(n, d):
    """P(D+_n >= d) = d sum_{v=0}^{v < n(1-d)} C(n,v) (d+v/n)^(v-1) (1-d-v/n)^(n-v), 30 digits."""
    mpmath.mp.dps = 30
    nn, dd = mpmath.mpf(n), mpmath.mpf(d)
    last = int(mpmath.floor(nn * (1 - dd)))
    if last == nn * (1 - dd):
        last -= 1
    lg_n = mpmath.loggamma(nn + 1)
    lg_v = mpmath.mpf(0)
    total = mpmath.mpf(0)
    for v in range(last + 1):
        if v > 0:
            lg_v += mpmath.log(v)
        p = dd + v / nn
        total += mpmath.exp(lg_n - lg_v - mpmath.loggamma(nn - v + 1) + (v - 1) * mpmath.log(p)
                            + (n - v) * mpmath.log(1 - p))
    return dd * total


def main():
    rows = []
    for n in NS:
        for d in ds_for(n):
            sf = float(scipy.stats.kstwo.sf(d, n))
            one = float(scipy.special.smirnov(n, d))
            rows.append({"n": n, "d": float(d), "kstwo_sf": sf, "smirnov": one})
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "kolmogorov_sf.json"), "w") as f:
        json.dump({"scipy": scipy.__version__,
                   "note": "kstwo_sf = scipy.stats.kstwo.sf(d, n); smirnov = scipy.special.smirnov(n, d)",
                   "rows": rows}, f, indent=0)

    exact = []
    for n, d in [(100000, 0.02), (800000, 0.02), (800000, math.sqrt(369.0 / 800000))]:
        exact.append({"n": n, "d": d, "smirnov": mpmath.nstr(smirnov_mpmath(n, d), 20),
                      "scipy_smirnov": float(scipy.special.smirnov(n, d))})
    with open(os.path.join(OUT, "smirnov_tail_mpmath.json"), "w") as f:
        json.dump({"mpmath": mpmath.__version__, "scipy": scipy.__version__,
                   "note": "smirnov = exact Birnbaum-Tingey sum, 30 digits (string)",
                   "rows": exact}, f, indent=0)

    rng = np.random.default_rng(20240611)
    samples = []
    for n, loc, scale in [(1, 0.0, 1.0), (7, 0.0, 1.0), (20, 0.0, 1.0), (100, 0.0, 1.0),
                          (137, 0.3, 1.0), (500, 0.0, 1.1), (1000, 0.0, 1.0), (2000, 0.25, 1.0),
                          (3000, 0.0, 1.0)]:
        x = rng.normal(loc, scale, size=n)
        r = scipy.stats.kstest(x, "norm", method="exact")
        xs = np.sort(x)
        cdf = scipy.stats.norm.cdf(xs)
        i = np.arange(1, n + 1)
        samples.append({"n": n, "loc": loc, "scale": scale, "x": [float(v) for v in x],
                        "statistic": float(r.statistic), "p_value": float(r.pvalue),
                        "d_plus": float(np.max(i / n - cdf)),
                        "d_minus": float(np.max(cdf - (i - 1) / n))})
    with open(os.path.join(OUT, "kstest_norm.json"), "w") as f:
        json.dump({"scipy": scipy.__version__,
                   "note": "scipy.stats.kstest(x, 'norm', method='exact') on N(loc, scale) samples",
                   "samples": samples}, f)


if __name__ == "__main__":
    main()
