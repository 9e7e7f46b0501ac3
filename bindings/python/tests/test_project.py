"""Projects through Python: a small solar project whose figures are derived by
hand below, the same project from JSON, and a sample project's yearly table
compared with the library's JSON output of the same result."""
import json
import os

import pytest

import greenfin
from conftest import EXAMPLES_DATA

LOAN = dict(id="fund-loan", lender="fund", principal=4e6, annual_rate=0.05, frequency=1, drawdowns=[1.0],
            repayment_periods=10)
HAND = dict(id="hand", technology="solar", capacity_mw=10, specific_yield_kwh_per_kwp=1450, capex=6.5e6,
            opex_fixed=100000, tariff_per_mwh=50, operating_years=20, start_year=2027, discount_rate=0.09,
            crediting="none", grid={"ef_cm": 0.87})


def hand_project(**extra):
    kw = dict(HAND, loans=[LOAN])
    kw.update(extra)
    return greenfin.Project(**kw)


def test_small_solar_project_by_hand():
    r = hand_project().evaluate()
    m, y = r.metrics, r.years
    assert len(y) == 21  # 1 construction + 20 operating years
    # Energy: 10 MWp x 1000 kWp/MWp x 1450 kWh/kWp = 14,500 MWh, no losses.
    assert m["first_year_net_mwh"] == pytest.approx(14500, rel=1e-15)
    assert list(y["net_mwh"][1:]) == pytest.approx([14500] * 20, rel=1e-15)
    # Revenue 14,500 x 50 = 725,000; less opex 100,000: CFADS 625,000 (no tax).
    assert y["cfads"][1] == pytest.approx(625000, rel=1e-15)
    # Carbon: 14,500 MWh x 0.87 tCO2e/MWh = 12,615 t/yr, no project emissions for solar.
    assert m["first_year_reductions_tco2e"] == pytest.approx(12615, rel=1e-14)
    assert m["lifetime_reductions_tco2e"] == pytest.approx(20 * 12615, rel=1e-14)
    assert m["power_density_w_m2"] is None  # null for solar (MODEL.md)
    # Project flows: -6.5 m in year 1, then 625,000 for 20 years, each at its year end.
    flows = [-6.5e6] + [625000.0] * 20
    npv = sum(f / 1.09 ** (t + 1) for t, f in enumerate(flows))
    assert m["npv"] == pytest.approx(npv, rel=1e-12)
    # The IRR makes those flows' NPV vanish (checked by plain summation).
    irr = m["project_irr"]
    assert abs(sum(f / (1 + irr) ** t for t, f in enumerate(flows))) < 1e-6
    # Payback: cumulative -250,000 after year 11, year 12 brings 625,000: 11 + 0.4.
    assert m["payback_years"] == pytest.approx(11.4, rel=1e-12)
    # LCOE: PV(capex + opex) / PV(energy) at 9 %.
    pv_cost = 6.5e6 / 1.09 + sum(100000 / 1.09 ** t for t in range(2, 22))
    pv_mwh = sum(14500 / 1.09 ** t for t in range(2, 22))
    assert m["lcoe"] == pytest.approx(pv_cost / pv_mwh, rel=1e-12)
    # The loan: 4 m drawn at the start of year 1, IDC capitalized (200,000),
    # then a 10-year annuity on 4.2 m at 5 %: 4.2 m x 0.05 / (1 - 1.05^-10).
    pay = 4.2e6 * 0.05 / (1 - 1.05 ** -10)
    assert y["debt_service"][1] == pytest.approx(pay, rel=1e-12)
    assert m["min_dscr"] == pytest.approx(625000 / pay, rel=1e-12)
    assert m["total_debt"] == 4e6 and m["gearing"] == pytest.approx(4 / 6.5, rel=1e-15)
    assert m["fund_principal"] == 4e6  # lender "fund"
    loan = r.loans["fund-loan"]
    assert isinstance(loan, greenfin.LoanResult)
    assert loan.schedule["capitalized_interest"][0] == pytest.approx(200000, rel=1e-15)
    assert r.warnings == []


def test_keywords_and_json_make_the_same_project():
    doc = dict(HAND, loans=[LOAN])
    a = greenfin.Project.from_json(json.dumps(doc)).evaluate().to_json()
    b = hand_project().evaluate().to_json()
    assert a == b
    # add_loan with a Loan object, or a dict.
    p = greenfin.Project(**HAND)
    assert p.loan_count == 0
    p.add_loan(greenfin.Loan(**LOAN))
    assert p.evaluate().to_json() == b
    p2 = greenfin.Project(**HAND).add_loan(LOAN)
    assert p2.evaluate().to_json() == b


