#!/usr/bin/env python3
"""Held-out TVM cases evaluated by LibreOffice Calc.

Draws ~200 pseudo-random cases (fixed seed) of PMT, IPMT, PPMT, PV, FV, NPER,
RATE, NPV, IRR, MIRR, XNPV and XIRR over realistic ranges (monthly and annual
rates 0 .. 0.3, 1 .. 480 periods, both payment timings, project-like flows
with mixed signs), writes them as formulas into a flat OpenDocument
spreadsheet, has LibreOffice evaluate it headless (soffice --convert-to csv)
and saves inputs + LibreOffice's value as cases.csv beside this script.

greenfin never computed anything here: the expected values are LibreOffice's.
tests/test_tvm.c (suite "libreoffice") reads cases.csv; CI does not need
LibreOffice. Regenerate with:

    python3 tests/data/libreoffice/make_cases.py [--soffice PATH]

Inputs are written as short decimals (at most 6 decimals for rates, cents
for money), so LibreOffice and C's strtod read the same doubles. LibreOffice's
CSV export writes 15 significant digits, which bounds the reference's own
rounding at 5e-16 relative.

Standard library only.
"""
import argparse
import csv
import datetime
import os
import random
import shutil
import subprocess
import sys
import tempfile
from xml.sax.saxutils import quoteattr

SEED = 20240607
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "cases.csv")
COLUMNS = ["id", "function", "rate", "nper", "pmt", "pv", "fv", "per", "when", "guess",
           "finance_rate", "reinvest_rate", "values", "dates", "libreoffice"]
SPREADSHEET_EPOCH = datetime.date(1899, 12, 30)  # LibreOffice's (and Excel's) day 0


def num(x, places):
    """A short decimal text for x with at most `places` decimals, no exponent."""
    s = ("%.*f" % (places, x)).rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def money(rng, lo, hi):
    return num(rng.uniform(lo, hi), 2)


def periodic_rate(rng, allow_zero=True):
    """A monthly (0 .. 2.5 %) or annual (0 .. 30 %) rate and a matching nper."""
    monthly = rng.random() < 0.5
    if allow_zero and rng.random() < 0.06:
        rate = "0"
    elif monthly:
        rate = num(rng.uniform(0.0005, 0.025), 6)
    else:
        rate = num(rng.uniform(0.001, 0.30), 4)
    nper = rng.randint(1, 480) if monthly else rng.randint(1, 40)
    return rate, str(nper)


def maybe_fv(rng, pv):
    if rng.random() < 0.6:
        return "0"
    return money(rng, -0.5 * abs(float(pv)), 0.5 * abs(float(pv)))


