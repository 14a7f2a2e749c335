"""Benchmark of issue "Fast at every size": embcheck against the Python stack, interleaved.

Not part of the test suite. Needs /usr/bin/python3 with Debian's python3-torch and python3-scipy,
and a Release build of embcheck:

    cmake --workflow --preset release
    /usr/bin/python3 tests/benchmark/run_benchmark.py [--embcheck build/release/embcheck]

Every comparison runs its commands interleaved (A, B, A, B, ...) and reports medians of wall
time; peak RSS comes from one more run of each command under /usr/bin/time (own_peak_rss_kb).
Runs whose predicted time exceeds --max-run-seconds are skipped and said so; each run is killed
after --timeout seconds. Prints a Markdown report with the issue's ratios and whether each target
is met.
"""

import argparse
import datetime
import os
import pathlib
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PEER = HERE / "python_peer.py"
PYTHON = "/usr/bin/python3"


class Run:
    def __init__(self, wall, rss_kb, rc, inner=None):
        self.wall, self.rss_kb, self.rc, self.inner = wall, rss_kb, rc, inner


def run_once(cmd, timeout):
    """Wall seconds, peak RSS (KiB) and exit code of one child; stdout parsed when it is peer JSON.

    The driver blocks in wait4 until the child ends (a timer kills its process group after
    `timeout`): polling every 2 ms, as the driver did until 2026-11-27, added 0-2 ms (about 1 on
    average) to every run, 5% of a 20 ms check."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        child = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL, start_new_session=True)

        def kill():
            try:
                os.killpg(child.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            pid, status, usage = os.wait4(child.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode(errors="replace")
    inner = None
    if text.startswith('{"seconds"'):
        import json

        inner = json.loads(text)["seconds"]
    return Run(wall, usage.ru_maxrss, child.returncode, inner)


TIME = "/usr/bin/time"


def run_with_own_peak_rss(cmd, timeout, report_path):
    """run_once of `cmd` under /usr/bin/time, and the command's own peak RSS (KiB; None when it
    cannot be read): without /usr/bin/time, run_once of `cmd` alone and None.

    os.wait4's ru_maxrss of a child started from this script is not the child's own: Linux keeps
    a process's peak across execve, and the child starts as (or, with vfork, shares) this Python
    process, so a command smaller than the driver (about 36 MiB once NumPy is loaded) was
    reported at the driver's size. /usr/bin/time forks the command from a small process and
    reports the command's peak alone, in `report_path`."""
    if not os.access(TIME, os.X_OK):
        return run_once(cmd, timeout), None
    run = run_once([TIME, "-f", "%M", "-o", report_path, *cmd], timeout)
    try:
        with open(report_path) as report:
            return run, int(report.read().strip().splitlines()[-1])
    except (OSError, IndexError, ValueError):
        return run, None


def own_peak_rss_kb(cmd, timeout):
    """Peak RSS (KiB) of the command itself, from one more run under /usr/bin/time; None without it."""
    with tempfile.NamedTemporaryFile() as report:
        run, rss_kb = run_with_own_peak_rss(cmd, timeout, report.name)
    return rss_kb if run.rc in (0, 1) else None


class Case:
    def __init__(self, label, cmd, values=None, ok_codes=(0, 1)):
        self.label, self.cmd, self.values, self.ok_codes = label, cmd, values, ok_codes
        self.runs = []
        self.skipped = None
        self.own_rss_kb = None

    def ok(self):
        return bool(self.runs) and all(r.rc in self.ok_codes for r in self.runs)

    def wall(self):
        return statistics.median(r.wall for r in self.runs) if self.ok() else None

    def inner(self):
        xs = [r.inner for r in self.runs if r.inner is not None]
        return statistics.median(xs) if xs and self.ok() else None

    def rss_mb(self):
        """Peak RSS of the command's own process (MiB); the wait4 figure, an upper bound, without /usr/bin/time."""
        if self.own_rss_kb is not None:
            return self.own_rss_kb / 1024
        return statistics.median(r.rss_kb for r in self.runs) / 1024 if self.runs else None


def interleave(cases, reps, timeout, log):
    for rep in range(reps):
        for case in cases:
            if case.skipped:
                continue
            run = run_once(case.cmd, timeout)
            case.runs.append(run)
            log(f"  rep {rep + 1}/{reps} {case.label}: {run.wall:.3f} s, rc {run.rc}")
    for case in cases:
        if not case.skipped:
            case.own_rss_kb = own_peak_rss_kb(case.cmd, timeout)
            log(f"  peak RSS {case.label}: {case.rss_mb():.0f} MiB")


def fmt_s(x):
    return "n/a" if x is None else (f"{x:.3f}" if x < 100 else f"{x:.1f}")


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def verdict(ok):
    return "n/a" if ok is None else ("**met**" if ok else "**not met**")


