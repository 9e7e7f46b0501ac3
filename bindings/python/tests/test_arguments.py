"""Arguments ctypes would silently change are refused (issue 12 item 10;
reproducers F5 and F6 of the issue).

ctypes converts a Python int to a C int by truncation: before the fix
year_fraction(2**32 + 365, 0) computed the fraction of day 365 -> day 0 (-1.0),
combined_margin('hydro', 2**32 + 1, ...) used crediting period 1, and
evaluate(threads=2**64) meant "one thread per CPU". A str goes to C as a
NUL-terminated string, so 'abc\\x00def' became 'abc' while the JSON loader
refuses \\u0000. Each is now an InvalidInput (a ValueError) naming the argument,
the value and the range or rule.
"""
import pytest

import greenfin
from conftest import SAMPLE_PORTFOLIO

INT32 = r"\[-2147483648, 2147483647\]"


@pytest.mark.parametrize("start,end,bad", [
    (2**32 + 365, 0, "start"),        # truncates to day 365: -1.0 before the fix
    (0, 2**32 + 365, "end"),
    (2**40, -2**40, "start"),         # both truncate to 0: 0.0 before the fix
    (-2**31 - 1, 0, "start"),
])
def test_year_fraction_refuses_days_beyond_a_gfin_date(start, end, bad):
    with pytest.raises(greenfin.InvalidInput, match=r"%s: -?\d+ is outside %s" % (bad, INT32)) as e:
        greenfin.year_fraction(start, end, "ACT/365F")
    assert e.value.path == bad and "year_fraction()" in str(e.value)


def test_year_fraction_in_range_is_unchanged():
    # ACT/365F by hand: 365 days / 365 = 1 year, and the reversed period is -1.
    assert greenfin.year_fraction(0, 365, "ACT/365F") == 1.0
    assert greenfin.year_fraction(365, 0, "ACT/365F") == -1.0


@pytest.mark.parametrize("period", [2**32 + 1, 2**33 + 3, -2**31 - 1, 2**64])
def test_combined_margin_refuses_periods_beyond_a_c_int(period):
    # Before the fix 2**32 + 1 gave 0.5 (period 1) and 2**33 + 3 gave 0.25 (period 3).
    with pytest.raises(greenfin.InvalidInput, match=r"crediting_period: %d is outside %s" % (period, INT32)):
        greenfin.combined_margin("hydro", period, 1.0, 0.0)


def test_combined_margin_periods_1_to_3_follow_tool07():
    # TOOL07 v07.0 weights for hydro: w_OM 0.5 in period 1, 0.25 in periods 2 and 3.
    assert greenfin.combined_margin("hydro", 1, 1.0, 0.0) == 0.5
    assert greenfin.combined_margin("hydro", 3, 1.0, 0.0) == 0.25
    with pytest.raises(greenfin.InvalidInput):
        greenfin.combined_margin("hydro", 4, 1.0, 0.0)   # the library's own rule
    with pytest.raises(TypeError, match="crediting_period"):
        greenfin.combined_margin("hydro", 1.0, 1.0, 0.0)


LOAN = dict(principal=1e6, annual_rate=0.05, repayment_periods=12)


@pytest.mark.parametrize("key,value,rule", [
    ("repayment_periods", 2**32 + 12, r"4294967308 is above the maximum 1200"),
    ("start_date", 2**40, r"1099511627776 is outside 1900-01-01"),
    pytest.param("principal", 10**400, r"an int of 401 digits is too large for a number", id="principal-10**400"),
    ("grace_periods", -2**64, r"is below the minimum 0"),
])
def test_registry_integers_are_never_wrapped(key, value, rule):
    # Numbers go to the setters as doubles, so the library's bounds see the
    # real value; an int beyond any double is refused before.
    with pytest.raises(greenfin.InvalidInput, match=rule) as e:
        greenfin.Loan(**LOAN).set(**{key: value})
    assert e.value.path == key


@pytest.mark.parametrize("make,path", [
    (lambda: greenfin.Loan(**LOAN, id="abc\x00def"), "id"),
    (lambda: greenfin.Loan(**LOAN, lender="fu\x00nd"), "lender"),
    (lambda: greenfin.Loan(**LOAN).set(id="\x00"), "id"),
    (lambda: greenfin.Fund(name="green\x00fund"), "name"),
    (lambda: greenfin.Fund(sources=[{"name": "a\x00b", "amount": 1.0, "annual_rate": 0.0}]), "name"),
    (lambda: greenfin.Fund().add_source("a\x00b", 1.0, 0.0), "name"),
    (lambda: greenfin.Portfolio.from_file(SAMPLE_PORTFOLIO).set(name="x\x00"), "name"),
    (lambda: greenfin.Portfolio.from_file(SAMPLE_PORTFOLIO).evaluate(1).table("fu\x00nd"), "name"),
])
def test_strings_with_nul_are_refused_not_cut(make, path):
    with pytest.raises(greenfin.InvalidInput, match=r"\\u0000 \(a NUL character, at index \d+\) is not allowed") as e:
        make()
    assert e.value.path == path


def test_nul_is_refused_by_every_door():
    # The JSON door refuses the escape, and a raw NUL byte as a control character.
    with pytest.raises(greenfin.InvalidInput, match=r"\\u0000 is not allowed in a string"):
        greenfin.Loan.from_json('{"principal": 1e6, "annual_rate": 0.05, "repayment_periods": 12, '
                                '"id": "abc\\u0000def"}')
    with pytest.raises(greenfin.ParseError):
        greenfin.Loan.from_json('{"principal": 1e6, "annual_rate": 0.05, "repayment_periods": 12, '
                                '"id": "abc\x00def"}')


def test_a_column_name_with_nul_is_no_column():
    t = greenfin.Loan(**LOAN).schedule()
    assert "interest" in t and "interest\x00x" not in t
    with pytest.raises(KeyError, match="no column"):
        t["interest\x00x"]    # found "interest" before the fix


def test_year_fraction_in_int32_but_beyond_the_calendar_names_the_argument():
    # Fits a gfin_date, so it reaches the library, whose error twin names it.
    with pytest.raises(greenfin.InvalidInput, match=r"start: day 2147483647 is outside 0001-01-01") as e:
        greenfin.year_fraction(2**31 - 1, 0)
    assert e.value.path == "start"
