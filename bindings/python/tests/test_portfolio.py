"""Portfolios through Python: a two-project portfolio of our own (figures by
hand), the same built by keyword, and the bundled Cambodian sample."""
import json
import os

import pytest

import greenfin
from conftest import HERE_DATA, SAMPLE_PORTFOLIO

SMALL = os.path.join(HERE_DATA, "small_portfolio.json")


def test_small_portfolio_by_hand():
    r = greenfin.Portfolio.from_file(SMALL).evaluate()
    assert isinstance(r, greenfin.PortfolioResult)
    m = r.metrics
    assert m["project_count"] == 2
    assert m["capacity_mw"] == 30 and m["capacity_mw_solar"] == 10 and m["capacity_mw_hydro"] == 20
    assert m["total_capex"] == 46.5e6
    # The fund lends 4 m (solar-a's loan) out of 10 m of capital.
    assert m["committed"] == 4e6 and m["utilization"] == pytest.approx(0.4, rel=1e-15)
    # Cost of funds: (6 m x 1 % + 4 m x 0 %) / 10 m.
    assert m["weighted_cost_of_funds"] == pytest.approx(0.006, rel=1e-15)
    assert m["weighted_loan_rate"] == pytest.approx(0.05, rel=1e-15)
    # Mobilization counts only the projects the fund lends to (issue 12):
    # (solar-a's financing 6.5 m - fund 4 m) / 4 m; hydro-b has no fund money.
    assert m["mobilization_ratio"] == pytest.approx(2.5 / 4, rel=1e-15)
    # Reductions: solar 14,500 MWh x 0.87 x 20 years; hydro 20 MW x 8760 h x 0.5
    # = 87,600 MWh x 0.87 x 30 years (run-of-river: no reservoir emissions).
    solar, hydro = 14500 * 0.87 * 20, 87600 * 0.87 * 30
    assert m["lifetime_reductions_tco2e"] == pytest.approx(solar + hydro, rel=1e-12)
    # PCAF attribution (issue 12): each year's reductions x the fund's balance at
    # the year end / capex 6.5 m. The balance: 4.2 m at the end of 2027 (5 % IDC
    # capitalized), then after j of 10 annual annuity payments
    # 4.2 m (1.05^10 - 1.05^j) / (1.05^10 - 1), 0 from 2037; solar's
    # reductions are 14,500 x 0.87 t in each of 2028..2036 (j = 1..9).
    g = 1.05 ** 10
    balances = [4.2e6 * (g - 1.05 ** j) / (g - 1) for j in range(1, 10)]
    assert m["fund_attributed_reductions_tco2e"] == pytest.approx(14500 * 0.87 * sum(balances) / 6.5e6, rel=1e-12)
    fund = r.fund
    assert fund["disbursements"][0] == 4e6
    # Year 2: the annuity on 4.2 m (4 m + 5 % capitalized IDC) at 5 % over 10 years.
    pay = 4.2e6 * 0.05 / (1 - 1.05 ** -10)
    assert fund["principal_received"][1] + fund["interest_received"][1] == pytest.approx(pay, rel=1e-12)
    assert fund["interest_received"][1] == pytest.approx(4.2e6 * 0.05, rel=1e-12)
    port = r.portfolio
    assert port["net_mwh_hydro"][2] == pytest.approx(87600, rel=1e-15)  # year 3: hydro's first operating year
    assert set(r.projects) == {"solar-a", "hydro-b"}
    assert r.projects["solar-a"].loans["a-fund"].metrics["total_drawn"] == 4e6
    assert r.warnings == []


def test_portfolio_built_by_keyword_equals_the_file():
    with open(SMALL, encoding="utf-8") as f:
        doc = json.load(f)
    doc.pop("format")
    fund = doc.pop("fund")
    projects = doc.pop("projects")
    pf = greenfin.Portfolio(**doc, fund=fund, projects=projects)
    assert pf.project_count == 2
    assert pf.evaluate().to_json() == greenfin.Portfolio.from_file(SMALL).evaluate().to_json()
    # With objects instead of dicts.
    f = greenfin.Fund(**{k: v for k, v in fund.items() if k != "sources"})
    for s in fund["sources"]:
        f.add_source(**s)
    assert f.source_count == 2
    # Read back (gfin_fund_source_get): the file's sources, key for key.
    assert f.sources == fund["sources"]
    assert pf.fund.sources == fund["sources"]
    assert greenfin.Fund(name="no sources", capital=1.0).sources == []
    pf2 = greenfin.Portfolio(**doc, fund=f, projects=[greenfin.Project(**p) for p in projects])
    assert pf2.evaluate(threads=1).to_json() == pf.evaluate().to_json()


@pytest.mark.skipif(not os.path.exists(SAMPLE_PORTFOLIO), reason="examples/data/cambodia_pipeline.json missing")
def test_sample_portfolio():
    pf = greenfin.Portfolio.from_file(SAMPLE_PORTFOLIO)
    r = pf.evaluate()
    # examples/data/README.md: a USD 250 m fund and 6 projects, 3 hydro and 3 solar, 640 MW.
    m = r.metrics
    assert m["project_count"] == 6 and m["capacity_mw"] == 640 and m["fund_capital"] == 250e6
    caps = [p.metrics["capacity_mw"] for p in r.projects.values()]
    assert len(caps) == 6 and sum(caps) == 640
    assert m["capacity_mw_solar"] + m["capacity_mw_hydro"] == 640
    # The same result as JSON, and identical whatever the thread count.
    doc = json.loads(r.to_json())
    assert set(doc["projects"]) == set(r.projects)
    assert list(doc["fund"]) == r.fund.columns
    assert pf.evaluate(threads=1).to_json() == pf.evaluate(threads=2).to_json() == r.to_json()
    # The fund's yearly receipts add up to what the projects' fund loans pay.
    total = sum(r.fund["principal_received"]) + sum(r.fund["interest_received"]) + sum(r.fund["fees_received"])
    paid = sum(lr.metrics["total_debt_service"]
               for pr in r.projects.values() for lid, lr in pr.loans.items()
               if _lender(pf, lr.id) == "fund")
    assert total == pytest.approx(paid, rel=1e-9)


def _lender(pf, loan_id):
    with open(SAMPLE_PORTFOLIO, encoding="utf-8") as f:
        doc = json.load(f)
    for p in doc["projects"]:
        for ln in p.get("loans", []):
            if ln.get("id") == loan_id:
                return ln.get("lender")
        sizing = p.get("debt_sizing")
        if sizing and sizing.get("id", "sized_debt") == loan_id:
            return sizing.get("lender")
    return None


def test_threads_argument_is_checked():
    pf = greenfin.Portfolio.from_file(SMALL)
    with pytest.raises(TypeError, match="threads"):
        pf.evaluate(threads="2")
    # Out of range is a value error naming the argument, the value and the
    # range; ctypes would wrap 2**64 to 0 ("one per CPU") and 2**32 + 1 to 1.
    for bad in (-1, 2**31, 2**32 + 1, 2**64):
        with pytest.raises(greenfin.InvalidInput, match=r"threads: %d is outside \[0, 2147483647\]" % bad) as e:
            pf.evaluate(threads=bad)
        assert e.value.path == "threads"
    assert pf.evaluate(threads=2**31 - 1).metrics == pf.evaluate(threads=1).metrics
