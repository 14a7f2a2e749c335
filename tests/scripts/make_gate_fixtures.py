"""Writes tests/fixtures/gate/: SHA-256 digests of PyTorch tables for the CLI's digest gates.

digests.json: the sha256 of torch.manual_seed(S); nn.Embedding(5, 100).weight as little-endian
float32 bytes (hashlib.sha256(w.astype('<f4').tobytes())) for S = 0 and 1, with each row's
digest; and the sha256 of the float64 bytes of tests/fixtures/cli/normal_float64_4x300.npy.
embedding_5x100_seed0.npy: the seed-0 table, for --against.
signalling_nan_2x4.npy: a float32 table holding signalling NaNs (quiet bit clear) among
ordinary values, with its digest and its rows' in digests.json: a reader that took the values
through double would hash quiet NaNs instead.
Run: /usr/bin/python3 tests/scripts/make_gate_fixtures.py  (needs python3-torch, python3-numpy)
"""
import hashlib
import json
import pathlib

import numpy as np
import torch

here = pathlib.Path(__file__).resolve().parent
out = here.parent / "fixtures" / "gate"
out.mkdir(parents=True, exist_ok=True)


def sha(a):
    return hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()


fixture = {}
for seed in (0, 1):
    torch.manual_seed(seed)
    w = torch.nn.Embedding(5, 100).weight.detach().numpy().astype("<f4")
    fixture[f"seed{seed}"] = {"table": sha(w), "rows": [sha(r) for r in w]}
    if seed == 0:
        np.save(out / "embedding_5x100_seed0.npy", w)
f64 = np.load(here.parent / "fixtures" / "cli" / "normal_float64_4x300.npy").astype("<f8")
fixture["normal_float64_4x300"] = {"table": sha(f64), "rows": [sha(r) for r in f64]}
bits = np.array([0x3F800000, 0x7FA00000, 0xBF000000, 0xFFA00001,
                 0x7FC00000, 0x00000001, 0x7F800001, 0xC0490FDB], dtype="<u4")
snan = bits.view("<f4").reshape(2, 4)
np.save(out / "signalling_nan_2x4.npy", snan)
fixture["signalling_nan_2x4"] = {"table": sha(snan), "rows": [sha(r) for r in snan]}
(out / "digests.json").write_text(json.dumps(fixture, indent=2) + "\n")
