"""greenfin.report -- the board pack: one self-contained HTML page (and a PDF of
it) with the fund's summary, charts and tables, built over the bindings.

    import greenfin.report
    greenfin.report.board_pack("cambodia_pipeline.json", html="board.html", pdf="board.pdf")

or from a shell: ``python3 -m greenfin report [FILE] --html board.html [--pdf board.pdf]``.

The library computes; this module only presents. Charts are drawn with
matplotlib and embedded as inline SVG, the page comes from a Jinja2 template,
the PDF from WeasyPrint. Nothing is fetched when the page is opened: no
scripts, fonts or images from elsewhere (the page's fonts are the reader's
sans-serif).

How figures are written (the summary and tables; `fmt_*` below):
  money       currency and millions with one decimal: "USD 1,030.2 m"
  fractions   percent with two decimals: "4.28 %"
  ratios      two decimals and "x": "3.56x"
  capacity    one decimal: "640.0 MW"
  tonnes      whole tonnes with thousands separators: "37,602,975 tCO2e"
  per tonne   currency with two decimals: "USD 27.31/tCO2e"
  no value    "n/a" (an IRR that does not exist, a metric that is null)
"""

import datetime
import html as _html
import io
import json
import math
import os
import re

from . import errors
from .model import Portfolio, Project

__all__ = ["board_pack", "load", "PALETTE", "fmt_money", "fmt_percent", "fmt_ratio", "fmt_mw", "fmt_tco2e",
           "fmt_per_tco2e"]

# Okabe & Ito (2008), "Color Universal Design": eight colours that stay
# distinct for the common forms of colour-blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]
TECH_COLOURS = {"hydro": "#0072B2", "solar": "#E69F00"}
CHART_WIDTH_IN = 6.8     # A4 (8.27 in) less 2 x 0.7 in margins: charts print at full size
CHART_FONT_PT = 8.5      # readable on paper at that size
MAX_BARS = 15            # projects shown one by one in a chart; the rest are aggregated
MAX_LINES = 8            # DSCR lines drawn one by one; more become a band
DEFAULT_COVENANT = 1.2   # MODEL.md: risk.covenant_dscr's default
PACK_SCENARIOS = 200     # the pack's Monte Carlo size unless scenarios= (or the file's, when smaller)

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")


# ---------------------------------------------------------------------------
# Formatting (the rules of the module docstring)
# ---------------------------------------------------------------------------

def _none(v):
    return v is None or (isinstance(v, float) and math.isnan(v))


def fmt_money(v, currency):
    return "n/a" if _none(v) else "%s %s m" % (currency, "{:,.1f}".format(v / 1e6))


def fmt_percent(v):
    return "n/a" if _none(v) else "%.2f %%" % (100 * v)


def fmt_ratio(v):
    return "n/a" if _none(v) else "%.2fx" % v


def fmt_mw(v):
    return "n/a" if _none(v) else "{:,.1f} MW".format(v)


def fmt_tco2e(v):
    return "n/a" if _none(v) else "{:,.0f} tCO2e".format(v)


def fmt_per_tco2e(v, currency):
    return "n/a" if _none(v) else "%s %.2f/tCO2e" % (currency, v)


def fmt_number(v, decimals=0):
    return "" if _none(v) else "{:,.{d}f}".format(v, d=decimals)


def fmt_unit(v, unit, currency):
    """A value by its registry unit (greenfin.metrics(), greenfin.parameters())."""
    unit = unit or ""
    if unit == "money":
        return fmt_money(v, currency)
    if unit.startswith("fraction"):
        return fmt_percent(v)
    if unit == "ratio":
        return fmt_ratio(v)
    if unit == "MW":
        return fmt_mw(v)
    if unit == "tCO2e":
        return fmt_tco2e(v)
    if unit == "money/tCO2e":
        return fmt_per_tco2e(v, currency)
    if unit.startswith("money/"):
        return "n/a" if _none(v) else "%s %.2f/%s" % (currency, v, unit[6:])
    if unit == "MWh":
        return "n/a" if _none(v) else "{:,.0f} MWh".format(v)
    if unit == "years":
        return "n/a" if _none(v) else "%.1f years" % v
    return "n/a" if _none(v) else ("{:,.0f}".format(v) if v == int(v) else "{:,.4g}".format(v))


# ---------------------------------------------------------------------------
# Input
# ---------------------------------------------------------------------------

def _project_as_portfolio(doc):
    """A project file read as a portfolio of one project without a fund
    (MODEL.md "Risk": the same reading)."""
    project = {k: v for k, v in doc.items() if k != "risk"}
    out = {"format": "greenfin/1", "name": doc.get("name") or doc.get("id", "project"),
           "start_year": doc.get("start_year"), "discount_rate": doc.get("discount_rate"),
           "projects": [project]}
    if "grid" in doc:
        out["grid"] = doc["grid"]
    if "risk" in doc:
        out["risk"] = doc["risk"]
    return {k: v for k, v in out.items() if v is not None}


def load(source):
    """(document or None, Portfolio) from a path, JSON text, a dict or a
    Portfolio. A project file becomes a portfolio of that one project."""
    if isinstance(source, Portfolio):
        return None, source
    if isinstance(source, dict):
        doc = source
    elif isinstance(source, (bytes, bytearray)) or (isinstance(source, str) and source.lstrip().startswith("{")):
        doc = json.loads(source)
    else:
        with open(os.fspath(source), "rb") as f:
            doc = json.loads(f.read())
    if isinstance(doc, dict) and "format" not in doc and "technology" in doc:
        doc = _project_as_portfolio(doc)
    return doc, Portfolio.from_json(json.dumps(doc))


# ---------------------------------------------------------------------------
# Charts (matplotlib, inline SVG)
# ---------------------------------------------------------------------------

_plt = None


