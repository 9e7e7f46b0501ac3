"""Time value of money with numpy-financial's names, argument order and sign
convention (money paid out is negative).

    pmt(rate, nper, pv, fv=0, when='end')
    ipmt(rate, per, nper, pv, fv=0, when='end')
    ppmt(rate, per, nper, pv, fv=0, when='end')
    pv(rate, nper, pmt, fv=0, when='end')
    fv(rate, nper, pmt, pv, when='end')
    nper(rate, pmt, pv, fv=0, when='end')
    rate(nper, pmt, pv, fv=0, when='end', guess=0.1)
    npv(rate, values)                 values[0] at t = 0, as numpy-financial
    irr(values, guess=0.1)
    mirr(values, finance_rate, reinvest_rate)
    xnpv(rate, values, dates)         dates: datetime.date, 'YYYY-MM-DD' or days
    xirr(values, dates, guess=0.1)

`when` is 'end' (or 0) or 'begin' (or 1); numpy-financial's aliases 'e',
'finish', 'b', 'start', 'beginning' are accepted too.

Scalars give a float. With numpy installed, array arguments are broadcast
against each other (as numpy-financial does) and the result is an array; each
element is one C call (a loop like np.vectorize: the C functions are scalar).
For npv, irr and mirr a 2-D `values` gives one result per row; for npv an array
`rate` gives one result per rate (shape rate.shape + values.shape[:-1]).

Errors: a scalar call with no solution raises NoSolution (an ArithmeticError),
invalid input InvalidInput (a ValueError), an overflow RangeError. The
exception's `path` names the argument ("per", "values[2]", "dates[1]") and its
message gives the value and the rule ("per: 0 is outside [1, 24]: the period
must be one of 1 .. nper"), from the C functions' *_err twins. In array calls
an element with no solution is NaN; invalid input still raises, naming the
element.
"""

import ctypes
import numbers

from . import _lib, errors
from ._registry import to_days

try:
    import numpy as np
except ImportError:  # pragma: no cover
    np = None

__all__ = ["pmt", "ipmt", "ppmt", "pv", "fv", "nper", "rate", "npv", "irr", "mirr", "xnpv", "xirr"]

_WHEN = {"end": 0, "e": 0, "finish": 0, "begin": 1, "b": 1, "start": 1, "beginning": 1}


def _when1(fn, w):
    if isinstance(w, str):
        try:
            return _WHEN[w.lower()]
        except KeyError:
            raise ValueError("%s() argument 'when' must be 'end' or 'begin' (or 0/1), not %r" % (fn, w)) from None
    if isinstance(w, numbers.Integral) and not isinstance(w, bool) and int(w) in (0, 1):
        return int(w)
    raise ValueError("%s() argument 'when' must be 'end' or 'begin' (or 0/1), not %r" % (fn, w))


def _is_scalar(x):
    if isinstance(x, (str, bytes)):
        return True
    if np is not None:
        return np.ndim(x) == 0
    return not hasattr(x, "__len__")


def _real(fn, name, x):
    if isinstance(x, numbers.Real) and not isinstance(x, bool):
        return float(x)
    if np is not None and isinstance(x, np.ndarray) and x.ndim == 0 and x.dtype.kind in "iuf":
        return float(x)
    raise TypeError("%s() argument %r must be a number, not %s" % (fn, name, type(x).__name__))


def _array(fn, name, x):
    if np is None:
        raise TypeError("%s() argument %r: arrays need numpy; without it pass numbers" % (fn, name))
    if isinstance(x, np.ndarray):
        a = x
    else:
        try:
            a = np.asarray(x)
        except Exception:
            raise TypeError("%s() argument %r must be a number or an array of numbers" % (fn, name)) from None
    if a.dtype.kind not in "iuf":
        raise TypeError("%s() argument %r must be a number or an array of numbers, not an array of %s"
                        % (fn, name, a.dtype))
    return a.astype(np.float64, copy=False)


def _when_array(fn, w):
    if isinstance(w, str) or _is_scalar(w):
        return _when1(fn, w.item() if np is not None and isinstance(w, np.ndarray) else w)
    return np.vectorize(lambda v: _when1(fn, v.item() if hasattr(v, "item") else v), otypes=[np.int64])(
        np.asarray(w, dtype=object))


def _call1(cfunc, args):
    out = _lib.c_double()
    cfunc(*args, out, _lib.GfinError())
    return out.value


