"""Loans through Python: the grant-element reference vectors, a schedule checked
against the library's own JSON output of the same loan and against values
derived by hand, and every kind of keyword value."""
import datetime
import json
import os

import pytest

import greenfin
from conftest import EXAMPLES_DATA, close_to, vectors

GE = vectors("grant_element_pct")


@pytest.mark.parametrize("v", GE, ids=[v["id"] for v in GE])
def test_grant_element_matches_oecd_dac_vectors(v):
    # OECD DAC closed form, equal principal, lump-sum disbursement: grace up to
    # first_principal_period - 1, then equal principal to maturity.
    i = v["inputs"]
    f = i["payments_per_year"]
    grace = i["first_principal_period"] - 1
    loan = greenfin.Loan(principal=1e6, annual_rate=i["interest"], frequency=f, grace_periods=grace,
                         repayment_periods=i["maturity_years"] * f - grace, amortization="linear")
    got = loan.grant_element(i["discount"]) * 100
    assert close_to(got, v["expected"], v["tolerance"]), "%s: %.12g vs %.12g" % (v["id"], got, v["expected"])
    # The same figure through evaluate(discount_rate).
    assert close_to(loan.metrics(i["discount"])["grant_element"] * 100, v["expected"], v["tolerance"])


def imf_loan(**extra):
    # MODEL.md's check: 0.75 %, semi-annual, 20 grace periods, 60 linear repayments.
    kw = dict(principal=1000, annual_rate=0.0075, frequency=2, grace_periods=20, repayment_periods=60,
              amortization="linear")
    kw.update(extra)
    return greenfin.Loan(**kw)


def test_imf_check_loan_by_hand():
    with imf_loan() as loan:
        r = loan.evaluate(0.05)
        t = r.schedule
        assert len(t) == 80
        interest = list(t["interest"])
        principal = list(t["principal"])
        # Interest-only grace: 1000 x 0.0075 / 2 = 3.75 per period.
        assert all(abs(x - 3.75) < 1e-12 for x in interest[:20])
        # Linear: 1000 / 60 each repayment period.
        assert all(abs(p - 1000 / 60) < 1e-9 for p in principal[20:])
        m = r.metrics
        # total interest = 20 x 3.75 + 0.00375 x 1000 x (60 + 59 + ... + 1) / 60 = 75 + 114.375
        assert abs(m["total_interest"] - 189.375) < 1e-9
        # WAL: repayments at t = 10.5 .. 40 years evenly: (10.5 + 40) / 2
        assert abs(m["wal_years"] - 25.25) < 1e-9
        assert abs(m["grant_element"] - 0.5780444517021828) < 1e-8  # 57.80 % (IMF), ge-r0.0075-D0.05
        assert r.warnings == []


def test_schedule_columns_equal_the_librarys_json_output():
    loan = greenfin.Loan.from_file(os.path.join(EXAMPLES_DATA, "hydro_loan.json"))
    t = loan.schedule()
    doc = json.loads(loan.evaluate().to_json())
    assert t.columns == list(doc["schedule"])
    for name in t.columns:
        col = list(t[name])
        assert len(col) == len(doc["schedule"][name])
        for a, b in zip(col, doc["schedule"][name]):
            assert a == pytest.approx(b, rel=1e-15, abs=0)  # JSON carries 17 significant digits
    metrics = loan.metrics()
    assert set(metrics) == set(doc["metrics"])
    for k, v in doc["metrics"].items():
        assert (metrics[k] is None) if v is None else metrics[k] == pytest.approx(v, rel=1e-15)
    # By hand (examples/data/README.md terms): USD 250 m at 2 % semi-annual,
    # 8 drawdown periods, 10 grace, 40 linear repayments.
    assert len(t) == 8 + 10 + 40
    # Period 1: 7.5 % drawn, interest 18.75 m x 0.02 / 2 = 187,500, capitalized.
    assert t["drawdown"][0] == pytest.approx(0.075 * 250e6, rel=1e-15)
    assert t["interest"][0] == pytest.approx(187500.0, rel=1e-12)
    assert t["capitalized_interest"][0] == pytest.approx(187500.0, rel=1e-12)
    # Fees in period 1: upfront 0.25 % x 250 m = 625,000, plus the commitment
    # fee 0.15 % / 2 on the 231.25 m undrawn after the drawdown = 173,437.5.
    assert t["fees"][0] == pytest.approx(625000 + 173437.5, rel=1e-12)
    assert metrics["total_drawn"] == pytest.approx(250e6, rel=1e-15)
    assert t["closing_balance"][len(t) - 1] == 0


