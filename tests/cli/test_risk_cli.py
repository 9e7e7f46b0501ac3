#!/usr/bin/env python3
"""End-to-end tests of `greenfin risk` (docs/model.md "Risk"): every malformed
risk object exits 2 naming its path; cases and sensitivity values equal a
deterministic `greenfin report` of the edited file (to 1e-12); blocks
concatenate; the sample's risk object runs. Standard library only.

    test_risk_cli.py GREENFIN [unittest arguments]
"""
import copy
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLE = os.path.join(HERE, "..", "..", "examples", "data", "cambodia_pipeline.json")
GREENFIN = None


def run(args, stdin=None):
    p = subprocess.run([GREENFIN] + args, input=stdin, capture_output=True, text=True, timeout=600)
    return p.returncode, p.stdout, p.stderr


def sample():
    with open(SAMPLE, encoding="utf-8") as f:
        return json.load(f)


def risk_json(doc, *args):
    code, out, err = run(["risk", "-", "--format", "json", "--quiet"] + list(args), json.dumps(doc))
    assert code == 0, err
    return json.loads(out)


def report(doc):
    code, out, err = run(["report", "-", "--format", "json"], json.dumps(doc))
    assert code == 0, err
    return json.loads(out)


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-12 * max(1.0, abs(b))


class RiskBadInput(unittest.TestCase):
    """Each mutation of the sample's risk object exits 2 with its path."""

    CASES = [
        (lambda r: r["uncertainties"][2]["distribution"].update(type="gamma"),
         "risk.uncertainties[2].distribution.type", "not one of"),
        (lambda r: r["uncertainties"][2]["distribution"].pop("mode"),
         "risk.uncertainties[2].distribution.mode", "required"),
        (lambda r: r["uncertainties"][3]["distribution"].update(min=1.2),
         "risk.uncertainties[3].distribution.min", "not below max"),
        (lambda r: r["uncertainties"][3]["distribution"].update(mode=0.5),
         "risk.uncertainties[3].distribution.mode", "outside"),
        (lambda r: r["uncertainties"][0]["distribution"].update(sd=-0.1),
         "risk.uncertainties[0].distribution.sd", "-0.1"),
        (lambda r: r["uncertainties"][0]["distribution"].update(sd=0),
         "risk.uncertainties[0].distribution.sd", "greater than 0"),
        (lambda r: r["uncertainties"][4]["distribution"].update(weights=[0.5, -1]),
         "risk.uncertainties[4].distribution.weights[1]", "-1"),
        (lambda r: r["uncertainties"][4]["distribution"].update(weights=[0, 0]),
         "risk.uncertainties[4].distribution.weights", "sum to 0"),
        (lambda r: r["uncertainties"][0].update(factor="mekongg"),
         "risk.uncertainties[0].factor", "did you mean 'mekong'"),
        (lambda r: r["uncertainties"][2].update(per="year"),
         "risk.uncertainties[2].per", "energy"),
        (lambda r: r.update(correlations=[["mekong", "sun", 0.5]]),
         "risk.correlations[0]", "different per"),
        (lambda r: (r["factors"].update(a={}, b={}), r.update(correlations=[["sun", "a", 1.5]])),
         "risk.correlations[0]", "above the maximum 1"),
        (lambda r: (r["factors"].update(a={}, b={}),
                    r.update(correlations=[["sun", "a", 0.9], ["sun", "b", 0.9], ["a", "b", -0.9]])),
         "risk.correlations", "not positive definite"),
        (lambda r: r["uncertainties"][1].update(projects=["nowhere"]),
         "risk.uncertainties[1].projects[0]", "names no project"),
        (lambda r: r["sensitivity"].append({"key": "margin", "lenders": ["nobody"], "low": 0, "high": 0.01}),
         "risk.sensitivity[6].lenders", "no loan"),
        (lambda r: r.update(scenarios=0), "risk.scenarios", "outside 1"),
        (lambda r: r.update(scenarios=10000001), "risk.scenarios", "outside 1"),
        (lambda r: r.update(scenarioz=10), "risk.scenarioz", "did you mean 'scenarios'"),
        (lambda r: r["uncertainties"][1].update(key="capx"), "risk.uncertainties[1].key", "did you mean 'capex'"),
        (lambda r: r["cases"][0]["changes"][0].pop("value"), "risk.cases[0].changes[0].value", "required"),
        (lambda r: r["cases"][1]["changes"][0].update(years=[2030, 2035]), "risk.cases[1].changes[0].years",
         "energy"),
        # fx_drift (the sample's loans are all in its own currency, and it has no fx paths)
        (lambda r: r["sensitivity"].append({"key": "fx_drift", "low": -0.03, "high": 0.03}),
         "risk.sensitivity[6].apply", "\"scale\" does not fit fx_drift"),
        (lambda r: r["sensitivity"].append({"key": "fx_drift", "apply": "add", "low": -0.03, "high": 0.03}),
         "risk.sensitivity[6].key", "no loan is in a currency with an fx path (fx has: none)"),
        (lambda r: r["sensitivity"].append({"key": "fx_drift", "apply": "add", "currency": "CNY", "low": 0,
                                            "high": 0.03}),
         "risk.sensitivity[6].currency", "\"CNY\" has no fx path (fx has: none)"),
        (lambda r: r["sensitivity"].append({"key": "fx_drift", "apply": "add", "projects": ["kk-reservoir-hydro"],
                                            "low": 0, "high": 0.03}),
         "risk.sensitivity[6].projects", "select it with currency"),
        (lambda r: r["sensitivity"].append({"key": "capex", "currency": "CNY", "low": 0.9, "high": 1.1}),
         "risk.sensitivity[6].currency", "applies to \"fx_drift\" only"),
        (lambda r: r["uncertainties"].append({"key": "fx_drift", "apply": "add", "per": "year",
                                              "distribution": {"type": "normal", "mean": 0, "sd": 0.02}}),
         "risk.uncertainties[6].per", "energy"),
    ]

    def test_every_malformed_risk_object_exits_2_with_its_path(self):
        for i, (mutate, path, words) in enumerate(self.CASES):
            doc = sample()
            mutate(doc["risk"])
            for command in (["risk", "-", "--quiet"], ["report", "-"]):
                code, out, err = run(command, json.dumps(doc))
                self.assertEqual(code, 2, f"case {i} {command[0]}: {err}")
                self.assertIn(f"greenfin: {path}: ", err, f"case {i} {command[0]}")
                self.assertIn(words, err, f"case {i}")

    def test_a_block_beyond_the_experiment_exits_2(self):
        for args, what in ((["--first", "1000"], "--first"), (["--first", "990", "--count", "20"], "--count"),
                           (["--scenarios", "0"], "--scenarios")):
            code, _, err = run(["risk", SAMPLE, "--quiet"] + args)
            self.assertEqual(code, 2, err)
            self.assertIn(f"greenfin: {what}", err)


