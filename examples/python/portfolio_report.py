#!/usr/bin/env python3
"""A green fund's portfolio report: the fund, each project, and two charts
saved as PNG files (they need matplotlib and numpy: without them the example
stops with exit status 1 and says so; --no-charts prints the summary only).

    GREENFIN_LIBRARY=build/libgreenfin.so PYTHONPATH=bindings/python \\
        python3 examples/python/portfolio_report.py [PORTFOLIO.json] [--output-dir DIR]

PORTFOLIO.json defaults to examples/data/cambodia_pipeline.json (the bundled
illustrative sample). The charts are
  fund_cash_flow.png        the fund's yearly cash flow: disbursements (negative),
                            receipts of principal, interest and fees (positive),
                            the cost of funds and management fee, and the net line;
  cumulative_reductions.png the portfolio's cumulative emission reductions by
                            technology, and the share attributed to the fund.
"""
import argparse
import importlib.util
import os
import sys

import greenfin

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT = os.path.normpath(os.path.join(HERE, os.pardir, "data", "cambodia_pipeline.json"))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("portfolio", nargs="?", default=DEFAULT, help="a greenfin/1 portfolio file")
    ap.add_argument("--output-dir", default=".", help="where to write the PNG charts (default: .)")
    ap.add_argument("--threads", type=int, default=None, help="worker threads (default: one per CPU)")
    ap.add_argument("--no-charts", action="store_true", help="print the summary only")
    args = ap.parse_args(argv)
    if not args.no_charts:
        missing = [m for m in ("matplotlib", "numpy") if importlib.util.find_spec(m) is None]
        if missing:  # the charts are this example's job: say why it cannot do it
            print("portfolio_report: %s not installed: cannot draw the charts (install python3-matplotlib "
                  "and python3-numpy, or pass --no-charts for the summary only)" % " and ".join(missing),
                  file=sys.stderr)
            return 1

    try:
        pf = greenfin.Portfolio.from_file(args.portfolio)
    except greenfin.Error as e:  # str(e) is "path: message", e.g. "projects[2].capex: ..."
        print("portfolio_report: %s: %s" % (args.portfolio, e), file=sys.stderr)
        return 2
    except OSError as e:
        print("portfolio_report: %s" % e, file=sys.stderr)
        return 2
    with pf:
        projects = {p.get("id"): p for p in pf.projects}
        currency = pf.get("currency") or "USD"
        name = pf.get("name")
        result = pf.evaluate(threads=args.threads)
    with result:
        summary(name, currency, projects, result)
        if not args.no_charts:
            charts(result, currency, args.output_dir)
    for p in projects.values():
        p.close()
    return 0


def _fmt(v, pct=False, money=False, digits=2):
    if v is None:
        return "n/a"
    if pct:
        return "%.*f %%" % (digits, 100 * v)
    if money:
        return "{:,.1f} m".format(v / 1e6)
    return "{:,.{d}f}".format(v, d=digits)


def summary(name, currency, projects, r):
    m = r.metrics
    print(name)
    print("=" * len(name))
    print()
    print("Fund (%s)" % currency)
    rows = [("capital", _fmt(m["fund_capital"], money=True)),
            ("committed", "%s (%s of capital)" % (_fmt(m["committed"], money=True), _fmt(m["utilization"], pct=True, digits=1))),
            ("weighted cost of funds", _fmt(m["weighted_cost_of_funds"], pct=True)),
            ("weighted loan rate", _fmt(m["weighted_loan_rate"], pct=True)),
            ("fund IRR", _fmt(m["fund_irr"], pct=True)),
            ("mobilization ratio", "%s (other financing per unit of fund money)" % _fmt(m["mobilization_ratio"])),
            ("subsidy per tCO2e attributed", "%s %s" % (_fmt(m["fund_subsidy_per_tco2e"]), currency))]
    for k, v in rows:
        print("  %-28s %s" % (k, v))
    print()
    print("Portfolio")
    print("  %-28s %s MW (hydro %s, solar %s)" % ("capacity", _fmt(m["capacity_mw"], digits=0),
                                                  _fmt(m["capacity_mw_hydro"], digits=0),
                                                  _fmt(m["capacity_mw_solar"], digits=0)))
    print("  %-28s %s %s" % ("total capex", _fmt(m["total_capex"], money=True), currency))
    print("  %-28s %s MtCO2e" % ("lifetime reductions", _fmt(m["lifetime_reductions_tco2e"] / 1e6)))
    print("  %-28s %s MtCO2e (PCAF project finance)" % ("attributed to the fund",
                                                        _fmt(m["fund_attributed_reductions_tco2e"] / 1e6)))
    print()
    head = "%-22s %-6s %6s %11s %9s %9s %8s %9s %11s" % (
        "project", "tech", "MW", "capex (m)", "proj IRR", "eq. IRR", "min DSCR", "LCOE/MWh", "life MtCO2e")
    print(head)
    print("-" * len(head))
    for pid, pr in r.projects.items():
        pm = pr.metrics
        tech = projects[pid].get("technology") if pid in projects else "?"
        print("%-22s %-6s %6.0f %11.1f %9s %9s %8s %9s %11.2f" % (
            pid[:22], tech, pm["capacity_mw"], pm["capex"] / 1e6, _fmt(pm["project_irr"], pct=True, digits=1),
            _fmt(pm["equity_irr"], pct=True, digits=1), _fmt(pm["min_dscr"]), _fmt(pm["lcoe"], digits=1),
            pm["lifetime_reductions_tco2e"] / 1e6))
    if r.warnings:
        print()
        print("Warnings")
        for w in r.warnings:
            print("  -", w)


