"""Every way a call can fail, and what the caller gets: an exception of the
right class (greenfin's and the built-in one), carrying the C code, path and
message, raised before any C call where Python can tell."""
import json
import os
import subprocess
import sys
import textwrap

import pytest

import greenfin
from greenfin import _lib, errors

LOAN = dict(principal=1e6, annual_rate=0.05, repayment_periods=12)


def test_einval_from_a_value_out_of_bounds():
    with pytest.raises(ValueError) as e:
        greenfin.Loan(principal=1e6, annual_rate=-0.5)
    err = e.value
    assert isinstance(err, greenfin.InvalidInput) and isinstance(err, greenfin.Error)
    assert err.code == errors.EINVAL
    assert err.path == "annual_rate"
    assert "-0.5" in err.message and "minimum 0" in err.message
    assert str(err) == "annual_rate: " + err.message


def test_einval_from_inconsistent_terms_names_the_key():
    loan = greenfin.Loan(principal=1e6, annual_rate=0.05, repayment_periods=12, drawdowns=[0.5, 0.4])
    with pytest.raises(greenfin.InvalidInput) as e:
        loan.schedule()
    assert e.value.path == "drawdowns"
    with pytest.raises(greenfin.InvalidInput):
        loan.validate()
    with pytest.raises(greenfin.InvalidInput, match="repayment_periods"):
        greenfin.Loan(principal=1e6, annual_rate=0.05).evaluate()


def test_einval_from_json_carries_the_full_path():
    doc = {"format": "greenfin/1", "name": "x", "start_year": 2027, "discount_rate": 0.1,
           "grid": {"ef_cm": 0.6}, "fund": {"capital": 1e6},
           "projects": [{"id": "p", "technology": "solar", "capacity_mw": 1, "capacity_factor": 0.2,
                         "capex": 1e6, "tariff_per_mwh": 50,
                         "loans": [{"principal": 1e5, "annual_rate": 7, "repayment_periods": 10}]}]}
    with pytest.raises(greenfin.InvalidInput) as e:
        greenfin.Portfolio.from_json(json.dumps(doc))
    assert e.value.path == "projects[0].loans[0].annual_rate"
    assert str(e.value).startswith("projects[0].loans[0].annual_rate: ")


def test_eparse_from_malformed_json():
    with pytest.raises(ValueError) as e:
        greenfin.Loan.from_json('{"principal": 1e6,')
    assert isinstance(e.value, greenfin.ParseError)
    assert e.value.code == errors.EPARSE
    assert "line 1" in e.value.message
    with pytest.raises(greenfin.ParseError):
        greenfin.Portfolio.from_json(b"[")
    with pytest.raises(TypeError, match="JSON text"):
        greenfin.Project.from_json({"id": "x"})


def test_unknown_json_key_is_refused_with_a_suggestion():
    with pytest.raises(greenfin.InvalidInput) as e:
        greenfin.Loan.from_json('{"principal": 1e6, "anual_rate": 0.05, "repayment_periods": 1}')
    assert "annual_rate" in str(e.value)


def test_enoconv_from_irr_without_a_sign_change():
    with pytest.raises(ArithmeticError) as e:
        greenfin.irr([1, 2, 3])
    assert isinstance(e.value, greenfin.NoSolution) and e.value.code == errors.ENOCONV


def test_erange_from_an_overflowing_result():
    # (1 + 10)^1e6 overflows a double.
    with pytest.raises(ArithmeticError) as e:
        greenfin.fv(10, 1e6, 0, -1)
    assert isinstance(e.value, greenfin.RangeError) and isinstance(e.value, OverflowError)
    assert e.value.code == errors.ERANGE


def test_enotapplicable_from_acm0002():
    # ACM0002: a reservoir at or below 4 W/m2 is outside the methodology.
    with pytest.raises(greenfin.NotApplicable) as e:
        greenfin.reservoir_ef(3.5)
    assert e.value.code == errors.ENOTAPPLICABLE
    assert greenfin.reservoir_ef(8.125) == pytest.approx(0.090)


def test_every_status_code_maps_to_its_class():
    expect = {errors.EINVAL: (greenfin.InvalidInput, ValueError),
              errors.EPARSE: (greenfin.ParseError, ValueError),
              errors.ENOCONV: (greenfin.NoSolution, ArithmeticError),
              errors.ERANGE: (greenfin.RangeError, ArithmeticError),
              errors.ENOMEM: (greenfin.OutOfMemory, MemoryError),
              errors.EIO: (greenfin.FileError, OSError),
              errors.ENOTAPPLICABLE: (greenfin.NotApplicable, greenfin.Error)}
    for code, classes in expect.items():
        e = errors.make_error(code, "path", "message")
        for c in classes:
            assert isinstance(e, c), (code, c)
        assert (e.code, e.path, e.message, str(e)) == (code, "path", "message", "path: message")
        # The library describes each code (gfin_strerror), so each is a real code.
        assert _lib.lib().gfin_strerror(code) != b"unknown status"


def test_a_missing_file_is_an_oserror():
    with pytest.raises(OSError):
        greenfin.Portfolio.from_file("/nonexistent/portfolio.json")


def test_unknown_keyword_suggests_the_registry_name():
    with pytest.raises(TypeError) as e:
        greenfin.Loan(principal=1e6, amortisation="linear")
    assert str(e.value) == ("Loan() got an unexpected keyword argument 'amortisation' "
                            "(did you mean 'amortization'?)")
    with pytest.raises(TypeError, match=r"^Project\(\) got an unexpected keyword argument 'capacity'"):
        greenfin.Project(capacity=5)
    with pytest.raises(TypeError, match="'xyzzy'$"):
        greenfin.Loan(xyzzy=1)