class RiskAgainstDeterministicRuns(unittest.TestCase):
    """Cases and sensitivity values against `greenfin report` of edited files."""

    def test_cases_and_sensitivity_equal_reports_of_the_edited_file(self):
        doc = sample()
        out = risk_json(doc, "--scenarios", "2")
        base = report({k: v for k, v in doc.items() if k != "risk"})
        metrics = ["npv", "project_irr", "equity_irr", "min_dscr", "llcr", "lcoe", "lifetime_reductions_tco2e"]

        def edited(fn):
            d = copy.deepcopy(doc)
            del d["risk"]
            for p in d["projects"]:
                fn(p)
            return report(d)

        def scale(key, f):
            return lambda p: p.__setitem__(key, p[key] * f) if key in p else None

        def sized_kept(p):
            pass

        # "capex +20 %": every project's capex x 1.2. Sized debt is kept from the
        # base, so the projects with debt_sizing are compared on the others only.
        cap = edited(scale("capex", 1.2))
        sized = {p["id"] for p in doc["projects"] if "debt_sizing" in p}
        rows = [r for r in out["cases"] if r["case"] == "capex +20 %"]
        checked = 0
        for r in rows:
            if r["scope"] == "portfolio" or r["scope"] in sized or r["metric"] not in metrics:
                continue
            want = cap["projects"][r["scope"]]["metrics"][r["metric"]]
            self.assertTrue(close(r["value"], want), f"{r}: {want}")
            self.assertTrue(close(r["base"], base["projects"][r["scope"]]["metrics"][r["metric"]]), r)
            checked += 1
        self.assertGreater(checked, 20)
        # "no carbon revenue": carbon_price_per_tco2e set to 0 everywhere.
        zero = edited(lambda p: p.__setitem__("carbon_price_per_tco2e", 0))
        for r in out["cases"]:
            if r["case"] == "no carbon revenue" and r["scope"] != "portfolio" and r["scope"] not in sized \
                    and r["metric"] in metrics:
                self.assertTrue(close(r["value"], zero["projects"][r["scope"]]["metrics"][r["metric"]]), r)
        # Sensitivity "tariff_per_mwh scale" at 0.9 and 1.1.
        for side, f in (("at_low", 0.9), ("at_high", 1.1)):
            t = edited(scale("tariff_per_mwh", f))
            for r in out["sensitivity"]:
                if r["change"] == "tariff_per_mwh scale" and r["scope"] != "portfolio" and \
                        r["scope"] not in sized and r["metric"] in metrics:
                    self.assertTrue(close(r[side], t["projects"][r["scope"]]["metrics"][r["metric"]]), r)
                    want = abs(r["at_high"] - r["at_low"]) if None not in (r["at_high"], r["at_low"]) else None
                    self.assertTrue(close(r["swing"], want), r)


