#!/usr/bin/env python3
"""End-to-end tests of the `greenfin` command (MODEL.md "Output of the greenfin
command"): output shapes, a few hand-derived values, the exit statuses and the
error messages. Standard library only.

    test_cli.py GREENFIN [unittest arguments, e.g. LoanTests]

GFIN_VERSION (optional) is the expected version; GFIN_CLI_WRAPPER (optional)
runs every command under a wrapper, e.g. "valgrind -q --error-exitcode=99
--leak-check=full --errors-for-leak-kinds=definite,indirect".

Every expected number below is derived by hand in the comment next to it, from
the input file and MODEL.md's rules; none is copied from the command's output.
"""
import csv
import json
import os
import shlex
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
EXAMPLES = os.path.join(HERE, "..", "..", "examples", "data")
GREENFIN = None  # set by main()
WRAPPER = shlex.split(os.environ.get("GFIN_CLI_WRAPPER", ""))

# MODEL.md, in its order.
SCHEDULE_COLUMNS = ["period", "time_years", "opening_balance", "drawdown", "interest", "capitalized_interest",
                    "principal", "fees", "debt_service", "closing_balance", "rate"]
LOAN_METRICS = ["total_drawn", "total_interest", "total_fees", "total_debt_service", "wal_years", "all_in_cost"]
YEARS_COLUMNS = ["year", "calendar_year", "net_mwh", "gross_mwh", "revenue_energy", "revenue_carbon", "opex",
                 "ebitda", "depreciation", "interest", "taxable_income", "tax", "cfads", "debt_service",
                 "debt_service_shortfall", "dscr",
                 "capex", "drawdown", "equity_flow", "project_flow", "baseline_tco2e", "project_tco2e",
                 "reductions_tco2e", "credited_tco2e"]
PROJECT_METRICS = ["npv", "project_irr", "project_irr_pretax", "equity_irr", "payback_years", "lcoe", "min_dscr",
                   "avg_dscr", "llcr", "total_debt", "gearing", "power_density_w_m2", "first_year_net_mwh",
                   "lifetime_reductions_tco2e"]
FUND_COLUMNS = ["disbursements", "principal_received", "interest_received", "fees_received", "shortfall", "outstanding",
                "cost_of_funds", "net_cash_flow"]
PORTFOLIO_METRICS = ["fund_irr", "committed", "utilization", "weighted_cost_of_funds", "weighted_loan_rate",
                     "mobilization_ratio", "lifetime_reductions_tco2e", "fund_attributed_reductions_tco2e",
                     "fund_subsidy_per_tco2e", "fund_shortfall"]


def data(name):
    return os.path.join(DATA, name)


def load(name):
    with open(data(name)) as f:
        return json.load(f)


def run(*args, stdin=None):
    """(exit status, stdout, stderr) of greenfin with args."""
    if isinstance(stdin, str):
        stdin = stdin.encode()
    p = subprocess.run(WRAPPER + [GREENFIN, *args], input=stdin if stdin is not None else b"",
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


class CliTest(unittest.TestCase):
    maxDiff = None

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="greenfin-cli-")
        self.tmp = self._tmp.name

    def tearDown(self):
        self._tmp.cleanup()

    def ok(self, *args, stdin=None):
        """stdout of a run that must succeed with nothing on stderr."""
        rc, out, err = run(*args, stdin=stdin)
        self.assertEqual((rc, err), (0, ""), "greenfin %s" % " ".join(args))
        return out

    def json_of(self, *args, stdin=None):
        return json.loads(self.ok(*args, "--format", "json", stdin=stdin))

    def fails(self, status, *args, stdin=None):
        """The one stderr line of a run that must fail with `status` and print nothing on stdout."""
        rc, out, err = run(*args, stdin=stdin)
        self.assertEqual(rc, status, "greenfin %s: %s" % (" ".join(args), err))
        self.assertEqual(out, "")
        self.assertTrue(err.startswith("greenfin: "), err)
        self.assertTrue(err.endswith("\n") and err.count("\n") == 1, "one line expected: %r" % err)
        return err.rstrip("\n")

    def write(self, name, doc):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(doc if isinstance(doc, str) else json.dumps(doc))
        return path

    def assertTable(self, table, columns):
        """A JSON table: these columns in this order, equal lengths."""
        self.assertEqual(list(table), columns)
        lengths = {len(v) for v in table.values()}
        self.assertEqual(len(lengths), 1, lengths)
        self.assertGreater(lengths.pop(), 0)

    def read_csv(self, *parts):
        with open(os.path.join(self.tmp, *parts), newline="") as f:
            return list(csv.reader(f))

    def header_of(self, *parts):
        with open(os.path.join(self.tmp, *parts)) as f:
            return f.readline().rstrip("\n")


def text_line(text, first):
    """The tokens of the first line whose first token is `first`."""
    for line in text.splitlines():
        tokens = line.split()
        if tokens and tokens[0] == first:
            return tokens
    raise AssertionError("no line starting with %r in:\n%s" % (first, text))


# ---------------------------------------------------------------------------
# loan
# ---------------------------------------------------------------------------