def project_flows(rng, n_min=3, n_max=40):
    """Construction outflows, then operating inflows sized for a project
    return of 2 .. 25 % with +-20 % noise, occasional overhaul years and
    sometimes a decommissioning cost: the shapes greenfin's projects have."""
    n = rng.randint(n_min, n_max)
    build = rng.randint(1, max(1, min(3, n // 3)))
    ops = n - build
    capex = rng.uniform(1e5, 5e7)
    draws = [rng.uniform(0.2, 1.0) for _ in range(build)]
    flows = [-capex * d / sum(draws) for d in draws]
    target = rng.uniform(0.02, 0.25)
    # The level inflow that repays capex (valued at the end of construction)
    # at the target return over the operating years.
    level = capex * (1 + target) ** (build - 1) * target / (1 - (1 + target) ** -ops)
    for _ in range(ops):
        cf = level * rng.uniform(0.8, 1.2)
        if rng.random() < 0.08:
            cf -= level * rng.uniform(1.0, 2.0)  # an overhaul year
        flows.append(cf)
    if ops >= 5 and rng.random() < 0.2:
        flows[-1] = -level * rng.uniform(0.2, 1.0)  # decommissioning
    return [num(v, 2) for v in flows]


def inline_array(items):
    return "{" + ";".join(items) + "}"


def make_cases(rng):
    cases = []

    def add(function, formula, **fields):
        cid = "%s-%03d" % (function.lower(), sum(c["function"] == function for c, _ in cases) + 1)
        row = {k: "" for k in COLUMNS}
        row.update(fields)
        row.update(id=cid, function=function)
        cases.append((row, formula))

    for _ in range(24):
        rate, nper = periodic_rate(rng)
        pv = money(rng, 1e3, 5e7)
        fv = maybe_fv(rng, pv)
        when = str(rng.randint(0, 1))
        add("PMT", "PMT(%s;%s;%s;%s;%s)" % (rate, nper, pv, fv, when),
            rate=rate, nper=nper, pv=pv, fv=fv, when=when)

    for fn in ("IPMT", "PPMT"):
        for _ in range(20):
            rate, nper = periodic_rate(rng)
            per = str(rng.randint(1, int(nper)))
            pv = money(rng, 1e3, 5e7)
            fv = maybe_fv(rng, pv)
            when = str(rng.randint(0, 1))
            add(fn, "%s(%s;%s;%s;%s;%s;%s)" % (fn, rate, per, nper, pv, fv, when),
                rate=rate, per=per, nper=nper, pv=pv, fv=fv, when=when)

    for _ in range(16):
        rate, nper = periodic_rate(rng)
        pmt = money(rng, -1e6, -100)
        fv = money(rng, -1e6, 1e6) if rng.random() < 0.4 else "0"
        when = str(rng.randint(0, 1))
        add("PV", "PV(%s;%s;%s;%s;%s)" % (rate, nper, pmt, fv, when),
            rate=rate, nper=nper, pmt=pmt, fv=fv, when=when)

    for _ in range(16):
        rate, nper = periodic_rate(rng)
        pmt = money(rng, -1e6, -100)
        pv = money(rng, -1e7, 1e7) if rng.random() < 0.5 else "0"
        when = str(rng.randint(0, 1))
        add("FV", "FV(%s;%s;%s;%s;%s)" % (rate, nper, pmt, pv, when),
            rate=rate, nper=nper, pmt=pmt, pv=pv, when=when)

    for _ in range(16):
        rate, _n = periodic_rate(rng)
        pv = money(rng, 1e3, 5e7)
        # A payment that more than covers the interest, so a term exists.
        interest = float(pv) * float(rate)
        pmt = num(-(interest + float(pv) * rng.uniform(0.002, 0.2)), 2)
        fv = "0" if rng.random() < 0.7 else money(rng, -0.3 * float(pv), 0)
        when = str(rng.randint(0, 1))
        add("NPER", "NPER(%s;%s;%s;%s;%s)" % (rate, pmt, pv, fv, when),
            rate=rate, pmt=pmt, pv=pv, fv=fv, when=when)

    for _ in range(20):
        rate, nper = periodic_rate(rng, allow_zero=False)
        r, n = float(rate), int(nper)
        pv = money(rng, 1e3, 5e7)
        fv = "0" if rng.random() < 0.7 else money(rng, -0.3 * float(pv), 0.3 * float(pv))
        when = rng.randint(0, 1)
        # The payment of the drawn rate, in cents; RATE recovers a rate near it.
        g = (1 + r) ** n
        pmt = -(float(pv) * g + float(fv)) * r / ((1 + r * when) * (g - 1))
        pmt = num(pmt, 2)
        if rng.random() < 0.3:
            guess = num(r * rng.uniform(0.5, 1.5), 6)  # an analyst's guess: near the rate
            formula = "RATE(%s;%s;%s;%s;%d;%s)" % (nper, pmt, pv, fv, when, guess)
        else:
            guess = ""
            formula = "RATE(%s;%s;%s;%s;%d)" % (nper, pmt, pv, fv, when)
        add("RATE", formula, nper=nper, pmt=pmt, pv=pv, fv=fv, when=str(when), guess=guess)

    for _ in range(14):
        rate = num(rng.uniform(0, 0.3), 4)
        flows = project_flows(rng, 2, 40)
        # LibreOffice's NPV discounts its first value by one period (Excel).
        add("NPV", "NPV(%s;%s)" % (rate, inline_array(flows)), rate=rate, values=" ".join(flows))

    for _ in range(24):
        flows = project_flows(rng, 4, 40)
        if rng.random() < 0.3:
            guess = num(rng.uniform(-0.05, 0.3), 4)
            formula = "IRR(%s;%s)" % (inline_array(flows), guess)
        else:
            guess = ""
            formula = "IRR(%s)" % inline_array(flows)
        add("IRR", formula, values=" ".join(flows), guess=guess)

    for _ in range(14):
        flows = project_flows(rng, 3, 40)
        fr = num(rng.uniform(0, 0.15), 4)
        rr = num(rng.uniform(0, 0.15), 4)
        add("MIRR", "MIRR(%s;%s;%s)" % (inline_array(flows), fr, rr),
            values=" ".join(flows), finance_rate=fr, reinvest_rate=rr)

    for fn in ("XNPV", "XIRR"):
        for k in range(14):
            flows = project_flows(rng, 3, 25)
            d = datetime.date(2000, 1, 1) + datetime.timedelta(days=rng.randint(0, 30 * 365))
            dates = [d]
            for _ in flows[1:]:
                d = d + datetime.timedelta(days=rng.randint(20, 400))
                dates.append(d)
            if k % 4 == 3:  # later dates in any order (Excel: allowed after the first)
                rest = list(zip(flows[1:], dates[1:]))
                rng.shuffle(rest)
                flows = flows[:1] + [f for f, _ in rest]
                dates = dates[:1] + [t for _, t in rest]
            serials = [str((t - SPREADSHEET_EPOCH).days) for t in dates]
            iso = " ".join(t.isoformat() for t in dates)
            if fn == "XNPV":
                rate = num(rng.uniform(0, 0.3), 4)
                add(fn, "XNPV(%s;%s;%s)" % (rate, inline_array(flows), inline_array(serials)),
                    rate=rate, values=" ".join(flows), dates=iso)
            else:
                add(fn, "XIRR(%s;%s)" % (inline_array(flows), inline_array(serials)),
                    values=" ".join(flows), dates=iso)
    return cases


# The result cells get an explicit number style: without one LibreOffice
# formats RATE/IRR/MIRR/XIRR as percentages, and the CSV export would write
# "21.96000000171%" with a digit fewer.
FODS_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
 xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:styles><number:number-style style:name="N1"><number:scientific-number
 number:decimal-places="14" number:min-integer-digits="1" number:min-exponent-digits="2"/>
</number:number-style></office:styles>
<office:automatic-styles><style:style style:name="ce1" style:family="table-cell"
 style:parent-style-name="Default" style:data-style-name="N1"/></office:automatic-styles>
<office:body><office:spreadsheet><table:table table:name="cases">
"""
FODS_TAIL = "</table:table></office:spreadsheet></office:body></office:document>\n"


def write_fods(path, cases):
    with open(path, "w", encoding="utf-8") as f:
        f.write(FODS_HEAD)
        for row, formula in cases:
            f.write('<table:table-row><table:table-cell office:value-type="string"><text:p>%s</text:p>'
                    "</table:table-cell><table:table-cell table:style-name=\"ce1\" table:formula=%s/>"
                    "</table:table-row>\n"
                    % (row["id"], quoteattr("of:=" + formula)))
        f.write(FODS_TAIL)


def soffice_version(soffice):
    out = subprocess.run([soffice, "--version"], capture_output=True, text=True, timeout=120)
    return out.stdout.strip().splitlines()[0] if out.stdout.strip() else "unknown"


def evaluate(soffice, cases):
    tmp = tempfile.mkdtemp(prefix="gfin-lo-")
    try:
        fods = os.path.join(tmp, "cases.fods")
        write_fods(fods, cases)
        subprocess.run([soffice, "--headless", "--norestore",
                        "-env:UserInstallation=file://" + os.path.join(tmp, "profile"),
                        "--convert-to", "csv", "--outdir", tmp, fods],
                       check=True, capture_output=True, timeout=600)
        with open(os.path.join(tmp, "cases.csv"), encoding="utf-8") as f:
            return {r[0]: r[1] for r in csv.reader(f) if r}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--soffice", default=shutil.which("soffice") or "soffice")
    args = ap.parse_args()
    cases = make_cases(random.Random(SEED))
    values = evaluate(args.soffice, cases)
    version = soffice_version(args.soffice)
    errors = 0
    with open(OUT, "w", encoding="utf-8", newline="") as f:
        f.write("# Evaluated by %s from make_cases.py (seed %d); do not edit.\n" % (version, SEED))
        f.write("# values/dates are space-separated; dates YYYY-MM-DD; libreoffice is LibreOffice's result.\n")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        for row, _formula in cases:
            v = values.get(row["id"], "")
            try:
                float(v)
            except ValueError:
                errors += 1  # a LibreOffice error value (Err:523, #NUM!, ...), kept as text
            row["libreoffice"] = v
            w.writerow([row[c] for c in COLUMNS])
    print("%s: %d cases, %d LibreOffice errors, %s" % (OUT, len(cases), errors, version))
    return 0


if __name__ == "__main__":
    sys.exit(main())
