"""Tables: zero-copy read-only numpy views that keep their memory alive,
conversions, and the list fallback without numpy."""
import csv
import gc
import io
import json
import os
import subprocess
import sys
import weakref

import pytest

import greenfin

LOAN = dict(principal=1e6, annual_rate=0.06, frequency=12, repayment_periods=240)


def test_columns_are_zero_copy_read_only_views():
    np = pytest.importorskip("numpy")
    t = greenfin.Loan(**LOAN).schedule()
    a = t["interest"]
    assert isinstance(a, np.ndarray) and a.dtype == np.float64 and a.shape == (240,)
    # The array's data pointer is the C column's.
    assert a.__array_interface__["data"][0] == t.column_address("interest")
    assert np.shares_memory(a, t["interest"])
    assert not np.shares_memory(a, t["principal"])
    assert not a.flags.writeable
    with pytest.raises(ValueError):
        a[0] = 1.0
    with pytest.raises(ValueError):
        a.flags.writeable = True
    # First month's interest: 1e6 x 0.06 / 12.
    assert a[0] == pytest.approx(5000, rel=1e-15)


def test_view_survives_del_of_the_table_and_the_result():
    np = pytest.importorskip("numpy")
    r = greenfin.Loan(**LOAN).evaluate()
    t = r.schedule
    a = t["closing_balance"]
    want = a.copy()
    owner = weakref.ref(a.base.owner)  # the C result's handle
    del t, r
    gc.collect()
    junk = [greenfin.Loan(**LOAN).schedule() for _ in range(50)]  # reuse freed memory, if any was
    assert owner() is not None
    assert np.array_equal(a, want)
    assert a[-1] == 0
    del junk, a
    gc.collect()
    assert owner() is None  # the last view gone: the C result is freed


def test_view_of_an_owned_table_survives_close():
    np = pytest.importorskip("numpy")
    t = greenfin.Loan(**LOAN).schedule()
    a = t["debt_service"]
    want = a.copy()
    t.close()
    with pytest.raises(ValueError, match="closed"):
        t["debt_service"]
    gc.collect()
    assert np.array_equal(a, want)


def test_result_close_while_views_exist_is_safe():
    pytest.importorskip("numpy")
    with greenfin.Loan(**LOAN).evaluate() as r:
        a = r.schedule["principal"]
        s = float(a.sum())
    gc.collect()
    assert float(a.sum()) == s == pytest.approx(1e6, rel=1e-12)  # all principal repaid


def test_table_keeps_its_result_alive():
    r = greenfin.Loan(**LOAN).evaluate()
    t = r.schedule
    owner = weakref.ref(t._owner)
    del r
    gc.collect()
    assert owner() is not None and len(t) == 240 and t["period"][239] == 240
    del t
    gc.collect()
    assert owner() is None


def test_child_results_keep_the_portfolio_alive():
    here = os.path.dirname(__file__)
    r = greenfin.Portfolio.from_file(os.path.join(here, "data", "small_portfolio.json")).evaluate()
    loan = r.projects["solar-a"].loans["a-fund"]
    del r
    gc.collect()
    assert loan.metrics["total_drawn"] == 4e6
    assert len(loan.schedule) == 11


def test_protocol_and_errors():
    t = greenfin.Loan(**LOAN).schedule()
    assert len(t) == 240 and t.shape == (240, len(t.columns))
    assert t.columns[:3] == ["period", "time_years", "opening_balance"]
    assert "interest" in t and "date" not in t
    assert list(t) == t.columns
    with pytest.raises(KeyError, match="no column 'intrest'"):
        t["intrest"]
    with pytest.raises(TypeError):
        t[0]
    assert t.kind("period") == "integer" and t.kind("interest") == "number"
    assert "240 rows" in repr(t)


def test_to_dict_csv_json():
    loan = greenfin.Loan(**dict(LOAN, repayment_periods=3, start_date="2025-01-15", day_count="ACT/365F"))
    t = loan.schedule()
    d = t.to_dict()
    assert d["period"] == [1, 2, 3] and all(isinstance(x, int) for x in d["period"])
    text = t.to_csv()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == t.columns and len(rows) == 4
    assert rows[1][t.columns.index("date")] == "2025-02-15"
    # Numbers round-trip (17 significant digits where needed).
    assert float(rows[1][t.columns.index("interest")]) == d["interest"][0]
    # JSON numbers come from cJSON, whose printer accepts 15 digits within one
    # DBL_EPSILON: equal to the last bit or so (CSV above is exact).
    assert json.loads(t.to_json())["interest"] == pytest.approx(d["interest"], rel=2.3e-16, abs=0)


def test_to_csv_writes_a_file(tmp_path):
    t = greenfin.Loan(**LOAN).schedule()
    path = tmp_path / "schedule.csv"
    assert t.to_csv(path) is None
    assert path.read_text(encoding="utf-8") == t.to_csv()


def test_to_pandas_matches_the_columns():
    pd = pytest.importorskip("pandas")
    np = pytest.importorskip("numpy")
    t = greenfin.Loan(**LOAN).schedule()
    df = t.to_pandas()
    assert isinstance(df, pd.DataFrame) and list(df.columns) == t.columns and len(df) == 240
    assert np.array_equal(df["interest"].to_numpy(), t["interest"])
    assert not np.shares_memory(df["interest"].to_numpy(), t["interest"])  # a copy


def test_without_numpy_columns_are_lists():
    script = (
        "import sys; sys.modules['numpy'] = None\n"
        "import greenfin\n"
        "t = greenfin.Loan(principal=1200, annual_rate=0.0, repayment_periods=12, amortization='linear').schedule()\n"
        "col = t['principal']\n"
        "assert isinstance(col, list) and col == [100.0] * 12, col\n"
        "assert greenfin.pmt(0.0, 12, 1200) == -100.0\n"
        "try:\n"
        "    greenfin.pmt([0.01, 0.02], 12, 1200)\n"
        "    raise SystemExit('arrays accepted without numpy')\n"
        "except TypeError as e:\n"
        "    assert 'numpy' in str(e), e\n"
        "try:\n"
        "    t.to_pandas()\n"
        "except ImportError:\n"
        "    pass\n"
        "print('ok')\n")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.dirname(os.path.dirname(greenfin.__file__)) + os.pathsep + env.get("PYTHONPATH", "")
    p = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert p.returncode == 0 and "ok" in p.stdout, p.stdout + p.stderr