class LoanTests(CliTest):
    # loan_annuity_2y.json: 1000 at 10 %, annual, 2 annuity repayments, no
    # drawdowns (all drawn at the start of period 1, A = 0), no fees.
    #   payment = 1000 x 0.1 x 1.1^2 / (1.1^2 - 1) = 121 / 0.21 = 576.190476...
    #   period 1: opening 0, drawdown 1000, interest (0 + 1000) x 0.1 = 100,
    #             principal 576.190476 - 100 = 476.190476, closing 523.809524
    #   period 2: interest 52.380952, principal 523.809524 (the rest), closing 0
    #   total_interest 152.380952 = 2 x 576.190476 - 1000; debt service 1152.380952
    #   wal_years = (476.190476 x 1 + 523.809524 x 2) / 1000 = 1.523809524
    #   all_in_cost: -1000 now, 576.19 after 1 and 2 years: the 10 % of the annuity
    def test_json_shape_and_annuity_values(self):
        doc = self.json_of("loan", data("loan_annuity_2y.json"))
        self.assertEqual(list(doc), ["metrics", "schedule"])
        self.assertEqual(list(doc["metrics"]), LOAN_METRICS)
        self.assertTable(doc["schedule"], SCHEDULE_COLUMNS)
        s, m = doc["schedule"], doc["metrics"]
        self.assertEqual(s["period"], [1, 2])
        self.assertEqual(s["time_years"], [1, 2])
        expected = {
            "opening_balance": [0, 523.8095238095238],
            "drawdown": [1000, 0],
            "interest": [100, 52.38095238095238],
            "capitalized_interest": [0, 0],
            "principal": [476.1904761904762, 523.8095238095238],
            "fees": [0, 0],
            "debt_service": [576.1904761904762, 576.1904761904762],
            "closing_balance": [523.8095238095238, 0],
            "rate": [0.1, 0.1],
        }
        for column, values in expected.items():
            for got, want in zip(s[column], values):
                self.assertAlmostEqual(got, want, delta=1e-9, msg=column)
        for name, want in [("total_drawn", 1000), ("total_interest", 152.38095238095238), ("total_fees", 0),
                           ("total_debt_service", 1152.3809523809523), ("wal_years", 1.5238095238095238),
                           ("all_in_cost", 0.10)]:
            self.assertAlmostEqual(m[name], want, delta=1e-9, msg=name)

    # loan_linear_fee.json: 1200 at 6 %, semi-annual (3 % a period), 3 linear
    # repayments of 400, upfront fee 1 % = 12 in period 1.
    #   interest 36, 24, 12 (3 % of 1200, 800, 400); debt service 448, 424, 412
    #   totals: interest 72, fees 12, debt service 1284; wal (0.5 + 1 + 1.5) / 3 = 1
    #   grant element at D = 6.09 %: periodic (1.0609)^(1/2) - 1 = 3 %, the loan's
    #   own rate, so the PV of interest and principal is the 1200 drawn and the
    #   fee paid at the start adds 12: GE = 1 - (1200 + 12) / 1200 = -0.01.
    #   all_in_cost: i solves 1188 = 436/(1+i) + 424/(1+i)^2 + 412/(1+i)^3,
    #   annualised (1+i)^2 - 1 (solved below by bisection, not read from output).
    def test_grant_element_and_fees(self):
        doc = self.json_of("loan", data("loan_linear_fee.json"), "--discount-rate", "0.0609")
        self.assertEqual(list(doc["metrics"]), LOAN_METRICS + ["grant_element"])
        s, m = doc["schedule"], doc["metrics"]
        self.assertEqual(s["time_years"], [0.5, 1.0, 1.5])
        for got, want in zip(s["interest"], [36, 24, 12]):
            self.assertAlmostEqual(got, want, delta=1e-9)
        for got, want in zip(s["debt_service"], [448, 424, 412]):
            self.assertAlmostEqual(got, want, delta=1e-9)
        self.assertAlmostEqual(m["total_fees"], 12, delta=1e-9)
        self.assertAlmostEqual(m["total_debt_service"], 1284, delta=1e-9)
        self.assertAlmostEqual(m["wal_years"], 1.0, delta=1e-12)
        self.assertAlmostEqual(m["grant_element"], -0.01, delta=1e-9)
        lo, hi = 0.0, 0.1
        for _ in range(200):
            i = (lo + hi) / 2
            pv = 436 / (1 + i) + 424 / (1 + i) ** 2 + 412 / (1 + i) ** 3
            lo, hi = (i, hi) if pv > 1188 else (lo, i)
        self.assertAlmostEqual(m["all_in_cost"], (1 + lo) ** 2 - 1, delta=1e-9)

    def test_dated_loan_writes_dates(self):
        # examples/data/solar_loan.json starts 2027-01-01 and pays quarterly:
        # period 1 ends 2027-04-01, period 2 2027-07-01 (MODEL.md "Dated schedules").
        doc = self.json_of("loan", os.path.join(EXAMPLES, "solar_loan.json"))
        self.assertTable(doc["schedule"], SCHEDULE_COLUMNS + ["date"])
        self.assertEqual(doc["schedule"]["date"][:2], ["2027-04-01", "2027-07-01"])

    def test_text_has_totals_row_and_metrics(self):
        out = self.ok("loan", data("loan_annuity_2y.json"), "--format", "text")
        self.assertTrue(out.startswith("Loan two-year\n"), out)
        # Totals (hand derivation above): drawdown 1000, interest 152.38,
        # capitalized 0, principal 476.19 + 523.81 = 1000, fees 0, debt service 1152.38.
        self.assertEqual(text_line(out, "total"), ["total", "1,000.00", "152.38", "0.00", "1,000.00", "0.00",
                                                   "1,152.38"])
        self.assertEqual(text_line(out, "total_interest"), ["total_interest", "152.38"])
        self.assertEqual(text_line(out, "wal_years"), ["wal_years", "1.52", "years"])
        self.assertEqual(text_line(out, "all_in_cost"), ["all_in_cost", "10.00", "%"])

    def test_text_shows_grant_element_as_percent(self):
        # -0.01 (derived above) is -1.00 %.
        out = self.ok("loan", data("loan_linear_fee.json"), "--discount-rate", "0.0609", "--format", "text")
        self.assertEqual(text_line(out, "grant_element"), ["grant_element", "-1.00", "%"])

    def test_csv_writes_schedule_and_metrics(self):
        out = self.ok("loan", data("loan_annuity_2y.json"), "--format", "csv", "--output", self.tmp)
        self.assertEqual(out, "")
        self.assertEqual(sorted(os.listdir(self.tmp)), ["metrics.csv", "schedule.csv"])
        self.assertEqual(self.header_of("schedule.csv"), ",".join(SCHEDULE_COLUMNS))
        rows = self.read_csv("schedule.csv")
        self.assertEqual(len(rows), 3)  # header + 2 periods
        metrics = self.read_csv("metrics.csv")
        self.assertEqual(metrics[0], ["name", "value"])
        self.assertEqual([r[0] for r in metrics[1:]], LOAN_METRICS)
        values = {name: float(value) for name, value in metrics[1:]}
        self.assertAlmostEqual(values["total_interest"], 152.38095238095238, delta=1e-9)  # derived above
        self.assertEqual(values["total_drawn"], 1000)

    def test_stdin_dash_gives_the_same_output(self):
        with open(data("loan_annuity_2y.json"), "rb") as f:
            text = f.read()
        self.assertEqual(self.ok("loan", "-", "--format", "json", stdin=text),
                         self.ok("loan", data("loan_annuity_2y.json"), "--format", "json"))

    def test_output_dir_gets_json_and_text_files(self):
        out_dir = os.path.join(self.tmp, "new", "dir")
        self.assertEqual(self.ok("loan", data("loan_annuity_2y.json"), "--output", out_dir), "")
        with open(os.path.join(out_dir, "loan.json")) as f:
            self.assertEqual(list(json.load(f)), ["metrics", "schedule"])
        self.ok("loan", data("loan_annuity_2y.json"), "--output=" + out_dir, "--format=text")
        with open(os.path.join(out_dir, "loan.txt")) as f:
            self.assertTrue(f.read().startswith("Loan two-year\n"))

    def test_default_format_is_json_when_piped_and_text_on_a_terminal(self):
        self.assertEqual(list(json.loads(self.ok("loan", data("loan_annuity_2y.json")))), ["metrics", "schedule"])
        import pty
        master, slave = pty.openpty()
        p = subprocess.Popen(WRAPPER + [GREENFIN, "loan", data("loan_annuity_2y.json")], stdin=subprocess.DEVNULL,
                             stdout=slave, stderr=subprocess.PIPE)
        os.close(slave)
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO once the child has closed its end
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(master)
        err = p.stderr.read()
        p.stderr.close()
        self.assertEqual((p.wait(), err), (0, b""))
        self.assertTrue(b"".join(chunks).startswith(b"Loan two-year\r\n"))


# ---------------------------------------------------------------------------
# project
# ---------------------------------------------------------------------------

