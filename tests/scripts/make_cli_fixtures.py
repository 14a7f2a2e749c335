#!/usr/bin/python3
"""Writes the .npy files the CLI tests read (tests/fixtures/cli/), with NumPy's own writer.

Run: /usr/bin/python3 tests/scripts/make_cli_fixtures.py  (needs python3-numpy)
"""
import pathlib

import numpy as np

out = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "cli"
out.mkdir(parents=True, exist_ok=True)
rng = np.random.default_rng(20261126)

with_nan = rng.standard_normal((3, 100)).astype(np.float32)
with_nan[1, 17] = np.nan
np.save(out / "with_nan.npy", with_nan)

np.save(out / "normal_float64_4x300.npy", rng.standard_normal((4, 300)))
np.save(out / "normal_float32_1d_500.npy", rng.standard_normal(500).astype(np.float32))
np.save(out / "int32.npy", np.arange(40, dtype=np.int32).reshape(4, 10))

# A valid header followed by fewer data bytes than its shape promises.
whole = out / "whole.npy"
np.save(whole, rng.standard_normal((2, 50)).astype(np.float32))
data = whole.read_bytes()
(out / "truncated.npy").write_bytes(data[: len(data) - 7])
whole.unlink()

# Values near both ends of double's range: the sums of their moments overflow, so the moment tests
# are not run (with a note), and the text report's histogram of a null fitted to those moments
# drew at lround(NaN) (a crash until 2026-11-28). Drawn after the files above, so those did not
# change.
huge = rng.standard_normal((1, 100)) * 1e307
huge[0, 0], huge[0, 1] = -1.7e308, 1.7e308
np.save(out / "huge_float64_1x100.npy", huge)
