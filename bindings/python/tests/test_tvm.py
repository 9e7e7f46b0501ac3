"""The time-value-of-money functions against the shared reference vectors
(tests/data/finance_vectors.json: numpy-financial's test suite, LibreOffice's
function tests, Excel's documented examples), each with its own tolerance.

"NaN"/"Infinity" in the file is numpy-financial's "no answer": greenfin raises
NoSolution for a scalar (an ArithmeticError), or InvalidInput where the C
contract refuses the argument (ipmt/ppmt per outside [1, nper], npv at
rate -1), exactly as tests/test_tvm.c checks the C functions.
"""
import datetime
import math

import pytest

import greenfin
from conftest import close_to, vectors

NO_VALUE = ("NaN", "Infinity")


def _when(inputs):
    if "type" in inputs:
        return int(inputs["type"])
    return inputs.get("when", "end")


def _check(v, call, none_exc):
    exp = v["expected"]
    if exp == "ERROR":
        with pytest.raises(greenfin.InvalidInput):
            call()
    elif exp in NO_VALUE:
        with pytest.raises(none_exc):
            call()
    else:
        got = call()
        assert close_to(got, exp, v["tolerance"]), "%s: got %.17g, want %.17g" % (v["id"], got, exp)


def _ids(vs):
    return [v["id"] for v in vs]


PMT = vectors("pmt")


@pytest.mark.parametrize("v", PMT, ids=_ids(PMT))
def test_pmt_vectors(v):
    i = v["inputs"]
    call = lambda: greenfin.pmt(i["rate"], i["nper"], i["pv"], i.get("fv", 0), _when(i))  # noqa: E731
    if v["id"] == "lo-pmt-6":
        # LibreOffice answers PMT(-1; 36; 25000) = -0; greenfin.h refuses rate <= -1.
        with pytest.raises(greenfin.InvalidInput):
            call()
        return
    _check(v, call, greenfin.InvalidInput)


IPPMT = vectors("ipmt") + vectors("ppmt")


@pytest.mark.parametrize("v", IPPMT, ids=_ids(IPPMT))
def test_ipmt_ppmt_vectors(v):
    i = v["inputs"]
    fn = greenfin.ipmt if v["function"] == "ipmt" else greenfin.ppmt
    # numpy-financial's NaN for per = 0 is a refused argument here.
    _check(v, lambda: fn(i["rate"], i["per"], i["nper"], i["pv"], i.get("fv", 0), _when(i)),
           greenfin.InvalidInput)


PV_FV = vectors("pv") + vectors("fv")


@pytest.mark.parametrize("v", PV_FV, ids=_ids(PV_FV))
def test_pv_fv_vectors(v):
    i = v["inputs"]
    if v["function"] == "pv":
        call = lambda: greenfin.pv(i["rate"], i["nper"], i["pmt"], i.get("fv", 0), _when(i))  # noqa: E731
    else:
        call = lambda: greenfin.fv(i["rate"], i["nper"], i["pmt"], i.get("pv", 0), _when(i))  # noqa: E731
    _check(v, call, greenfin.InvalidInput)


NPER = vectors("nper")


@pytest.mark.parametrize("v", NPER, ids=_ids(NPER))
def test_nper_vectors(v):
    i = v["inputs"]
    # "Infinity" (no payment at rate 0: fv is never reached) is NoSolution.
    _check(v, lambda: greenfin.nper(i["rate"], i["pmt"], i["pv"], i.get("fv", 0), _when(i)),
           greenfin.NoSolution)


RATE = vectors("rate")


@pytest.mark.parametrize("v", RATE, ids=_ids(RATE))
def test_rate_vectors(v):
    i = v["inputs"]
    whens = ["end", "begin"] if i.get("when") == "end|begin" else [_when(i)]
    for w in whens:
        _check(v, lambda: greenfin.rate(i["nper"], i["pmt"], i["pv"], i.get("fv", 0), w, i.get("guess", 0.1)),
               greenfin.NoSolution)