class ProjectTests(CliTest):
    # project_solar.json: 10 MW solar at 1000 kWh/kWp, 1 construction year,
    # 3 operating years (2031-2033), no losses, no tax, 250/MWh, opex 50,000,
    # ef_cm 0.5, capex 5,000,000 in year 1; loan "senior" of 2,000,000 at 5 %,
    # annual, drawn at the start of year 1, interest capitalized, 3 linear repayments.
    #   net_mwh = 10 MW x 1000 kWh/kW = 10,000 MWh a year; baseline 0.5 x 10,000 = 5,000 t
    #   revenue_energy = 10,000 x 250 = 2,500,000; ebitda = cfads = 2,450,000
    #   loan: 2,000,000 x 1.05 = 2,100,000 at the end of year 1; principal 700,000 a
    #   year, interest 105,000, 70,000, 35,000; debt service 805,000, 770,000, 735,000
    #   dscr 2.45/0.805 = 3.0434783, 2.45/0.770 = 3.1818182, 2.45/0.735 = 3.3333333
    #   project_flow -5,000,000, 2,450,000 x 3: payback = 3 + 100,000 / 2,450,000
    #   npv = -5e6/1.08 + 2.45e6 (1.08^-2 + 1.08^-3 + 1.08^-4) (each year's flow from its end)
    #   gearing = 2,000,000 / 5,000,000 = 0.4; power density null (solar)
    def test_json_shape_and_hand_values(self):
        doc = self.json_of("project", data("project_solar.json"))
        self.assertEqual(list(doc), ["metrics", "years", "warnings", "loans"])
        self.assertTrue(set(PROJECT_METRICS) <= set(doc["metrics"]), doc["metrics"].keys())
        self.assertTable(doc["years"], YEARS_COLUMNS)
        self.assertEqual(doc["warnings"], [])
        self.assertEqual(list(doc["loans"]), ["senior"])
        self.assertEqual(list(doc["loans"]["senior"]), ["metrics", "schedule"])
        self.assertTable(doc["loans"]["senior"]["schedule"], SCHEDULE_COLUMNS)
        y, m = doc["years"], doc["metrics"]
        self.assertEqual(y["calendar_year"], [2030, 2031, 2032, 2033])
        self.assertEqual(y["net_mwh"], [0, 10000, 10000, 10000])
        self.assertEqual(y["revenue_energy"], [0, 2500000, 2500000, 2500000])
        self.assertEqual(y["baseline_tco2e"], [0, 5000, 5000, 5000])
        self.assertEqual(y["capex"], [5000000, 0, 0, 0])
        self.assertIsNone(y["dscr"][0])  # a construction year
        for got, want in zip(y["debt_service"][1:], [805000, 770000, 735000]):
            self.assertAlmostEqual(got, want, delta=1e-6)
        for got, want in zip(y["dscr"][1:], [2.45 / 0.805, 2.45 / 0.770, 2.45 / 0.735]):
            self.assertAlmostEqual(got, want, delta=1e-9)
        self.assertAlmostEqual(m["min_dscr"], 2.45 / 0.805, delta=1e-9)
        self.assertAlmostEqual(m["payback_years"], 3 + 100000 / 2450000, delta=1e-9)
        npv = -5e6 / 1.08 + 2.45e6 * (1.08 ** -2 + 1.08 ** -3 + 1.08 ** -4)
        self.assertAlmostEqual(m["npv"], npv, delta=1e-6)
        self.assertAlmostEqual(m["gearing"], 0.4, delta=1e-12)
        self.assertIsNone(m["power_density_w_m2"])
        self.assertEqual(m["first_year_net_mwh"], 10000)
        self.assertEqual(m["lifetime_reductions_tco2e"], 15000)  # 3 x 5,000

    # project_hydro_low_pd.json: 10 MW on 5 km2 of reservoir, PD = 10 / 5 = 2 W/m2,
    # <= 4: ACM0002 does not apply, so a warning and no reductions; the baseline
    # 0.5 x (10 x 8760 x 0.5 = 43,800 MWh) = 21,900 t is still reported.
    def test_warnings_go_to_the_output(self):
        doc = self.json_of("project", data("project_hydro_low_pd.json"))
        self.assertEqual(len(doc["warnings"]), 1)
        self.assertIn("ACM0002", doc["warnings"][0])
        self.assertEqual(doc["years"]["baseline_tco2e"], [0, 21900, 21900, 21900])
        text = self.ok("project", data("project_hydro_low_pd.json"), "--format", "text")
        self.assertIn("Warnings\n  - ACM0002", text)

    # A project's output has "loans": {...}, also when it has none (lib/write_json.c
    # writes the key always).
    def test_project_without_loans_has_an_empty_loans_object(self):
        doc = self.json_of("project", data("project_hydro_low_pd.json"))
        self.assertEqual(list(doc), ["metrics", "years", "warnings", "loans"])
        self.assertEqual(doc["loans"], {})

    def test_text_has_metrics_years_and_loans(self):
        out = self.ok("project", data("project_solar.json"), "--format", "text")
        self.assertTrue(out.startswith("Project tiny-solar\n"), out)
        self.assertEqual(text_line(out, "min_dscr"), ["min_dscr", "3.04", "x"])  # 3.0434783
        self.assertEqual(text_line(out, "gearing"), ["gearing", "40.00", "%"])
        self.assertEqual(text_line(out, "power_density_w_m2"), ["power_density_w_m2", "n/a", "W/m2"])
        # Year 2 (2031): net 10,000 MWh, revenue 2,500,000 (derived above).
        row = text_line(out, "2")
        self.assertEqual(row[:4], ["2", "2031", "10,000", "10,000"])
        self.assertIn("senior", text_line(out, "senior"))
        self.assertTrue(all(len(line) <= 120 for line in out.splitlines()))

    def test_csv_writes_years_metrics_and_loans(self):
        self.ok("project", data("project_solar.json"), "--format", "csv", "--output", self.tmp)
        self.assertEqual(sorted(os.listdir(self.tmp)), ["loan_senior_metrics.csv", "loan_senior_schedule.csv",
                                                        "metrics.csv", "years.csv"])
        self.assertEqual(self.header_of("years.csv"), ",".join(YEARS_COLUMNS))
        self.assertEqual(self.header_of("loan_senior_schedule.csv"), ",".join(SCHEDULE_COLUMNS))
        metrics = dict(self.read_csv("metrics.csv")[1:])
        self.assertEqual(metrics["power_density_w_m2"], "")  # null
        self.assertEqual(metrics["total_debt"], "2000000")

    def test_csv_writes_warnings_file(self):
        self.ok("project", data("project_hydro_low_pd.json"), "--format", "csv", "--output", self.tmp)
        with open(os.path.join(self.tmp, "warnings.txt")) as f:
            self.assertIn("ACM0002", f.read())

    def test_csv_file_names_are_sanitized_and_unique(self):
        doc = load("project_solar.json")
        loan = doc["loans"][0]
        doc["loans"] = [dict(loan, id="a/b", principal=1000000), dict(loan, id="a_b", principal=500000),
                        dict(loan, id="../x y", principal=500000)]
        self.ok("project", self.write("p.json", doc), "--format", "csv", "--output", os.path.join(self.tmp, "o"))
        names = sorted(n for n in os.listdir(os.path.join(self.tmp, "o")) if n.endswith("_schedule.csv"))
        # "a/b" -> "a_b"; "a_b" clashes -> "a_b_2" (its place); "../x y" -> "___x_y"
        self.assertEqual(names, ["loan____x_y_schedule.csv", "loan_a_b_2_schedule.csv", "loan_a_b_schedule.csv"])


# ---------------------------------------------------------------------------
# report
# ---------------------------------------------------------------------------

