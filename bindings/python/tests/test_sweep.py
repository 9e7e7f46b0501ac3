"""The cash sweep and the reserve drawn on a loan from Python (docs/model.md
6.5): the keywords cash_sweep, swept and dsra_funding, on the project whose
figures tests/test_sweep.c derives by hand."""
import pytest

import greenfin

LOAN = dict(id="senior", principal=1.5e6, annual_rate=0.1, frequency=1, grace_periods=1, repayment_periods=15,
            amortization="linear")
PROJECT = dict(id="p", technology="solar", capacity_mw=1, capacity_factor=0.5, capex=2e6, operating_years=20,
               tariff_per_mwh=100, opex_fixed=138000, discount_rate=0.08, start_year=2027, grid={"ef_cm": 0.6})


def test_sweep_keywords_shorten_the_loan():
    # CFADS 300,000; half the cash after debt service prepays the loan:
    # B_j = 4 m - 2.5 m x 1.05^j, repaid in 2037 instead of 2042.
    with greenfin.Project(**PROJECT, cash_sweep=0.5, loans=[dict(LOAN, swept="yes")]) as p:
        r = p.evaluate()
        s = r.loans["senior"].schedule
        assert s["closing_balance"][9] == pytest.approx(4e6 - 2.5e6 * 1.05 ** 9, abs=1e-6)
        assert s["closing_balance"][10] == 0
        assert s["prepayment"][1] == pytest.approx(100000 - 0.05 * 1.5e6, abs=1e-6)
        assert r.years["cash_sweep"][1] == pytest.approx(25000, abs=1e-6)


def test_dsra_funding_keyword_draws_the_reserve_on_the_loan():
    # F = (1.5 m + F) / 12: 1.5 m / 11 drawn at the start of 2028.
    with greenfin.Project(**PROJECT, dsra_months=6, dsra_funding="senior", loans=[LOAN]) as p:
        s = p.evaluate().loans["senior"].schedule
        assert s["drawdown"][1] == pytest.approx(1.5e6 / 11, abs=1e-6)


def test_bad_values_name_the_key():
    with pytest.raises(greenfin.InvalidInput, match="cash_sweep"):
        greenfin.Project(**PROJECT, cash_sweep=1.5)
    with pytest.raises(ValueError, match="'swept' must be one of 'no', 'yes'"):
        greenfin.Project(**PROJECT, loans=[dict(LOAN, swept="maybe")])
    with pytest.raises(greenfin.InvalidInput, match="no loan of the project has swept"):
        greenfin.Project(**PROJECT, cash_sweep=0.5, loans=[LOAN]).evaluate()
