#!/usr/bin/env python3
"""The board pack (greenfin.report) read as a reader would: in headless Chromium
and as a PDF through poppler's tools.

    test_pack.py GREENFIN [unittest arguments, e.g. SampleTests]

GREENFIN is the `greenfin` command: the summary figures in the page must be
`greenfin report --format json`'s values written by the rules of
greenfin.report's docstring (re-implemented here, not imported). Needs
chromium, pdfinfo/pdftotext (poppler-utils), weasyprint, jinja2, matplotlib,
PIL (a matplotlib dependency) and the bindings (GREENFIN_LIBRARY, PYTHONPATH).
"""
import copy
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import unittest

from PIL import Image, ImageStat

import greenfin.report

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
SAMPLE = os.path.join(ROOT, "examples", "data", "cambodia_pipeline.json")
CLI_DATA = os.path.join(ROOT, "tests", "cli", "data")
GREENFIN = None  # set by main()
WINDOW = (1240, 1754)  # A4 at 150 dpi


# The outside tools run without the sanitizer runtime that a sanitized build
# preloads for Python (tests/meson.build): Chromium would crawl or hang under it.
TOOL_ENV = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "ASAN_OPTIONS", "UBSAN_OPTIONS")}


def chromium(*args):
    p = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        "--disable-extensions", "--no-first-run", *args],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120, env=TOOL_ENV)
    return p.returncode, p.stdout.decode("utf-8", "replace")


def text_of(dom):
    """The visible text of an HTML document, whitespace collapsed (scripts,
    styles and the charts' SVG markup left out; their <title>/<desc> stay)."""
    dom = re.sub(r"<(style|script)\b.*?</\1>", " ", dom, flags=re.S)
    dom = re.sub(r"<[^>]+>", " ", dom)
    dom = dom.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace("&nbsp;", " ")
    dom = dom.replace("&#39;", "'").replace("&quot;", '"')
    return " ".join(dom.split())


def expected_figures(doc):
    """The summary's figures, from the JSON output, written by the documented
    rules: money "USD 1,030.2 m", fractions "4.28 %", ratios "3.56x",
    capacity "640.0 MW", tonnes "37,602,975 tCO2e", per tonne "USD 27.31/tCO2e"."""
    m, cur = doc["metrics"], "USD"
    na = lambda f: (lambda v: "n/a" if v is None else f(v))  # noqa: E731
    money = na(lambda v: "%s %s m" % (cur, "{:,.1f}".format(v / 1e6)))
    pct = na(lambda v: "%.2f %%" % (100 * v))
    rules = {"capacity_mw": na(lambda v: "{:,.1f} MW".format(v)), "total_capex": money, "committed": money,
             "utilization": pct, "mobilization_ratio": na(lambda v: "%.2fx" % v), "weighted_cost_of_funds": pct,
             "weighted_loan_rate": pct, "fund_irr": pct,
             "lifetime_reductions_tco2e": na(lambda v: "{:,.0f} tCO2e".format(v)),
             "fund_attributed_reductions_tco2e": na(lambda v: "{:,.0f} tCO2e".format(v)),
             "fund_cost_per_tco2e": na(lambda v: "%s %.2f/tCO2e" % (cur, v)),
             "fund_subsidy_per_tco2e": na(lambda v: "%s %.2f/tCO2e" % (cur, v))}
    return {k: f(m[k]) for k, f in rules.items() if k in m}


RISK_SCENARIOS, RISK_SEED = 120, 11   # small: the suite runs under ASan in CI
RISK_CHARTS = ("risk-fund-irr", "risk-min-dscr", "risk-tornado", "risk-cases")


def expected_risk_headline(doc):
    """The risk headline from `greenfin risk --format json`, by the README's
    rules: the fund IRR's P90 / P50 / P10 are its q10 / q50 / q90 (more is
    better), fractions "0.86 %"; the probability of any min DSCR < 1 as a
    fraction."""
    pct = lambda v: "n/a" if v is None else "%.2f %%" % (100 * v)  # noqa: E731
    irr = doc["statistics"]["portfolio"]["fund_irr"]
    return [("Fund IRR, P90", pct(irr["q10"])), ("Fund IRR, P50", pct(irr["q50"])),
            ("Fund IRR, P10", pct(irr["q90"])),
            ("Probability of any min DSCR < 1", pct(doc["probabilities"]["portfolio"]["p_any_min_dscr_below_1"]))]


def report_json(path, command="report", *extra):
    p = subprocess.run([GREENFIN, command, path, "--format", "json", *extra], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=300, check=True)
    return json.loads(p.stdout)