class ReportTests(CliTest):
    # portfolio_two_projects.json, every figure from the file:
    #   capacity 10 (solar) + 5 (hydro) = 15 MW; total_capex 5 + 10 = 15 m
    #   fund loans 2 m (solar, 5 %) + 3 m (hydro, 4 %) = 5 m committed of 10 m: 0.5
    #   weighted_cost_of_funds = (6 m x 1 % + 4 m x 6 %) / 10 m = 3 %
    #   weighted_loan_rate = (2 x 5 % + 3 x 4 %) / 5 = 4.4 %
    #   mobilization_ratio = (15 m - 5 m) / 5 m = 2
    #   reductions: solar 10,000 MWh x 0.5 = 5,000 t/yr, hydro 5 x 8760 x 0.5 =
    #   21,900 MWh x 0.5 = 10,950 t/yr, 3 operating years each: 15,000 + 32,850 = 47,850
    #   attributed (PCAF, the fund's balance at each year end / capex): solar
    #   2.1 m (2 m + 5 % IDC) repaid 0.7 m a year: 1.4 m end 2031, 0.7 m end 2032,
    #   0 end 2033: 5,000 x (1.4 + 0.7) / 5 = 2,100; hydro 3.12 m repaid 1.04 m
    #   a year: 10,950 x (2.08 + 1.04) / 10 = 3,416.4; total 5,516.4
    #   fund: 5 m disbursed in 2030; balance 2 m x 1.05 + 3 m x 1.04 = 5.22 m at its end
    # --year 2030: both projects are in construction (C = 1 from 2030), so the
    # impact table gives their expected annual figures, marked expected = 1:
    # 10,000 and 21,900 MWh, 5,000 and 10,950 tCO2e. The fund's balances at the
    # end of 2030 (above): 2.1 m of capex 5 m = 0.42 and 3.12 m of 10 m = 0.312;
    # attributed 5,000 x 0.42 + 10,950 x 0.312 = 2,100 + 3,416.4 = 5,516.4 t.
    # Without --year: 2031, the first year in which both operate.
    def test_year_option_chooses_the_impact_year(self):
        doc = self.json_of("report", data("portfolio_two_projects.json"), "--year", "2030")
        t, m = doc["impact"], doc["metrics"]
        self.assertEqual(t["project"], [1, 2])
        self.assertEqual(t["calendar_year"], [2030, 2030])
        self.assertEqual(t["expected"], [1, 1])
        for col, want in [("net_mwh", [10000, 21900]), ("reductions_tco2e", [5000, 10950]),
                          ("fund_share", [0.42, 0.312]), ("attributed_tco2e", [2100, 3416.4])]:
            for got, w in zip(t[col], want):
                self.assertAlmostEqual(got, w, delta=1e-9 * w, msg=col)
        self.assertEqual((m["impact_year"], m["impact_expected_projects"]), (2030, 2))
        self.assertAlmostEqual(m["impact_attributed_tco2e"], 5516.4, delta=1e-6)
        doc = self.json_of("report", data("portfolio_two_projects.json"))
        self.assertEqual(doc["impact"]["calendar_year"], [2031, 2031])
        self.assertEqual(doc["impact"]["expected"], [0, 0])

    def test_year_option_refuses_a_year_out_of_bounds(self):
        rc, out, err = run("report", data("portfolio_two_projects.json"), "--year", "1800")
        self.assertEqual((rc, out), (2, ""))
        self.assertEqual(err, "greenfin: --year: 1800 is below the minimum 1900 (year)\n")
        rc, out, err = run("project", data("project_solar.json"), "--year", "2030")
        self.assertEqual(rc, 2)
        self.assertIn("--year: not an option of this command", err)

    def test_json_shape_and_hand_values(self):
        doc = self.json_of("report", data("portfolio_two_projects.json"))
        # 1.1: one table per technology (CHANGELOG), after the totals.
        self.assertEqual(list(doc), ["metrics", "fund", "portfolio", "technology.solar", "technology.hydro", "impact",
                                     "warnings", "projects"])
        m = doc["metrics"]
        self.assertTrue(set(PORTFOLIO_METRICS) <= set(m), m.keys())
        self.assertTrue(set(FUND_COLUMNS) <= set(doc["fund"]))
        self.assertTable(doc["fund"], list(doc["fund"]))
        self.assertTable(doc["portfolio"], list(doc["portfolio"]))
        self.assertEqual(list(doc["projects"]), ["tiny-solar", "small-hydro"])
        for project in doc["projects"].values():
            self.assertEqual(list(project), ["metrics", "years", "warnings", "loans"])
            self.assertTable(project["years"], YEARS_COLUMNS)
        self.assertEqual(list(doc["projects"]["small-hydro"]["loans"]), ["hydro-fund", "hydro-bank"])
        for name, want in [("capacity_mw", 15), ("capacity_mw_solar", 10), ("capacity_mw_hydro", 5),
                           ("total_capex", 15e6), ("committed", 5e6), ("utilization", 0.5),
                           ("weighted_cost_of_funds", 0.03), ("weighted_loan_rate", 0.044),
                           ("mobilization_ratio", 2.0), ("lifetime_reductions_tco2e", 47850),
                           ("fund_attributed_reductions_tco2e", 5516.4), ("project_count", 2)]:
            self.assertAlmostEqual(m[name], want, delta=1e-6 * max(1, abs(want)), msg=name)
        self.assertAlmostEqual(sum(doc["fund"]["disbursements"]), 5e6, delta=1e-6)
        self.assertAlmostEqual(doc["fund"]["outstanding"][0], 5.22e6, delta=1e-6)

    def test_text_is_a_board_report(self):
        out = self.ok("report", data("portfolio_two_projects.json"), "--format", "text")
        lines = out.splitlines()
        self.assertEqual(lines[:3], ["Two-project test portfolio", "Fund: Test green fund",
                                     "Amounts in millions of USD"])
        # Values derived in the comment above, in millions where money.
        self.assertEqual(text_line(out, "Capacity"), ["Capacity", "15.0", "MW"])
        self.assertEqual(text_line(out, "Investment"), ["Investment", "(total", "capex)", "15.00", "USD", "m"])
        self.assertEqual(text_line(out, "Utilization"), ["Utilization", "of", "fund", "capital", "50.00", "%"])
        self.assertIn(["Mobilisation", "ratio", "2.00", "x"], [l.split() for l in lines])
        self.assertIn(["Weighted", "cost", "of", "funds", "3.00", "%"], [l.split() for l in lines])
        self.assertIn(["Weighted", "loan", "rate", "4.40", "%"], [l.split() for l in lines])
        self.assertIn(["margin", "over", "cost", "of", "funds", "1.40", "%", "points"], [l.split() for l in lines])
        self.assertIn(["Lifetime", "reductions", "47,850", "tCO2e"], [l.split() for l in lines])
        # One line per project: id, technology, MW, capex and fund loan in USD m;
        # year-1 reductions 5,000 and 10,950 t (derived above).
        solar, hydro = text_line(out, "tiny-solar"), text_line(out, "small-hydro")
        self.assertEqual(solar[:5], ["tiny-solar", "solar", "10.0", "5.00", "2.00"])
        self.assertEqual(solar[-1], "5,000")
        self.assertEqual(hydro[:5], ["small-hydro", "hydro", "5.0", "10.00", "3.00"])
        self.assertEqual(hydro[-1], "10,950")
        self.assertEqual(text_line(out, "2030")[:2], ["2030", "5.00"])  # 5 m disbursed in 2030
        self.assertEqual(text_line(out, "total")[1], "5.00")
        self.assertEqual(lines[-2:], ["Warnings", "  none"])
        self.assertTrue(all(len(line) <= 120 for line in lines))

    def test_text_shows_names_key_inputs_and_loan_terms(self):
        # issue 12 item 7; every value is the input file's (portfolio_two_projects.json).
        doc = load("portfolio_two_projects.json")
        doc["projects"][0]["name"] = "Tiny solar farm"
        out = self.ok("report", "-", "--format", "text", stdin=json.dumps(doc))
        section = out[out.index("\nKey inputs\n"):out.index("\nLoans")]
        rows = {l.split()[0]: l.split() for l in section.splitlines()[4:] if l.strip()}
        # tariff 250 USD/MWh, yield 1,000 kWh/kWp, the portfolio's grid ef_cm 0.5
        self.assertEqual(rows["tiny-solar"], ["tiny-solar", "Tiny", "solar", "farm", "250.00", "n/a", "1,000",
                                              "0.500", "n/a", "n/a"])
        # tariff 300, capacity factor 0.5 = 50 %
        self.assertEqual(rows["small-hydro"], ["small-hydro", "300.00", "50.00", "n/a", "0.500", "n/a", "n/a"])
        loans = out[out.index("\nLoans"):out.index("\nFund cash flows")]
        bank = [l.split() for l in loans.splitlines() if "hydro-bank" in l][0]
        # lender "commercial bank", 7 %, yearly, no grace, 3 repayments, 2 m drawn
        self.assertEqual(bank[:9], ["small-hydro", "hydro-bank", "commercial", "bank", "7.00", "1", "0", "3", "2.00"])
        self.assertIn("Fund IRR (on its net flows, after cost of funds and fees)", out)
        self.assertTrue(all(len(line) <= 120 for line in out.splitlines()))

    def test_csv_layout(self):
        self.ok("report", data("portfolio_two_projects.json"), "--format", "csv", "--output", self.tmp)
        self.assertEqual(sorted(os.listdir(self.tmp)), ["fund.csv", "impact.csv", "metrics.csv", "portfolio.csv",
                                                        "projects", "technology.hydro.csv", "technology.solar.csv"])
        self.assertEqual(sorted(os.listdir(os.path.join(self.tmp, "projects"))), ["small-hydro", "tiny-solar"])
        self.assertEqual(sorted(os.listdir(os.path.join(self.tmp, "projects", "small-hydro"))),
                         ["loan_hydro-bank_metrics.csv", "loan_hydro-bank_schedule.csv",
                          "loan_hydro-fund_metrics.csv", "loan_hydro-fund_schedule.csv", "metrics.csv",
                          "years.csv"])
        self.assertTrue(set(FUND_COLUMNS) <= set(self.header_of("fund.csv").split(",")))
        self.assertEqual(self.header_of("projects", "tiny-solar", "years.csv"), ",".join(YEARS_COLUMNS))
        metrics = dict(self.read_csv("metrics.csv")[1:])
        self.assertEqual(metrics["committed"], "5000000")  # derived above

    def test_threads_do_not_change_the_output(self):
        for path in (data("portfolio_two_projects.json"), os.path.join(EXAMPLES, "cambodia_pipeline.json")):
            one = self.ok("report", path, "--format", "json", "--threads", "1")
            two = self.ok("report", path, "--format", "json", "--threads", "2")
            every_core = self.ok("report", path, "--format", "json", "--threads=0")
            self.assertEqual(one, two)
            self.assertEqual(one, every_core)

    def test_default_file_is_the_bundled_sample(self):
        bundled = self.ok("report", "--format", "json")
        self.assertEqual(bundled, self.ok("report", os.path.join(EXAMPLES, "cambodia_pipeline.json"),
                                          "--format", "json"))
        self.assertGreater(len(json.loads(bundled)["projects"]), 0)

    def test_text_of_the_sample_fits_the_page(self):
        out = self.ok("report", "--format", "text")
        self.assertIn("Portfolio summary", out)
        self.assertTrue(all(len(line) <= 120 for line in out.splitlines()))


