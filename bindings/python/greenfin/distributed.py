"""Risk runs on a Dask cluster, identical to one machine (docs/model.md "Risk",
"Blocks").

    from greenfin.distributed import run_risk
    r = run_risk("cambodia_pipeline.json", scenarios=100_000, seed=7, block=5_000)
    r.statistics.loc[("portfolio", "fund_irr"), "q10"]

run_risk splits the scenarios into blocks (first, count), sends each task the
portfolio as JSON text (never a handle), runs the block on a worker with the C
engine, gathers the per-scenario samples in scenario order and computes the
statistics with the library's own routine (greenfin.statistics). Scenario s
draws the same numbers on any worker, so for one seed the samples are
bit-identical to one local run of all the scenarios, and so are the statistics,
whatever the block size and the number of workers. Probabilities are the
blocks' counts added up; cases and sensitivity are deterministic and come from
the first block.

Without `client` a LocalCluster (one single-threaded worker process per core)
is started and closed after. On a real cluster pass
``Client("tcp://scheduler:8786")``; every worker needs the greenfin package
and libgreenfin (installed where the system finds it, or GREENFIN_LIBRARY set
in the workers' environment). Needs dask.distributed (Debian:
python3-distributed).
"""

import math
import os
import sys

from . import _lib, errors
from . import risk as _risk
from .model import Portfolio

__all__ = ["run_risk", "DistributedRiskResult"]


def _portfolio_text(portfolio):
    """The portfolio as JSON bytes: a Portfolio loaded from JSON, JSON text, or
    a path to a file."""
    if isinstance(portfolio, Portfolio):
        if portfolio._json is None:
            raise TypeError("run_risk() sends the portfolio to the workers as its JSON text: pass a Portfolio "
                            "loaded with Portfolio.from_file()/from_json(), the text, or the file's path")
        return portfolio._json
    if isinstance(portfolio, bytes):
        return portfolio
    if isinstance(portfolio, str) and portfolio.lstrip().startswith("{"):
        return portfolio.encode("utf-8")
    if isinstance(portfolio, (str, os.PathLike)):
        with open(os.fspath(portfolio), "rb") as f:
            return f.read()
    raise TypeError("run_risk() needs a Portfolio, JSON text or a path, not %s" % type(portfolio).__name__)


def _run_block(text, spec, first, count, threads):
    """The task: one block on a worker. Returns plain data (pickled back)."""
    import numpy as np
    with Portfolio.from_json(text) as pf:
        r = pf.risk(spec=spec, first=first, count=count, threads=threads, samples=True)
    s = r.samples
    cols = s.columns
    block = np.column_stack([np.array(s[c]) for c in cols]) if len(s) else np.empty((0, len(cols)))
    probs = r.probabilities
    return {"first": first, "count": count, "columns": cols, "samples": block,
            "probabilities": probs, "sensitivity": r.sensitivity if first == 0 else None,
            "cases": r.cases if first == 0 else None, "warnings": r.warnings, "metrics": r.metrics}


class DistributedRiskResult:
    """What run_risk returns: the attributes of a RiskResult computed from
    the gathered blocks (statistics, probabilities, sensitivity, cases as
    DataFrames; samples as a DataFrame when asked for), plus the run's blocks."""

    def __init__(self, metrics, statistics, probabilities, sensitivity, cases, samples, warnings, blocks):
        self.metrics = metrics
        self.statistics = statistics
        self.probabilities = probabilities
        self.sensitivity = sensitivity
        self.cases = cases
        self.samples = samples
        self.warnings = warnings
        self.blocks = blocks

    def statistic(self, scope, metric, stat):
        v = self.statistics.loc[(scope, metric), stat]
        return None if v != v else float(v)

    def __repr__(self):
        return "<greenfin.distributed.DistributedRiskResult %d scenarios, seed %d, %d blocks>" % (
            self.metrics["scenarios"], self.metrics["seed"], len(self.blocks))


def _check_spec(text, spec, scenarios, seed):
    """Builds and validates the experiment here, before anything is
    submitted; returns (spec with the overrides, scenarios, seed)."""
    L = _lib.lib()
    with Portfolio.from_json(text) as pf:
        spec = dict((pf._risk_spec if spec is None else spec) or {})
        if scenarios is not None:
            spec["scenarios"] = scenarios
        if seed is not None:
            spec["seed"] = seed
        with _risk.build(spec) as rk, pf._reading() as p:
            try:
                L.gfin_risk_validate(rk, p, _lib.GfinError())
            except errors.Error as e:
                raise _risk._at("risk", e) from None
            return spec, L.gfin_risk_scenarios(rk), L.gfin_risk_seed(rk)


