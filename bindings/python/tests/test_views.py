"""Portfolio.projects and Portfolio.fund are read-only live views (issue 13
item 6: no silent copies), and date columns are numpy datetime64[D].

Before, Portfolio.projects handed out copies: p.set(capex=...) on one changed
nothing in the portfolio, silently. A view reads the project inside the
portfolio, refuses set() and add_loan() with ValueError, and keeps the
portfolio's memory alive (also after the portfolio is closed).
"""
import datetime
import gc

import pytest

import greenfin
from conftest import SAMPLE_PORTFOLIO

np = pytest.importorskip("numpy")


def _small_portfolio():
    return greenfin.Portfolio(
        name="views", start_year=2027, discount_rate=0.08, grid={"ef_cm": 0.6},
        projects=[dict(id="a", technology="solar", capacity_mw=10, capacity_factor=0.2, capex=9e6,
                       tariff_per_mwh=60),
                  dict(id="b", technology="solar", capacity_mw=20, capacity_factor=0.2, capex=18e6,
                       tariff_per_mwh=60)])


def test_projects_are_read_only_views():
    pf = _small_portfolio()
    a, b = pf.projects
    assert a.read_only and not a.copy().read_only
    assert (a.get("id"), b.get("capex")) == ("a", 18e6)
    with pytest.raises(ValueError, match="read-only view"):
        a.set(capex=1.0)
    with pytest.raises(ValueError, match="read-only view"):
        a.add_loan({"principal": 1e6, "annual_rate": 0.05, "repayment_periods": 12})
    assert pf.projects[0].get("capex") == 9e6      # unchanged: nothing was set anywhere


def test_a_view_is_live_and_its_copy_is_not():
    pf = _small_portfolio()
    view = pf.projects[1]
    mine = view.copy()
    mine.set(id="c", capex=1.0)
    pf.add_project(mine)
    assert pf.project_count == 3 and view.get("id") == "b"   # the view still reads project 1
    assert [p.get("id") for p in pf.projects] == ["a", "b", "c"]
    # A view evaluates like the project it shows (here against its own copy).
    assert view.get("capacity_mw") == mine.get("capacity_mw") == 20


def test_a_view_added_to_its_own_portfolio_is_copied_first():
    pf = _small_portfolio()
    with pytest.raises(greenfin.InvalidInput, match="duplicate project id"):
        pf.add_project(pf.projects[0])   # ids must be unique: refused, and no deadlock
    p = pf.projects[0].copy()
    p.set(id="a2")
    pf.add_project(p)
    assert pf.project_count == 3


def test_views_keep_the_portfolio_alive_after_close():
    pf = greenfin.Portfolio.from_file(SAMPLE_PORTFOLIO)
    views = pf.projects
    fund = pf.fund
    ids = [v.get("id") for v in views]
    pf.close()
    with pytest.raises(ValueError, match="closed greenfin.Portfolio"):
        pf.projects
    del pf
    gc.collect()
    assert [v.get("id") for v in views] == ids          # still readable: the memory is theirs too
    assert fund.get("name") and fund.read_only
    with pytest.raises(ValueError, match="read-only view"):
        fund.set(management_fee=0.0)
    views[0].close()
    with pytest.raises(ValueError, match="closed greenfin.Project"):
        views[0].get("id")
    assert views[1].get("id") == ids[1]


def test_fund_view_follows_set_fund():
    pf = _small_portfolio()
    assert pf.fund is None
    pf.set_fund(greenfin.Fund(name="first"))
    fund = pf.fund
    assert fund.get("name") == "first"
    pf.set_fund(greenfin.Fund(name="second"))
    assert fund.get("name") == "second"


def test_date_columns_are_datetime64():
    # The schedule of a monthly loan dated 2025-01-31 under 30/360: MODEL.md's
    # rule clips the day to the month's last day (28 Feb, 31 Mar, 30 Apr).
    t = greenfin.Loan(principal=1e6, annual_rate=0.06, repayment_periods=3, start_date="2025-01-31",
                      day_count="30/360").schedule()
    d = t["date"]
    assert d.dtype == np.dtype("datetime64[D]")
    assert list(d) == [np.datetime64("2025-02-28"), np.datetime64("2025-03-31"), np.datetime64("2025-04-30")]
    assert d[0].astype(datetime.date) == datetime.date(2025, 2, 28)
    # Number columns stay zero-copy float64 views.
    assert t["interest"].dtype == np.float64 and not t["interest"].flags.writeable


def test_a_date_without_value_is_nat():
    from greenfin.table import _dates
    got = _dates(np.array([0.0, float("nan"), 365.0]))
    assert got[0] == np.datetime64("1970-01-01") and np.isnat(got[1]) and got[2] == np.datetime64("1971-01-01")
