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
    assert p.returncode == 0, p.stderr
    assert "fund IRR" in p.stdout and "lifetime reductions" in p.stdout
    if importlib.util.find_spec("matplotlib") is None:
        assert "no charts" in p.stdout
        return
    for name in ("fund_cash_flow.png", "cumulative_reductions.png"):
        data = (tmp_path / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10000


def test_portfolio_report_reports_bad_input(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "greenfin/1", "name": 1')
    p = _run(os.path.join(EXAMPLES, "portfolio_report.py"), str(bad), "--no-charts")
    assert p.returncode == 2 and "portfolio_report:" in p.stderr and "line 1" in p.stderr