class PackTest(unittest.TestCase):
    maxDiff = None

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="greenfin-pack-")
        self.tmp = self._tmp.name

    def tearDown(self):
        self._tmp.cleanup()

    def pack(self, source, pdf=True, **kw):
        html = os.path.join(self.tmp, "board.html")
        out = os.path.join(self.tmp, "board.pdf") if pdf else None
        page = greenfin.report.board_pack(source, html=html, pdf=out, **kw)
        with open(html, encoding="utf-8") as f:
            self.assertEqual(f.read(), page)
        return html, out, page

    # ---- what every pack must satisfy ----------------------------------

    def assertSelfContained(self, page):
        """No request leaves the page: no http(s) URL in any src, href,
        CSS url() or @import, and no script at all."""
        self.assertEqual(re.findall(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I), [])
        self.assertEqual(re.findall(r"url\(\s*['\"]?\s*(?:https?:)?//", page, re.I), [])
        self.assertNotIn("@import", page)
        self.assertNotIn("<script", page.lower())
        self.assertNotIn("<img", page.lower())

    def assertAccessible(self, page):
        """Every chart is an image with a title and a text alternative; tables
        have header cells with a scope; the page says its language."""
        self.assertIn('<html lang="en">', page)
        svgs = re.findall(r"<svg\b.*?</svg>", page, re.S)
        self.assertGreaterEqual(len(svgs), 3)
        for svg in svgs:
            head = svg[:svg.index(">")]
            self.assertIn('role="img"', head)
            ids = re.search(r'aria-labelledby="([^"]+)"', head).group(1).split()
            for i in ids:
                m = re.search(r'<(title|desc) id="%s">([^<]{10,})</\1>' % re.escape(i), svg)
                self.assertIsNotNone(m, "%s: no text for %s" % (head[:80], i))
        self.assertGreater(page.count('scope="col"'), 10)
        ids = re.findall(r'\bid="([^"]+)"', page)
        self.assertEqual(len(ids), len(set(ids)), "ids must be unique in the page")

    def assertRenders(self, html):
        """Chromium draws the page at A4 width: not blank, the expected size."""
        shot = os.path.join(self.tmp, "shot.png")
        rc, _ = chromium("--window-size=%d,%d" % WINDOW, "--screenshot=" + shot, "file://" + html)
        self.assertEqual(rc, 0)
        with Image.open(shot) as im:
            self.assertEqual(im.size, WINDOW)
            grey = im.convert("L")
            var = ImageStat.Stat(grey).var[0]
            self.assertGreater(var, 500, "the screenshot is (nearly) blank")
            # Ink on the page: well over 2 % of the pixels are not white.
            dark = sum(grey.histogram()[:200])
            self.assertGreater(dark / (WINDOW[0] * WINDOW[1]), 0.02)

    def dom_text(self, html):
        rc, dom = chromium("--dump-dom", "file://" + html)
        self.assertEqual(rc, 0)
        self.assertIn("</html>", dom)
        return text_of(dom)

    def pdf_text(self, pdf):
        info = subprocess.run(["pdfinfo", pdf], stdout=subprocess.PIPE, check=True, env=TOOL_ENV).stdout.decode()
        pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
        self.assertIn("A4", info)
        text = subprocess.run(["pdftotext", "-layout", pdf, "-"], stdout=subprocess.PIPE, check=True,
                              env=TOOL_ENV).stdout.decode()
        return pages, " ".join(text.split())

    def assertFigures(self, text, doc, where):
        for name, figure in expected_figures(doc).items():
            self.assertIn(figure, text, "%s: %s" % (where, name))