NPV = vectors("npv_t0") + vectors("npv_excel")


@pytest.mark.parametrize("v", NPV, ids=_ids(NPV))
def test_npv_vectors(v):
    i = v["inputs"]
    if v["function"] == "npv_t0":
        call = lambda: greenfin.npv(i["rate"], i["values"])  # noqa: E731
    else:
        # Excel's NPV discounts the first value one period: npv / (1 + rate).
        call = lambda: greenfin.npv(i["rate"], i["values"]) / (1 + i["rate"])  # noqa: E731
    _check(v, call, greenfin.InvalidInput)


# The two entries that give their flows only as a pointer to numpy-financial's
# test file are run by tests/test_tvm.c, which carries those flows.
IRR = [v for v in vectors("irr") if isinstance(v["inputs"]["values"], list)]


@pytest.mark.parametrize("v", IRR, ids=_ids(IRR))
def test_irr_vectors(v):
    i = v["inputs"]
    _check(v, lambda: greenfin.irr(i["values"], i.get("guess", 0.1)), greenfin.NoSolution)


def test_irr_vectors_given_as_text_are_left_to_the_c_suite():
    text = [v["id"] for v in vectors("irr") if not isinstance(v["inputs"]["values"], list)]
    assert sorted(text) == ["npf-irr-gh15", "npf-irr-gh39"]


ROOTS = vectors("irr_all_roots")


@pytest.mark.parametrize("v", ROOTS, ids=_ids(ROOTS))
def test_irr_finds_the_root_nearest_the_guess(v):
    vals, roots = v["inputs"]["values"], v["expected"]
    for k, r in enumerate(roots):
        gap = min([abs(r - o) for j, o in enumerate(roots) if j != k] or [1.0])
        guess = r + 0.1 * gap
        if guess > -1:
            assert close_to(greenfin.irr(vals, guess), r, v["tolerance"])


MIRR = vectors("mirr")


@pytest.mark.parametrize("v", MIRR, ids=_ids(MIRR))
def test_mirr_vectors(v):
    i = v["inputs"]
    _check(v, lambda: greenfin.mirr(i["values"], i["finance_rate"], i["reinvest_rate"]), greenfin.NoSolution)


XNPV = vectors("xnpv") + vectors("xirr")


@pytest.mark.parametrize("v", XNPV, ids=_ids(XNPV))
def test_xnpv_xirr_vectors(v):
    i = v["inputs"]
    if v["function"] == "xnpv":
        call = lambda: greenfin.xnpv(i["rate"], i["values"], i["dates"])  # noqa: E731
    else:
        call = lambda: greenfin.xirr(i["values"], i["dates"], i.get("guess", 0.1))  # noqa: E731
    _check(v, call, greenfin.NoSolution)


def test_vector_families_are_all_present():
    # A truncated reference file must fail here, not silently run fewer cases.
    counts = {f: len(vectors(f)) for f in ("pmt", "ipmt", "ppmt", "pv", "fv", "nper", "rate", "npv_t0",
                                           "irr", "mirr", "xnpv", "xirr", "grant_element_pct")}
    assert counts == {"pmt": 22, "ipmt": 16, "ppmt": 14, "pv": 1, "fv": 5, "nper": 6, "rate": 8,
                      "npv_t0": 3, "irr": 16, "mirr": 15, "xnpv": 7, "xirr": 1, "grant_element_pct": 10}


# -- argument forms ----------------------------------------------------------

XL_XIRR = vectors("xirr")[0]


def test_xirr_accepts_dates_strings_and_days():
    i = XL_XIRR["inputs"]
    as_dates = [datetime.date.fromisoformat(d) for d in i["dates"]]
    as_days = [(d - datetime.date(1970, 1, 1)).days for d in as_dates]
    results = [greenfin.xirr(i["values"], d) for d in (i["dates"], as_dates, as_days)]
    for r in results:
        assert abs(r - XL_XIRR["expected"]) <= 1e-8
    np = pytest.importorskip("numpy")
    r = greenfin.xirr(np.array(i["values"]), np.array(i["dates"], dtype="datetime64[D]"))
    assert abs(r - XL_XIRR["expected"]) <= 1e-8