def charts(r, currency, outdir):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter
    import numpy as np
    os.makedirs(outdir, exist_ok=True)
    written = []

    # 1. The fund's yearly cash flow, in millions.
    f = r.fund
    years = np.asarray(f["calendar_year"]).astype(int)
    last = int(np.nonzero((np.abs(f["net_cash_flow"]) > 0.5) | (f["outstanding"] > 0.5))[0].max()) + 1
    years = years[:last]
    M = lambda c: np.asarray(f[c][:last]) / 1e6  # noqa: E731
    fig, ax = plt.subplots(figsize=(11, 5.5), dpi=110)
    w = 0.8
    ax.bar(years, -M("disbursements"), w, color="#c0392b", label="disbursements")
    costs = M("cost_of_funds") + M("management_fee")
    ax.bar(years, -costs, w, bottom=-M("disbursements"), color="#95a5a6", label="cost of funds + management fee")
    ax.bar(years, M("principal_received"), w, color="#1e8449", label="principal received")
    ax.bar(years, M("interest_received") + M("fees_received"), w, bottom=M("principal_received"),
           color="#82e0aa", label="interest and fees received")
    ax.plot(years, M("net_cash_flow"), color="#1b2631", marker="o", ms=3, lw=1.6, label="net cash flow")
    ax.axhline(0, color="black", lw=0.8)
    ax.set_title("Fund yearly cash flow  (fund IRR %s)" % _fmt(r.metrics["fund_irr"], pct=True))
    ax.set_ylabel("%s million" % currency)
    ax.set_xlabel("calendar year")
    digits = 0 if max(M("disbursements").max(), M("principal_received").max()) > 10 else 1
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: "{:,.{d}f}".format(v, d=digits)))
    ax.set_xlim(years[0] - 0.7, years[-1] + 0.7)
    ax.xaxis.set_major_locator(matplotlib.ticker.MultipleLocator(5 if len(years) > 20 else 1))
    ax.grid(axis="y", alpha=0.3)
    ax.legend(loc="lower right", fontsize=9, frameon=True)
    fig.tight_layout()
    path = os.path.join(outdir, "fund_cash_flow.png")
    fig.savefig(path)
    plt.close(fig)
    written.append(path)

    # 2. Cumulative reductions by technology, in MtCO2e.
    p = r.portfolio
    years = np.asarray(p["calendar_year"]).astype(int)
    hydro = np.cumsum(p["reductions_tco2e_hydro"]) / 1e6
    solar = np.cumsum(p["reductions_tco2e_solar"]) / 1e6
    attributed = np.cumsum(p["attributed_tco2e"]) / 1e6
    fig, ax = plt.subplots(figsize=(11, 5.5), dpi=110)
    ax.stackplot(years, hydro, solar, labels=["hydro", "solar"], colors=["#2e86c1", "#f4d03f"], alpha=0.9)
    ax.plot(years, attributed, color="#1b2631", lw=1.8, ls="--", label="attributed to the fund (PCAF)")
    ax.set_title("Cumulative emission reductions: %.1f MtCO2e over the projects' lives"
                 % (r.metrics["lifetime_reductions_tco2e"] / 1e6))
    ax.set_ylabel("MtCO2e (cumulative)")
    ax.set_xlabel("calendar year")
    ax.set_xlim(years[0], years[-1])
    ax.set_ylim(0, None)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=9)
    fig.tight_layout()
    path = os.path.join(outdir, "cumulative_reductions.png")
    fig.savefig(path)
    plt.close(fig)
    written.append(path)
    print()
    for path in written:
        print("wrote", path)


if __name__ == "__main__":
    sys.exit(main())
