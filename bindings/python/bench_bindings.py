#!/usr/bin/env python3
"""Benchmark of the Python bindings against the C API, measured in the same run.

100,000 loan schedules of 240 monthly periods, built two ways:

  fresh  a new Loan per schedule (keyword checks, 4 setters, schedule, one
         cell read through the zero-copy column view, handles freed);
  reuse  one Loan whose rate is set before each schedule.

The same two workloads run in C (bench_c, built next to this file by meson):
the overhead ratio is Python time / C time. No Python loop touches rows: the
schedule is computed in C and read through a numpy view.

    bench_bindings.py [BENCH_C] [--loans N] [--periods P]
"""
import argparse
import os
import subprocess
import sys
import time

import greenfin


def py_fresh(loans, periods):
    s = 0.0
    Loan = greenfin.Loan
    for i in range(loans):
        with Loan(principal=1e6, annual_rate=0.02 + 1e-7 * i, frequency=12, repayment_periods=periods) as loan:
            t = loan.schedule()
            s += t["interest"][periods - 1]
    return s


def py_reuse(loans, periods):
    s = 0.0
    with greenfin.Loan(principal=1e6, frequency=12, repayment_periods=periods) as loan:
        for i in range(loans):
            loan.set(annual_rate=0.02 + 1e-7 * i)
            t = loan.schedule()
            s += t["interest"][periods - 1]
    return s


def timed(fn, *a):
    t0 = time.perf_counter()
    s = fn(*a)
    return time.perf_counter() - t0, s


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("bench_c", nargs="?", help="path of the bench_c executable (C baseline)")
    ap.add_argument("--loans", type=int, default=100000)
    ap.add_argument("--periods", type=int, default=240)
    args = ap.parse_args(argv)
    n, p = args.loans, args.periods

    py_fresh(1000, p)  # warm-up: registry, caches
    results = {"fresh": timed(py_fresh, n, p), "reuse": timed(py_reuse, n, p)}

    c = {}
    if args.bench_c:
        out = subprocess.run([args.bench_c, str(n), str(p)], check=True, capture_output=True, text=True,
                             env=dict(os.environ)).stdout
        for line in out.splitlines():
            name, secs, checksum = line.split()
            c[name] = (float(secs), float(checksum))

    print("loan schedules through the Python bindings vs C: %d loans x %d monthly periods" % (n, p))
    print("library: %s (%s)" % (greenfin.library_path(), greenfin.library_version()))
    print("%-7s %-6s %9s %14s %14s %9s" % ("work", "side", "seconds", "schedules/s", "rows/s", "overhead"))
    ok = True
    for name in ("fresh", "reuse"):
        secs, s = results[name]
        rows = [("python", secs)]
        if name in c:
            rows.insert(0, ("C", c[name][0]))
            if abs(c[name][1] - s) > 1e-9 * abs(s):
                print("checksum mismatch in %s: C %.17g, Python %.17g" % (name, c[name][1], s))
                ok = False
        for side, t in rows:
            ratio = "%8.2fx" % (t / c[name][0]) if name in c else ""
            print("%-7s %-6s %9.3f %14.0f %14.0f %9s" % (name, side, t, n / t, n * p / t, ratio))
    if c:
        extra = {k: (results[k][0] - c[k][0]) / n * 1e6 for k in c if k in results}
        print("Python cost per schedule over C: fresh %.1f us, reuse %.1f us"
              % (extra.get("fresh", float("nan")), extra.get("reuse", float("nan"))))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