def test_project_reads_back_nested_keys():
    p = hand_project(debt_sizing={"target_dscr": 1.3, "tenor_years": 12, "annual_rate": 0.06})
    assert p.get("ef_cm") == 0.87
    assert p.get("target_dscr") == 1.3
    assert p.get("technology") == "solar"
    r = p.evaluate()
    # The sized loan is among the loans, under its default id.
    assert "sized_debt" in r.loans


def test_sample_project_columns_equal_the_librarys_json_output():
    p = greenfin.Project.from_file(os.path.join(EXAMPLES_DATA, "hydro_reservoir_project.json"))
    r = p.evaluate()
    doc = json.loads(r.to_json())
    y = r.years
    assert y.columns == list(doc["years"])
    np = pytest.importorskip("numpy")
    for name in y.columns:
        want = np.array([np.nan if v is None else v for v in doc["years"][name]], dtype=float)
        assert np.allclose(y[name], want, rtol=1e-15, atol=0, equal_nan=True), name
    assert set(r.loans) == set(doc["loans"]) == {"kk-dfi-concessional", "kk-commercial"}
    for lid, lr in r.loans.items():
        assert lr.metrics == pytest.approx({k: v for k, v in doc["loans"][lid]["metrics"].items()}, rel=1e-15)
    # By hand, from the file's inputs: 260 MW x 8760 h x 0.46 x 0.97 availability
    # x (1 - 0.01) losses x (1 - 0.005) own use.
    net = 260 * 8760 * 0.46 * 0.97 * 0.99 * 0.995
    assert r.metrics["first_year_net_mwh"] == pytest.approx(net, rel=1e-12)
    # Power density 260 MW / 32 km2 = 8.125 W/m2 -> ACM0002: 0.090 t/MWh of gross.
    assert r.metrics["power_density_w_m2"] == pytest.approx(8.125, rel=1e-15)
    first_op = 4  # index of year 5, the first operating year after 4 construction years
    gross = y["gross_mwh"][first_op]
    assert gross == pytest.approx(net / 0.995, rel=1e-12)
    assert y["project_tco2e"][first_op] == pytest.approx(0.090 * gross, rel=1e-12)
    assert y["baseline_tco2e"][first_op] == pytest.approx(0.58 * net, rel=1e-12)
    # Capex 546 m spent 15/30/35/20 %; straight-line depreciation over 20 years.
    assert list(y["capex"][:4]) == pytest.approx([81.9e6, 163.8e6, 191.1e6, 109.2e6], rel=1e-14)
    assert y["depreciation"][first_op] == pytest.approx(546e6 / 20, rel=1e-14)
    # dscr is NaN (null) in construction years.
    assert np.isnan(y["dscr"][:4]).all()


def test_wrong_nested_keys_are_refused_before_any_c_call():
    with pytest.raises(TypeError, match=r"grid.*'ef_c'.*did you mean 'ef_cm'"):
        greenfin.Project(**dict(HAND, grid={"ef_c": 0.8}))
    with pytest.raises(TypeError, match="'grid' must be a dict"):
        greenfin.Project(**dict(HAND, grid=0.8))
    with pytest.raises(TypeError, match=r"loans\[0\].*'principle'.*did you mean 'principal'"):
        greenfin.Project(**dict(HAND, loans=[{"principle": 1}]))
    with pytest.raises(TypeError, match="element 0 must be a Loan or dict"):
        greenfin.Project(**dict(HAND, loans=[42]))
    with pytest.raises(ValueError, match="'solar', 'hydro'"):
        greenfin.Project(**dict(HAND, technology="wind"))


def test_hydro_without_applicable_methodology_warns():
    # Power density 30 MW / 10 km2 = 3 W/m2 <= 4: ACM0002 does not apply.
    p = greenfin.Project(id="low-pd", technology="hydro", capacity_mw=30, capacity_factor=0.5, capex=60e6,
                         tariff_per_mwh=70, reservoir_area_km2=10, start_year=2027, discount_rate=0.1,
                         grid={"ef_cm": 0.6})
    r = p.evaluate()
    assert any("ACM0002" in w or "power density" in w for w in r.warnings), r.warnings
    assert r.metrics["lifetime_reductions_tco2e"] == 0
    with pytest.raises(greenfin.NotApplicable):
        greenfin.reservoir_ef(r.metrics["power_density_w_m2"])


def test_as_portfolio_takes_the_projects_name_or_its_id():
    # as the greenfin command reads a project file (gfin_risk_load_json)
    with hand_project(name="Hand-made solar").as_portfolio() as pf:
        assert pf.get("name") == "Hand-made solar"
        assert (pf.get("start_year"), pf.get("discount_rate")) == (2027, 0.09)
    with hand_project().as_portfolio() as pf:
        assert pf.get("name") == "hand"