def test_when_accepts_names_and_numbers():
    # lo-pmt-2 is PMT(...; type 1) = -714.770007508274 (LibreOffice).
    v = [x for x in vectors("pmt") if x["id"] == "lo-pmt-2"][0]["inputs"]
    for w in ("begin", 1, "start", "BEGIN"):
        assert abs(greenfin.pmt(v["rate"], v["nper"], v["pv"], 0, w) + 714.770007508274) < 1e-9
    with pytest.raises(ValueError, match="when"):
        greenfin.pmt(0.01, 12, 100, when="middle")
    with pytest.raises(ValueError, match="when"):
        greenfin.pmt(0.01, 12, 100, when=2)


def test_keywords_follow_numpy_financial():
    # pmt(rate, nper, pv, fv=0, when='end'): npf-pmt-doc, 200000 over 15 years at 7.5 %/12.
    assert abs(greenfin.pmt(rate=0.075 / 12, nper=15 * 12, pv=200000) + 1854.0247200054619) < 1e-9
    # rate(nper, pmt, pv, fv=0, when='end', guess=0.1): the root of 3500 -> 10000 in 10 periods.
    assert abs(greenfin.rate(nper=10, pmt=0, pv=-3500, fv=10000, guess=0.2) - ((10000 / 3500) ** 0.1 - 1)) < 1e-12


def test_wrong_argument_types_name_the_argument():
    with pytest.raises(TypeError, match="'rate'"):
        greenfin.pmt("0.05", 12, 100)
    with pytest.raises(TypeError, match="'values'"):
        greenfin.irr("-100, 50, 60")
    with pytest.raises(TypeError, match="element 1"):
        greenfin.npv(0.1, [-100, "50"])
    with pytest.raises(ValueError, match="as many dates"):
        greenfin.xnpv(0.1, [-100, 110], ["2020-01-01"])
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        greenfin.xirr([-100, 110], ["2020-01-01", "01/01/2021"])


def test_no_solution_is_an_arithmetic_error_with_the_c_message():
    with pytest.raises(ArithmeticError) as e:
        greenfin.irr([1, 2, 3])
    assert isinstance(e.value, greenfin.NoSolution)
    assert e.value.code == -4
    # The C twin's message names the argument and the rule (issue 12 item 14).
    assert str(e.value) == "values: the values do not change sign: no rate makes their present value 0"


# -- arrays (numpy) ------------------------------------------------------------

def test_arrays_broadcast_like_numpy_financial():
    np = pytest.importorskip("numpy")
    rates = np.array([0.0, 0.05, 0.1])[:, None]
    nper = np.array([10, 20])
    got = greenfin.pmt(rates, nper, 1000)
    assert got.shape == (3, 2)
    for a in range(3):
        for b in range(2):
            r, n = rates[a, 0], nper[b]
            # Annuity by hand: P r / (1 - (1 + r)^-n), P / n at r = 0, paid out (negative).
            want = -(1000 / n if r == 0 else 1000 * r / (1 - (1 + r) ** -n))
            assert abs(got[a, b] - want) <= 1e-12 * abs(want)
    # ipmt over an array of periods, as in numpy-financial's docs; the
    # interest of period 1 of 2000 at 0.1/12 is 2000 x 0.1/12 = 16.6667.
    per = np.arange(1, 25)
    inter = greenfin.ipmt(0.1 / 12, per, 24, 2000)
    assert inter.shape == (24,)
    assert abs(inter[0] + 2000 * 0.1 / 12) < 1e-12
    # The interest and principal parts add up to the level payment.
    assert np.allclose(inter + greenfin.ppmt(0.1 / 12, per, 24, 2000), greenfin.pmt(0.1 / 12, 24, 2000),
                       rtol=1e-13, atol=0)
    # `when` broadcasts too.
    both = greenfin.pmt(0.05, 10, 1000, 0, np.array(["end", "begin"]))
    assert abs(both[1] - both[0] / 1.05) < 1e-9


