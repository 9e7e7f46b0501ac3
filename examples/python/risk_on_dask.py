#!/usr/bin/env python3
"""The risk report's experiment on a Dask cluster, timed against one local
process (greenfin.distributed.run_risk; needs python3-distributed).

    GREENFIN_LIBRARY=$PWD/build/libgreenfin.so.1 PYTHONPATH=$PWD/bindings/python \\
        python3 examples/python/risk_on_dask.py [PORTFOLIO.json] [--scenarios N] [--workers W]
        [--block B] [--scheduler tcp://host:8786]

Without --scheduler a LocalCluster of W single-threaded worker processes is
started (W defaults to the number of cores). With it, the workers of that
cluster run the blocks: each needs greenfin and libgreenfin (see the README,
"Scaling out"). The script checks that the cluster's samples equal the local
run's, bit for bit, and prints both times.
"""
import argparse
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import greenfin  # noqa: E402
from risk_report import DEFAULT, experiment  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("portfolio", nargs="?", default=DEFAULT)
    ap.add_argument("--scenarios", type=int, default=4000)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--block", type=int, default=None, help="scenarios per task (default: 4 tasks per worker)")
    ap.add_argument("--scheduler", default=None, help="address of a running Dask scheduler")
    args = ap.parse_args(argv)
    try:
        from dask.distributed import Client, LocalCluster
        from greenfin.distributed import run_risk
    except ImportError:
        print("risk_on_dask: dask.distributed is not installed (python3-distributed)", file=sys.stderr)
        return 1
    import numpy as np

    pf = greenfin.Portfolio.from_file(args.portfolio)
    spec = experiment(pf)
    t0 = time.perf_counter()
    local = pf.risk(spec=spec, scenarios=args.scenarios, threads=1, samples=True)
    t_local = time.perf_counter() - t0

    if args.scheduler:
        client, cluster = Client(args.scheduler), None
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        workers = len(client.scheduler_info()["workers"])
        t0 = time.perf_counter()
        d = run_risk(pf, client, spec=spec, scenarios=args.scenarios, block=args.block, samples=True,
                     progress=False)
        t_dask = time.perf_counter() - t0
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

    same = all(np.array_equal(np.asarray(local.samples[c]), d.samples[c].to_numpy(), equal_nan=True)
               for c in local.samples.columns)
    print("%d scenarios of %s" % (args.scenarios, os.path.basename(args.portfolio)))
    print("  one process, one thread:   %7.2f s" % t_local)
    print("  Dask, %d workers, %d blocks: %7.2f s  (%.2fx)" % (workers, len(d.blocks), t_dask, t_local / t_dask))
    print("  samples identical: %s; fund IRR q10 %s" % (
        "yes" if same else "NO", d.statistic("portfolio", "fund_irr", "q10")))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