def _pyplot():
    """matplotlib.pyplot on the Agg canvas, set up once for print."""
    global _plt
    if _plt is None:
        import matplotlib
        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt
        plt.rcParams.update({
            "font.size": CHART_FONT_PT, "axes.titlesize": CHART_FONT_PT + 1.5, "axes.titleweight": "bold",
            "axes.labelsize": CHART_FONT_PT, "legend.fontsize": CHART_FONT_PT - 0.5,
            "xtick.labelsize": CHART_FONT_PT - 0.5, "ytick.labelsize": CHART_FONT_PT - 0.5,
            "axes.prop_cycle": matplotlib.cycler(color=PALETTE), "axes.spines.top": False,
            "axes.spines.right": False, "axes.grid": True, "grid.alpha": 0.3,
            "svg.fonttype": "none",        # text stays text: searchable, read aloud, no glyph paths
            "svg.hashsalt": "greenfin",    # stable ids: the same input gives the same page
            "font.family": "sans-serif",
        })
        _plt = plt
    return _plt


_SVG_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.S)
_SVG_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)
_SVG_FONT = re.compile(r"font: ((?:[a-z0-9-]+ )*)([0-9.]+px) ([^;\"]+)")


def _font_longhand(m):
    words = m.group(1).split()
    out = "font-size: %s; font-family: %s" % (m.group(2), m.group(3))
    if "bold" in words or "700" in words:
        out += "; font-weight: bold"
    if "italic" in words:
        out += "; font-style: italic"
    return out


def _svg(fig, ident, title, desc):
    """The figure as an inline <svg> with a <title> and <desc> (its text
    alternative), labelled for assistive technology."""
    buf = io.StringIO()
    # One draw: margins are set by hand (a layout engine or bbox_inches="tight"
    # draws every figure twice or more; the pack's time is mostly drawing).
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    _pyplot().close(fig)
    svg = _SVG_PROLOGUE.sub("", buf.getvalue(), count=1)
    svg = _SVG_METADATA.sub("", svg)
    # "font: 8px A, B" as longhand properties: WeasyPrint ignores the shorthand in SVG.
    svg = _SVG_FONT.sub(_font_longhand, svg)
    # ids unique in the page: matplotlib numbers its clip paths per figure.
    svg = re.sub(r'id="([^"]+)"', lambda m: 'id="%s-%s"' % (ident, m.group(1)), svg)
    svg = re.sub(r'(url\(#|href="#)([^")]+)', lambda m: "%s%s-%s" % (m.group(1), ident, m.group(2)), svg)
    head = '<svg role="img" aria-labelledby="%s-title %s-desc" ' % (ident, ident)
    svg = svg.replace("<svg ", head, 1)
    close = svg.index(">", svg.index("<svg")) + 1
    return (svg[:close] + '<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>'
            % (ident, _html.escape(title), ident, _html.escape(desc)) + svg[close:])


def _figure(height, ncols=1, **margins):
    """A figure CHART_WIDTH_IN wide; margins as fractions (subplots_adjust),
    room for labels and the legends placed outside the axes."""
    fig, ax = _pyplot().subplots(1, ncols, figsize=(CHART_WIDTH_IN, height))
    fig.subplots_adjust(**margins)
    return fig, ax


def _millions(ax, currency, label=""):
    ax.set_ylabel("%s%s m" % (label, currency))


def chart_fund_cash_flow(fund, currency):
    """Disbursements below the axis, receipts above, the net line and the
    outstanding balance (right axis)."""
    years = [int(y) for y in fund["calendar_year"]]
    m = lambda c: [v / 1e6 for v in fund[c]]  # noqa: E731
    fig, ax = _figure(3.6, left=0.1, right=0.9, top=0.92, bottom=0.3)
    ax.bar(years, [-v for v in m("disbursements")], color=PALETTE[3], label="disbursements")
    bottom = [0.0] * len(years)
    for col, colour in (("principal_received", PALETTE[0]), ("interest_received", PALETTE[4]),
                        ("fees_received", PALETTE[1])):
        vals = m(col)
        ax.bar(years, vals, bottom=bottom, color=colour, label=col.replace("_", " "))
        bottom = [b + v for b, v in zip(bottom, vals)]
    net = m("net_cash_flow")
    ax.plot(years, net, color=PALETTE[7], linewidth=1.4, marker="o", markersize=2.5, label="net cash flow")
    ax.axhline(0, color="#444", linewidth=0.8)
    _millions(ax, currency)
    ax.set_xlabel("calendar year")
    ax2 = ax.twinx()
    ax2.plot(years, m("outstanding"), color=PALETTE[2], linestyle="--", linewidth=1.4, label="outstanding (right)")
    ax2.set_ylabel("outstanding, %s m" % currency)
    ax2.grid(False)
    ax2.spines["right"].set_visible(True)
    ax2.set_ylim(bottom=0)
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3, frameon=False)
    ax.set_title("The fund's yearly cash flow (%s m)" % currency)
    disb = m("disbursements")
    peak = max(range(len(years)), key=lambda i: disb[i]) if years else 0
    outs = m("outstanding")
    opeak = max(range(len(years)), key=lambda i: outs[i]) if years else 0
    turn = next((years[i] for i in range(len(years)) if net[i] > 0), None)
    desc = ("Bars by calendar year %d-%d: disbursements below the axis (largest %s m in %d), principal, "
            "interest and fees received above it; the net cash flow line %s; the outstanding balance "
            "peaks at %s m in %d." % (years[0], years[-1], "{:,.1f}".format(disb[peak]), years[peak],
                                       "turns positive in %d" % turn if turn else "stays at or below zero",
                                       "{:,.1f}".format(outs[opeak]), years[opeak])) if years else "No years."
    return _svg(fig, "fund-cash-flow", "The fund's yearly cash flow", desc)