def test_arrays_give_nan_where_there_is_no_solution():
    np = pytest.importorskip("numpy")
    rows = np.array([[-100, 39, 59, 55, 20], [1, 2, 3, 4, 5]], dtype=float)
    got = greenfin.irr(rows)
    assert abs(got[0] - 0.2809484211599611) < 1e-9  # npf-irr-2
    assert np.isnan(got[1])
    # rate: pmt and pv of the same sign have no rate (npf-rate-nan) -> NaN in an array.
    got = greenfin.rate(np.array([12, 10]), [400, 0], [10000, -3500], [5000, 10000])
    assert np.isnan(got[0]) and abs(got[1] - 0.11069085371075281) < 1e-12
    # Invalid input in an array still raises, naming the element.
    with pytest.raises(greenfin.InvalidInput, match=r"element \(1,\)"):
        greenfin.pmt(np.array([0.05, -2.0]), 10, 1000)


def test_npv_over_an_array_of_rates():
    np = pytest.importorskip("numpy")
    vals = [-15000, 1500, 2500, 3500, 4500, 6000]
    rates = np.array([0.0, 0.05])
    got = greenfin.npv(rates, vals)
    assert got.shape == (2,)
    assert got[0] == sum(vals)  # at rate 0 the NPV is the plain sum
    assert abs(got[1] - 122.894854950942) < 1e-8  # npf-npv-1, recomputed value
    assert greenfin.npv(rates, np.array([vals, vals])).shape == (2, 2)


def test_scalars_give_floats():
    assert isinstance(greenfin.pmt(0.05, 10, 1000), float)
    assert isinstance(greenfin.irr((-100, 110)), float)
    assert abs(greenfin.irr((-100, 110)) - 0.1) < 1e-12
    assert math.isclose(greenfin.fv(0.05, 2, 0, -100), 110.25, rel_tol=1e-15)  # 100 x 1.05^2


def test_errors_name_the_argument_its_value_and_the_rule():
    """Issue 12 item 14: "ipmt: invalid argument or input" said neither which
    argument nor why; the exceptions now carry the C *_err twins' messages."""
    with pytest.raises(greenfin.InvalidInput) as e:
        greenfin.tvm.ipmt(0.01, 0, 24, 1000)
    assert e.value.path == "per"
    assert e.value.message == "0 is outside [1, 24]: the period must be one of 1 .. nper"
    assert str(e.value) == "per: 0 is outside [1, 24]: the period must be one of 1 .. nper"
    with pytest.raises(greenfin.InvalidInput, match=r"^rate: -2 must be greater than -1$"):
        greenfin.tvm.pmt(-2, 12, 1000)
    with pytest.raises(greenfin.InvalidInput, match=r"^nper: 0 gives no payment"):
        greenfin.tvm.pmt(0.01, 0, 1000)
    with pytest.raises(greenfin.InvalidInput, match=r"^values\[1\]: NaN is not a finite number$"):
        greenfin.tvm.npv(0.1, [-100, float("nan"), 60])
    with pytest.raises(greenfin.InvalidInput, match=r"^n: 1 value is fewer than the 2 MIRR needs$"):
        greenfin.tvm.mirr([-100], 0.1, 0.1)
    with pytest.raises(greenfin.NoSolution, match="do not change sign"):
        greenfin.tvm.irr([1, 2, 3])
    with pytest.raises(greenfin.NoSolution, match="does not cover the interest"):
        greenfin.tvm.nper(0.01, -500, 100000)
    with pytest.raises(greenfin.InvalidInput, match=r"^dates\[1\]: 2024-01-01 precedes dates\[0\] 2024-05-01"):
        greenfin.tvm.xnpv(0.1, [-100, 110], ["2024-05-01", "2024-01-01"])
    with pytest.raises(greenfin.NoSolution, match="one date"):
        greenfin.tvm.xirr([-100, 110], ["2024-05-01", "2024-05-01"])