# ---------------------------------------------------------------------------
# bad input: exit status 2 and "greenfin: <path>: <message>"
# ---------------------------------------------------------------------------

class BadInputTests(CliTest):
    def test_malformed_json_gives_line_and_column(self):
        # Line 2 is '  "annual_rate": }': two spaces, 13 characters of key, ':'
        # at column 16, a space, and the unexpected '}' at column 18.
        path = self.write("bad.json", '{"principal": 1000,\n  "annual_rate": }\n')
        err = self.fails(2, "loan", path)
        self.assertTrue(err.startswith("greenfin: %s: line 2, column 18: " % path), err)

    def test_empty_input_is_malformed(self):
        err = self.fails(2, "loan", "-", stdin="")
        self.assertTrue(err.startswith("greenfin: standard input: line 1, column 1: "), err)

    def test_unknown_key_suggests_the_nearest(self):
        err = self.fails(2, "loan", "-", stdin='{"principal": 1000, "anual_rate": 0.05, "repayment_periods": 2}')
        self.assertEqual(err, "greenfin: anual_rate: unknown key 'anual_rate' (did you mean 'annual_rate'?)")

    def test_unknown_key_in_a_portfolio_has_its_full_path(self):
        doc = load("portfolio_two_projects.json")
        doc["projects"][1]["loans"][0]["tenor"] = 3
        err = self.fails(2, "report", "-", stdin=json.dumps(doc))
        self.assertTrue(err.startswith("greenfin: projects[1].loans[0].tenor: unknown key 'tenor'"), err)

    def test_wrong_type(self):
        err = self.fails(2, "loan", "-", stdin='{"principal": "1000", "annual_rate": 0.05, "repayment_periods": 2}')
        self.assertEqual(err, "greenfin: principal: expected a number, got a string")

    def test_wrong_choice_suggests_the_nearest(self):
        doc = load("loan_annuity_2y.json")
        doc["amortization"] = "anuity"
        err = self.fails(2, "loan", "-", stdin=json.dumps(doc))
        self.assertTrue(err.startswith("greenfin: amortization: 'anuity' is not one of"), err)
        self.assertIn("did you mean 'annuity'", err)

    def test_value_out_of_bounds_names_the_path(self):
        doc = load("portfolio_two_projects.json")
        doc["projects"][1]["loans"][0]["annual_rate"] = -0.5
        err = self.fails(2, "report", self.write("p.json", doc))
        self.assertTrue(err.startswith("greenfin: projects[1].loans[0].annual_rate: -0.5 is below the minimum 0"),
                        err)

    def test_loan_currency_without_fx_path(self):
        doc = load("portfolio_two_projects.json")
        doc["fx"] = {"EUR": [1.1]}
        doc["projects"][1]["loans"][1]["currency"] = "CNY"
        err = self.fails(2, "report", "-", stdin=json.dumps(doc))
        self.assertEqual(err, 'greenfin: projects[1].loans[1].currency: "CNY" has no fx path (fx has: "EUR")')

    def test_fx_rate_not_positive(self):
        doc = load("portfolio_two_projects.json")
        doc["fx"] = {"CNY": [0.14, 0.13, 0.12, 0]}
        err = self.fails(2, "report", "-", stdin=json.dumps(doc))
        self.assertEqual(err, "greenfin: fx.CNY[3]: 0 is not a rate: rates are finite and above 0 "
                              "(portfolio currency per unit)")

    def test_duplicate_project_ids(self):
        doc = load("portfolio_two_projects.json")
        doc["projects"][1]["id"] = "tiny-solar"
        err = self.fails(2, "report", "-", stdin=json.dumps(doc))
        self.assertTrue(err.startswith("greenfin: projects[1]"), err)
        self.assertIn("duplicate project id", err)

    def test_missing_file(self):
        missing = os.path.join(self.tmp, "nofile.json")
        self.assertEqual(self.fails(2, "loan", missing), "greenfin: %s: No such file or directory" % missing)

    def test_a_directory_is_not_a_file(self):
        self.assertEqual(self.fails(2, "project", self.tmp), "greenfin: %s: Is a directory" % self.tmp)

    def test_files_over_64_mib_are_refused_before_reading(self):
        path = os.path.join(self.tmp, "huge.json")
        with open(path, "wb") as f:
            f.truncate(64 * 1024 * 1024 + 1)  # sparse: fstat sees the size, nothing is read
        err = self.fails(2, "loan", path)
        self.assertEqual(err, "greenfin: %s: the document is 67108865 bytes, more than the 64 MiB limit" % path)

    def test_stdin_over_64_mib_is_refused(self):
        err = self.fails(2, "loan", "-", stdin=b" " * (64 * 1024 * 1024 + 1))
        self.assertEqual(err, "greenfin: standard input: the document is larger than the 64 MiB limit")

    def test_bad_discount_rate(self):
        # The library's bound on the grant element's discount rate is (-1, 10].
        err = self.fails(2, "loan", data("loan_annuity_2y.json"), "--discount-rate", "-1")
        self.assertTrue(err.startswith("greenfin: --discount-rate: "), err)
        self.assertEqual(self.fails(2, "loan", data("loan_annuity_2y.json"), "--discount-rate", "5%"),
                         "greenfin: --discount-rate: '5%' is not a number")

    def test_a_file_key_named_discount_rate_is_not_the_option(self):
        # A loan has no key discount_rate; a project's own is checked by the library.
        doc = dict(load("loan_annuity_2y.json"), discount_rate=0.05)
        err = self.fails(2, "loan", "-", "--discount-rate", "0.05", stdin=json.dumps(doc))
        self.assertTrue(err.startswith("greenfin: discount_rate: unknown key 'discount_rate'"), err)
        doc = dict(load("project_solar.json"), discount_rate=-5)
        err = self.fails(2, "project", "-", stdin=json.dumps(doc))
        self.assertTrue(err.startswith("greenfin: discount_rate: -5 "), err)

    def test_unwritable_output(self):
        blocker = self.write("file", "x")
        err = self.fails(2, "loan", data("loan_annuity_2y.json"), "--format", "csv", "--output", blocker)
        self.assertEqual(err, "greenfin: %s: Not a directory" % blocker)

    # A run that fails while writing leaves nothing in --output DIR (issue 12
    # item 11; reproducer F2): files are staged and renamed on success only.
    def test_a_file_in_the_way_of_projects_leaves_nothing_behind(self):
        self.write("projects", "")
        err = self.fails(2, "report", data("portfolio_two_projects.json"), "--format", "csv", "--output", self.tmp)
        self.assertEqual(err, "greenfin: %s: Not a directory" % os.path.join(self.tmp, "projects"))
        self.assertEqual(os.listdir(self.tmp), ["projects"])

    def test_a_full_disk_leaves_nothing_behind(self):
        # RLIMIT_FSIZE of 4 KiB with SIGXFSZ ignored: writes past it fail with
        # EFBIG, as on a full disk. The sample's JSON and text are larger; of
        # its CSV files, fund.csv fits and portfolio.csv, written next, does not.
        import resource
        import signal

        def limit():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

        for fmt, name in (("json", "report.json"), ("text", "report.txt"), ("csv", "portfolio.csv")):
            out = os.path.join(self.tmp, fmt)
            p = subprocess.run(WRAPPER + [GREENFIN, "report", "--format", fmt, "--output", out], preexec_fn=limit,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
            self.assertEqual(p.returncode, 2, fmt)
            self.assertEqual(p.stderr.decode(), "greenfin: %s: File too large\n" % os.path.join(out, name))
            self.assertEqual(os.listdir(self.tmp).count(fmt), 0, "%s: %s" % (fmt, os.listdir(out) if
                                                                             os.path.isdir(out) else ""))

    def test_no_space_on_standard_output_is_an_error(self):
        with open("/dev/full", "wb") as full:
            p = subprocess.run(WRAPPER + [GREENFIN, "report", "--format", "json"], stdin=subprocess.DEVNULL,
                               stdout=full, stderr=subprocess.PIPE, timeout=300)
        self.assertEqual((p.returncode, p.stderr.decode()),
                         (2, "greenfin: standard output: No space left on device\n"))

    def test_a_directory_where_the_file_goes_leaves_nothing_behind(self):
        os.mkdir(os.path.join(self.tmp, "report.json"))
        err = self.fails(2, "report", data("portfolio_two_projects.json"), "--output", self.tmp)
        self.assertEqual(err, "greenfin: %s: Is a directory" % os.path.join(self.tmp, "report.json"))
        self.assertEqual(os.listdir(self.tmp), ["report.json"])
        self.assertEqual(os.listdir(os.path.join(self.tmp, "report.json")), [])

    def test_a_successful_run_replaces_old_files_and_leaves_no_temporary_ones(self):
        self.write("report.json", "old")
        self.ok("report", data("portfolio_two_projects.json"), "--output", self.tmp)
        self.assertEqual(os.listdir(self.tmp), ["report.json"])
        with open(os.path.join(self.tmp, "report.json")) as f:
            self.assertEqual(list(json.load(f)["projects"]), ["tiny-solar", "small-hydro"])


# ---------------------------------------------------------------------------
# usage
# ---------------------------------------------------------------------------

class UsageTests(CliTest):
    def test_help(self):
        for args in (["--help"], ["-h"], ["help"]):
            out = self.ok(*args)
            self.assertTrue(out.startswith("usage: greenfin <command>"), out)
        for command in ("loan", "project", "report"):
            for args in ([command, "--help"], ["help", command], [command, "x.json", "--format", "json", "-h"]):
                out = self.ok(*args)
                self.assertTrue(out.startswith("usage: greenfin " + command), out)
        self.assertIn("--discount-rate", self.ok("loan", "--help"))
        self.assertIn("--threads", self.ok("report", "--help"))

    def test_help_names_files_that_exist(self):
        # Issue 12 item 18: the help cited MODEL.md (not in the repository) and a data
        # directory that exists only after `meson install`.
        out = self.ok("--help")
        self.assertNotIn("MODEL.md", out)
        self.assertIn("docs/model.md", out)
        self.assertTrue(os.path.exists(os.path.join(HERE, "..", "..", "docs", "model.md")))
        for command in ("loan", "project"):
            self.assertNotIn("MODEL.md", self.ok(command, "--help"))
        # In the build tree the sample lies next to the command: the help gives that path.
        line = [l for l in out.splitlines() if l.startswith("The bundled sample portfolio")][0]
        self.assertTrue(line.startswith("The bundled sample portfolio: "), line)
        self.assertTrue(os.path.isfile(line.split(": ", 1)[1]), line)
        # A copy of the command without data/ beside it and without an installed sample
        # says so instead of citing a directory that is not there.
        copy = os.path.join(self.tmp, "greenfin")
        with open(GREENFIN, "rb") as src, open(copy, "wb") as dst:
            dst.write(src.read())
        os.chmod(copy, 0o755)
        p = subprocess.run(WRAPPER + [copy, "--help"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        text = p.stdout.decode()
        self.assertEqual(p.returncode, 0)
        tail = text[text.index("The bundled sample portfolio"):]
        if tail.startswith("The bundled sample portfolio: "):  # installed on this machine
            self.assertTrue(os.path.isfile(tail.split(": ", 1)[1].splitlines()[0]))
        else:
            self.assertIn("is not installed ('meson install' puts it", tail)

    def test_version(self):
        out = self.ok("--version")
        self.assertRegex(out, r"^greenfin \d+\.\d+\.\d+\n$")
        if os.environ.get("GFIN_VERSION"):
            self.assertEqual(out, "greenfin %s\n" % os.environ["GFIN_VERSION"])

    def test_usage_errors_exit_2_with_a_hint(self):
        cases = [
            ([], "greenfin: no command given (try 'greenfin --help')"),
            (["frobnicate"], "greenfin: frobnicate: is not a command (try 'greenfin --help')"),
            (["--bogus"], "greenfin: --bogus: unknown option (try 'greenfin --help')"),
            (["loan", data("loan_annuity_2y.json"), "--bogus"],
             "greenfin: --bogus: unknown option (try 'greenfin loan --help')"),
            (["loan"], "greenfin: loan: a FILE (or - for standard input) is required (try 'greenfin loan --help')"),
            (["loan", "a.json", "b.json"],
             "greenfin: b.json: unexpected argument (one FILE only) (try 'greenfin loan --help')"),
            (["project", data("project_solar.json"), "--discount-rate", "0.05"],
             "greenfin: --discount-rate: not an option of this command (try 'greenfin project --help')"),
            (["loan", data("loan_annuity_2y.json"), "--threads", "2"],
             "greenfin: --threads: not an option of this command (try 'greenfin loan --help')"),
            (["loan", data("loan_annuity_2y.json"), "--format"],
             "greenfin: --format: needs a value (try 'greenfin loan --help')"),
            (["loan", data("loan_annuity_2y.json"), "--format", "xml"],
             "greenfin: --format: 'xml' is not one of text, json, csv, xlsx"),
            (["loan", data("loan_annuity_2y.json"), "--format", "csv"],
             "greenfin: --format csv: needs --output DIR (try 'greenfin loan --help')"),
            (["report", "--threads", "x"], "greenfin: --threads: 'x' is not a whole number"),
            (["report", "--threads", "1.5"], "greenfin: --threads: '1.5' is not a whole number"),
            (["report", "--threads", "-1"], "greenfin: --threads: -1 is below the minimum 0 (0: one per core)"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                self.assertEqual(self.fails(2, *args), message)

    def test_double_dash_ends_options(self):
        # A file named like an option, after "--".
        path = os.path.join(self.tmp, "--odd.json")
        with open(data("loan_annuity_2y.json")) as src, open(path, "w") as dst:
            dst.write(src.read())
        os.chdir(self.tmp)
        try:
            doc = json.loads(self.ok("loan", "--format", "json", "--", "--odd.json"))
        finally:
            os.chdir(HERE)
        self.assertEqual(list(doc), ["metrics", "schedule"])


# ---------------------------------------------------------------------------
# solve (goal seek)
# ---------------------------------------------------------------------------

class SolveTests(CliTest):
    # project_breakeven.json: 30,000 MWh a year (10 MW x 8760 x 0.3424657534246575),
    # no tax, no carbon price, no debt; capex K = 45 m over 2 construction years
    # (40 %, 60 %); 20 operating years; tariff escalating g = 2 %; opex
    # (900,000 + 3 x 30,000) escalating e = 2.5 %; discount rate d = 8 %.
    # npv = sum_y project_flow_y / (1+d)^y is linear in the tariff T:
    #   NPV(T) = -K (0.4/(1+d) + 0.6/(1+d)^2) + T E S(1+g) - (F + vE) S(1+e),
    #   S(q) = sum_{j=1..20} q^(j-1) / (1+d)^(2+j)
    #        = (1+d)^-3 (1 - (q/(1+d))^20) / (1 - q/(1+d)),
    # zero at T* = [K (0.4/(1+d) + 0.6/(1+d)^2) + (F + vE) S(1+e)] / (E S(1+g)).
    @staticmethod
    def breakeven():
        d, E = 0.08, 30000.0

        def S(q):
            x = q / (1 + d)
            return (1 + d) ** -3 * (1 - x ** 20) / (1 - x)
        pv_capex = 45e6 * (0.4 / (1 + d) + 0.6 / (1 + d) ** 2)
        return (pv_capex + (900000 + 3 * E) * S(1.025)) / (E * S(1.02))

    def test_breakeven_tariff_of_a_project_file(self):
        doc = self.json_of("solve", data("project_breakeven.json"), "--vary", "tariff_per_mwh", "--target", "npv=0")
        self.assertEqual(list(doc), ["solve", "metrics", "years", "warnings", "loans"])
        s = doc["solve"]
        self.assertEqual([s[k] for k in ("key", "metric", "target")], ["tariff_per_mwh", "npv", 0])
        self.assertAlmostEqual(s["value"], self.breakeven(), delta=1e-9 * self.breakeven())
        self.assertLess(abs(s["reached"]), 1e-3)
        self.assertEqual(doc["metrics"]["npv"], s["reached"])
        self.assertGreaterEqual(s["iterations"], 1)
        # Text and CSV carry the same.
        out = self.ok("solve", data("project_breakeven.json"), "--vary", "tariff_per_mwh", "--target", "npv=0",
                      "--format", "text")
        self.assertEqual(text_line(out, "tariff_per_mwh")[0:1], ["tariff_per_mwh"])
        self.assertAlmostEqual(float(text_line(out, "tariff_per_mwh")[1]), self.breakeven(), places=5)
        self.ok("solve", data("project_breakeven.json"), "--vary", "tariff_per_mwh", "--target", "npv=0",
                "--format", "csv", "--output", self.tmp)
        rows = self.read_csv("solve.csv")
        self.assertEqual(rows[0], ["key", "project", "loan", "value", "metric", "target", "reached", "iterations"])
        self.assertEqual(float(rows[1][3]), s["value"])
        self.assertTrue(os.path.exists(os.path.join(self.tmp, "years.csv")))

    # portfolio_two_projects.json, tiny-solar: 10 MW x 1000 kWh/kWp = 10,000 MWh
    # a year, 3 operating years, capex 5 m in year 1, opex 50,000, d = 8 %, no
    # tax; npv (unlevered) = -5e6/1.08 + (10,000 T - 50,000) A, A = sum_{j=1..3}
    # 1.08^-(1+j), zero at T* = (5e6/1.08 + 50,000 A) / (10,000 A).
    def test_project_key_in_a_portfolio(self):
        doc = self.json_of("solve", data("portfolio_two_projects.json"), "--vary", "tariff_per_mwh",
                           "--project", "tiny-solar", "--target", "npv=0")
        self.assertEqual(list(doc)[:2], ["solve", "metrics"])
        self.assertIn("projects", doc)
        a = sum(1.08 ** -(1 + j) for j in (1, 2, 3))
        want = (5e6 / 1.08 + 50000 * a) / (10000 * a)
        self.assertAlmostEqual(doc["solve"]["value"], want, delta=1e-9 * want)
        self.assertEqual(doc["solve"]["project"], "tiny-solar")
        self.assertLess(abs(doc["projects"]["tiny-solar"]["metrics"]["npv"]), 1e-3)
        # The other project is untouched: its tariff is still the file's.
        base = self.json_of("report", data("portfolio_two_projects.json"))
        self.assertEqual(doc["projects"]["small-hydro"]["metrics"], base["projects"]["small-hydro"]["metrics"])

    def test_principal_for_min_dscr_evaluates_back(self):
        doc = self.json_of("solve", data("portfolio_two_projects.json"), "--vary", "principal", "--project",
                           "small-hydro", "--loan", "hydro-bank", "--target", "min_dscr=1.3")
        principal = doc["solve"]["value"]
        # The file with that principal, evaluated by `greenfin report`.
        pf = load("portfolio_two_projects.json")
        pf["projects"][1]["loans"][1]["principal"] = principal
        back = self.json_of("report", self.write("back.json", pf))
        self.assertLess(abs(back["projects"]["small-hydro"]["metrics"]["min_dscr"] - 1.3), 1e-9)

    def test_no_root_and_no_response_exit_1_with_the_range(self):
        err = self.fails(1, "solve", data("project_breakeven.json"), "--vary", "capacity_factor",
                         "--target", "npv=1e12")
        self.assertTrue(err.startswith("greenfin: npv: ranges over [") and "never reaches the target 1e+12" in err
                        and "(its bounds (0, 1])" in err, err)
        err = self.fails(1, "solve", data("project_breakeven.json"), "--vary", "ef_cm", "--target", "npv=0")
        self.assertIn("greenfin: npv: does not respond to ef_cm", err)

    def test_bad_usage_exits_2(self):
        f = data("project_breakeven.json")
        pf = data("portfolio_two_projects.json")
        cases = [
            ((f, "--vary", "tariff_per_mwh"), "greenfin: --target: is required"),
            ((f, "--target", "npv=0"), "greenfin: --vary: is required"),
            ((f, "--vary", "tariff_per_mwh", "--target", "npv"), "greenfin: --target: 'npv' is not METRIC=VALUE"),
            ((f, "--vary", "tariff_per_mwh", "--target", "nvp=0"), "greenfin: --target: 'nvp' is not a metric"),
            ((f, "--vary", "tariff_per_mwh", "--target", "npv=x"), "greenfin: --target: 'x' is not a number"),
            ((f, "--vary", "tarif", "--target", "npv=0"), "greenfin: --vary: 'tarif' is not a key"),
            ((f, "--vary", "operating_years", "--target", "npv=0"),
             "greenfin: --vary: operating_years is an integer key"),
            ((f, "--vary", "annual_rate", "--target", "npv=0"),
             "greenfin: --vary: 'annual_rate' is a key of several objects: write loan.annual_rate or "
             "debt_sizing.annual_rate"),
            ((f, "--vary", "tariff_per_mwh", "--target", "npv=0", "--scope", "portfolio"),
             "greenfin: --scope: \"portfolio\" is not the project's id"),
            ((pf, "--vary", "tariff_per_mwh", "--target", "npv=0"),
             "greenfin: --project: the portfolio has 2 projects"),
            ((pf, "--vary", "tariff_per_mwh", "--project", "nope", "--target", "npv=0"),
             "greenfin: --project: the portfolio has no project \"nope\""),
            ((pf, "--vary", "principal", "--project", "small-hydro", "--target", "min_dscr=1.3"),
             "greenfin: --loan: project \"small-hydro\" has 2 loans"),
            ((pf, "--vary", "tariff_per_mwh", "--project", "tiny-solar", "--target", "npv=0", "--scope", "x"),
             "greenfin: --scope: \"x\" is neither \"portfolio\" nor a project's id"),
            ((f, "--vary", "tariff_per_mwh", "--vary", "capex", "--target", "npv=0"),
             "greenfin: --vary: given twice"),
        ]
        for args, want in cases:
            err = self.fails(2, "solve", *args)
            self.assertTrue(err.startswith(want), "%s:\n%s" % (args, err))
        # Solve's options belong to solve.
        self.assertIn("--vary: not an option of this command", self.fails(2, "project", f, "--vary", "capex"))


# ---------------------------------------------------------------------------
# the lender's structures: reserve account, lock-up (docs/model.md 6.4)
# ---------------------------------------------------------------------------

class LenderTests(CliTest):
    def test_bad_values_exit_2_with_their_path(self):
        cases = [
            ({"dsra_months": -1}, "greenfin: projects[1].dsra_months: -1 is below the minimum 0 (months)"),
            ({"dsra_months": 30}, "greenfin: projects[1].dsra_months: 30 is above the maximum 24 (months)"),
            ({"dsra_rate": 2}, "greenfin: projects[1].dsra_rate: 2 is above the maximum 1 (fraction/year)"),
            ({"lockup_dscr": 0}, "greenfin: projects[1].lockup_dscr: 0 must be greater than 0 (ratio)"),
            ({"lockup_release_years": 1.5}, "greenfin: projects[1].lockup_release_years: 1.5 is not a whole number"),
            ({"lockup_release_years": 0}, "greenfin: projects[1].lockup_release_years: 0 is below the minimum 1"),
            ({"dsra_month": 6}, "greenfin: projects[1].dsra_month: unknown key 'dsra_month' (did you mean "
                                "'dsra_months'?)"),
            # the cash sweep and the reserve drawn on a loan (docs/model.md 6.5)
            ({"cash_sweep": -0.1}, "greenfin: projects[1].cash_sweep: -0.1 is below the minimum 0 (fraction)"),
            ({"cash_sweep": 1.5}, "greenfin: projects[1].cash_sweep: 1.5 is above the maximum 1 (fraction)"),
            ({"cash_sweep": "half"}, "greenfin: projects[1].cash_sweep: expected a number, got a string"),
            ({"cash_sweep": 0.5}, "greenfin: projects[1].cash_sweep: 0.5 of the cash is swept, but no loan of the "
                                  "project has swept \"yes\""),
            ({"dsra_funding": 3}, "greenfin: projects[1].dsra_funding: expected a string, got a number"),
            ({"dsra_funding": "nope"}, "greenfin: projects[1].dsra_funding: \"nope\" is neither \"equity\" nor the "
                                       "id of one of the project's loans (\"hydro-fund\", \"hydro-bank\")"),
            ({"loans.0.swept": "maybe"}, "greenfin: projects[1].loans[0].swept: 'maybe' is not one of"),
            ({"loans.0.swept": True}, "greenfin: projects[1].loans[0].swept: expected one of"),
            ({"loans.1.currency": "EUR", "loans.1.swept": "yes", "fx": {"EUR": [1.1]}},
             "greenfin: projects[1].loans[1].swept: the loan is in EUR: only a loan in the portfolio's currency "
             "can be swept"),
            ({"loans.1.currency": "EUR", "dsra_funding": "hydro-bank", "fx": {"EUR": [1.1]}},
             "greenfin: projects[1].dsra_funding: loan \"hydro-bank\" is in EUR: only a loan in the portfolio's "
             "currency can draw the reserve"),
        ]
        for extra, want in cases:
            pf = load("portfolio_two_projects.json")
            for key, value in extra.items():
                if key == "fx":
                    pf["fx"] = value
                elif key.startswith("loans."):  # loans.<i>.<key>
                    _, i, name = key.split(".")
                    pf["projects"][1]["loans"][int(i)][name] = value
                else:
                    pf["projects"][1][key] = value
            err = self.fails(2, "report", self.write("bad.json", pf))
            self.assertTrue(err.startswith(want), "%s:\n%s" % (extra, err))

    # small-hydro: 5 MW x 8760 x 0.5 = 21,900 MWh at 300: CFADS 6.57 m a year
    # (no opex, no tax); loans repaid in its 3 operating years (2031-2033). A
    # 6-month reserve is funded at the end of 2030 with half of 2031's debt
    # service, and released whole in 2033 (no debt service follows); nothing
    # falls short, so the reserve only moves cash: the equity's total over the
    # years is the same with it and without it.
    def test_reserve_moves_cash_but_not_its_total(self):
        base = self.json_of("report", data("portfolio_two_projects.json"))["projects"]["small-hydro"]
        pf = load("portfolio_two_projects.json")
        pf["projects"][1]["dsra_months"] = 6
        doc = self.json_of("report", self.write("dsra.json", pf))["projects"]["small-hydro"]
        y = doc["years"]
        ds = base["years"]["debt_service"]
        self.assertAlmostEqual(y["dsra_topup"][0], 0.5 * ds[1], delta=1e-6)
        self.assertEqual(y["dsra_balance"][-1], 0)
        self.assertAlmostEqual(sum(y["equity_flow_after_reserves"]), sum(base["years"]["equity_flow"]), delta=1e-6)
        self.assertEqual(y["equity_flow"], base["years"]["equity_flow"])
        self.assertEqual(doc["metrics"]["lockup_years"], 0)
        self.assertNotIn("dsra_balance", base["years"])
        self.assertNotIn("equity_irr_after_reserves", base["metrics"])

    # The sweep through the command (docs/model.md 6.5): the prepayments are in
    # the swept loans' schedules (JSON and CSV), the years' cash_sweep is their
    # sum, the fund's principal_received counts them, and the balances they
    # leave reach 0 sooner than the schedules without a sweep.
    def test_prepayments_reach_the_schedules_and_the_fund(self):
        base = self.json_of("report", data("portfolio_two_projects.json"))
        pf = load("portfolio_two_projects.json")
        pf["projects"][1]["cash_sweep"] = 0.5
        for loan in pf["projects"][1]["loans"]:
            loan["swept"] = "yes"
        path = self.write("sweep.json", pf)
        doc = self.json_of("report", path)
        p, p0 = doc["projects"]["small-hydro"], base["projects"]["small-hydro"]
        prepaid = {lid: l["schedule"]["prepayment"] for lid, l in p["loans"].items()}
        self.assertGreater(sum(sum(v) for v in prepaid.values()), 0)
        self.assertAlmostEqual(sum(p["years"]["cash_sweep"]), sum(sum(v) for v in prepaid.values()), delta=1e-6)
        for lid, l in p["loans"].items():
            last = max(k for k, b in enumerate(l["schedule"]["closing_balance"]) if b > 0)
            last0 = max(k for k, b in enumerate(p0["loans"][lid]["schedule"]["closing_balance"]) if b > 0)
            self.assertLessEqual(last, last0, lid)
        fund_loan = p["loans"]["hydro-fund"]["schedule"]
        received = sum(doc["fund"]["principal_received"]) - sum(base["fund"]["principal_received"])
        self.assertAlmostEqual(received, sum(fund_loan["principal"]) + sum(fund_loan["prepayment"])
                               - sum(p0["loans"]["hydro-fund"]["schedule"]["principal"]), delta=1e-6)
        out = os.path.join(self.tmp, "csv")
        self.ok("report", path, "--format", "csv", "--output", out)
        with open(os.path.join(out, "projects", "small-hydro", "loan_hydro-fund_schedule.csv"), encoding="utf-8") as f:
            self.assertIn("prepayment", f.readline())


def main():
    global GREENFIN
    if len(sys.argv) < 2:
        sys.exit("usage: test_cli.py GREENFIN [unittest arguments]")
    GREENFIN = os.path.abspath(sys.argv[1])
    unittest.main(argv=[sys.argv[0]] + sys.argv[2:], verbosity=2)


if __name__ == "__main__":
    main()