def chart_energy_and_carbon(rows):
    """Net energy by technology (stacked bars, GWh) and cumulative tCO2e
    (total and attributed to the fund, Mt)."""
    years = rows["years"]
    fig, (ax, bx) = _figure(3.2, ncols=2, left=0.1, right=0.98, top=0.9, bottom=0.3, wspace=0.3)
    bottom = [0.0] * len(years)
    for tech, vals in sorted(rows["energy"].items()):
        gwh = [v / 1e3 for v in vals]
        ax.bar(years, gwh, bottom=bottom, color=TECH_COLOURS.get(tech), label=tech)
        bottom = [b + v for b, v in zip(bottom, gwh)]
    ax.set_title("Net energy by technology")
    ax.set_ylabel("GWh per year")
    ax.set_xlabel("calendar year")
    ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3)
    cum = rows["cumulative_tco2e"]
    bx.plot(years, [v / 1e6 for v in cum], color=PALETTE[2], linewidth=1.6, label="all projects")
    if rows.get("cumulative_attributed"):
        bx.plot(years, [v / 1e6 for v in rows["cumulative_attributed"]], color=PALETTE[5], linewidth=1.6,
                linestyle="--", label="attributed to the fund")
    bx.set_title("Cumulative emission reductions")
    bx.set_ylabel("MtCO2e")
    bx.set_xlabel("calendar year")
    bx.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2)
    total = {t: sum(v) for t, v in rows["energy"].items()}
    desc = ("Left: net energy per year by technology (%s). Right: cumulative emission reductions reach "
            "%s MtCO2e by %d%s." % ("; ".join("%s %s GWh over the period" % (t, "{:,.0f}".format(v / 1e3))
                                              for t, v in sorted(total.items())),
                                    "{:,.2f}".format(cum[-1] / 1e6) if cum else "0", years[-1] if years else 0,
                                    ", of which %s Mt attributed to the fund" % "{:,.2f}".format(
                                        rows["cumulative_attributed"][-1] / 1e6)
                                    if rows.get("cumulative_attributed") else ""))
    return _svg(fig, "energy-carbon", "Energy by technology and cumulative emission reductions", desc)


