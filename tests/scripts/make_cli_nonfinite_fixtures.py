"""Writes tests/fixtures/cli/with_inf.npy: a 3 x 50 float32 N(0, 1) table (NumPy, seed 11) whose
row 0 holds +Inf and row 2 holds -Inf and NaN; the bad-input tests expect those rows untestable."""
import pathlib

import numpy as np

out = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "cli" / "with_inf.npy"
values = np.random.default_rng(11).standard_normal((3, 50)).astype(np.float32)
values[0, 7] = np.inf
values[2, 0] = -np.inf
values[2, 49] = np.nan
np.save(out, values)
