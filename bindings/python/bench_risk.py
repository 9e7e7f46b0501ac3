#!/usr/bin/env python3
"""Benchmark: a risk run through the Python binding against the same run
through the C API (bench_risk_c, built by meson), measured in the same run.

The loop over scenarios is in C either way; the ratio is the binding's cost
(building the experiment from a dict, pinning the portfolio, wrapping the
result). The target of issue 14 is at most 1.05x. Both sides measure the CPU
time of their process (best of R), which stays steady on a busy machine.

    bench_risk.py [BENCH_RISK_C] [--scenarios N] [--threads T] [--repeats R]
"""
import argparse
import os
import subprocess
import sys
import time

import greenfin

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLE = os.path.join(HERE, os.pardir, os.pardir, "examples", "data", "cambodia_pipeline.json")

SPEC = {
    "seed": 7,
    "factors": {"mekong": {"per": "year", "autocorrelation": 0.5}},
    "uncertainties": [
        {"key": "energy", "technology": "hydro", "per": "year", "factor": "mekong",
         "distribution": {"type": "normal", "mean": 1, "sd": 0.12}},
        {"key": "capex", "distribution": {"type": "pert", "min": 0.95, "mode": 1.05, "max": 1.8}},
        {"key": "annual_rate", "apply": "add", "distribution": {"type": "uniform", "min": -0.01, "max": 0.01}},
    ],
}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("bench_c", nargs="?")
    ap.add_argument("--portfolio", default=SAMPLE)
    ap.add_argument("--scenarios", type=int, default=2000)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=3)
    a = ap.parse_args(argv)

    if not greenfin._lib.has("gfin_risk_run"):
        print("no risk engine in this libgreenfin (the header's experimental tier): nothing to measure")
        return 0
    pf = greenfin.Portfolio.from_file(a.portfolio)
    best, mean = float("inf"), None
    for _ in range(a.repeats):
        t0 = time.process_time()   # CPU time, as the C side: steady on a shared machine
        r = pf.risk(spec=SPEC, scenarios=a.scenarios, threads=a.threads, samples=True)
        t = time.process_time() - t0
        best = min(best, t)
        mean = r.statistic("portfolio", "lifetime_reductions_tco2e", "mean")
    print("risk run through Python vs C: %s, %d scenarios, %d thread(s), best of %d"
          % (os.path.basename(a.portfolio), a.scenarios, a.threads, a.repeats))
    print("%-7s %9s %14s %8s" % ("side", "seconds", "scenarios/s", "ratio"))
    ok = True
    if a.bench_c:
        out = subprocess.run([a.bench_c, a.portfolio, str(a.scenarios), str(a.threads), str(a.repeats)],
                             check=True, capture_output=True, text=True).stdout.split()
        c_secs, c_mean = float(out[0]), float(out[1])
        print("%-7s %9.3f %14.0f %8s" % ("C", c_secs, a.scenarios / c_secs, "1.00x"))
        print("%-7s %9.3f %14.0f %7.3fx" % ("python", best, a.scenarios / best, best / c_secs))
        if c_mean != mean:
            print("checksum mismatch: C %.17g, Python %.17g" % (c_mean, mean))
            ok = False
    else:
        print("%-7s %9.3f %14.0f" % ("python", best, a.scenarios / best))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