def test_dated_loan_by_hand():
    loan = greenfin.Loan(principal=1e6, annual_rate=0.06, frequency=12, repayment_periods=12,
                         start_date="2025-01-15", day_count="ACT/365F")
    t = loan.schedule()
    assert t.columns[-1] == "date" and t.kind("date") == "date"
    d = t.to_dict()["date"]
    assert d[0] == datetime.date(2025, 2, 15) and d[-1] == datetime.date(2026, 1, 15)
    # 15 Jan -> 15 Feb is 31 days: interest 1e6 x 0.06 x 31 / 365.
    assert t["interest"][0] == pytest.approx(1e6 * 0.06 * 31 / 365, rel=1e-14)
    # 15 Feb -> 15 Mar 2025 is 28 days, on the balance after payment 1.
    assert t["interest"][1] == pytest.approx(t["closing_balance"][0] * 0.06 * 28 / 365, rel=1e-14)
    # The level payment uses 0.06 / 12 per period: pmt(0.005, 12, 1e6) (spreadsheet sign).
    assert t["debt_service"][0] == pytest.approx(-greenfin.pmt(0.005, 12, 1e6), rel=1e-14)
    # A date and a datetime.date give the same loan.
    same = greenfin.Loan(principal=1e6, annual_rate=0.06, frequency=12, repayment_periods=12,
                         start_date=datetime.date(2025, 1, 15), day_count="ACT/365F")
    assert same.evaluate().to_json() == loan.evaluate().to_json()
    assert loan.get("start_date") == datetime.date(2025, 1, 15)


def test_to_pandas_converts_dates_and_integers():
    pd = pytest.importorskip("pandas")
    loan = greenfin.Loan(principal=1e6, annual_rate=0.06, repayment_periods=3, start_date="2025-01-31",
                         day_count="30/360")
    df = loan.schedule().to_pandas()
    assert list(df["period"]) == [1, 2, 3] and df["period"].dtype.kind == "i"
    assert str(df["date"].dtype).startswith("datetime64")
    # MODEL.md: the day clipped to the month's last day, counted from the start date.
    assert list(df["date"]) == [pd.Timestamp("2025-02-28"), pd.Timestamp("2025-03-31"),
                                pd.Timestamp("2025-04-30")]


def test_every_kind_of_keyword_value():
    np = pytest.importorskip("numpy")
    kw = dict(id="kk-dfi", lender="fund", principal=100_000_000, annual_rate=0.02, frequency=4,
              drawdowns=(0.25, 0.25, 0.5), idc_mode="paid", grace_periods=2, grace_mode="interest_only",
              repayment_periods=8, amortization="custom", principal_profile=np.full(8, 0.125),
              upfront_fee=0.01, commitment_fee=0.004, start_date="2027-01-01", day_count="ACT/360")
    loan = greenfin.Loan(**kw)
    assert loan.get("id") == "kk-dfi" and loan.get("lender") == "fund"
    assert loan.get("frequency") == 4 and isinstance(loan.get("frequency"), int)
    assert loan.get("drawdowns") == [0.25, 0.25, 0.5]
    assert loan.get("principal_profile") == [0.125] * 8
    assert loan.get("amortization") == "custom" and loan.get("idc_mode") == "paid"
    assert loan.get("day_count") == "ACT/360"
    # Unset keys read back their registry default.
    assert greenfin.Loan().get("frequency") == 12 and greenfin.Loan().get("amortization") == "annuity"
    t = loan.schedule()
    assert len(t) == 3 + 2 + 8
    # Paid IDC: nothing capitalized; custom profile: 12.5 % of 100 m each repayment period.
    assert sum(t["capitalized_interest"]) == 0
    assert t["principal"][5] == pytest.approx(12.5e6, rel=1e-12)
    # The same terms given as JSON make the same loan.
    doc = {k: (list(v) if isinstance(v, (tuple, np.ndarray)) else v) for k, v in kw.items()}
    assert greenfin.Loan.from_json(json.dumps(doc)).evaluate().to_json() == loan.evaluate().to_json()


def test_set_and_reset():
    loan = imf_loan()
    ge5 = loan.grant_element(0.05)
    loan.set(annual_rate=0.02)
    assert loan.get("annual_rate") == 0.02
    assert loan.grant_element(0.05) < ge5
    loan.set(annual_rate=None)  # back to unset: a loan without a rate is refused
    with pytest.raises(greenfin.InvalidInput, match="annual_rate"):
        loan.schedule()
    # A refused value leaves the key unchanged.
    loan.set(annual_rate=0.0075)
    with pytest.raises(greenfin.InvalidInput):
        loan.set(annual_rate=2.0)
    assert loan.get("annual_rate") == 0.0075
    assert loan.grant_element(0.05) == ge5


def test_copy_is_independent():
    a = imf_loan()
    b = a.copy()
    b.set(principal=2000)
    assert a.get("principal") == 1000 and b.get("principal") == 2000


def test_parameters_come_from_the_registry():
    p = greenfin.parameters("loan")
    assert "principal" in p and p["principal"].required and p["principal"].type_name == "number"
    assert p["amortization"].choices[:2] == ("annuity", "linear")
    assert p["frequency"].default == 12
    assert greenfin.Loan.parameters().keys() == p.keys()
    assert "grid" in greenfin.Project.parameters()
    assert "fund_irr" in greenfin.metrics()
    with pytest.raises(ValueError, match="objects"):
        greenfin.parameters("bond")


def test_floating_rate_loan():
    # base_rates[k] + margin applies to period k+1; the last one repeats.
    loan = greenfin.Loan(principal=1000, base_rates=[0.04, 0.05], margin=0.01, frequency=1,
                         repayment_periods=3, amortization="bullet")
    t = loan.schedule()
    assert list(t["rate"]) == pytest.approx([0.05, 0.06, 0.06])
    assert list(t["interest"]) == pytest.approx([50, 60, 60])
    assert t["principal"][2] == 1000
