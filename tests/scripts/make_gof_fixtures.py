#!/usr/bin/python3
"""Make tests/fixtures/gof/gof.json: reference values for the goodness-of-fit tests of
src/embcheck/statistics/gof_tests.hpp, from R 4.2 goftest 1.2.3 (ad.test, cvm.test, pAD, pCvM;
pnorm / pchisq for the mean and variance tests) and SciPy 1.10 (cramervonmises, chisquare,
jarque_bera, skewtest, kurtosistest, normaltest, skew, kurtosis).

Runs tests/scripts/make_gof_fixtures.R through Rscript for the R half. Deterministic: fixed
NumPy seeds and a fixed Park-Miller seed. Run from anywhere:  /usr/bin/python3 make_gof_fixtures.py

Contents:
  samples  small samples (n = 5 .. 5000, stored as sorted null CDF values u = ndtr(x), x tested
           against N(0, 1)) with every reference value.
  large    n = 20000 and 100000 samples that the C++ test rebuilds: Park-Miller integers
           s_k = 16807 s_{k-1} mod (2^31 - 1), u_k = (s_k / (2^31 - 1))^power, tested against
           U(0, 1); the sum of u is stored as a check of the rebuild.
  dist     the AD and CvM distributions on a grid of (n, q): goftest pAD (short adinf + errfix),
           ADinf (pAD fast = FALSE), "ad_full" = 1 - (ADinf + errfix(n, ADinf)) with errfix copied
           from goftest's AnDarl.c (the formula our code uses; also stored for every sample),
           pCvM (upper tail), pCvM(q, Inf),
           and SciPy's 1 - _cdf_cvm(q, n).
  moments  scalar inputs (n, skewness, kurtosis, mean, variance) of big samples (n up to 800000)
           with SciPy's JB / K^2 / skewtest / kurtosistest and R's mean and variance tests,
           including tails down to 1e-300.
"""
import json
import math
import os
import subprocess
import tempfile
import warnings

import numpy as np
import scipy
import scipy.special
import scipy.stats
from scipy.stats import _hypotests

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "fixtures", "gof")

KINDS = ["normal", "inverse_cdf", "sd105", "shift02", "t5", "uniform", "ties", "far"]
NS = [5, 8, 10, 20, 50, 100, 1000, 5000]
BIG_KINDS = {"normal", "sd105", "t5", "ties", "far"}  # the kinds that also get n = 5000
PM_MOD = 2**31 - 1
LARGE = [(20000, 1.0), (100000, 1.0), (100000, 1.003), (100000, 1.02)]
PM_SEED = 20240611


def sample(kind, n, seed):
    rng = np.random.default_rng(seed)
    if kind == "normal":
        x = rng.standard_normal(n)
    elif kind == "inverse_cdf":
        x = scipy.special.ndtri(rng.random(n))
    elif kind == "sd105":
        x = 1.05 * rng.standard_normal(n)
    elif kind == "shift02":
        x = 0.2 + rng.standard_normal(n)
    elif kind == "t5":
        x = rng.standard_t(5, n)
    elif kind == "uniform":
        x = rng.uniform(-np.sqrt(3.0), np.sqrt(3.0), n)
    elif kind == "ties":
        x = np.round(rng.standard_normal(n), 1)
    elif kind == "far":
        x = 1.5 + rng.standard_normal(n)
    return np.sort(x)