def machine():
    model = cores = "?"
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
            if line.startswith("CPU(s):"):
                cores = line.split(":", 1)[1].strip()
    except OSError:
        pass
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{model}, {cores} CPUs, {mem_gib:.1f} GiB RAM, {platform.system()} {platform.release()}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--embcheck", default=str(ROOT / "build" / "release" / "embcheck"))
    parser.add_argument("--reps", type=int, default=5, help="repetitions of the 5 x 800000 comparisons")
    parser.add_argument("--scaling-reps", type=int, default=7, help="repetitions of scaling runs of 10^6 values")
    parser.add_argument("--large-reps", type=int, default=3, help="repetitions of scaling runs of 10^7 and 10^8 values")
    parser.add_argument("--thread-reps", type=int, default=7, help="repetitions of the 100000 x 128 thread runs")
    parser.add_argument("--max-values", type=float, default=1e8, help="largest scaling size")
    parser.add_argument("--max-run-seconds", type=float, default=120, help="skip runs predicted to take longer")
    parser.add_argument("--timeout", type=float, default=240, help="kill a run after this many seconds")
    parser.add_argument("--streaming-timeout", type=float, default=1800, help="kill the streaming run after this")
    parser.add_argument("--no-streaming", action="store_true", help="skip the --rows 1000000 --dim 1024 run")
    args = parser.parse_args()

    exe = args.embcheck
    if not os.access(exe, os.X_OK):
        sys.exit(f"run_benchmark: {exe} is not an executable; build it with cmake --workflow --preset release")
    log = lambda s: print(s, file=sys.stderr, flush=True)  # noqa: E731
    began = time.perf_counter()
    work = tempfile.mkdtemp(prefix="embcheck-bench-")
    npy = os.path.join(work, "table_5x800000.npy")
    subprocess.run([PYTHON, str(PEER), "--rows", "5", "--dim", "800000", "--generate-only", "--save", npy],
                   check=True, stdout=subprocess.DEVNULL)

    E = lambda *a: [exe, *a]  # noqa: E731
    pair = ["--tests", "ks,shapiro_wilk"]

    log("end to end, 5 x 800000")
    e2e = [
        Case("embcheck --dim 800000", E("--dim", "800000")),
        Case("embcheck --dim 800000 --tests ks,shapiro_wilk", E("--dim", "800000", *pair)),
        Case("Python peer (torch + NumPy + SciPy), end to end", [PYTHON, str(PEER), "--rows", "5", "--dim", "800000"]),
        Case("torch.nn.Embedding(5, 800000) alone", [PYTHON, str(PEER), "--rows", "5", "--dim", "800000", "--generate-only"]),
    ]
    interleave(e2e, args.reps, args.timeout, log)

    log("saved table, 5 x 800000 .npy")
    saved = [
        Case("embcheck --input table.npy", E("--input", npy)),
        Case("embcheck --input table.npy --tests ks,shapiro_wilk", E("--input", npy, *pair)),
        Case("numpy.load + SciPy per row", [PYTHON, str(PEER), "--input", npy]),
    ]
    interleave(saved, args.reps, args.timeout, log)

    log("threads")
    threads_small = [Case(f"5 x 800000 --threads {t}", E("--dim", "800000", "--threads", str(t))) for t in (1, 2)]
    interleave(threads_small, args.reps, args.timeout, log)
    threads_wide = [
        Case(f"100000 x 128 --threads {t}", E("--rows", "100000", "--dim", "128", "--threads", str(t))) for t in (1, 2)
    ]
    interleave(threads_wide, args.thread_reps, args.timeout, log)

    log("scaling")
    shapes = {"1 x N": lambda n: (1, n), "N/1000 x 1000": lambda n: (n // 1000, 1000), "N/128 x 128": lambda n: (n // 128, 128)}
    sizes = [s for s in (10**6, 10**7, 10**8) if s <= args.max_values]
    scaling = {}
    for size in sizes:
        cases = []
        for name, shape in shapes.items():
            rows, dim = shape(size)
            case = Case(f"{name}, N = 1e{len(str(size)) - 1}", E("--rows", str(rows), "--dim", str(dim)), values=rows * dim)
            smaller = scaling.get((name, size // 10))
            if smaller and smaller.wall() is not None:
                predicted = smaller.wall() / smaller.values * case.values
                if predicted > args.max_run_seconds:
                    case.skipped = f"skipped: predicted {predicted:.0f} s from N/10"
            elif smaller:
                case.skipped = "skipped: N/10 failed or was skipped"
            scaling[(name, size)] = case
            cases.append(case)
        interleave(cases, args.large_reps if size >= 10**7 else args.scaling_reps, args.timeout, log)

    streaming = None
    if not args.no_streaming:
        log("streaming, 1000000 x 1024")
        streaming = Case("--rows 1000000 --dim 1024", E("--rows", "1000000", "--dim", "1024"))
        # One run of 18-70 s: under /usr/bin/time itself (its RSS then the command's own), not twice.
        run, streaming.own_rss_kb = run_with_own_peak_rss(
            streaming.cmd, args.streaming_timeout, os.path.join(work, "streaming_rss"))
        streaming.runs.append(run)

    total = time.perf_counter() - began

    # Report.
    out = []
    p = out.append
    p(f"Machine: {machine()}  ")
    p(f"Command: `/usr/bin/python3 tests/benchmark/run_benchmark.py --embcheck {exe}`  ")
    p(f"Date: {datetime.date.today().isoformat()}; benchmark took {total:.0f} s; medians of interleaved runs.")
    p("")
    p("| case | runs | wall s (median) | in-Python s | peak RSS MiB |")
    p("| --- | ---: | ---: | ---: | ---: |")
    for c in e2e + saved + threads_small + threads_wide:
        p(f"| {c.label} | {len(c.runs)} | {fmt_s(c.wall())} | {fmt_s(c.inner())} | {fmt_s(c.rss_mb())} |")
    p("")
    p("Scaling (defaults: tests ks, shapiro_wilk, anderson_darling, mean, variance; rows and pooled table):")
    p("")
    p("| shape | values | runs | wall s | ns per value | peak RSS MiB | RSS / float32 bytes |")
    p("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for (name, size), c in scaling.items():
        if c.skipped or not c.ok():
            p(f"| {c.label} | {c.values:.3g} | {len(c.runs)} | {c.skipped or 'failed, rc ' + str([r.rc for r in c.runs])} | | | |")
            continue
        rss = c.rss_mb()
        p(f"| {c.label} | {c.values:.3g} | {len(c.runs)} | {fmt_s(c.wall())} | {c.wall() / c.values * 1e9:.0f} "
          f"| {rss:.0f} | {rss * 2**20 / (4 * c.values):.2f} |")
    if streaming:
        r = streaming.runs[0]
        p("")
        p(f"Streaming `--rows 1000000 --dim 1024` (4 GB of float32): exit code {r.rc}, {r.wall:.1f} s, "
          f"peak RSS {streaming.rss_mb():.0f} MiB" + (f" (killed after {args.streaming_timeout:.0f} s)" if r.rc == -9 else ""))

    # Targets.
    emb, emb_pair, peer, floor = (c.wall() for c in e2e)
    floor_inner = e2e[3].inner()
    s_emb, s_pair, s_scipy = saved[0].wall(), saved[1].wall(), saved[2].inner()
    p("")
    p("| target | measured | verdict |")
    p("| --- | --- | --- |")
    r1, r1b = ratio(peer, emb), ratio(peer, emb_pair)
    p(f"| end to end >= 30x faster than the Python peer | {fmt_s(r1)}x (ks+sw only: {fmt_s(r1b)}x) | {verdict(None if r1 is None else r1 >= 30)} |")
    r2, r2b = ratio(s_scipy, s_emb), ratio(s_scipy, s_pair)
    p(f"| saved table >= 15x faster than the SciPy part (numpy.load + tests, in Python) | {fmt_s(r2)}x (ks+sw only: {fmt_s(r2b)}x) | {verdict(None if r2 is None else r2 >= 15)} |")
    r3, r3b = ratio(emb, floor_inner), ratio(emb_pair, floor_inner)
    p(f"| whole check <= 3x torch's bare generation ({fmt_s(floor_inner)} s in Python) | {fmt_s(r3)}x (ks+sw only: {fmt_s(r3b)}x) | {verdict(None if r3 is None else r3 <= 3)} |")
    lin_ok = None
    lin = []
    for name in shapes:
        lo, hi = scaling.get((name, sizes[0])), scaling.get((name, sizes[-1]))
        if lo and hi and lo.wall() and hi.wall() and not hi.skipped:
            per = (hi.wall() / hi.values) / (lo.wall() / lo.values)
            lin.append(f"{name}: {per:.2f}")
            lin_ok = (lin_ok is not False) and abs(per - 1) <= 0.15
        else:
            lin.append(f"{name}: not measured at 1e{len(str(sizes[-1])) - 1}")
            lin_ok = False
    p(f"| time per value within 15% from 1e6 to 1e{len(str(sizes[-1])) - 1} (ratio of ns/value) | {'; '.join(lin)} | {verdict(lin_ok)} |")
    t1 = ratio(threads_small[0].wall(), threads_small[1].wall())
    t2 = ratio(threads_wide[0].wall(), threads_wide[1].wall())
    p(f"| --threads 2 >= 1.7x over --threads 1 | 5 x 800000: {fmt_s(t1)}x; 100000 x 128: {fmt_s(t2)}x "
      f"| {verdict(None if t1 is None or t2 is None else min(t1, t2) >= 1.7)} |")
    big = [c for (n, s), c in scaling.items() if s == sizes[-1] and c.ok() and not c.skipped]
    if big:
        worst = max(c.rss_mb() * 2**20 / (4 * c.values) for c in big)
        p(f"| peak RSS <= 1.3x the table's float32 bytes (at 1e{len(str(sizes[-1])) - 1}) | worst {worst:.2f}x | {verdict(worst <= 1.3)} |")
    if streaming:
        r = streaming.runs[0]
        ok = r.rc in (0, 1) and streaming.rss_mb() < 1024
        p(f"| --rows 1000000 --dim 1024 completes under 1 GB RSS | rc {r.rc}, {streaming.rss_mb():.0f} MiB | {verdict(ok)} |")
    print("\n".join(out))


if __name__ == "__main__":
    main()
