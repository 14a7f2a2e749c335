#!/usr/bin/python3
"""Makes tests/fixtures/torch/tables.json: reference tables from PyTorch's CPU generator.

Run with Debian's python3-torch (1.13.1) on x86-64 with AVX2:

    /usr/bin/python3 tests/scripts/make_torch_fixtures.py

The script runs itself twice in a child process, once with the default CPU capability (AVX2,
rng_mode::torch) and once with ATEN_CPU_CAPABILITY=default (rng_mode::torch_scalar); the
variable must be set before torch is imported. Small tables are stored completely as hex of
the float32 bit patterns (8 hex digits per value, memory order); large ones as the sha256 of
their little-endian float32 bytes. After each table the same stream continues with
torch.rand(4) and torch.randn(3), which records how many engine draws the init consumed and,
for numel < 16, the cached second Box-Muller sample the generator kept.
"""

import hashlib
import json
import math
import os
import subprocess
import sys

FULL_LIMIT = 2048  # tables with at most this many values are stored completely

SEEDS = [0, 1, 42, 2**32 + 5, 2**63, -1]

INITS = [
    ("normal_", {"mean": 0.0, "std": 1.0}),
    ("normal_", {"mean": 2.5, "std": 0.5}),
    ("uniform_", {"low": 0.0, "high": 1.0}),
    ("uniform_", {"low": -1.0 / math.sqrt(7.0), "high": 1.0 / math.sqrt(7.0)}),
    ("uniform_", {"low": -3.0, "high": 5.0}),
]

# numel < 16 (scalar double path, odd and even counts), exactly 16, 17, 31, 32, 33, dims that
# are not multiples of 16, and a few bigger full tables.
SMALL_SHAPES = [(1, 1), (1, 2), (1, 3), (2, 7), (3, 5), (1, 15), (4, 4), (1, 17), (1, 31), (2, 16),
                (3, 11), (5, 10), (7, 33), (30, 50)]

# (rows, dim, seeds, inits by index into INITS)
LARGE = [
    (5, 800000, [0], [0, 2, 3]),
    (1, 1000003, [0, 42], [0, 3]),
    (1000, 257, [1, 2**32 + 5, -1], [0, 1, 2, 3, 4]),
    (128, 300, [0, 2**63], [0, 3]),
]

# nn.Embedding(rows, dim, padding_idx=K): K as given to torch (negative counts from the end).
EMBEDDINGS = [(5, 3, None), (5, 3, 2), (5, 3, -1), (6, 7, 0), (6, 7, -2), (10, 16, 9), (10, 16, -10),
              (4, 33, 3), (1, 1, None), (2, 5, -1)]


def hex_bits(t):
    # Big-endian bytes: each value's bit pattern as 8 hex digits, most significant first.
    return t.contiguous().numpy().astype(">f4").tobytes().hex()


def digest(t):
    return hashlib.sha256(t.contiguous().numpy().astype("<f4").tobytes()).hexdigest()


def follow_ups(torch, case):
    case["next_rand4"] = hex_bits(torch.rand(4))
    case["next_randn3"] = hex_bits(torch.randn(3))
    return case


def table_case(torch, init, params, rows, dim, seed):
    torch.manual_seed(seed)
    t = torch.empty(rows, dim, dtype=torch.float32)
    if init == "normal_":
        t.normal_(params["mean"], params["std"])
    else:
        t.uniform_(params["low"], params["high"])
    case = {"source": init, "rows": rows, "dim": dim, "torch_seed": seed, "seed": seed % 2**64}
    case.update(params)
    if rows * dim <= FULL_LIMIT:
        case["bits"] = hex_bits(t)
    else:
        case["sha256"] = digest(t)
    return follow_ups(torch, case)


def embedding_case(torch, rows, dim, padding_idx, seed):
    torch.manual_seed(seed)
    e = torch.nn.Embedding(rows, dim, padding_idx=padding_idx)
    w = e.weight.detach()
    case = {"source": "embedding", "rows": rows, "dim": dim, "torch_seed": seed, "seed": seed % 2**64,
            "mean": 0.0, "std": 1.0, "bits": hex_bits(w)}
    if padding_idx is not None:
        case["padding_idx"] = padding_idx
    follow_ups(torch, case)
    # The module's weight is exactly empty(rows, dim).normal_(0, 1) with the padding row zeroed.
    torch.manual_seed(seed)
    ref = torch.empty(rows, dim).normal_(0.0, 1.0)
    if padding_idx is not None:
        ref[padding_idx] = 0.0
    assert torch.equal(ref, w), "nn.Embedding differs from empty().normal_()"
    return case


def engine_cases(torch):
    """The first values of rand() in float32 (low 24 bits of each draw) and float64 (53 bits of
    two draws, the first one the high word) for each seed."""
    out = []
    for seed in SEEDS:
        torch.manual_seed(seed)
        f32 = torch.rand(8, dtype=torch.float32)
        f64 = torch.rand(4, dtype=torch.float64)
        out.append({
            "torch_seed": seed,
            "seed": seed % 2**64,
            "initial_seed": int(torch.initial_seed()),
            "rand_f32_times_2p24": [int(v) for v in (f32.double() * 2**24).numpy()],
            "rand_f64_times_2p53": [int(v) for v in (f64 * 2**53).numpy()],
        })
    return out


def run_mode(mode):
    import torch
    capability = [line.split(":", 1)[1].strip() for line in torch.__config__.show().splitlines()
                  if "CPU capability usage" in line]
    cases = []
    for rows, dim in SMALL_SHAPES:
        for init, params in INITS:
            for seed in SEEDS:
                cases.append(table_case(torch, init, params, rows, dim, seed))
    for rows, dim, seeds, inits in LARGE:
        for seed in seeds:
            for index in inits:
                init, params = INITS[index]
                cases.append(table_case(torch, init, params, rows, dim, seed))
    for rows, dim, padding_idx in EMBEDDINGS:
        for seed in [0, 42]:
            cases.append(embedding_case(torch, rows, dim, padding_idx, seed))
    for case in cases:
        case["mode"] = mode
    return {"torch_version": torch.__version__, "cpu_capability": capability[0] if capability else "",
            "cases": cases, "engine": engine_cases(torch)}


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--mode":
        json.dump(run_mode(sys.argv[2]), sys.stdout)
        return
    here = os.path.dirname(os.path.abspath(__file__))
    out_dir = os.path.join(here, "..", "fixtures", "torch")
    os.makedirs(out_dir, exist_ok=True)
    result = {"generated_by": "tests/scripts/make_torch_fixtures.py", "modes": {}}
    for mode, capability in [("torch", None), ("torch_scalar", "default")]:
        env = dict(os.environ)
        env.pop("ATEN_CPU_CAPABILITY", None)
        if capability is not None:
            env["ATEN_CPU_CAPABILITY"] = capability
        child = subprocess.run([sys.executable, os.path.abspath(__file__), "--mode", mode], env=env,
                               check=True, capture_output=True, text=True)
        result["modes"][mode] = json.loads(child.stdout)
    expected = {"torch": "AVX2", "torch_scalar": "NO AVX"}
    for mode, data in result["modes"].items():
        assert data["cpu_capability"] == expected[mode], (mode, data["cpu_capability"])
    with open(os.path.join(out_dir, "tables.json"), "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
