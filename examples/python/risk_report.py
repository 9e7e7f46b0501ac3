#!/usr/bin/env python3
"""A risk report of a portfolio: Monte Carlo, sensitivity and cases run by
greenfin's C engine, summarised and drawn as three charts (PNG and SVG; they
need matplotlib and numpy: without them the example stops with exit status 1
and says so; --no-charts prints the summary only).

    GREENFIN_LIBRARY=build/libgreenfin.so.1 PYTHONPATH=bindings/python \\
        python3 examples/python/risk_report.py [PORTFOLIO.json] [--scenarios N] [--output-dir DIR]

The experiment is the file's "risk" object; a file without one (such as the
bundled sample) gets EXAMPLE_SPEC below: a Mekong hydrology factor per year,
capex overruns, a floating rate, a capex tornado and a dry decade. Charts:
  fund_irr.png/.svg      histogram of the fund IRR with q10, q50 and q90 marked;
  min_dscr.png/.svg      each project's minimum DSCR over the scenarios against
                         the DSCR covenant;
  tornado.png/.svg       the swing of each sensitivity entry on the fund IRR
                         (or, without a fund, the first project's NPV).
"""
import argparse
import importlib.util
import os
import sys

import greenfin

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT = os.path.normpath(os.path.join(HERE, os.pardir, "data", "cambodia_pipeline.json"))

EXAMPLE_SPEC = {
    "scenarios": 2000,
    "seed": 1,
    "factors": {"mekong": {"per": "year", "autocorrelation": 0.5}},
    "uncertainties": [
        {"key": "energy", "technology": "hydro", "per": "year", "factor": "mekong",
         "distribution": {"type": "normal", "mean": 1, "sd": 0.12, "lower": 0.5, "upper": 1.5}},
        {"key": "energy", "technology": "solar", "distribution": {"type": "normal", "mean": 1, "sd": 0.05}},
        {"key": "capex", "distribution": {"type": "pert", "min": 0.95, "mode": 1.05, "max": 1.5}},
        {"key": "annual_rate", "apply": "add", "distribution": {"type": "uniform", "min": -0.005, "max": 0.01}},
    ],
    "sensitivity": [
        {"key": "capex", "low": 0.9, "high": 1.3},
        {"key": "energy", "low": 0.85, "high": 1.1},
        {"key": "tariff_per_mwh", "low": 0.9, "high": 1.1},
        {"key": "annual_rate", "apply": "add", "low": -0.01, "high": 0.02},
    ],
    "cases": [{"name": "dry decade", "changes": [{"key": "energy", "technology": "hydro",
                                                  "years": [2031, 2040], "value": 0.8}]}],
}


def experiment(pf):
    """The file's risk object, else EXAMPLE_SPEC."""
    return pf._risk_spec if pf._risk_spec else EXAMPLE_SPEC


def summary(r, out=sys.stdout):
    st, pr = r.statistics, r.probabilities
    m = r.metrics
    print("Risk: %d scenarios (seed %d)" % (m["scenarios"], m["seed"]), file=out)
    if ("portfolio", "fund_irr") in st.index:
        row = st.loc[("portfolio", "fund_irr")]
        print("  fund IRR: q10 %.2f %%, q50 %.2f %%, q90 %.2f %%" % (100 * row["q10"], 100 * row["q50"],
                                                                   100 * row["q90"]), file=out)
    for (scope, metric), row in pr.iterrows():
        print("  %-28s %-34s %6.1f %%" % (scope, metric, 100 * row["value"]), file=out)
    print("Cases (difference from the base):", file=out)
    for _, c in r.cases[r.cases["scope"] == "portfolio"].iterrows():
        print("  %-12s %-34s %+.6g" % (c["case"], c["metric"], c["difference"]), file=out)
    for w in r.warnings:
        print("warning: %s" % w, file=out)