def _elementwise(fn, cfunc, names, values, when_index=None, extra=()):
    """Calls cfunc on scalars, or over the broadcast of array arguments.
    `values` are the user's arguments in C order; when_index is the position of
    `when` among them; `extra` trailing scalar C args (guess)."""
    L = _lib.lib()
    c = getattr(L, cfunc)
    if all(_is_scalar(v) for v in values):
        args = []
        for i, (n, v) in enumerate(zip(names, values)):
            if i == when_index:
                args.append(_when1(fn, v.item() if np is not None and isinstance(v, np.ndarray) else v))
            else:
                args.append(_real(fn, n, v))
        return _call1(c, args + list(extra))
    arrays = []
    for i, (n, v) in enumerate(zip(names, values)):
        arrays.append(_when_array(fn, v) if i == when_index else _array(fn, n, v))
    b = np.broadcast(*arrays)
    out = np.empty(b.shape)
    flat = out.reshape(-1) if out.ndim else out.reshape(1)
    for k, elems in enumerate(b):
        args = [int(e) if i == when_index else float(e) for i, e in enumerate(elems)]
        flat[k] = _elem(fn, c, args + list(extra), b.shape, k)
    return out


def _elem(fn, c, args, shape, k):
    try:
        return _call1(c, args)
    except errors.NoSolution:
        return float("nan")
    except errors.Error as e:
        idx = np.unravel_index(k, shape) if shape else ()
        raise type(e)(e.code, e.path, "%s (element %s)" % (e.message, tuple(int(i) for i in idx))) from None


def pmt(rate, nper, pv, fv=0, when="end"):
    """Payment per period of an annuity (PMT)."""
    return _elementwise("pmt", "gfin_pmt_err", ("rate", "nper", "pv", "fv", "when"), (rate, nper, pv, fv, when), 4)


def ipmt(rate, per, nper, pv, fv=0, when="end"):
    """Interest part of payment `per` (1-based) (IPMT)."""
    return _elementwise("ipmt", "gfin_ipmt_err", ("rate", "per", "nper", "pv", "fv", "when"),
                        (rate, per, nper, pv, fv, when), 5)


def ppmt(rate, per, nper, pv, fv=0, when="end"):
    """Principal part of payment `per` (PPMT = PMT - IPMT)."""
    return _elementwise("ppmt", "gfin_ppmt_err", ("rate", "per", "nper", "pv", "fv", "when"),
                        (rate, per, nper, pv, fv, when), 5)


def pv(rate, nper, pmt, fv=0, when="end"):
    """Present value (PV)."""
    return _elementwise("pv", "gfin_pv_err", ("rate", "nper", "pmt", "fv", "when"), (rate, nper, pmt, fv, when), 4)


def fv(rate, nper, pmt, pv, when="end"):
    """Future value (FV)."""
    return _elementwise("fv", "gfin_fv_err", ("rate", "nper", "pmt", "pv", "when"), (rate, nper, pmt, pv, when), 4)


def nper(rate, pmt, pv, fv=0, when="end"):
    """Number of periods (NPER); NoSolution when no finite number reaches fv."""
    return _elementwise("nper", "gfin_nper_err", ("rate", "pmt", "pv", "fv", "when"), (rate, pmt, pv, fv, when), 4)


def rate(nper, pmt, pv, fv=0, when="end", guess=0.1):
    """Rate per period (RATE): the root nearest `guess`; NoSolution when none."""
    g = _real("rate", "guess", guess)
    return _elementwise("rate", "gfin_rate_err", ("nper", "pmt", "pv", "fv", "when"), (nper, pmt, pv, fv, when), 4,
                        extra=(g,))


# -- functions of a series of values ------------------------------------------

def _series(fn, values, name="values"):
    """A series of values ready for C: a ctypes double array for a list or
    tuple of numbers, or a contiguous float64 numpy array (1-D, or 2-D for one
    series per row)."""
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError("%s() argument %r must be a sequence of numbers, not %s" % (fn, name, type(values).__name__))
    if isinstance(values, (list, tuple)) and not _nested(values):
        for i, x in enumerate(values):
            if not (isinstance(x, numbers.Real) and not isinstance(x, bool)):
                raise TypeError("%s() argument %r: element %d must be a number, not %s"
                                % (fn, name, i, type(x).__name__))
        return (_lib.c_double * len(values))(*values)
    a = _array(fn, name, values)  # numpy arrays, nested lists (rows), other iterables
    if a.ndim == 0 or a.ndim > 2:
        raise TypeError("%s() argument %r must be 1-D or 2-D, not %d-D" % (fn, name, a.ndim))
    return np.ascontiguousarray(a)


def _nested(values):
    return any(isinstance(v, (list, tuple)) or (np is not None and isinstance(v, np.ndarray)) for v in values)


def _ptr(series):
    if np is not None and isinstance(series, np.ndarray):
        return series.ctypes.data_as(_lib.DblP), series.shape[-1]
    return ctypes.cast(series, _lib.DblP), len(series)


def _rows(series):
    """Yields (index, 1-D series) for a 2-D array, or ((), series) for 1-D."""
    if np is not None and isinstance(series, np.ndarray) and series.ndim == 2:
        for i in range(series.shape[0]):
            yield (i,), np.ascontiguousarray(series[i])
    else:
        yield (), series