def _combine(parts, scenarios, seed, samples):
    import numpy as np
    import pandas as pd
    from .risk import statistics as library_statistics
    cols = parts[0]["columns"]
    data = np.concatenate([p["samples"] for p in parts]) if parts else np.empty((0, len(cols)))
    rows, index = [], []
    for j, c in enumerate(cols[1:], start=1):
        scope, metric = c.split(".", 1)
        st = library_statistics(data[:, j])
        rows.append(st)
        index.append((scope, metric))
    stats = pd.DataFrame(rows, index=pd.MultiIndex.from_tuples(index, names=["scope", "metric"]))
    stats = stats.astype({"n": "int64"}).astype({k: "float64" for k in stats.columns if k != "n"})
    # Probabilities: each block's fraction times its count is its count of
    # scenarios below (an integer); added up over the blocks and divided by
    # the scenarios run.
    total = sum(p["count"] for p in parts)
    hits = None
    for p in parts:
        k = (p["probabilities"]["value"] * p["count"]).round()
        hits = k if hits is None else hits.add(k, fill_value=0)
    probs = (hits / total).to_frame("value")
    frame = pd.DataFrame(data, columns=cols).astype({"scenario": "int64"}) if samples else None
    warnings = []
    for p in parts:
        for w in p["warnings"]:
            if w not in warnings:
                warnings.append(w)
    metrics = {"scenarios": scenarios, "seed": seed, "first": 0, "count": total}
    return DistributedRiskResult(metrics, stats, probs, parts[0]["sensitivity"], parts[0]["cases"], frame,
                                 warnings, [(p["first"], p["count"]) for p in parts])


def run_risk(portfolio, client=None, scenarios=None, seed=None, block=None, threads_per_task=1,
             samples=False, spec=None, progress=None):
    """Runs a risk experiment in blocks on a Dask cluster (see the module's
    docstring). `portfolio`: a Portfolio loaded from JSON, JSON text, or a
    file path; `spec`: the risk object (default: the file's); `scenarios`,
    `seed`: overrides; `block`: scenarios per task (default: about four tasks
    per worker); `threads_per_task`: C threads in each task; `samples`: return
    the per-scenario samples as a DataFrame; `progress`: show a progress bar
    (default: when given a client and standard error is a terminal).

    A bad spec is refused (InvalidInput with the file's path) before anything
    is submitted; an error in a task is raised here as the same greenfin
    exception."""
    try:
        from dask.distributed import Client, LocalCluster, progress as dask_progress
    except ImportError:
        raise ImportError("greenfin.distributed needs dask.distributed (Debian: python3-distributed)") from None
    text = _portfolio_text(portfolio)
    spec, n, seed = _check_spec(text, spec, scenarios, seed)
    tasks = _lib.c_integer("run_risk()", "threads_per_task", threads_per_task, 1, _lib.INT_RANGE[1], "threads")
    own = client is None
    if own:
        cluster = LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        if block is None:
            block = max(1, math.ceil(n / (4 * workers)))
        block = _lib.c_integer("run_risk()", "block", block, 1, _risk.SIZE_MAX - 1, "scenarios per task")
        # hash=False: a key of its own, so that releasing an earlier run's copy of
        # the same text cannot cancel this run's tasks
        text_f = client.scatter(text, broadcast=True, hash=False)
        # Cases and sensitivity are deterministic: the first block evaluates
        # them, the others leave them out (draws depend on the seed, the
        # scenario and the uncertainties only, so the samples do not change).
        rest = {k: v for k, v in spec.items() if k not in ("cases", "sensitivity")}
        futures = [client.submit(_run_block, text_f, spec if first == 0 else rest, first, min(block, n - first),
                                 tasks, pure=False)
                   for first in range(0, n, block)]
        if progress is None:
            progress = not own and sys.stderr.isatty()
        if progress:
            dask_progress(futures)
        parts = client.gather(futures)
    finally:
        if own:
            client.close()
            cluster.close()
    return _combine(parts, n, seed, samples)