FX_CNY = os.path.join(HERE, "..", "data", "fx_cny.json")


def fx_cny():
    with open(FX_CNY, encoding="utf-8") as f:
        return json.load(f)


class RiskFxDrift(unittest.TestCase):
    """fx_drift on tests/data/fx_cny.json (a CNY loan on a USD portfolio, its path
    written by hand as the yuan losing 3 % a year from 0.14: see tests/test_fx.c)."""

    def test_a_drift_equals_a_report_of_the_edited_path(self):
        doc = fx_cny()
        doc["fx"]["CNY"] = [0.14]
        doc["risk"] = {"scenarios": 2,
                       "cases": [{"name": "yuan -3 %/yr", "changes": [
                           {"key": "fx_drift", "apply": "add", "currency": "CNY", "value": -0.03}]}],
                       "sensitivity": [{"key": "fx_drift", "apply": "set", "low": -0.03, "high": 0.05}]}
        out = risk_json(doc)
        minus = report(fx_cny())                # the hand-written path
        plus = fx_cny()
        plus["fx"]["CNY"] = [0.14 * 1.05 ** k for k in range(5)]
        plus = report(plus)
        checked = 0
        for rows, side, want in ((out["cases"], "value", minus), (out["sensitivity"], "at_low", minus),
                                 (out["sensitivity"], "at_high", plus)):
            for r in rows:
                got = r[side]
                if r["scope"] == "portfolio":
                    if r["metric"] in want["metrics"]:
                        self.assertTrue(close(got, want["metrics"][r["metric"]]), (side, r))
                        checked += 1
                    continue
                self.assertTrue(close(got, want["projects"][r["scope"]]["metrics"].get(r["metric"])), (side, r))
                checked += 1
        self.assertGreater(checked, 20)

    def test_a_currency_no_loan_uses_or_without_a_path_exits_2(self):
        for currency, words in (("EUR", "\"EUR\" is the currency of no loan"),
                                ("JPY", "\"JPY\" has no fx path (fx has: \"CNY\", \"EUR\")")):
            doc = fx_cny()
            doc["risk"] = {"uncertainties": [{"key": "fx_drift", "apply": "add", "currency": currency,
                                              "distribution": {"type": "normal", "mean": 0, "sd": 0.02}}]}
            for command in (["risk", "-", "--quiet"], ["report", "-"]):
                code, _, err = run(command, json.dumps(doc))
                self.assertEqual(code, 2, err)
                self.assertIn("greenfin: risk.uncertainties[0].currency: ", err)
                self.assertIn(words, err)


class RiskBlocks(unittest.TestCase):
    def test_blocks_concatenate_and_threads_agree(self):
        doc = sample()
        whole = risk_json(doc, "--scenarios", "12", "--samples", "--threads", "2")
        a = risk_json(doc, "--scenarios", "12", "--samples", "--count", "5", "--threads", "1")
        b = risk_json(doc, "--scenarios", "12", "--samples", "--first", "5")
        self.assertEqual(whole["metrics"], {"scenarios": 12, "seed": 2027, "first": 0, "count": 12})
        self.assertEqual(b["metrics"]["first"], 5)
        for col, values in whole["samples"].items():
            self.assertEqual(a["samples"][col] + b["samples"][col], values, col)
        self.assertEqual(whole["sensitivity"], a["sensitivity"])
        self.assertEqual(whole["cases"], b["cases"])

    def test_csv_and_text(self):
        with tempfile.TemporaryDirectory() as tmp:
            code, _, err = run(["risk", SAMPLE, "--scenarios", "20", "--format", "csv", "--output", tmp, "--quiet"])
            self.assertEqual(code, 0, err)
            for name in ("metrics", "statistics", "probabilities", "sensitivity", "cases"):
                self.assertTrue(os.path.exists(os.path.join(tmp, name + ".csv")), name)
            with open(os.path.join(tmp, "statistics.csv")) as f:
                self.assertEqual(f.readline().strip(), "scope,metric,n,mean,sd,min,q05,q10,q50,q90,q95,max")
        code, out, err = run(["risk", SAMPLE, "--scenarios", "20", "--format", "text"])
        self.assertEqual(code, 0, err)
        self.assertEqual(err, "", "no progress line on a pipe")
        for words in ("kk-reservoir-hydro", "p_min_dscr_below_1", "Sensitivity", "dry decade"):
            self.assertIn(words, out)


def main():
    global GREENFIN
    GREENFIN = sys.argv[1]
    unittest.main(argv=[sys.argv[0]] + sys.argv[2:], verbosity=1)


if __name__ == "__main__":
    main()