def test_wrong_types_name_the_keyword():
    cases = [(dict(principal="1e6"), "'principal' must be a number, not str"),
             (dict(principal=True), "'principal' must be a number, not bool"),
             (dict(repayment_periods="12"), "'repayment_periods' must be an integer"),
             (dict(amortization=1), "'amortization' must be a str"),
             (dict(drawdowns=0.5), "'drawdowns' must be a list, tuple or array"),
             (dict(drawdowns=[0.5, "0.5"]), "'drawdowns': element 1 must be a number"),
             (dict(drawdowns="0.5,0.5"), "'drawdowns' must be a list"),
             (dict(id=7), "'id' must be a str, not int"),
             (dict(start_date=2025.5), "'start_date' must be a date")]
    for kw, msg in cases:
        with pytest.raises(TypeError) as e:
            greenfin.Loan(**kw)
        assert msg in str(e.value), (kw, str(e.value))


def test_bad_values_python_can_see_are_value_errors():
    with pytest.raises(ValueError, match=r"'amortization' must be one of 'annuity', 'linear', 'bullet'"):
        greenfin.Loan(amortization="lineair")
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        greenfin.Loan(start_date="15/01/2025")
    np = pytest.importorskip("numpy")
    with pytest.raises(TypeError, match="1-D"):
        greenfin.Loan(drawdowns=np.ones((2, 2)))


def test_checks_run_before_any_c_call(monkeypatch):
    L = _lib.lib()
    calls = []

    def forbidden(*a):
        calls.append(a)
        raise AssertionError("C called")

    monkeypatch.setattr(L, "gfin_loan_new", forbidden)
    monkeypatch.setattr(L, "gfin_loan_set", forbidden)
    for kw in (dict(LOAN, amortisation="linear"), dict(LOAN, principal="x"), dict(LOAN, day_count="ACT/365")):
        with pytest.raises((TypeError, ValueError)):
            greenfin.Loan(**kw)
    assert calls == []


def test_closed_objects_raise_value_error():
    loan = greenfin.Loan(**LOAN)
    loan.close()
    assert loan.closed
    loan.close()  # twice is harmless
    for use in (loan.schedule, loan.evaluate, lambda: loan.get("principal"), lambda: loan.set(principal=1)):
        with pytest.raises(ValueError, match="closed"):
            use()
    with greenfin.Loan(**LOAN) as ln:
        r = ln.evaluate()
    assert ln.closed
    with r:
        t = r.schedule
    assert r.closed
    with pytest.raises(ValueError, match="closed"):
        r.metrics
    t.close()
    with pytest.raises(ValueError, match="closed"):
        len(t)
    with pytest.raises(ValueError, match="closed"):
        t["interest"]
    pf = greenfin.Portfolio.from_file(os.path.join(os.path.dirname(__file__), "data", "small_portfolio.json"))
    pf.close()
    with pytest.raises(ValueError, match="closed"):
        pf.evaluate()


_ENOMEM_SCRIPT = textwrap.dedent("""
    import ctypes, sys
    import greenfin
    from greenfin import _lib
    L = _lib.lib()
    libc = ctypes.CDLL(None)
    libc.malloc.restype = ctypes.c_void_p; libc.malloc.argtypes = [ctypes.c_size_t]
    libc.realloc.restype = ctypes.c_void_p; libc.realloc.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    budget = [10**9]
    def m(n):
        if budget[0] <= 0:
            return None
        budget[0] -= 1
        return libc.malloc(n)
    def r(p, n):
        if budget[0] <= 0:
            return None
        budget[0] -= 1
        return libc.realloc(p, n)
    M = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_size_t)(m)
    R = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t)(r)
    F = ctypes.CFUNCTYPE(None, ctypes.c_void_p)(lambda p: libc.free(p))
    cast = lambda f: ctypes.cast(f, ctypes.c_void_p)
    L.gfin_set_allocator(cast(M), cast(R), cast(F))
    loan = greenfin.Loan(principal=1e6, annual_rate=0.05, repayment_periods=240)
    budget[0] = 0
    try:
        loan.schedule()
        sys.exit("schedule did not fail")
    except MemoryError as e:
        assert isinstance(e, greenfin.OutOfMemory) and e.code == -2, repr(e)
        print("schedule:", e)
    try:
        greenfin.Loan()
        sys.exit("new did not fail")
    except MemoryError as e:
        assert isinstance(e, greenfin.OutOfMemory), repr(e)
        print("new:", e)
    budget[0] = 10**9
    loan.close()
    print("ok")
""")


def _run(script, **env):
    e = dict(os.environ)
    e["PYTHONPATH"] = os.path.dirname(os.path.dirname(greenfin.__file__)) + os.pathsep + e.get("PYTHONPATH", "")
    e.update(env)
    return subprocess.run([sys.executable, "-c", script], env=e, capture_output=True, text=True, timeout=120)


def test_enomem_is_a_memory_error():
    # In a child process: the allocator hook must be set before anything is allocated.
    p = _run(_ENOMEM_SCRIPT)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "ok" in p.stdout


def test_values_refused_by_the_library_carry_its_message():
    cases = [(dict(principal=float("nan")), "principal", "finite"),
             (dict(repayment_periods=12.5), "repayment_periods", "whole"),
             (dict(frequency=13), "frequency", "13"),
             (dict(id="x" * 300), "id", "255")]
    for kw, path, words in cases:
        with pytest.raises(greenfin.InvalidInput) as e:
            greenfin.Loan(**kw)
        assert e.value.path == path and words in e.value.message, (kw, str(e.value))
