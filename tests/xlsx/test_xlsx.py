#!/usr/bin/env python3
"""`greenfin ... --format xlsx` read back with openpyxl, cell by cell.

    test_xlsx.py GREENFIN [unittest arguments]

Every number in the workbook is compared with the same run's `--format json`
output (the contract of the values, MODEL.md "Output"), every input with the
input file itself, every unit and description with the registry (through the
Python bindings: greenfin.metrics(), greenfin.parameters()). Needs openpyxl
(Debian: python3-openpyxl) and GREENFIN_LIBRARY for the bindings.
"""
import ctypes
import datetime
import json
import math
import os
import subprocess
import sys
import tempfile
import unittest

import openpyxl

import greenfin

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = os.path.join(HERE, "..", "..", "examples", "data")
CLI_DATA = os.path.join(HERE, "..", "cli", "data")
GREENFIN = None  # set by main()
EXCEL_EPOCH = datetime.datetime(1899, 12, 30)

METRICS = greenfin.metrics()
PARAMS = greenfin.parameters()
# The keys each kind of object takes, as the workbook labels them (MODEL.md:
# a project nests grid and debt_sizing, a portfolio nests grid and fund).
OBJECT_KEYS = {
    "loan": [("loan", "")],
    "project": [("project", ""), ("grid", "grid."), ("debt_sizing", "debt_sizing.")],
    "portfolio": [("portfolio", ""), ("grid", "grid."), ("fund", "fund.")],
}


_LIB = ctypes.CDLL(os.environ["GREENFIN_LIBRARY"])
_LIB.gfin_column_unit.restype = ctypes.c_char_p


def column_unit(table, name):
    """The output registry's unit of a column (gfin_column_lookup, gfin_column_unit)."""
    c = ctypes.c_int()
    if _LIB.gfin_column_lookup(table.encode(), name.encode(), ctypes.byref(c), None) != 0:
        return None
    return _LIB.gfin_column_unit(c.value).decode()


