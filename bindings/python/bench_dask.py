#!/usr/bin/env python3
"""Benchmark: a risk run on a Dask LocalCluster of W workers against one local
process, measured in the same run (issue 17: at least 1.6x with 2 workers on
2 cores for 100,000 scenarios of the sample), with the per-block overhead.

    bench_dask.py [--scenarios N] [--workers W] [--block B]

The per-block overhead is measured with tiny blocks (one scenario each): the
wall time of the run times the workers, less the scenarios' own compute time
(from the local run), divided by the blocks.
"""
import argparse
import os
import sys
import time

import greenfin
from greenfin.distributed import run_risk

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir, os.pardir, "examples", "python"))
from risk_report import DEFAULT, experiment  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scenarios", type=int, default=100000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--block", type=int, default=None)
    ap.add_argument("--tiny-blocks", type=int, default=60)
    a = ap.parse_args(argv)
    from dask.distributed import Client, LocalCluster

    pf = greenfin.Portfolio.from_file(DEFAULT)
    spec = experiment(pf)
    t0 = time.perf_counter()
    local = pf.risk(spec=spec, scenarios=a.scenarios, threads=1, samples=True)
    t_local = time.perf_counter() - t0
    per_scenario = t_local / a.scenarios

    with LocalCluster(n_workers=a.workers, threads_per_worker=1, processes=True, dashboard_address=None) as cl, \
            Client(cl) as client:
        run_risk(pf, client, spec=spec, scenarios=2 * a.workers, block=1)   # warm-up: imports on the workers
        t0 = time.perf_counter()
        d = run_risk(pf, client, spec=spec, scenarios=a.scenarios, block=a.block, samples=True)
        t_dask = time.perf_counter() - t0
        t0 = time.perf_counter()
        run_risk(pf, client, spec=spec, scenarios=a.tiny_blocks, block=1)
        t_tiny = time.perf_counter() - t0
    overhead = (t_tiny * a.workers - a.tiny_blocks * per_scenario) / a.tiny_blocks
    same = d.statistics.equals(local.statistics)
    print("risk on Dask vs one process: %d scenarios of the sample, %d workers x 1 thread, %d cores"
          % (a.scenarios, a.workers, os.cpu_count() or 0))
    print("%-30s %9s %14s %8s" % ("run", "seconds", "scenarios/s", "speedup"))
    print("%-30s %9.2f %14.0f %8s" % ("one process, one thread", t_local, a.scenarios / t_local, "1.00x"))
    print("%-30s %9.2f %14.0f %7.2fx" % ("Dask, %d blocks" % len(d.blocks), t_dask, a.scenarios / t_dask,
                                          t_local / t_dask))
    print("per-block overhead: %.1f ms (tiny blocks of one scenario; a scenario costs %.2f ms)"
          % (1e3 * overhead, 1e3 * per_scenario))
    print("statistics identical to the local run: %s" % ("yes" if same else "NO"))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
