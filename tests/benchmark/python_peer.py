"""What a user does today instead of embcheck: torch generates, NumPy and SciPy test each row.

Run with /usr/bin/python3 (Debian's python3-torch, python3-scipy). Modes:
  python_peer.py --rows 5 --dim 800000        generate with torch, then test every row
  python_peer.py --input table.npy            the SciPy part alone: numpy.load, then test every row
  python_peer.py --generate-only --dim 800000 torch's bare generation, timed inside Python after import
  python_peer.py --save table.npy --dim D     write the generated table as float32 .npy
Prints one line of JSON: the seconds spent after import and per-row results.
"""

import argparse
import json
import time
import warnings

import numpy as np
import scipy.stats
import torch


def test_rows(table):
    results = []
    for row in table:
        mean = float(np.mean(row))
        var = float(np.var(row))
        ks = scipy.stats.kstest(row, "norm")
        sw = scipy.stats.shapiro(row)
        results.append({"mean": mean, "var": var, "ks_p": float(ks.pvalue), "sw_p": float(sw.pvalue)})
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5)
    parser.add_argument("--dim", type=int, default=800000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--input")
    parser.add_argument("--save")
    parser.add_argument("--generate-only", action="store_true")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")  # shapiro warns that its p-value may be inaccurate above n = 5000

    start = time.perf_counter()
    if args.input:
        table = np.load(args.input)
        results = test_rows(np.atleast_2d(table))
    else:
        torch.manual_seed(args.seed)
        embedding = torch.nn.Embedding(args.rows, args.dim)
        if args.save:
            np.save(args.save, embedding.weight.detach().numpy())
        results = None if args.generate_only else test_rows(embedding.weight.detach().numpy())
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "rows": results}))


if __name__ == "__main__":
    main()