def run(*args):
    p = subprocess.run([GREENFIN, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def unit_label(unit, currency):
    """The unit a reader sees: money in the currency, fractions as %."""
    money = currency or "money"
    if unit == "money":
        return money
    if unit.startswith("money/"):
        return money + unit[5:]
    if unit.startswith("fraction"):
        return "%" + unit[8:]
    return unit or None


def cell_number(v):
    """A cell as JSON would have it: dates as YYYY-MM-DD, blanks as None."""
    if isinstance(v, datetime.datetime):
        return v.strftime("%Y-%m-%d")
    return v


class WorkbookTest(unittest.TestCase):
    maxDiff = None

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="greenfin-xlsx-")
        self.tmp = self._tmp.name

    def tearDown(self):
        self._tmp.cleanup()

    # ---- running -------------------------------------------------------

    def both(self, command, path, *extra):
        """(workbook, JSON document) of one input."""
        out = os.path.join(self.tmp, "out.xlsx")
        rc, stdout, err = run(command, path, "--format", "xlsx", "--output", out, *extra)
        self.assertEqual((rc, err, stdout), (0, "", ""))
        rc, stdout, err = run(command, path, "--format", "json", *extra)
        self.assertEqual((rc, err), (0, ""))
        return openpyxl.load_workbook(out), json.loads(stdout)

    # ---- comparisons ---------------------------------------------------

    def assertValue(self, got, want, where):
        got = cell_number(got)
        if want is None or (isinstance(want, float) and math.isnan(want)):
            self.assertIsNone(got, where)
        elif isinstance(want, str):
            self.assertEqual(got, want, where)
        else:
            self.assertIsInstance(got, (int, float), where)
            # libxlsxwriter writes 16 significant digits, JSON 17.
            self.assertTrue(math.isclose(got, want, rel_tol=2e-15, abs_tol=1e-300), "%s: %r != %r" % (where, got, want))

    def assertInput(self, got, param, doc, where):
        """A key's cell against the input document's value, or the registry's
        default when the document leaves it out."""
        if param.name in doc:
            want = doc[param.name]
        elif param.object == "debt_sizing" and param.name == "id" and doc:
            want = "sized_debt"  # the header's default id of the sized loan
        elif param.type_name == "string" and param.default is None:
            want = None
        else:
            want = param.default
        if isinstance(want, list):  # "0.15, 0.3, 0.35, 0.2"
            self.assertEqual([float(x) for x in str(got).split(", ")], [float(x) for x in want], where)
        elif param.type_name == "date" and want is not None:
            self.assertEqual(cell_number(got), want, where)
        elif want == "" or want is None:
            self.assertIn(got, (None, ""), where)
        else:
            self.assertValue(got, want, where)

    def rows(self, ws):
        return [list(r) for r in ws.iter_rows(values_only=True)]

    def section(self, rows, title):
        """The rows under a Summary heading, to the first blank row."""
        start = next(i for i, r in enumerate(rows) if r[0] == title)
        out = []
        for r in rows[start + 2:]:
            if r[0] is None:
                break
            out.append(r)
        self.assertEqual(rows[start + 1][:4] if title != "Warnings" else None,
                         ["metric" if title == "Metrics" else "key", "description", "value", "unit"]
                         if title != "Warnings" else None)
        return out

    def check_summary(self, ws, doc, inputs, kind, currency):
        rows = self.rows(ws)
        metrics = self.section(rows, "Metrics")
        self.assertEqual([r[0] for r in metrics], list(doc["metrics"]))
        for name, desc, value, unit in (r[:4] for r in metrics):
            self.assertEqual(desc, METRICS[name].doc)
            self.assertEqual(unit, unit_label(METRICS[name].unit, currency), name)
            self.assertValue(value, doc["metrics"][name], "Summary " + name)
        fmt = {r[0].value: r[2].number_format for r in ws.iter_rows() if r[0].value in doc["metrics"]}
        for name in fmt:
            u = METRICS[name].unit
            if u.startswith("fraction"):
                self.assertEqual(fmt[name], "0.00%", name)
            elif u == "money":
                self.assertEqual(fmt[name], "#,##0", name)
        keys = {r[0]: r for r in self.section(rows, "Key assumptions")}
        expected = []
        for obj, prefix in OBJECT_KEYS[kind]:
            sub = inputs if not prefix else inputs.get(prefix[:-1], {})
            for p in PARAMS[obj].values():
                label = prefix + p.name
                expected.append(label)
                _, desc, value, unit = keys[label][:4]
                self.assertEqual(desc, p.doc, label)
                if p.type_name in ("number", "integer", "array"):
                    self.assertEqual(unit, unit_label(p.unit, currency), label)
                if obj == "debt_sizing" and not sub:
                    self.assertIsNone(value, label)  # no sizing: no terms
                    continue
                self.assertInput(value, p, sub, "Summary " + label)
        self.assertEqual(sorted(keys), sorted(expected))
        warnings = [r[0] for r in rows[next(i for i, r in enumerate(rows) if r[0] == "Warnings") + 1:] if r[0]]
        self.assertEqual(warnings, doc.get("warnings") or ["none"])

    def check_sources(self, ws, sources, currency):
        """The Summary's "Fund sources" block against the input file's
        fund.sources: a column per key of the registry's source object."""
        rows = self.rows(ws)
        if not sources:
            self.assertNotIn("Fund sources", [r[0] for r in rows])
            return
        at = [r[0] for r in rows].index("Fund sources")
        keys = list(PARAMS["source"].values())
        self.assertEqual(rows[at + 1][:len(keys)], [p.name for p in keys])
        self.assertEqual(rows[at + 2][:len(keys)], [unit_label(p.unit, currency) for p in keys])
        got = rows[at + 3:at + 3 + len(sources)]
        self.assertIsNone(rows[at + 3 + len(sources)][0])  # the block ends
        for i, (row, src) in enumerate(zip(got, sources)):
            for j, p in enumerate(keys):
                self.assertInput(row[j], p, src, "Fund sources[%d].%s" % (i, p.name))
        fmt = {p.name: ws.cell(at + 4, j + 1).number_format for j, p in enumerate(keys)}
        self.assertEqual(fmt["amount"], "#,##0")
        self.assertEqual(fmt["annual_rate"], "0.00%")

    def check_table(self, ws, table, prefix=(), owners=None, currency=""):
        """A sheet against a JSON table; `owners`: [(prefix values, table)]
        stacked in order. The sheet is named after the table; its units row
        is the output registry's."""
        rows = self.rows(ws)
        columns = list(table)
        self.assertEqual(rows[0][:len(prefix) + len(columns)], list(prefix) + columns)
        for j, c in enumerate(columns):
            unit = column_unit(ws.title, c)
            self.assertIsNotNone(unit, "%s.%s is not in the output registry" % (ws.title, c))
            self.assertEqual(rows[1][len(prefix) + j], unit_label(unit, currency), "%s.%s" % (ws.title, c))
        self.assertEqual(ws.freeze_panes, "%s3" % "ABCDE"[max(len(prefix), 1)])
        parts = owners if owners is not None else [((), table)]
        r = 2
        for values, tab in parts:
            n = len(next(iter(tab.values())))
            for i in range(n):
                row = rows[r]
                self.assertEqual(row[:len(prefix)], [v or None for v in values])
                for j, c in enumerate(columns):
                    want = tab[c][i] if c in tab else None
                    self.assertValue(row[len(prefix) + j], want, "%s row %d %s" % (ws.title, r + 1, c))
                r += 1
        self.assertEqual(len(rows), r, ws.title)

    def check_children_metrics(self, ws, prefix, children, currency=""):
        """One row per child: its prefix values, then its metrics."""
        rows = self.rows(ws)
        names = rows[0][len(prefix):]
        self.assertEqual(rows[0][:len(prefix)], list(prefix))
        for name, unit in zip(names, rows[1][len(prefix):]):
            self.assertEqual(unit, unit_label(METRICS[name].unit, currency), name)
        self.assertEqual(len(rows) - 2, len(children))
        for row, (values, metrics) in zip(rows[2:], children):
            self.assertEqual(row[:len(prefix)], [v or None for v in values])
            self.assertEqual(set(metrics), set(n for n in names if metrics.get(n, 0) is not None or n in metrics))
            for name, cell in zip(names, row[len(prefix):]):
                self.assertValue(cell, metrics.get(name), "%s %s %s" % (ws.title, values, name))

    def check_inputs(self, ws, prefix, kind, children):
        rows = self.rows(ws)
        labels = rows[0][len(prefix):]
        self.assertEqual(rows[0][:len(prefix)], list(prefix))
        params = {}
        for obj, pre in OBJECT_KEYS[kind]:
            for p in PARAMS[obj].values():
                params[pre + p.name] = (p, pre[:-1])
        self.assertEqual(sorted(labels), sorted(params))
        self.assertEqual(len(rows) - 2, len(children))
        for row, (values, doc) in zip(rows[2:], children):
            self.assertEqual(row[:len(prefix)], [v or None for v in values])
            for label, cell in zip(labels, row[len(prefix):]):
                p, sub = params[label]
                if sub == "grid" and "grid" not in doc:
                    continue  # the portfolio's grid: the project has none of its own
                if sub == "debt_sizing" and sub not in doc:
                    self.assertIsNone(cell, label)  # no sizing: no terms
                    continue
                self.assertInput(cell, p, doc.get(sub, {}) if sub else doc, "%s %s" % (values, label))


class LoanTests(WorkbookTest):
    def test_dated_loan_with_grant_element(self):
        path = os.path.join(EXAMPLES, "solar_loan.json")
        wb, doc = self.both("loan", path, "--discount-rate", "0.05")
        self.assertEqual(wb.sheetnames, ["Summary", "schedule"])
        self.assertIn("grant_element", doc["metrics"])
        with open(path) as f:
            self.check_summary(wb["Summary"], doc, json.load(f), "loan", "")
        self.assertIn("date", doc["schedule"])
        self.check_table(wb["schedule"], doc["schedule"])
        self.assertEqual(wb["schedule"]["A3"].number_format, "0")
        self.assertGreater(wb["schedule"].column_dimensions["A"].width, 7)

    def test_undated_loan(self):
        path = os.path.join(CLI_DATA, "loan_linear_fee.json")
        wb, doc = self.both("loan", path)
        with open(path) as f:
            self.check_summary(wb["Summary"], doc, json.load(f), "loan", "")
        self.check_table(wb["schedule"], doc["schedule"])


class ProjectTests(WorkbookTest):
    def test_project_with_loans(self):
        path = os.path.join(EXAMPLES, "solar_project.json")
        with open(path) as f:
            inputs = json.load(f)
        wb, doc = self.both("project", path)
        self.assertEqual(wb.sheetnames, ["Summary", "years", "loans", "loan inputs", "schedule"])
        self.check_summary(wb["Summary"], doc, inputs, "project", "")
        self.check_table(wb["years"], doc["years"])
        prefix = ("loan_id", "lender")
        loans = inputs.get("loans", [])
        ids = list(doc["loans"])
        lenders = [l.get("lender", "") for l in loans]
        if len(ids) > len(loans):
            lenders.append(inputs["debt_sizing"].get("lender", ""))
        self.check_children_metrics(wb["loans"], prefix,
                                    [((i, lenders[k]), doc["loans"][i]["metrics"]) for k, i in enumerate(ids)])
        self.check_inputs(wb["loan inputs"], prefix, "loan",
                          [((ids[k], lenders[k]), l) for k, l in enumerate(loans)])
        self.check_table(wb["schedule"], doc["loans"][ids[0]]["schedule"], prefix,
                         [((i, lenders[k]), doc["loans"][i]["schedule"]) for k, i in enumerate(ids)])

    def test_project_without_loans_has_no_loan_sheets(self):
        path = os.path.join(EXAMPLES, "project_solar_minimal.json")
        with open(path) as f:
            inputs = json.load(f)
        wb, doc = self.both("project", path)
        self.assertEqual(wb.sheetnames, ["Summary", "years"])
        self.check_summary(wb["Summary"], doc, inputs, "project", "")


class ReportTests(WorkbookTest):
    def check_report(self, path):
        with open(path) as f:
            inputs = json.load(f)
        wb, doc = self.both("report", path)
        cur = inputs.get("currency", "USD")
        self.check_summary(wb["Summary"], doc, inputs, "portfolio", cur)
        self.assertTrue(wb["Summary"]["A1"].value.endswith(inputs["name"]))
        self.check_sources(wb["Summary"], inputs.get("fund", {}).get("sources", []), cur)
        tables = [k for k in doc if k not in ("metrics", "warnings", "projects")]
        self.assertEqual(wb.sheetnames[:1 + len(tables)], ["Summary"] + tables)
        projects = inputs["projects"]
        ids = [p["id"] for p in projects]
        self.assertEqual(ids, list(doc["projects"]))
        owners = [(p["id"], p.get("name", "")) for p in projects]
        pp = ("project_id", "project_name")
        for t in tables:
            if "project" in doc[t]:  # the impact table: rows led by the project at that place
                rows = [(owners[int(place) - 1], {c: [v[i]] for c, v in doc[t].items()})
                        for i, place in enumerate(doc[t]["project"])]
                self.check_table(wb[t], doc[t], pp, rows, cur)
            else:
                self.check_table(wb[t], doc[t], currency=cur)
        self.check_children_metrics(wb["projects"], pp,
                                    [(o, doc["projects"][o[0]]["metrics"]) for o in owners], cur)
        self.check_inputs(wb["project inputs"], pp, "project", list(zip(owners, projects)))
        self.check_table(wb["years"], doc["projects"][ids[0]]["years"], pp,
                         [(o, doc["projects"][o[0]]["years"]) for o in owners], cur)
        # Every loan, in project order, the sized one after the listed ones.
        loan_rows, loan_inputs, schedules = [], [], []
        for o, p in zip(owners, projects):
            res = doc["projects"][o[0]]["loans"]
            lenders = [l.get("lender", "") for l in p.get("loans", [])]
            if "debt_sizing" in p:
                lenders.append(p["debt_sizing"].get("lender", ""))
            for k, lid in enumerate(res):
                values = o + (lid, lenders[k])
                loan_rows.append((values, res[lid]["metrics"]))
                schedules.append((values, res[lid]["schedule"]))
                if k < len(p.get("loans", [])):
                    loan_inputs.append((values, p["loans"][k]))
        lp = pp + ("loan_id", "lender")
        if loan_rows:
            self.check_children_metrics(wb["loans"], lp, loan_rows, cur)
            self.check_inputs(wb["loan inputs"], lp, "loan", loan_inputs)
            self.check_table(wb["schedule"], schedules[0][1], lp, schedules, cur)
        return wb

    def test_bundled_sample(self):
        wb = self.check_report(os.path.join(EXAMPLES, "cambodia_pipeline.json"))
        # Fractions shown as percent, money in thousands (the registry's units).
        ws = wb["projects"]
        header = [c.value for c in ws[1]]
        self.assertEqual(ws.cell(3, header.index("project_irr") + 1).number_format, "0.00%")
        self.assertEqual(ws.cell(3, header.index("npv") + 1).number_format, "#,##0")
        self.assertEqual(ws.cell(2, header.index("npv") + 1).value, "USD")
        ws = wb["schedule"]
        header = [c.value for c in ws[1]]
        self.assertEqual(ws.cell(3, header.index("rate") + 1).number_format, "0.00%")
        self.assertEqual(ws.cell(2, header.index("rate") + 1).value, "%/year")
        self.assertEqual(ws.cell(3, header.index("interest") + 1).number_format, "#,##0")

    def test_two_projects(self):
        self.check_report(os.path.join(CLI_DATA, "portfolio_two_projects.json"))


def joined(values):
    """A list as the workbook writes it ("a, b"); None for none."""
    return ", ".join(str(v) for v in values) if values else None


class RiskTests(WorkbookTest):
    """`greenfin risk --format xlsx` against `--format json` of the same run
    (same file, seed and block) and against the file's risk object."""

    DATA = os.path.join(HERE, "..", "data", "risk_inputs.json")
    STATS = ["n", "mean", "sd", "min", "q05", "q10", "q50", "q90", "q95", "max"]

    def scope_names(self, inputs):
        names = {"portfolio": inputs.get("name")}
        names.update({p["id"]: p.get("name") for p in inputs["projects"]})
        return names

    def by_scope(self, doc, section):
        """[(scope, metric, value)] of a statistics or probabilities object."""
        out = [("portfolio", m, v) for m, v in doc[section]["portfolio"].items()]
        for pid, metrics in doc[section]["projects"].items():
            out += [(pid, m, v) for m, v in metrics.items()]
        return out

    def check_scoped_rows(self, ws, rows, cur, names):
        """Scope, scope name, metric and unit of each data row; the value
        cells' number format is the metric unit's."""
        for i, (scope, metric) in enumerate(rows):
            row = [c.value for c in ws[i + 3]]
            self.assertEqual(row[:4], [scope, names[scope], metric, unit_label(METRICS[metric].unit, cur)])
            if METRICS[metric].unit.startswith("fraction"):
                self.assertEqual(ws.cell(i + 3, 5 if ws.title == "probabilities" else 6).number_format, "0.00%")

    def check_statistics(self, ws, doc, cur, names):
        rows = self.rows(ws)
        self.assertEqual(rows[0], ["scope", "scope_name", "metric", "unit"] + self.STATS)
        self.assertEqual(rows[1], [None] * 4 + ["scenarios"] + ["(unit)"] * 9)
        self.assertEqual(ws.freeze_panes, "E3")
        want = self.by_scope(doc, "statistics")
        self.assertEqual(len(rows) - 2, len(want))
        for row, (scope, metric, stats) in zip(rows[2:], want):
            self.assertEqual(list(stats), self.STATS)
            for k, s in enumerate(self.STATS):
                self.assertValue(row[4 + k], stats[s], "statistics %s %s %s" % (scope, metric, s))
        self.check_scoped_rows(ws, [(s, m) for s, m, _ in want], cur, names)

    def check_probabilities(self, ws, doc, cur, names):
        rows = self.rows(ws)
        self.assertEqual(rows[:2], [["scope", "scope_name", "metric", "unit", "value"], [None] * 4 + ["(unit)"]])
        self.assertEqual(ws.freeze_panes, "E3")
        want = self.by_scope(doc, "probabilities")
        self.assertEqual(len(rows) - 2, len(want))
        for row, (scope, metric, value) in zip(rows[2:], want):
            self.assertValue(row[4], value, "probabilities %s %s" % (scope, metric))
        self.check_scoped_rows(ws, [(s, m) for s, m, _ in want], cur, names)

    def check_list(self, ws, entries, label, values, cur, names):
        """sensitivity / cases: one row per JSON entry, in order."""
        rows = self.rows(ws)
        self.assertEqual(rows[0], [label, "scope", "scope_name", "metric", "unit"] + values)
        self.assertEqual(rows[1], [None] * 5 + ["(unit)"] * len(values))
        self.assertEqual(ws.freeze_panes, "F3")
        self.assertEqual(len(rows) - 2, len(entries))
        for row, e in zip(rows[2:], entries):
            where = "%s %s %s %s" % (ws.title, e[label], e["scope"], e["metric"])
            self.assertEqual(row[:5], [e[label], e["scope"], names[e["scope"]], e["metric"],
                                       unit_label(METRICS[e["metric"]].unit, cur)], where)
            for k, v in enumerate(values):
                self.assertValue(row[5 + k], e[v], where + " " + v)

    def check_samples(self, ws, samples, cur):
        rows = self.rows(ws)
        columns = list(samples)
        self.assertEqual(rows[0], columns)
        self.assertEqual(rows[1], [None] + [unit_label(METRICS[c.rsplit(".", 1)[1]].unit, cur) for c in columns[1:]])
        self.assertEqual(ws.freeze_panes, "B3")
        self.assertEqual(len(rows) - 2, len(samples["scenario"]))
        for i, row in enumerate(rows[2:]):
            for j, c in enumerate(columns):
                self.assertValue(row[j], samples[c][i], "samples row %d %s" % (i, c))

    # ---- the Summary -----------------------------------------------------

    def block(self, rows, title, header):
        """The rows under a Summary heading with its header row, to the next
        blank row; none without the heading (an experiment without any)."""
        if title not in [r[0] for r in rows]:
            return []
        start = [r[0] for r in rows].index(title)
        self.assertEqual(rows[start + 1][:len(header)], header, title)
        out = []
        for r in rows[start + 2:]:
            if r[0] is None:
                break
            out.append(r[:len(header)])
        return out

    def where(self, e):
        years = e.get("years")
        return [joined(e.get("projects")), e.get("technology"), joined(e.get("lenders")), e.get("currency"),
                "%d-%d" % tuple(years) if years else None]

    def label(self, e):
        return e.get("name") or "%s %s" % (e["key"], e.get("apply", "scale"))

    def check_risk_summary(self, ws, doc, risk, cur, threads):
        rows = self.rows(ws)
        run = {r[0]: r for r in self.block(rows, "Run", ["key", "description", "value", "unit"])}
        for k in ("scenarios", "seed", "first", "count"):
            self.assertEqual(run[k][2], doc["metrics"][k], k)
        self.assertEqual(run["threads"][2], threads)
        self.assertEqual(run["covenant_dscr"][2:4], [risk.get("covenant_dscr", 1.2), "ratio"])
        self.assertValue(run["hurdle_equity_irr"][2], risk.get("hurdle_equity_irr"), "hurdle")
        head = self.block(rows, "Headline", ["metric", "statistic", "description", "value", "unit"])
        want = []
        for m, stats in doc["statistics"]["portfolio"].items():
            want += [[m, q, METRICS[m].doc, stats[q], unit_label(METRICS[m].unit, cur)] for q in ("q10", "q50", "q90")]
        want += [[m, "probability", METRICS[m].doc, v, "%"] for m, v in doc["probabilities"]["portfolio"].items()]
        self.assertEqual(len(head) - 1, len(want))  # the first row is the note on P90
        for got, w in zip(head[1:], want):
            self.assertEqual(got[:3] + got[4:], w[:3] + w[4:])
            self.assertValue(got[3], w[3], "Headline %s %s" % (w[0], w[1]))
        self.check_risk_inputs(rows, risk)
        warnings = [r[0] for r in rows[[r[0] for r in rows].index("Warnings") + 1:] if r[0]]
        self.assertEqual(warnings, doc.get("warnings") or ["none"])

    def check_risk_inputs(self, rows, risk):
        params = ["mean", "sd", "min", "mode", "max", "lower", "upper"]
        where = ["projects", "technology", "lenders", "currency", "years"]
        unc = self.block(rows, "Uncertainties", ["name", "key", "apply"] + where + ["factor", "per", "distribution"]
                         + params + ["values", "weights"])
        self.assertEqual(len(unc), len(risk.get("uncertainties", [])))
        for got, e in zip(unc, risk.get("uncertainties", [])):
            d = e["distribution"]
            want = [self.label(e), e["key"], e.get("apply", "scale")] + self.where(e)
            want += [e.get("factor"), e.get("per", "scenario"), d["type"]] + [d.get(p) for p in params]
            self.assertEqual(got[:-2], want)
            for cell, numbers in zip(got[-2:], (d.get("values"), d.get("weights"))):  # "1, 0.85": exact numbers
                self.assertEqual(cell and [float(x) for x in cell.split(", ")], numbers and [float(x) for x in numbers])
        factors = self.block(rows, "Factors", ["name", "per", "autocorrelation"])
        self.assertEqual(factors, [[k, f["per"], f.get("autocorrelation", 0)]
                                   for k, f in risk.get("factors", {}).items()])
        corr = self.block(rows, "Correlations", ["factor_a", "factor_b", "rho"])
        self.assertEqual(corr, [list(c) for c in risk.get("correlations", [])])
        cases = self.block(rows, "Cases", ["case", "change", "key", "apply"] + where + ["value"])
        want = [[c["name"], self.label(ch), ch["key"], ch.get("apply", "scale")] + self.where(ch) + [ch["value"]]
                for c in risk.get("cases", []) for ch in c["changes"]]
        self.assertEqual(cases, want)
        sens = self.block(rows, "Sensitivity", ["change", "key", "apply"] + where + ["low", "high"])
        want = [[self.label(e), e["key"], e.get("apply", "scale")] + self.where(e) + [e["low"], e["high"]]
                for e in risk.get("sensitivity", [])]
        self.assertEqual(sens, want)

    # ---- runs ------------------------------------------------------------

    def check_risk(self, path, *extra, threads=0):
        with open(path) as f:
            inputs = json.load(f)
        wb, doc = self.both("risk", path, "--quiet", *extra)
        cur = inputs.get("currency", "USD")
        names = self.scope_names(inputs)
        sheets = ["Summary", "statistics", "probabilities", "sensitivity", "cases"]
        self.assertEqual(wb.sheetnames, sheets + (["samples"] if "samples" in doc else []))
        self.assertEqual(wb["Summary"]["A1"].value, "greenfin risk: " + inputs["name"])
        self.check_risk_summary(wb["Summary"], doc, inputs["risk"], cur, threads)
        self.check_statistics(wb["statistics"], doc, cur, names)
        self.check_probabilities(wb["probabilities"], doc, cur, names)
        self.check_list(wb["sensitivity"], doc["sensitivity"], "change", ["base", "at_low", "at_high", "swing"], cur,
                        names)
        self.check_list(wb["cases"], doc["cases"], "case", ["base", "value", "difference"], cur, names)
        if "samples" in doc:
            self.check_samples(wb["samples"], doc["samples"], cur)
        return wb, doc

    def test_every_kind_of_input_with_samples(self):
        wb, doc = self.check_risk(self.DATA, "--samples", "--threads", "2", threads=2)
        self.assertEqual(doc["metrics"]["scenarios"], 40)  # the file's own size and seed
        self.assertEqual(wb["statistics"]["C3"].value, "fund_irr")

    def test_fx_drift_names_its_currency(self):
        # tests/data/fx_cny.json (a yuan loan) with a drift on its CNY path.
        with open(os.path.join(HERE, "..", "data", "fx_cny.json")) as f:
            doc = json.load(f)
        doc["risk"] = {"scenarios": 12, "seed": 3,
                       "uncertainties": [{"key": "fx_drift", "apply": "add", "currency": "CNY",
                                          "distribution": {"type": "normal", "mean": -0.02, "sd": 0.03}}],
                       "cases": [{"name": "weak yuan", "changes": [{"key": "fx_drift", "apply": "add",
                                                                     "currency": "CNY", "value": -0.05}]}]}
        path = os.path.join(self.tmp, "fx_risk.json")
        with open(path, "w") as f:
            json.dump(doc, f)
        wb, _ = self.check_risk(path)
        self.assertIn("CNY", [c.value for c in wb["Summary"]["G"]])

    def test_a_block_of_the_bundled_sample(self):
        wb, doc = self.check_risk(os.path.join(EXAMPLES, "cambodia_pipeline.json"), "--scenarios", "60",
                                  "--first", "20", "--count", "30", "--seed", "5")
        self.assertEqual((doc["metrics"]["first"], doc["metrics"]["count"]), (20, 30))

    def test_a_project_file_is_titled_with_the_project_name(self):
        # A project file runs as a portfolio of one (gfin_risk_load_json):
        # the workbook's title is the project's name, its id when unnamed.
        with open(os.path.join(EXAMPLES, "solar_project.json")) as f:
            doc = json.load(f)
        doc["risk"] = {"scenarios": 4, "uncertainties": [
            {"key": "capex", "distribution": {"type": "normal", "mean": 1, "sd": 0.1}}]}
        path = os.path.join(self.tmp, "project_risk.json")
        for title in (doc["name"], doc["id"]):
            with open(path, "w") as f:
                json.dump(doc, f)
            wb, _ = self.both("risk", path, "--quiet")
            self.assertEqual(wb["Summary"]["A1"].value, "greenfin risk: " + title)
            doc.pop("name", None)


class UsageTests(WorkbookTest):
    def test_xlsx_needs_an_output_file(self):
        rc, out, err = run("report", "--format", "xlsx")
        self.assertEqual(rc, 2)
        self.assertIn("--format xlsx: needs --output FILE.xlsx", err)

    def test_unwritable_path_is_an_error(self):
        rc, out, err = run("report", "--format", "xlsx", "--output", os.path.join(self.tmp, "no", "such", "x.xlsx"))
        self.assertEqual(rc, 2, err)
        self.assertTrue(err.startswith("greenfin: %s: " % os.path.join(self.tmp, "no", "such", "x.xlsx")), err)
        self.assertEqual(err.count("\n"), 1, err)

    def test_risk_xlsx_needs_an_output_file(self):
        rc, out, err = run("risk", "--quiet", "--format", "xlsx")
        self.assertEqual((rc, out), (2, ""))
        self.assertIn("greenfin: --format xlsx: needs --output FILE.xlsx", err)

    def test_risk_unwritable_path_is_an_error(self):
        path = os.path.join(self.tmp, "no", "such", "risk.xlsx")
        rc, out, err = run("risk", "--quiet", "--scenarios", "5", "--format", "xlsx", "--output", path)
        self.assertEqual(rc, 2, err)
        self.assertEqual(err, "greenfin: %s: No such file or directory\n" % path)
        self.assertFalse(os.path.exists(path))

    def test_risk_samples_beyond_a_sheet_are_refused_before_running(self):
        # Excel's sheet holds 1,048,576 rows: a header, a units row, 1,048,574 scenarios.
        path = os.path.join(self.tmp, "big.xlsx")
        rc, out, err = run("risk", "--quiet", "--scenarios", "1048575", "--samples", "--format", "xlsx",
                           "--output", path)
        self.assertEqual(rc, 2, err)
        self.assertTrue(err.startswith("greenfin: --samples: 1048575 scenarios' samples do not fit"), err)
        self.assertFalse(os.path.exists(path))


def main():
    global GREENFIN
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    GREENFIN = os.path.abspath(sys.argv[1])
    unittest.main(argv=[sys.argv[0]] + sys.argv[2:], verbosity=2)


if __name__ == "__main__":
    main()
