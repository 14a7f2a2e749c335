#!/usr/bin/python3
"""Writes tests/fixtures/gof/ad_tail.json: Anderson-Darling A^2 of samples with values far in a
normal null's upper tail (6 to 20 sd), and of the same samples mirrored, from mpmath 1.2 at 50
digits: u_i = ncdf((x_i - mean) / std) and 1 - u_i = ncdf(-(x_i - mean) / std),
A^2 = -n - (1/n) sum (2i - 1)(ln u_i + ln(1 - u_(n+1-i))).

A double near 1 keeps 1 - F(x) to about 1e-16 absolute only: until 2026-11-28 embcheck took
1 - F by that subtraction and A^2 of the first sample below was 0.2% off (its mirror image, whose
far value is in the lower tail, was right). The C++ test (tests/unit/gof_tests_test.cpp) runs
both through analyse_sample.

Run: /usr/bin/python3 tests/scripts/make_ad_tail_fixtures.py   (deterministic, fixed seed)
"""
import json
import pathlib

import mpmath as mp
import numpy as np

mp.mp.dps = 50
OUT = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "gof" / "ad_tail.json"
rng = np.random.default_rng(20261128)


def a2(values, mean, std):
    v = sorted(values)
    n = len(v)
    u = [mp.ncdf((mp.mpf(x) - mean) / std) for x in v]
    upper = [mp.ncdf(-(mp.mpf(x) - mean) / std) for x in v]  # 1 - u, not rounded to 0 at 20 sd
    total = mp.fsum((2 * i - 1) * (mp.log(u[i - 1]) + mp.log(upper[n - i])) for i in range(1, n + 1))
    return float(-n - total / n)


samples = []


def add(name, values, mean=0.0, std=1.0):
    values = [float(x) for x in values]
    for mirrored in (False, True):
        shown = [2 * mean - x for x in values] if mirrored else values
        samples.append({"name": name + (" mirrored" if mirrored else ""), "mean": mean, "std": std,
                        "values": shown, "a2": a2(shown, mean, std)})


add("ten values, one at 8 sd", [-1.2, -0.7, -0.3, 0.0, 0.2, 0.5, 0.9, 1.3, -0.1, 8.0])
add("50 normal values and two at 6.2 and 7.5 sd", list(rng.standard_normal(50)) + [6.2, 7.5])
add("2000 normal values and three at 9, 12 and 20 sd", list(rng.standard_normal(2000)) + [9.0, 12.0, 20.0])
add("N(3, 0.5^2): 200 values and one at 7 sd", list(3 + 0.5 * rng.standard_normal(200)) + [3 + 0.5 * 7.0],
    mean=3.0, std=0.5)
OUT.write_text(json.dumps({"generator": "tests/scripts/make_ad_tail_fixtures.py", "mpmath": mp.__version__,
                           "samples": samples}, indent=1) + "\n")
