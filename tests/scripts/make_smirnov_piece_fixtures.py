#!/usr/bin/python3
"""Make tests/fixtures/ks/smirnov_pieces.json: P(D+_n >= d) from the exact Birnbaum-Tingey sum
in 30-digit arithmetic (mpmath 1.2.1, beside Debian's python3-scipy), where embcheck reads it
from Chebyshev pieces (10 <= n <= 4096, n d^2 <= 4; one piece per unit of n d, or per four
units above n d = 12 from n = 150): at both sides of the pieces' ends (n d = k -+ 1e-9
relative, and exactly k), mid-piece (n d = k + 1/2) and near n d^2 = 4, for n = 10, 11, 128,
150, 300, 1001 and 4096; and from n = 150, where the pieces above n d = 12 are 4 units wide,
both sides of their ends and four points inside each.

Deterministic grid. Run from anywhere with /usr/bin/python3; takes a few minutes.
"""
import json
import math
import os

import mpmath

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "ks")
mpmath.mp.dps = 30


def smirnov_exact(n, d):
    """P(D+_n >= d) = d sum_{v=0}^{floor(n(1-d))} C(n,v) (d+v/n)^(v-1) (1-d-v/n)^(n-v)."""
    dm = mpmath.mpf(d)
    total = mpmath.mpf(0)
    last = int(mpmath.floor(n * (1 - dm)))
    if n * (1 - dm) == last:
        last -= 1  # the v = n(1-d) term is 0
    for v in range(0, last + 1):
        total += mpmath.binomial(n, v) * (dm + mpmath.mpf(v) / n) ** (v - 1) * (1 - dm - mpmath.mpf(v) / n) ** (n - v)
    return dm * total


rows = []
for n in [10, 11, 128, 150, 300, 1001, 4096]:
    top = int(2 * math.sqrt(n))  # n d^2 <= 4 means n d <= 2 sqrt(n)
    step = 1 if n <= 128 else 9
    ds = []
    for k in range(1, top + 1, step):
        for nd in [k * (1 - 1e-9), k, k * (1 + 1e-9), k + 0.5]:
            ds.append(nd / n)
    for t in [3.9, 3.99, 4.0]:
        ds.append(math.sqrt(t / n))
    if n >= 150:
        # The wide pieces (4 units of n d from n d = 12, n >= 150): both sides of every
        # piece's ends and four points inside, every piece up to n d^2 = 4.
        for lo in range(12, top + 1, 4):
            for nd in [lo * (1 - 1e-9), lo * (1 + 1e-9), lo + 0.7, lo + 1.5, lo + 2.3, lo + 3.9]:
                ds.append(nd / n)
    for d in dict.fromkeys(ds):  # each d once, in order
        if n * d * d > 4.0 or d >= 1.0:
            continue
        rows.append({"n": n, "d": d, "smirnov": mpmath.nstr(smirnov_exact(n, d), 20)})

with open(os.path.join(OUT, "smirnov_pieces.json"), "w") as f:
    json.dump({"source": "mpmath 30-digit Birnbaum-Tingey sum", "rows": rows}, f, indent=0)
    f.write("\n")
print(len(rows), "rows")
