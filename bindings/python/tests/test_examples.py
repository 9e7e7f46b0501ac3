"""The Python examples run and produce what they say (charts only with
matplotlib); the PNGs go to a temporary directory."""
import importlib.util
import os
import subprocess
import sys

import pytest

import greenfin
from conftest import ROOT, SAMPLE_PORTFOLIO, HERE_DATA

EXAMPLES = os.path.join(ROOT, "examples", "python")


def _run(*args, cwd=None):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.dirname(os.path.dirname(greenfin.__file__)) + os.pathsep + env.get("PYTHONPATH", "")
    env["MPLBACKEND"] = "Agg"
    return subprocess.run([sys.executable] + list(args), env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def test_loan_schedule_example(tmp_path):
    csv = tmp_path / "schedule.csv"
    p = _run(os.path.join(EXAMPLES, "loan_schedule.py"), "--csv", str(csv))
    assert p.returncode == 0, p.stderr
    assert "Grant element at  5 %" in p.stdout and "total_interest" in p.stdout
    assert csv.read_text().startswith("period,time_years,")


@pytest.mark.parametrize("portfolio", [SAMPLE_PORTFOLIO, os.path.join(HERE_DATA, "small_portfolio.json")],
                         ids=["sample", "small"])
def test_portfolio_report_example(tmp_path, portfolio):
    if not os.path.exists(portfolio):
        pytest.skip("%s is missing" % portfolio)
    p = _run(os.path.join(EXAMPLES, "portfolio_report.py"), portfolio, "--output-dir", str(tmp_path))
    if importlib.util.find_spec("matplotlib") is None or importlib.util.find_spec("numpy") is None:
        # Issue 12 item 15: an example that cannot do its job says so and fails.
        assert p.returncode == 1 and "cannot draw the charts" in p.stderr, (p.returncode, p.stderr)
        return
    assert p.returncode == 0, p.stderr
    assert "fund IRR" in p.stdout and "lifetime reductions" in p.stdout
    for name in ("fund_cash_flow.png", "cumulative_reductions.png"):
        data = (tmp_path / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10000


def test_portfolio_report_reports_bad_input(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "greenfin/1", "name": 1')
    p = _run(os.path.join(EXAMPLES, "portfolio_report.py"), str(bad), "--no-charts")
    assert p.returncode == 2 and "portfolio_report:" in p.stderr and "line 1" in p.stderr


def test_portfolio_report_without_matplotlib_fails_with_the_reason(tmp_path):
    # find_spec answering None for matplotlib stands in for a machine without it: the
    # example must not print a note and exit 0 (issue 12 item 15).
    script = ("import importlib.util, sys; real = importlib.util.find_spec\n"
              "importlib.util.find_spec = lambda n, *a: None if n == 'matplotlib' else real(n, *a)\n"
              "sys.argv = sys.argv[1:]; import runpy; runpy.run_path(sys.argv[0], run_name='__main__')\n")
    p = _run("-c", script, os.path.join(EXAMPLES, "portfolio_report.py"), "--output-dir", str(tmp_path))
    assert p.returncode == 1, (p.returncode, p.stdout, p.stderr)
    assert "matplotlib not installed: cannot draw the charts" in p.stderr
    assert not list(tmp_path.glob("*.png"))
    p = _run("-c", script, os.path.join(EXAMPLES, "portfolio_report.py"), "--no-charts")
    assert p.returncode == 0 and "fund IRR" in p.stdout, p.stderr


@pytest.mark.skipif(not greenfin._lib.has("gfin_risk_run"), reason="no risk engine in this libgreenfin")
def test_risk_report_example(tmp_path):
    p = _run(os.path.join(EXAMPLES, "risk_report.py"), SAMPLE_PORTFOLIO, "--scenarios", "200",
             "--output-dir", str(tmp_path))
    if any(importlib.util.find_spec(m) is None for m in ("matplotlib", "numpy", "pandas")):
        assert p.returncode == 1 and "cannot draw the charts" in p.stderr, (p.returncode, p.stderr)
        return
    assert p.returncode == 0, p.stderr
    # the experiment is the file's risk object, else the example's own: no case names assumed
    assert "Risk: 200 scenarios" in p.stdout and "fund IRR: q10" in p.stdout and "Cases (difference" in p.stdout
    names = ["fund_irr", "min_dscr"] + (["tornado"] if "tornado.png" in p.stdout else [])  # with sensitivity
    for name in names:
        assert (tmp_path / (name + ".png")).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert b"<svg" in (tmp_path / (name + ".svg")).read_bytes()[:2000]
    p = _run(os.path.join(EXAMPLES, "risk_report.py"), "--scenarios", "50", "--no-charts")
    assert p.returncode == 0 and "Risk: 50 scenarios" in p.stdout, p.stderr
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "greenfin/1"')
    p = _run(os.path.join(EXAMPLES, "risk_report.py"), str(bad), "--no-charts")
    assert p.returncode == 2 and "risk_report:" in p.stderr