class SampleTests(PackTest):
    def test_sample_in_chromium_and_pdf(self):
        html, pdf, page = self.pack(SAMPLE, scenarios=RISK_SCENARIOS, seed=RISK_SEED)
        doc = report_json(SAMPLE)
        risk = report_json(SAMPLE, "risk", "--scenarios", str(RISK_SCENARIOS), "--seed", str(RISK_SEED))
        self.assertEqual(risk["metrics"]["scenarios"], RISK_SCENARIOS)
        headline = expected_risk_headline(risk)
        self.assertSelfContained(page)
        self.assertAccessible(page)
        self.assertRenders(html)
        text = self.dom_text(html)
        self.assertFigures(text, doc, "DOM")
        # The risk headline on the summary page, and the risk section's charts
        # with their text alternatives (assertAccessible: every chart has them).
        for label, value in headline:
            self.assertIn("%s %s" % (label, value), text)
        self.assertIn("Risk (%d scenarios)" % RISK_SCENARIOS, text)
        self.assertIn('id="risk-heading"', page)
        for ident in RISK_CHARTS:
            svg = re.search(r'<svg[^>]*aria-labelledby="%s-title %s-desc".*?</svg>' % (ident, ident), page, re.S)
            self.assertIsNotNone(svg, ident)
            self.assertRegex(svg.group(0), r'<desc id="%s-desc">[^<]{20,}</desc>' % ident)
        irr = risk["statistics"]["portfolio"]["fund_irr"]
        self.assertIn("q10 %.2f %%, q50 %.2f %%, q90 %.2f %%" % (100 * irr["q10"], 100 * irr["q50"], 100 * irr["q90"]),
                      text)   # the histogram's text alternative
        cases = [c["case"] for c in risk["cases"] if c["scope"] == "portfolio" and c["metric"] == "fund_irr"]
        self.assertTrue(cases)
        for name in cases:
            self.assertIn(name, text)
        for pid in doc["projects"]:
            self.assertIn(pid, text)
        pages, ptext = self.pdf_text(pdf)
        self.assertGreaterEqual(pages, 4)
        self.assertLessEqual(pages, 10)
        self.assertFigures(ptext, doc, "PDF")
        # The first page is the summary: it carries the headline figures.
        first = subprocess.run(["pdftotext", "-l", "1", pdf, "-"], stdout=subprocess.PIPE, check=True,
                               env=TOOL_ENV).stdout
        first = " ".join(first.decode().split())
        self.assertFigures(first, doc, "PDF page 1")
        for label, value in headline:
            self.assertIn(value, first, "PDF page 1: %s" % label)
        self.assertIn("Fund IRR, P90", first)

    def test_impact_in_a_year_with_projects_in_construction(self):
        # The sample's hydro plants build for 3-4 years from 2027: in 2029 some
        # projects are still in construction and reported by expected figures.
        page = greenfin.report.board_pack(SAMPLE, year=2029)
        doc = report_json(SAMPLE, "report", "--year", "2029")
        m = doc["metrics"]
        self.assertEqual(m["impact_year"], 2029)
        self.assertGreater(m["impact_expected_projects"], 0)
        text = text_of(page)
        self.assertIn("Impact in 2029 {:,.0f} tCO2e".format(m["impact_reductions_tco2e"]), text)
        self.assertIn("Impact in 2029, the fund's share {:,.0f} tCO2e".format(m["impact_attributed_tco2e"]), text)
        self.assertEqual(text.count("expected (in construction)"), m["impact_expected_projects"])
        for pid, share in zip(doc["projects"], doc["impact"]["fund_share"]):
            self.assertIn("%s " % pid, text)
        self.assertIn("%.2f %%" % (100 * doc["impact"]["fund_share"][0]), text)

    def test_same_input_same_page(self):
        a = greenfin.report.board_pack(SAMPLE)
        b = greenfin.report.board_pack(SAMPLE)
        self.assertEqual(a, b)

    def test_command_line(self):
        html = os.path.join(self.tmp, "b.html")
        pdf = os.path.join(self.tmp, "b.pdf")
        p = subprocess.run([sys.executable, "-m", "greenfin", "report", "--html", html, "--pdf", pdf,
                            "--scenarios", "40", "--seed", "5"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
        self.assertEqual((p.returncode, p.stderr.decode()), (0, ""))
        with open(html, encoding="utf-8") as f:
            text = text_of(f.read())
        self.assertFigures(text, report_json(SAMPLE), "python -m greenfin report")
        self.assertIn("Risk (40 scenarios)", text)
        risk = report_json(SAMPLE, "risk", "--scenarios", "40", "--seed", "5")
        for label, value in expected_risk_headline(risk):
            self.assertIn("%s %s" % (label, value), text)
        self.assertTrue(os.path.getsize(pdf) > 10000)

    def test_command_line_bad_year(self):
        p = subprocess.run([sys.executable, "-m", "greenfin", "report", "--html", os.path.join(self.tmp, "x"),
                            "--year", "1800"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
        self.assertEqual((p.returncode, p.stderr.decode()),
                         (2, "greenfin: --year: 1800 is below the minimum 1900 (year)\n"))

    def test_command_line_bad_input(self):
        bad = os.path.join(self.tmp, "bad.json")
        with open(SAMPLE) as f:
            doc = json.load(f)
        doc["projects"][1]["loans"][0]["annual_rate"] = -0.5
        with open(bad, "w") as f:
            json.dump(doc, f)
        p = subprocess.run([sys.executable, "-m", "greenfin", "report", bad, "--html", os.path.join(self.tmp, "x")],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
        self.assertEqual(p.returncode, 2)
        self.assertTrue(p.stderr.decode().startswith("greenfin: projects[1].loans[0].annual_rate: "), p.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "x")))


def hundred_projects():
    """100 projects: the sample's six repeated under new ids, the fund large
    enough for all of them."""
    with open(SAMPLE) as f:
        doc = json.load(f)
    base = doc["projects"]
    doc["projects"] = []
    for i in range(100):
        p = copy.deepcopy(base[i % len(base)])
        p["id"] = "%s-%03d" % (p["id"], i)
        p["name"] = "%s, unit %d" % (p.get("name", p["id"]), i)
        doc["projects"].append(p)
    doc["fund"]["capital"] = 5e9
    doc["fund"]["sources"][0]["amount"] = 4.87e9
    return doc


class CaseTests(PackTest):
    def check_case(self, source, doc_path=None):
        html, pdf, page = self.pack(source)
        self.assertSelfContained(page)
        self.assertAccessible(page)
        self.assertRenders(html)
        # The rendered text is checked in Chromium on the sample (SampleTests);
        # here the page's own text, to keep the suite quick.
        text = text_of(page)
        if doc_path:
            doc = report_json(doc_path)
            self.assertFigures(text, doc, "DOM")
            self.assertFigures(self.pdf_text(pdf)[1], doc, "PDF")
        return page, text, pdf

    def test_project_file_without_a_fund(self):
        page, text, _ = self.check_case(os.path.join(CLI_DATA, "project_solar.json"))
        self.assertNotIn("fund-cash-flow", page)
        self.assertNotIn("Fund IRR", text)
        self.assertIn("tiny-solar", text)

    def test_fund_without_loans(self):
        with open(SAMPLE) as f:
            doc = json.load(f)
        for p in doc["projects"]:
            for ln in p.get("loans", []):
                ln["lender"] = "a bank"
            if "debt_sizing" in p:
                p["debt_sizing"]["lender"] = "a bank"
        path = os.path.join(self.tmp, "no_fund_loans.json")
        with open(path, "w") as f:
            json.dump(doc, f)
        page, text, _ = self.check_case(path, path)
        self.assertIn("USD 0.0 m", text)       # nothing committed
        self.assertIn("Fund IRR n/a", text)    # no flows, no IRR

    def test_sized_loan(self):
        with open(SAMPLE) as f:
            doc = json.load(f)
        doc["projects"] = [p for p in doc["projects"] if "debt_sizing" in p]
        del doc["risk"]  # its changes select hydro plants, which this file no longer has
        self.assertEqual(len(doc["projects"]), 1)
        path = os.path.join(self.tmp, "sized.json")
        with open(path, "w") as f:
            json.dump(doc, f)
        page, text, _ = self.check_case(path, path)
        sized = doc["projects"][0]["debt_sizing"]
        self.assertIn("sculpted (DSCR %.2fx)" % sized["target_dscr"], text)
        # No risk object, no risk section and no risk headline.
        self.assertNotIn('id="risk-heading"', page)
        self.assertNotIn("risk-fund-irr", page)
        self.assertNotIn("Fund IRR, P90", text)

    def test_warnings_are_listed(self):
        path = os.path.join(CLI_DATA, "project_hydro_low_pd.json")
        page, text, pdf = self.check_case(path)
        warnings = report_json(path, "project")["warnings"]
        self.assertTrue(warnings)
        for w in warnings:
            self.assertIn(" ".join(w.split()), text)

    def test_hundred_projects(self):
        doc = hundred_projects()
        path = os.path.join(self.tmp, "hundred.json")
        with open(path, "w") as f:
            json.dump(doc, f)
        t = time.perf_counter()
        page, text, pdf = self.check_case(path, path)
        took = time.perf_counter() - t
        print("100-project pack with PDF, Chromium and poppler checks: %.1f s" % took, file=sys.stderr)
        pages, ptext = self.pdf_text(pdf)
        self.assertGreaterEqual(pages, 8)     # the tables run over pages
        squeezed = ptext.replace(" ", "")    # narrow cells break ids across lines
        for p in doc["projects"]:
            self.assertIn(p["id"], squeezed)  # and lose no row doing so
        # Charts stay legible: 15 bars and one for the rest; DSCR as a band.
        self.assertIn("85 smaller projects", page)
        self.assertIn("range of 100 projects", page)
        capex = re.search(r'<svg[^>]*capex-loans.*?</svg>', page, re.S).group(0)
        labels = re.findall(r"<text[^>]*>([^<]*)</text>", capex)
        self.assertTrue(labels)
        self.assertLessEqual(max(len(s) for s in labels), 40)


def main():
    global GREENFIN
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    GREENFIN = os.path.abspath(sys.argv[1])
    unittest.main(argv=[sys.argv[0]] + sys.argv[2:], verbosity=2)


if __name__ == "__main__":
    main()
