#!/usr/bin/python3
"""Writes tests/fixtures/analysis/table.json: a small float64 table with, per row and pooled,
SciPy's exact KS test against N(0, 1) (scipy.stats.kstest(method='exact')), R's shapiro.test
and NumPy's mean and population variance.

Run: /usr/bin/python3 tests/scripts/make_analysis_fixtures.py  (needs python3-scipy, r-base-core)
"""
import json
import pathlib
import subprocess

import numpy as np
from scipy import stats

out = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "analysis"
out.mkdir(parents=True, exist_ok=True)
rng = np.random.default_rng(7)
table = np.vstack([
    rng.standard_normal(40),            # consistent with N(0, 1)
    rng.standard_normal(40) * 1.8,      # too wide
    rng.standard_normal(40) + 0.2,      # slightly shifted
    rng.uniform(-2.0, 2.0, 40),         # wrong shape
])


def shapiro_r(x):
    values = ",".join(repr(float(v)) for v in x)
    script = f"r <- shapiro.test(c({values})); cat(sprintf('%.17g %.17g', r$statistic, r$p.value))"
    w, p = subprocess.run(["Rscript", "-e", script], capture_output=True, text=True, check=True).stdout.split()
    return float(w), float(p)


def sample(x):
    ks = stats.kstest(x, "norm", method="exact")
    w, p = shapiro_r(x)
    return {"mean": float(np.mean(x)), "variance": float(np.var(x)),
            "ks_statistic": float(ks.statistic), "ks_p_value": float(ks.pvalue),
            "sw_statistic": w, "sw_p_value": p}


doc = {"rows": table.shape[0], "dim": table.shape[1],
       "values": [float(v) for v in table.ravel()],
       "row_results": [sample(row) for row in table],
       "pooled": sample(table.ravel())}
(out / "table.json").write_text(json.dumps(doc, indent=1) + "\n")