def charts(r, covenant, out_dir):
    import matplotlib
    matplotlib.use(os.environ.get("MPLBACKEND", "Agg"))
    import matplotlib.pyplot as plt
    import numpy as np
    s = r.samples
    written = []

    def save(fig, name):
        for ext in ("png", "svg"):
            path = os.path.join(out_dir, "%s.%s" % (name, ext))
            fig.savefig(path, dpi=120)
            written.append(path)
        plt.close(fig)

    if "portfolio.fund_irr" in s.columns:
        x = np.asarray(s["portfolio.fund_irr"])
        x = x[~np.isnan(x)] * 100
        fig, ax = plt.subplots(figsize=(7, 4))
        ax.hist(x, bins=40, color="#3b7dd8")
        for q, style in (("q10", ":"), ("q50", "-"), ("q90", "--")):
            v = 100 * r.statistic("portfolio", "fund_irr", q)
            ax.axvline(v, color="black", linestyle=style, label="%s %.2f %%" % (q, v))
        ax.set_xlabel("fund IRR (%)")
        ax.set_ylabel("scenarios")
        ax.set_title("Fund IRR over %d scenarios" % len(x))
        ax.legend()
        save(fig, "fund_irr")

    projects = [c.split(".", 1)[0] for c in s.columns if c.endswith(".min_dscr")]
    data = [np.asarray(s["%s.min_dscr" % p]) for p in projects]
    data = [d[~np.isnan(d)] for d in data]
    if projects:
        fig, ax = plt.subplots(figsize=(8, 0.5 * len(projects) + 2))
        ax.boxplot(data, vert=False, labels=projects, whis=(5, 95), showfliers=False)
        ax.axvline(covenant, color="red", linestyle="--", label="covenant %.2f" % covenant)
        ax.axvline(1.0, color="black", linestyle=":", label="1.00")
        ax.set_xlabel("minimum DSCR (whiskers q05..q95)")
        ax.legend()
        fig.tight_layout()
        save(fig, "min_dscr")

    sens = r.sensitivity
    scope, metric = ("portfolio", "fund_irr") if "portfolio.fund_irr" in s.columns else (projects[0], "npv")
    t = sens[(sens["scope"] == scope) & (sens["metric"] == metric)].dropna(subset=["at_low", "at_high"])
    if len(t):
        t = t.iloc[::-1]
        k = 100.0 if metric.endswith("irr") else 1.0   # IRRs in percent
        fig, ax = plt.subplots(figsize=(7, 0.5 * len(t) + 2))
        base = k * float(t["base"].iloc[0])
        y = np.arange(len(t))
        ax.barh(y, k * t["at_low"] - base, left=base, color="#d8893b", label="low")
        ax.barh(y, k * t["at_high"] - base, left=base, color="#3b7dd8", label="high")
        ax.set_yticks(y, t["change"])
        ax.axvline(base, color="black")
        ax.set_xlabel("%s of %s%s" % (metric, scope, " (%)" if k != 1.0 else ""))
        ax.set_title("Sensitivity (tornado)")
        ax.legend()
        fig.tight_layout()
        save(fig, "tornado")
    return written


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("portfolio", nargs="?", default=DEFAULT, help="a greenfin/1 portfolio file")
    ap.add_argument("--scenarios", type=int, default=None, help="override the experiment's scenarios")
    ap.add_argument("--threads", type=int, default=0, help="C threads (default: one per CPU)")
    ap.add_argument("--output-dir", default=".", help="where to write the charts (default: .)")
    ap.add_argument("--no-charts", action="store_true", help="print the summary only")
    args = ap.parse_args(argv)
    if not args.no_charts:
        missing = [m for m in ("matplotlib", "numpy", "pandas") if importlib.util.find_spec(m) is None]
        if missing:
            print("risk_report: %s not installed: cannot draw the charts (install python3-matplotlib, "
                  "python3-numpy and python3-pandas, or pass --no-charts)" % " and ".join(missing), file=sys.stderr)
            return 1
    try:
        pf = greenfin.Portfolio.from_file(args.portfolio)
        spec = experiment(pf)
        r = pf.risk(spec=spec, scenarios=args.scenarios, threads=args.threads, samples=not args.no_charts)
    except greenfin.Error as e:
        print("risk_report: %s: %s" % (args.portfolio, e), file=sys.stderr)
        return 2
    except OSError as e:
        print("risk_report: %s" % e, file=sys.stderr)
        return 2
    summary(r)
    if not args.no_charts:
        for path in charts(r, spec.get("covenant_dscr", 1.2), args.output_dir):
            print("wrote %s" % path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
