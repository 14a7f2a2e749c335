#!/usr/bin/python3
"""Make tests/fixtures/vector_math/normal_cdf.json: erfc(x) and the normal CDF
Phi((x - mean) / std) at fixed double points, exact to 20 significant digits (mpmath 1.2.1,
beside Debian's python3-scipy, at 50 digits), for the array erfc and the normal CDF that
embcheck evaluates four values at a time (vector_math.cpp). SciPy's own erfc is not used as
the reference: in the upper tail it is off by up to 1e-14 relative (erfc(11.35): SciPy
5.5957554604831175e-58, exact 5.59575546048311168e-58).

Points: a grid over the range where erfc is neither 0 nor 2 in double (x from -6 to 27,
both tails), its ends, and 1000 normal draws (fixed seed); the CDF for N(0, 1) and N(0.5, 2^2)
at the points whose erfc argument covers the same range.
Run from anywhere with /usr/bin/python3.
"""
import json
import os

import mpmath
import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "vector_math")
mpmath.mp.dps = 50

rng = np.random.default_rng(20261127)
x = np.concatenate([np.linspace(-6.0, 27.0, 1321), [0.0, -0.0, 1e-300, -1e-300, 26.5, 27.2, -5.9],
                    rng.standard_normal(1000)])


def exact(value):
    return mpmath.nstr(value, 20, min_fixed=1, max_fixed=0)


cases = {"source": "mpmath " + mpmath.__version__ + ", 50 digits", "x": [float(v) for v in x],
         "erfc": [exact(mpmath.erfc(mpmath.mpf(float(v)))) for v in x], "cdf": []}
for mean, std in [(0.0, 1.0), (0.5, 2.0)]:
    points = [float(v) for v in x * std * np.sqrt(2.0) * -1.0 + mean]
    cdf = [exact(mpmath.erfc(-(mpmath.mpf(p) - mean) / (std * mpmath.sqrt(2))) / 2) for p in points]
    cases["cdf"].append({"mean": mean, "std": std, "x": points, "cdf": cdf})
os.makedirs(OUT, exist_ok=True)
with open(os.path.join(OUT, "normal_cdf.json"), "w") as f:
    json.dump(cases, f)
    f.write("\n")
