#!/usr/bin/python3
"""Make tests/fixtures/vector_math/elementary.json: log(x), log1p(x) and exp(x) at fixed double
points, exact to 20 significant digits (mpmath, beside Debian's python3-scipy, at 50 digits),
for the array functions that embcheck evaluates four values at a time (vector_math.cpp) in the
one-sided Kolmogorov-Smirnov sums.

Points: for log, powers of ten from 1e-300 to 1e300 and a fine grid around 1 (where log is
near 0); for log1p, a grid from -0.99 to 1e6, tiny arguments and the ratios n d / v and
n d / (n - v - n d) of the sums (n up to 4096); for exp, a grid from -745 to 709 (subnormal and
zero results included) and arguments near 0. Each list also has 1000 draws of a fixed seed.
Run from anywhere with /usr/bin/python3.
"""
import json
import os

import mpmath
import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "vector_math")
mpmath.mp.dps = 50
rng = np.random.default_rng(20261127)


def exact(value):
    return mpmath.nstr(value, 20, min_fixed=1, max_fixed=0)


log_x = np.concatenate([10.0 ** np.linspace(-300, 300, 601), np.linspace(0.9, 1.1, 401),
                        [1.0, np.nextafter(1.0, 2.0), np.nextafter(1.0, 0.0), 5e-324, 2.2250738585072014e-308],
                        np.exp(rng.uniform(-700, 700, 1000))])
log1p_x = np.concatenate([np.linspace(-0.99, 1.0, 400), 10.0 ** np.linspace(-300, 6, 307),
                          [0.0, 1e-300, -1e-300, 1e-17, -1e-17],
                          rng.uniform(1.0, 128.0, 500) / rng.integers(1, 4096, 500),
                          rng.uniform(0.0, 1.0, 500) ** 3])
exp_x = np.concatenate([np.linspace(-745.0, 709.0, 1455), np.linspace(-1e-3, 1e-3, 201),
                        [0.0, -0.0, -708.3964185322641, -744.4400719213812, -746.0, 709.78],
                        rng.uniform(-60.0, 0.0, 1000)])


def table(points, f):
    return {"x": [float(v) for v in points], "exact": [exact(f(mpmath.mpf(float(v)))) for v in points]}


cases = {"source": "mpmath " + mpmath.__version__ + ", 50 digits", "log": table(log_x, mpmath.log),
         "log1p": table(log1p_x, mpmath.log1p), "exp": table(exp_x, mpmath.exp)}
os.makedirs(OUT, exist_ok=True)
with open(os.path.join(OUT, "elementary.json"), "w") as f:
    json.dump(cases, f)
    f.write("\n")