def _over_rows(fn, series, call):
    """Applies call(row) to each row: a float for 1-D input, an array for 2-D
    (NaN where there is no solution)."""
    if not (np is not None and isinstance(series, np.ndarray) and series.ndim == 2):
        return call(series)
    out = np.empty(series.shape[0])
    for (i,), row in _rows(series):
        try:
            out[i] = call(row)
        except errors.NoSolution:
            out[i] = np.nan
        except errors.Error as e:
            raise type(e)(e.code, e.path, "%s (row %d)" % (e.message, i)) from None
    return out


def npv(rate, values):
    """Net present value with values[0] at t = 0 (numpy-financial's npv;
    Excel's NPV is this divided by 1 + rate)."""
    L = _lib.lib()
    s = _series("npv", values)

    def one(r, row):
        p, n = _ptr(row)
        out = _lib.c_double()
        L.gfin_npv_err(r, p, n, out, _lib.GfinError())
        return out.value

    if _is_scalar(rate):
        r = _real("npv", "rate", rate)
        return _over_rows("npv", s, lambda row: one(r, row))
    rates = _array("npv", "rate", rate)
    rows = list(_rows(s))
    out = np.empty(rates.shape + ((len(rows),) if rows[0][0] else ()))
    for idx in np.ndindex(rates.shape):
        for ridx, row in rows:
            out[idx + ridx] = one(float(rates[idx]), row)
    return out


def irr(values, guess=0.1):
    """Internal rate of return of values at t = 0, 1, ...: the root nearest
    `guess`; NoSolution when the flows have none (1-D input)."""
    L = _lib.lib()
    g = _real("irr", "guess", guess)
    s = _series("irr", values)

    def one(row):
        p, n = _ptr(row)
        out = _lib.c_double()
        L.gfin_irr_err(p, n, g, out, _lib.GfinError())
        return out.value

    return _over_rows("irr", s, one)


def mirr(values, finance_rate, reinvest_rate):
    """Modified IRR (MIRR); NoSolution when the flows are all of one sign."""
    L = _lib.lib()
    f = _real("mirr", "finance_rate", finance_rate)
    r = _real("mirr", "reinvest_rate", reinvest_rate)
    s = _series("mirr", values)

    def one(row):
        p, n = _ptr(row)
        out = _lib.c_double()
        L.gfin_mirr_err(p, n, f, r, out, _lib.GfinError())
        return out.value

    return _over_rows("mirr", s, one)


def _dates(fn, dates, n):
    if np is not None and isinstance(dates, np.ndarray):
        if dates.dtype.kind == "M":
            days = dates.astype("datetime64[D]").astype(np.int64).tolist()
        elif dates.dtype.kind in "iu":
            days = dates.astype(np.int64).tolist()
        else:
            days = [to_days(d.item() if hasattr(d, "item") else d, fn + "()", "dates") for d in dates]
    elif isinstance(dates, (str, bytes)) or not hasattr(dates, "__iter__"):
        raise TypeError("%s() argument 'dates' must be a sequence of dates, not %s" % (fn, type(dates).__name__))
    else:
        days = [to_days(d, fn + "()", "dates") for d in dates]
    if len(days) != n:
        raise ValueError("%s() needs as many dates as values: %d dates, %d values" % (fn, len(days), n))
    for d in days:
        if not -2**31 <= d < 2**31:
            raise ValueError("%s() argument 'dates': %d days is out of range" % (fn, d))
    return (_lib.c_int32 * n)(*days)


def _series1(fn, values):
    s = _series(fn, values)
    if np is not None and isinstance(s, np.ndarray) and s.ndim != 1:
        raise TypeError("%s() argument 'values' must be 1-D" % fn)
    return s


def xnpv(rate, values, dates):
    """XNPV: sum values[i] / (1 + rate)^((dates[i] - dates[0]) / 365).
    An array `rate` gives one result per rate."""
    L = _lib.lib()
    s = _series1("xnpv", values)
    p, n = _ptr(s)
    d = _dates("xnpv", dates, n)

    def one(r):
        out = _lib.c_double()
        L.gfin_xnpv_err(r, p, d, n, out, _lib.GfinError())
        return out.value

    if _is_scalar(rate):
        return one(_real("xnpv", "rate", rate))
    rates = _array("xnpv", "rate", rate)
    out = np.empty(rates.shape)
    for idx in np.ndindex(rates.shape):
        out[idx] = one(float(rates[idx]))
    return out


def xirr(values, dates, guess=0.1):
    """XIRR: the annual rate at which XNPV is 0, nearest `guess`."""
    L = _lib.lib()
    g = _real("xirr", "guess", guess)
    s = _series1("xirr", values)
    p, n = _ptr(s)
    d = _dates("xirr", dates, n)
    out = _lib.c_double()
    L.gfin_xirr_err(p, d, n, g, out, _lib.GfinError())
    return out.value