def chart_dscr(projects, covenant):
    """Each project's DSCR by year against the covenant: one line per
    project up to MAX_LINES, else the band of all projects with the weakest
    named."""
    series = [(p["id"], p["dscr_years"], p["dscr"]) for p in projects
              if any(not _none(v) for v in p["dscr"])]
    fig, ax = _figure(3.0, left=0.08, right=0.72, top=0.9, bottom=0.15)
    if not series:
        ax.text(0.5, 0.5, "no project has debt service", ha="center", va="center", transform=ax.transAxes)
        desc = "No project has debt service, so no DSCR."
    elif len(series) <= MAX_LINES:
        for i, (pid, years, dscr) in enumerate(series):
            ax.plot(years, [None if _none(v) else v for v in dscr], color=PALETTE[i % len(PALETTE)],
                    linewidth=1.3, label=_short(pid, 28))
        ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        desc = "DSCR by year: " + "; ".join("%s minimum %.2f" % (pid, min(v for v in d if not _none(v)))
                                             for pid, _, d in series)
    else:
        by_year = {}
        for _, years, dscr in series:
            for y, v in zip(years, dscr):
                if not _none(v):
                    by_year.setdefault(y, []).append(v)
        ys = sorted(by_year)
        lo = [min(by_year[y]) for y in ys]
        hi = [max(by_year[y]) for y in ys]
        med = [sorted(by_year[y])[len(by_year[y]) // 2] for y in ys]
        ax.fill_between(ys, lo, hi, color=PALETTE[4], alpha=0.35, label="range of %d projects" % len(series))
        ax.plot(ys, med, color=PALETTE[0], linewidth=1.4, label="median")
        weakest = sorted(series, key=lambda s: min(v for v in s[2] if not _none(v)))[:3]
        for i, (pid, years, dscr) in enumerate(weakest):
            ax.plot(years, [None if _none(v) else v for v in dscr], color=PALETTE[(i + 1) % 8 or 1],
                    linewidth=1.0, linestyle=":", label="weakest: " + _short(pid, 24))
        ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        desc = ("DSCR by year of %d projects as a band (lowest to highest) with the median; the three weakest: %s."
                % (len(series), ", ".join("%s (minimum %.2f)" % (pid, min(v for v in d if not _none(v)))
                                           for pid, _, d in weakest)))
    ax.axhline(covenant, color=PALETTE[3], linewidth=1.2, linestyle="--", label="covenant %.2fx" % covenant)
    if series:
        h, l = ax.get_legend_handles_labels()
        ax.legend(h, l, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_ylabel("DSCR (x)")
    ax.set_xlabel("calendar year")
    ax.set_title("Debt service cover by project against the covenant (%.2fx)" % covenant)
    return _svg(fig, "dscr", "Each project's DSCR by year against the covenant",
                desc + " The covenant line is at %.2fx." % covenant)


def _short(text, n):
    return text if len(text) <= n else text[:n - 1] + "\u2026"


def chart_capex_and_loans(projects, currency):
    """Capex and the fund's loan by project, largest first; beyond MAX_BARS
    the smaller projects are one bar."""
    ranked = sorted(projects, key=lambda p: -p["capex"])
    shown = ranked[:MAX_BARS] if len(ranked) > MAX_BARS + 1 else ranked
    rest = ranked[len(shown):]
    labels = [_short(p["label"], 34) for p in shown]
    capex = [p["capex"] / 1e6 for p in shown]
    fund = [p["fund_principal"] / 1e6 for p in shown]
    if rest:
        labels.append("%d smaller projects" % len(rest))
        capex.append(sum(p["capex"] for p in rest) / 1e6)
        fund.append(sum(p["fund_principal"] for p in rest) / 1e6)
    n = len(labels)
    height = 1.0 + 0.3 * n
    fig, ax = _figure(height, left=0.4, right=0.97, top=1 - 0.35 / height, bottom=0.5 / height)
    pos = list(range(n))[::-1]
    ax.barh([p + 0.2 for p in pos], capex, height=0.4, color=PALETTE[0], label="capex")
    ax.barh([p - 0.2 for p in pos], fund, height=0.4, color=PALETTE[1], label="fund loan")
    ax.set_yticks(pos)
    ax.set_yticklabels(labels)
    ax.set_xlabel("%s m" % currency)
    ax.grid(axis="y", visible=False)
    ax.legend(frameon=False, loc="lower right")
    ax.set_title("Capex and fund loan by project (%s m)" % currency)
    desc = "Horizontal bars, largest capex first: " + "; ".join(
        "%s capex %s m, fund loan %s m" % (lab, "{:,.1f}".format(c), "{:,.1f}".format(f))
        for lab, c, f in zip(labels, capex, fund)) + "."
    return _svg(fig, "capex-loans", "Capex and fund loan by project", desc)


# ---------------------------------------------------------------------------
# Gathering: the result and the inputs, as plain rows for the page
# ---------------------------------------------------------------------------

def _col(table, name):
    return [None if _none(float(v)) else float(v) for v in table[name]] if name in table.columns else None


def _projects(pf, result, doc):
    """One dict per project with what the page shows."""
    handles = pf.projects
    docs = (doc or {}).get("projects") or [None] * len(handles)
    out = []
    try:
        for (pid, pr), h, d in zip(result.projects.items(), handles, docs):
            m = pr.metrics
            years = pr.years
            name = h.get("name") or ""
            out.append({
                "id": pid, "name": name, "label": name or pid, "technology": h.get("technology"),
                "capacity_mw": m.get("capacity_mw") or h.get("capacity_mw"),
                "capex": m.get("capex") if m.get("capex") is not None else h.get("capex"),
                "fund_principal": m.get("fund_principal") or 0.0, "metrics": m,
                "calendar_year": [int(y) for y in years["calendar_year"]],
                "net_mwh": _col(years, "net_mwh"), "reductions": _col(years, "reductions_tco2e"),
                "dscr_years": [int(y) for y in years["calendar_year"]], "dscr": _col(years, "dscr"),
                "inputs": _project_inputs(h), "loans": _loan_inputs(d, pr),
                "warnings": pr.warnings,
            })
    finally:
        for h in handles:
            h.close()
    return out


_PROJECT_KEYS = ["technology", "capacity_mw", "construction_years", "operating_years", "capacity_factor",
                 "specific_yield_kwh_per_kwp", "availability", "capex", "opex_fixed", "tariff_per_mwh",
                 "tariff_escalation", "carbon_price_per_tco2e", "tax_rate", "discount_rate", "ef_cm", "ef_om",
                 "ef_bm"]
# The key-inputs table: (heading, how a project's inputs read in it).
_INPUT_COLUMNS = [
    ("Technology", lambda i, c: i["technology"] or ""),
    ("MW", lambda i, c: fmt_number(i["capacity_mw"], 1)),
    ("Years (build + run)", lambda i, c: "%s + %s" % (i["construction_years"], i["operating_years"])),
    ("Energy", lambda i, c: ("CF %.1f %%" % (100 * i["capacity_factor"])) if i["capacity_factor"] is not None
     else ("%s kWh/kWp" % fmt_number(i["specific_yield_kwh_per_kwp"])) if i["specific_yield_kwh_per_kwp"]
     else "monthly flows"),
    ("Availability", lambda i, c: fmt_percent(i["availability"])),
    ("Capex, %s m", lambda i, c: fmt_number((i["capex"] or 0) / 1e6, 1)),
    ("Opex fixed, %s m/yr", lambda i, c: fmt_number((i["opex_fixed"] or 0) / 1e6, 2)),
    ("Tariff, %s/MWh", lambda i, c: "%s%s" % (fmt_number(i["tariff_per_mwh"], 2),
                                             " +%.1f %%/yr" % (100 * i["tariff_escalation"])
                                             if i["tariff_escalation"] else "")),
    ("Carbon, %s/tCO2e", lambda i, c: fmt_number(i["carbon_price_per_tco2e"], 2)),
    ("Tax rate", lambda i, c: fmt_percent(i["tax_rate"])),
    ("Discount rate", lambda i, c: "portfolio's" if i["discount_rate"] is None else fmt_percent(i["discount_rate"])),
    ("Grid, tCO2e/MWh", lambda i, c: ("CM %.3f" % i["ef_cm"]) if i["ef_cm"] is not None
     else ("OM %.3f, BM %.3f" % (i["ef_om"], i["ef_bm"])) if i["ef_om"] is not None else "portfolio's"),
]


def _project_inputs(h):
    out = {}
    for k in _PROJECT_KEYS:
        try:
            out[k] = h.get(k)
        except (errors.Error, TypeError, ValueError):
            out[k] = None
    return out


_LOAN_KEYS = ["lender", "principal", "annual_rate", "margin", "frequency", "grace_periods", "repayment_periods",
              "amortization", "upfront_fee", "commitment_fee"]


def _loan_inputs(d, pr):
    """The loans' terms from the input document (the result has none), the
    sized loan's from debt_sizing."""
    rows = []
    if not d:
        return rows
    for i, ln in enumerate(d.get("loans", [])):
        rows.append(dict({k: ln.get(k) for k in _LOAN_KEYS}, id=ln.get("id") or "loans[%d]" % i))
    ds = d.get("debt_sizing")
    if ds:
        rows.append(dict.fromkeys(_LOAN_KEYS))
        rows[-1].update({"id": ds.get("id", "sized_debt"), "lender": ds.get("lender", ""),
                     "principal": (pr.loans.get(ds.get("id", "sized_debt")) or pr).metrics.get("total_drawn"),
                     "annual_rate": ds.get("annual_rate"), "frequency": 1, "grace_periods": 0,
                     "repayment_periods": ds.get("tenor_years"), "amortization": "sculpted (DSCR %.2fx)"
                     % ds.get("target_dscr", float("nan"))})
    return rows


def _yearly(projects, portfolio_table):
    """Energy by technology and cumulative reductions by calendar year, from
    the projects' own years (so any technology counts as itself)."""
    years = sorted({y for p in projects for y in p["calendar_year"]})
    index = {y: i for i, y in enumerate(years)}
    energy, red = {}, [0.0] * len(years)
    for p in projects:
        e = energy.setdefault(p["technology"] or "other", [0.0] * len(years))
        for y, mwh, t in zip(p["calendar_year"], p["net_mwh"] or [], p["reductions"] or []):
            e[index[y]] += mwh or 0.0
            red[index[y]] += t or 0.0
    cum, total = [], 0.0
    for v in red:
        total += v
        cum.append(total)
    out = {"years": years, "energy": energy, "cumulative_tco2e": cum}
    if portfolio_table is not None and "attributed_tco2e" in portfolio_table.columns:
        by_year = dict(zip([int(y) for y in portfolio_table["calendar_year"]],
                           _col(portfolio_table, "attributed_tco2e")))
        total, att = 0.0, []
        for y in years:
            total += by_year.get(y) or 0.0
            att.append(total)
        out["cumulative_attributed"] = att
    return out


def _metric_first(m, *names):
    for n in names:
        if n in m:
            return n, m[n]
    return None, None


def _summary(m, currency):
    """(label, formatted value, note) of the one-page summary: the figures
    the result has (a portfolio without a fund has no fund figures)."""
    rows = [
        ("Capacity", "capacity_mw", fmt_mw,
         "solar %s, hydro %s" % (fmt_mw(m.get("capacity_mw_solar")), fmt_mw(m.get("capacity_mw_hydro")))),
        ("Investment (capex of all projects)", "total_capex", lambda v: fmt_money(v, currency), ""),
        ("Fund commitment", "committed", lambda v: fmt_money(v, currency),
         "of capital %s" % fmt_money(m.get("fund_capital"), currency)),
        ("Fund utilisation", "utilization", fmt_percent, "committed / capital"),
        ("Mobilisation", "mobilization_ratio", fmt_ratio,
         "other financing per unit of fund commitment in the projects it lends to"),
        ("Cost of funds", "weighted_cost_of_funds", fmt_percent, "amount-weighted rate of the sources"),
        ("Loan rate", "weighted_loan_rate", fmt_percent, "principal-weighted rate of the fund's loans"),
        ("Fund IRR", "fund_irr", fmt_percent, "the fund's return on its net flows, after cost of funds and fees"),
        ("Lifetime emission reductions", "lifetime_reductions_tco2e", fmt_tco2e, "all projects"),
        ("Attributed to the fund", "fund_attributed_reductions_tco2e", fmt_tco2e,
         "PCAF project finance: outstanding / total financing, year by year"),
        ("Subsidy per tCO2e", "fund_subsidy_per_tco2e", lambda v: fmt_per_tco2e(v, currency),
         "grant equivalent of the fund's loans per attributed tCO2e"),
        ("Fund cost per tCO2e", "fund_cost_per_tco2e", lambda v: fmt_per_tco2e(v, currency),
         "fund commitment per attributed tCO2e"),
    ]
    out = [(label, fmt(m[name]), note) for label, name, fmt, note in rows if name in m]
    if "impact_year" in m:
        y = int(m["impact_year"])
        note = "GHG emissions avoided in %d (ICMA)" % y
        if m.get("impact_expected_projects"):
            note += ", %d project(s) by expected annual figures" % m["impact_expected_projects"]
        out.append(("Impact in %d" % y, fmt_tco2e(m.get("impact_reductions_tco2e")), note))
        if "impact_attributed_tco2e" in m:
            out.append(("Impact in %d, the fund's share" % y, fmt_tco2e(m["impact_attributed_tco2e"]),
                        "pro rata to the fund's part of each project's financing"))
    return out


# ---------------------------------------------------------------------------
# The pack
# ---------------------------------------------------------------------------

def _environment():
    import jinja2
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["money"] = lambda v, c: fmt_money(v, c)
    env.filters["pct"] = fmt_percent
    env.filters["ratio"] = fmt_ratio
    env.filters["num"] = fmt_number
    return env


def _fund_rows(fund):
    cols = [c for c in ("calendar_year", "disbursements", "principal_received", "interest_received",
                        "fees_received", "cost_of_funds", "management_fee", "net_cash_flow", "outstanding")
            if c in fund.columns]
    data = {c: _col(fund, c) for c in cols}
    rows = [[data[c][i] for c in cols] for i in range(len(fund))]
    # Years with nothing at all (after the last repayment) say nothing.
    while rows and all(_none(v) or v == 0 for v in rows[-1][1:]):
        rows.pop()
    return cols, rows


def _inputs(pf, doc, currency):
    """The portfolio's and the fund's inputs: (label, value) rows."""
    rows = [("Portfolio", pf.get("name") or ""), ("Currency", currency),
            ("Start year", str(pf.get("start_year"))),
            ("Discount rate (projects' default)", fmt_percent(pf.get("discount_rate")))]
    for k in ("ef_cm", "ef_om", "ef_bm", "ef_change_per_year"):
        v = pf.get(k)
        if v is not None:
            rows.append(("Grid " + k, fmt_percent(v) if k == "ef_change_per_year" else "%.4f tCO2e/MWh" % v))
    fund = pf.fund
    if fund is not None:
        with fund:
            rows += [("Fund", fund.get("name") or ""), ("Fund capital", fmt_money(fund.get("capital"), currency)),
                     ("Management fee", fmt_percent(fund.get("management_fee")) + " of loans outstanding a year")]
    for s in ((doc or {}).get("fund") or {}).get("sources", []):
        rows.append(("Source: " + s.get("name", ""), "%s at %s" % (fmt_money(s.get("amount"), currency),
                                                                   fmt_percent(s.get("annual_rate", 0)))))
    return rows


def board_pack(portfolio, html=None, pdf=None, year=None, title=None, threads=None, covenant_dscr=None,
               scenarios=None, seed=None):
    """The board pack of a portfolio: returns the HTML text and writes it to
    `html` and a PDF of it to `pdf` when given.

    portfolio: a path to a portfolio (or project) file, its JSON text, the
    parsed dict, or a greenfin.Portfolio (then the loans' terms and the
    fund's sources, which the handle does not give back, are left out of the
    inputs tables). year: the impact reporting year (when the library
    reports impact). covenant_dscr: the DSCR covenant line (default the
    file's risk.covenant_dscr, else 1.2). When the file has a risk object,
    the pack runs it (greenfin.risk) with `scenarios` scenarios (default
    the file's count, at most PACK_SCENARIOS) and `seed` (default the
    file's) and adds the risk headline and a risk section."""
    doc, pf = load(portfolio)
    owned = pf is not portfolio
    before = None
    try:
        if year is not None:
            before = pf.get("impact_year") if not owned else None
            _set_impact_year(pf, year)
        result = pf.evaluate(threads=threads)
        with result:
            risk = _run_risk(pf, doc, scenarios, seed, threads)
            try:
                page = _render(pf, doc, result, title, covenant_dscr, year, risk)
            finally:
                if risk is not None:
                    risk.close()
    finally:
        if owned:
            pf.close()
        elif year is not None:
            pf.set(impact_year=before)  # the caller's portfolio as it was
    if html:
        with open(os.fspath(html), "w", encoding="utf-8") as f:
            f.write(page)
    if pdf:
        write_pdf(page, pdf)
    return page


def _set_impact_year(pf, year):
    if not isinstance(year, int) or isinstance(year, bool):
        raise TypeError("board_pack() argument 'year' must be an int, not %s" % type(year).__name__)
    try:
        pf.set(impact_year=year)
    except errors.InvalidInput as e:  # named after the argument, not the key
        raise errors.InvalidInput(e.code, "year", e.message) from None
    except TypeError as e:
        raise errors.InvalidInput(-1, "year", "this library does not report impact by year (%s)" % e) from None


def write_pdf(page, path):
    """The page as a PDF (WeasyPrint), A4."""
    import logging
    import weasyprint
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)

    def no_fetch(url, *a, **kw):  # the page is self-contained: nothing may be fetched
        raise ValueError("greenfin board pack: refusing to fetch %s" % url)
    weasyprint.HTML(string=page, base_url=None, url_fetcher=no_fetch).write_pdf(os.fspath(path))


def _render(pf, doc, result, title, covenant_dscr, year, risk=None):
    m = result.metrics
    currency = pf.get("currency") or "USD"
    fund = pf.fund
    fund_name = None
    if fund is not None:
        with fund:
            fund_name = fund.get("name")
    if covenant_dscr is None:
        covenant_dscr = ((doc or {}).get("risk") or {}).get("covenant_dscr", DEFAULT_COVENANT)
    projects = _projects(pf, result, doc)
    portfolio_table = result.portfolio if "portfolio" in result.table_names else None
    yearly = _yearly(projects, portfolio_table)
    has_fund = "fund" in result.table_names
    charts = [
        ("The fund's yearly cash flow", chart_fund_cash_flow(result.fund, currency),
         "Disbursements are drawn below the axis, receipts above; the dashed line is the balance outstanding "
         "at year end (right axis)."),
    ] if has_fund else []
    charts += [
        ("Energy and emission reductions", chart_energy_and_carbon(yearly),
         "Net energy of each year by technology, and the reductions summed from the first year."),
        ("Debt service cover", chart_dscr(projects, covenant_dscr),
         "DSCR = CFADS / debt service in each operating year with debt service."),
        ("Capex and the fund's loans", chart_capex_and_loans(projects, currency),
         "The fund's loan is the principal of the project's loans whose lender is the fund."),
    ]
    impact = _impact(result, projects, currency)
    fund_cols, fund_rows = _fund_rows(result.fund) if has_fund else ([], [])
    env = _environment()
    return env.get_template("board.html.j2").render(
        title=title or pf.get("name") or "Board pack", fund_name=fund_name, currency=currency,
        generated=datetime.date.today().isoformat(), version=_library_version(),
        summary=_summary(m, currency), warnings=result.warnings,
        charts=charts, projects=projects, fund_cols=fund_cols, fund_rows=fund_rows,
        impact=impact, year=year, inputs=_inputs(pf, doc, currency),
        input_header=[h.replace("%s", currency) for h, _ in _INPUT_COLUMNS],
        input_rows=[(p["id"], [f(p["inputs"], currency) for _, f in _INPUT_COLUMNS]) for p in projects],
        loan_keys=_LOAN_KEYS, has_doc=doc is not None,
        risk=_risk_section(risk, covenant_dscr) if risk is not None else None)


# ---------------------------------------------------------------------------
# Risk (the file's risk object, docs/model.md "Risk")
# ---------------------------------------------------------------------------

def _run_risk(pf, doc, scenarios, seed, threads):
    """The file's risk experiment at the pack's size, with samples; None
    when the file has no risk object."""
    spec = (doc or {}).get("risk") if doc is not None else getattr(pf, "_risk_spec", None)
    if not spec:
        return None
    if scenarios is None:
        scenarios = min(int(spec.get("scenarios", PACK_SCENARIOS)), PACK_SCENARIOS)
    return pf.risk(scenarios=scenarios, seed=seed, threads=threads or 0, samples=True, spec=spec)


def _stat(stats, scope, metric, name):
    try:
        v = stats.loc[(scope, metric), name]
    except KeyError:
        return None
    return None if _none(float(v)) else float(v)


def risk_headline(stats, probs):
    """(label, formatted value, note) rows: the fund IRR's P90 / P50 / P10
    (more is better, so the lender's P90 is q10) and the probability of any
    project's min DSCR below 1."""
    rows = []
    if ("portfolio", "fund_irr") in stats.index:
        for label, q, note in (("Fund IRR, P90", "q10", "q10: 90 % of the scenarios do at least this well"),
                               ("Fund IRR, P50", "q50", "the median scenario"),
                               ("Fund IRR, P10", "q90", "q90: 10 % of the scenarios do at least this well")):
            rows.append((label, fmt_percent(_stat(stats, "portfolio", "fund_irr", q)), note))
    if ("portfolio", "p_any_min_dscr_below_1") in probs.index:
        rows.append(("Probability of any min DSCR < 1",
                     fmt_percent(float(probs.loc[("portfolio", "p_any_min_dscr_below_1"), "value"])),
                     "share of the scenarios in which at least one project's min DSCR is below 1.00x"))
    return rows


def chart_risk_fund_irr(values, q):
    """The fund IRR's distribution over the scenarios with q10 / q50 / q90."""
    vals = [100 * v for v in values if not _none(v)]
    fig, ax = _figure(2.8, left=0.1, right=0.97, top=0.9, bottom=0.17)
    ax.hist(vals, bins=min(40, max(10, len(vals) // 10)), color=PALETTE[4], edgecolor="white", linewidth=0.4)
    styles = (("q10", "P90 (q10)", PALETTE[3], "--"), ("q50", "P50 (q50)", PALETTE[7], "-"),
              ("q90", "P10 (q90)", PALETTE[2], ":"))
    for k, label, colour, ls in styles:
        if q[k] is not None:
            ax.axvline(100 * q[k], color=colour, linestyle=ls, linewidth=1.5, label="%s %.2f %%" % (label, 100 * q[k]))
    ax.set_xlabel("fund IRR, % a year")
    ax.set_ylabel("scenarios")
    ax.legend(frameon=False, loc="upper left")
    ax.set_title("Fund IRR over %d scenarios" % len(values))
    desc = ("Histogram of the fund IRR over %d scenarios (%d with an IRR); q10 %s, q50 %s, q90 %s." %
            (len(values), len(vals), fmt_percent(q["q10"]), fmt_percent(q["q50"]), fmt_percent(q["q90"])))
    return _svg(fig, "risk-fund-irr", "Distribution of the fund IRR", desc)


def chart_risk_min_dscr(rows, covenant):
    """Each project's min DSCR: q05-q95 line, q10-q90 bar, q50 mark, against
    the covenant and 1.00x. rows: (id, {q05, q10, q50, q90, q95})."""
    rows = sorted(rows, key=lambda r: r[1]["q10"])[:MAX_BARS]
    fig, ax = _figure(0.6 + 0.32 * max(len(rows), 1), left=0.3, right=0.97, top=0.88,
                      bottom=0.55 / (0.6 + 0.32 * max(len(rows), 1)) + 0.12)
    for i, (pid, q) in enumerate(rows):
        ax.plot([q["q05"], q["q95"]], [i, i], color=PALETTE[0], linewidth=0.9)
        ax.plot([q["q10"], q["q90"]], [i, i], color=PALETTE[0], linewidth=6, solid_capstyle="butt", alpha=0.6)
        ax.plot([q["q50"]], [i], marker="|", markersize=11, color=PALETTE[7], markeredgewidth=2)
    ax.axvline(covenant, color=PALETTE[3], linestyle="--", linewidth=1.2, label="covenant %.2fx" % covenant)
    ax.axvline(1.0, color=PALETTE[7], linestyle=":", linewidth=1.0, label="1.00x")
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([_short(pid, 30) for pid, _ in rows])
    ax.invert_yaxis()
    ax.set_xlabel("min DSCR over the loan life, x (bar q10-q90, line q05-q95, tick q50)")
    ax.legend(frameon=False, loc="lower right")
    ax.set_title("Each project's min DSCR over the scenarios")
    desc = "Min DSCR q10 / q50 / q90 against a covenant of %.2fx: %s." % (covenant, "; ".join(
        "%s %.2f / %.2f / %.2f" % (pid, q["q10"], q["q50"], q["q90"]) for pid, q in rows))
    return _svg(fig, "risk-min-dscr", "Each project's min DSCR distribution", desc)


def _label(metric):
    return metric.replace("_irr", " IRR").replace("_", " ")


def chart_risk_tornado(rows, metric):
    """The swing of each sensitivity entry on a portfolio metric (percent)."""
    rows = rows[:MAX_BARS]
    base = rows[0]["base"]
    h = 0.7 + 0.3 * len(rows)
    fig, ax = _figure(h, left=0.3, right=0.97, top=1 - 0.3 / h, bottom=0.5 / h)
    for i, r in enumerate(rows):
        for v, colour, label in ((r["at_low"], PALETTE[3], "at low"), (r["at_high"], PALETTE[0], "at high")):
            if not _none(v):
                ax.barh(i, 100 * (v - base), left=100 * base, color=colour, label=label if i == 0 else None)
    ax.axvline(100 * base, color=PALETTE[7], linewidth=1.0)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([_short(r["change"], 30) for r in rows])
    ax.invert_yaxis()
    ax.set_xlabel("%s, %% a year (base %.2f %%)" % (_label(metric), 100 * base))
    ax.legend(frameon=False, loc="lower right")
    ax.set_title("Sensitivity of the %s" % _label(metric))
    desc = "Tornado of the %s, base %s: %s." % (_label(metric), fmt_percent(base), "; ".join(
        "%s from %s to %s" % (r["change"], fmt_percent(r["at_low"]), fmt_percent(r["at_high"])) for r in rows))
    return _svg(fig, "risk-tornado", "Tornado of the %s" % _label(metric), desc)


def chart_risk_cases(rows, metric):
    """Each case's value of a portfolio metric against the base (percent)."""
    base = rows[0]["base"]
    h = 0.7 + 0.3 * len(rows)
    fig, ax = _figure(h, left=0.3, right=0.97, top=1 - 0.3 / h, bottom=0.5 / h)
    vals = [None if _none(r["value"]) else 100 * r["value"] for r in rows]
    ax.barh(range(len(rows)), [v or 0 for v in vals], color=[PALETTE[i % len(PALETTE)] for i in range(len(rows))])
    ax.axvline(100 * base, color=PALETTE[7], linestyle="--", linewidth=1.2, label="base %.2f %%" % (100 * base))
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([_short(r["case"], 30) for r in rows])
    ax.invert_yaxis()
    ax.set_xlabel("%s, %% a year" % _label(metric))
    ax.legend(frameon=False, loc="lower right")
    ax.set_title("Cases against the base: %s" % _label(metric))
    desc = "%s in each case against the base %s: %s." % (_label(metric), fmt_percent(base), "; ".join(
        "%s %s" % (r["case"], fmt_percent(r["value"])) for r in rows))
    return _svg(fig, "risk-cases", "Cases against the base", desc)


def _risk_section(r, covenant):
    """The headline and the charts of a risk result, for the page."""
    stats, probs = r.statistics, r.probabilities
    samples = r.samples
    charts = []
    if "portfolio.fund_irr" in samples.columns:
        q = {k: _stat(stats, "portfolio", "fund_irr", k) for k in ("q10", "q50", "q90")}
        charts.append(("Fund IRR over the scenarios", chart_risk_fund_irr(list(samples["portfolio.fund_irr"]), q),
                       "The lender's P90 of a quantity where more is better is its q10, P10 its q90."))
    dscr = []
    for pid in r.scopes[1:]:
        q = {k: _stat(stats, pid, "min_dscr", k) for k in ("q05", "q10", "q50", "q90", "q95")}
        if all(v is not None for v in q.values()):
            dscr.append((pid, q))
    if dscr:
        charts.append(("Min DSCR over the scenarios", chart_risk_min_dscr(dscr, covenant),
                       "Each project's lowest DSCR in each scenario; the weakest projects first."))
    metric = "fund_irr" if ("portfolio", "fund_irr") in stats.index else None
    if metric:
        sens = r.sensitivity
        sens = sens[(sens["scope"] == "portfolio") & (sens["metric"] == metric)]
        if len(sens):
            charts.append(("Sensitivity", chart_risk_tornado(sens.to_dict("records"), metric),
                           "Each entry moved to its low and its high value alone, the others at base; "
                           "the largest swing first."))
        cases = r.cases
        cases = cases[(cases["scope"] == "portfolio") & (cases["metric"] == metric)]
        if len(cases):
            charts.append(("Cases", chart_risk_cases(cases.to_dict("records"), metric),
                           "Each case's changes applied together to the base inputs."))
    m = r.metrics
    return {"scenarios": m["scenarios"], "seed": m["seed"], "headline": risk_headline(stats, probs),
            "charts": charts, "warnings": r.warnings}


def _impact(result, projects, currency):
    """The library's impact table (docs/model.md "Impact in a reporting year"),
    one row per project and the total, for the page."""
    if "impact" not in result.table_names:
        return None
    t = result.table("impact")
    m = result.metrics
    has_fund = "impact_attributed_tco2e" in m
    header = [("Project", ""), ("Status", ""), ("Capacity", "MW"), ("Generation", "MWh"),
              ("GHG avoided", "tCO2e")]
    if has_fund:
        header += [("Fund share", "%"), ("Attributed generation", "MWh"), ("Attributed GHG avoided", "tCO2e")]
    rows = []
    for i in range(len(t)):
        expected = float(t["expected"][i]) == 1
        row = [projects[i]["id"], "expected (in construction)" if expected else "operating"
               if float(t["net_mwh"][i]) > 0 else "stopped",
               fmt_number(float(t["capacity_mw"][i]), 1), fmt_number(float(t["net_mwh"][i])),
               fmt_number(float(t["reductions_tco2e"][i]))]
        if has_fund:
            row += [fmt_percent(float(t["fund_share"][i])), fmt_number(float(t["attributed_mwh"][i])),
                    fmt_number(float(t["attributed_tco2e"][i]))]
        rows.append(row)
    total = ["Total", "%d expected" % m["impact_expected_projects"] if m.get("impact_expected_projects") else "",
             fmt_number(m.get("impact_capacity_mw"), 1), fmt_number(m.get("impact_net_mwh")),
             fmt_number(m.get("impact_reductions_tco2e"))]
    if has_fund:
        total += ["", fmt_number(m.get("impact_attributed_mwh")), fmt_number(m.get("impact_attributed_tco2e"))]
    rows.append(total)
    year = int(m["impact_year"])
    note = ("ICMA Harmonised Framework for Impact Reporting, renewable energy core indicators, in %d. Projects "
            "still in construction are reported by their expected annual figures (their first operating year), "
            "marked as such; the fund's share is its balance outstanding in the project at the end of %d over "
            "the project's capex (PCAF)." % (year, year))
    return {"year": year, "header": header, "rows": rows, "note": note}


def _library_version():
    from . import library_version
    return library_version()