def default_bins(n):
    return max(2, min(int(np.floor(2.0 * n ** 0.4)), n // 5, 1000))


def chisq(u, k):
    edges = np.searchsorted(u, np.arange(1, k) / k, side="left")
    counts = np.diff(np.concatenate([[0], edges, [len(u)]]))
    r = scipy.stats.chisquare(counts)
    return {"bins": k, "statistic": float(r.statistic), "p": float(r.pvalue)}


def errfix(n, x):
    if x > 0.8:
        return (-130.2137 + (745.2337 - (1705.091 - (1950.646 - (1116.360 - 255.7844 * x) * x) * x) * x) * x) / n
    c = 0.01265 + 0.1757 / n
    if x < c:
        t = x / c
        t = np.sqrt(t) * (1.0 - t) * (49 * t - 102)
        return t * (0.0037 / (n * n) + 0.00078 / n + 0.00006) / n
    t = (x - c) / (0.8 - c)
    t = -0.00022633 + (6.54034 - (14.6538 - (14.458 - (8.259 - 1.91864 * t) * t) * t) * t) * t
    return t * (0.04213 + 0.01365 / n) / n


def ad_full(n, adinf):
    """P(A^2_n >= q) as 1 - (x + errfix(n, x)), x = ADinf clipped to [0, 1], p clipped to 1."""
    x = min(1.0, max(0.0, adinf))  # the series can return -1e-17 near 0
    return min(1.0, 1.0 - (x + errfix(n, x)))


def park_miller(n, seed):
    s = seed
    out = np.empty(n)
    for k in range(n):
        s = (16807 * s) % PM_MOD
        out[k] = s / PM_MOD
    return out


def moment_refs(x):
    n = len(x)
    d = {"n": n, "skewness": float(scipy.stats.skew(x)), "kurtosis": float(scipy.stats.kurtosis(x)),
         "mean": float(np.mean(x)), "variance": float(np.var(x, ddof=1))}
    jb = scipy.stats.jarque_bera(x)
    d["jb"] = [float(jb.statistic), float(jb.pvalue)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if n >= 5:
            d["kurtosistest_z"] = float(scipy.stats.kurtosistest(x).statistic)
        if n >= 8:
            d["skewtest_z"] = float(scipy.stats.skewtest(x).statistic)
            k2 = scipy.stats.normaltest(x)
            d["normaltest"] = [float(k2.statistic), float(k2.pvalue)]
    return d


def num_line(prefix, values):
    return ",".join([prefix] + [repr(float(v)) for v in values])


def main():
    os.makedirs(OUT, exist_ok=True)
    samples = []
    lines = []
    seed = 1000
    for kind in KINDS:
        for n in NS:
            if n == 5000 and kind not in BIG_KINDS:
                continue
            seed += 1
            x = sample(kind, n, seed)
            u = scipy.special.ndtr(x)
            cvm = scipy.stats.cramervonmises(x, "norm")
            entry = {"kind": kind, "n": n, "seed": seed, "u": [float(v) for v in u],
                     "cvm_scipy": [float(cvm.statistic), float(cvm.pvalue)],
                     "chisq": chisq(u, default_bins(n))}
            if n >= 50:
                entry["chisq_10"] = chisq(u, 10)
            entry.update(moment_refs(x))
            samples.append(entry)
            lines.append(num_line("pnorm", x))
    large = []
    for n, power in LARGE:
        u = np.sort(park_miller(n, PM_SEED) ** power)
        cvm = scipy.stats.cramervonmises(u, "uniform")
        # A^2 with an exactly rounded sum (math.fsum) of the textbook terms, ln(1 - u) as log1p.
        # R's -n + z/n loses ~log10(n) digits to cancellation (2.5e-9 relative at n = 100000).
        # (math.log, not np.log: NumPy's vectorised log has a small bias that the weights 2i + 1
        # accumulate to 1e-11 relative at n = 100000.)
        ul = [float(v) for v in u]
        terms = [(2 * i + 1) * (math.log(ul[i]) + math.log1p(-ul[n - 1 - i])) for i in range(n)]
        a2_fsum = -math.fsum(terms + [float(n) * n]) / n  # -n folded into the exact sum
        large.append({"n": n, "seed": PM_SEED, "power": power, "sum_u": float(np.sum(u)), "ad_fsum": a2_fsum,
                      "cvm_scipy": [float(cvm.statistic), float(cvm.pvalue)],
                      "chisq": chisq(u, default_bins(n))})
        lines.append(num_line("punif", u))

    grid = []
    for n in [0, 5, 8, 10, 20, 50, 100, 1000, 100000, 800000]:
        for q in [0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0, 1.2, 1.5, 1.9, 2.0, 2.1,
                  2.5, 3.0, 3.5, 4.0, 5.0, 6.0, 7.0, 8.0, 10.0, 12.0, 14.0, 16.0, 20.0, 30.0]:
            grid.append("dist,%d,%r" % (n, q))
    moment_inputs = []
    rng = np.random.default_rng(77)
    for label, x in [("normal_800000", rng.standard_normal(800000)),
                     ("sd1003_800000", 1.003 * rng.standard_normal(800000)),
                     ("t30_800000", rng.standard_t(30, 800000)),
                     ("mix1pct_800000", np.where(rng.random(800000) < 0.01, 3.0, 1.0) * rng.standard_normal(800000)),
                     ("normal_100000", rng.standard_normal(100000)),
                     ("t5_100000", rng.standard_t(5, 100000))]:
        d = moment_refs(x)
        d["label"] = label
        moment_inputs.append(d)
    for n in [2, 10, 1000, 800000]:
        for mean in [0.0, 0.001, 0.01, 0.04, 1.0]:
            for var in [0.5, 0.95, 0.997, 1.0, 1.003, 1.01, 1.05, 1.07, 2.0]:
                grid.append("moment,%d,%r,%r" % (n, mean, var))

    with tempfile.TemporaryDirectory() as tmp:
        sfile, gfile, ofile = (os.path.join(tmp, f) for f in ("s.txt", "g.txt", "o.txt"))
        with open(sfile, "w") as f:
            f.write("\n".join(lines) + "\n")
        with open(gfile, "w") as f:
            f.write("\n".join(grid) + "\n")
        subprocess.run(["Rscript", os.path.join(HERE, "make_gof_fixtures.R"), sfile, gfile, ofile], check=True)
        with open(ofile) as f:
            rout = [line.strip().split(",") for line in f if line.strip()]

    dist = []
    moment_tests = []
    for row in rout:
        if row[0] == "sample":
            i = int(row[1])
            vals = [float(v) for v in row[2:]]
            target = samples[i] if i < len(samples) else large[i - len(samples)]
            # goftest's A^2 is Inf when a CDF value rounds to 1 (t5 tails): stored as null.
            target["ad"] = [v if np.isfinite(v) else None for v in vals[0:2]]
            target["ad_full"] = ad_full(target["n"], vals[2])
            target["cvm"] = vals[3:5]
            if i < len(samples):
                target["mean_test"] = vals[5:7]
                target["variance_test"] = vals[7:9]
        elif row[0] == "dist":
            n = int(float(row[1]))
            q, p_ad, adinf, p_cvm, vinf = (float(v) for v in row[2:])
            entry = {"n": n, "q": q, "ad_goftest": p_ad, "adinf": adinf, "cvm_goftest": p_cvm, "cvm_inf_cdf": vinf}
            if n > 0:
                entry["ad_full"] = ad_full(n, adinf)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    entry["cvm_scipy"] = float(max(0.0, 1.0 - _hypotests._cdf_cvm(q, n)))
            dist.append(entry)
        else:
            vals = [float(v) for v in row[1:]]
            moment_tests.append({"n": int(vals[0]), "mean": vals[1], "variance": vals[2], "z": vals[3],
                                 "p_mean": vals[4], "x": vals[5], "p_variance": vals[6]})

    fixture = {"generator": "tests/scripts/make_gof_fixtures.py (R 4.2 goftest %s, SciPy %s)"
               % (subprocess.run(["Rscript", "-e", "cat(format(packageVersion('goftest')))"],
                                 capture_output=True, text=True).stdout, scipy.__version__),
               "samples": samples, "large": large, "dist": dist, "moment_inputs": moment_inputs,
               "moment_tests": moment_tests}
    with open(os.path.join(OUT, "gof.json"), "w") as f:
        json.dump(fixture, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")


if __name__ == "__main__":
    main()
