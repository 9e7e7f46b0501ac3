"""Keyword names -> C keys, read from the library's own registry.

Nothing here knows a key's number or name: both come from gfin_key_* and
gfin_metric_* at run time, so the bindings follow the library when keys are
added. This module turns Python keyword arguments into typed values for the
setters, and refuses unknown keywords and wrong types *before* any setter runs.
"""

import ctypes
import datetime
import difflib
import numbers
import threading

from . import _lib

try:  # numpy is optional everywhere in the package
    import numpy as np
except ImportError:  # pragma: no cover - exercised only without numpy
    np = None

# gfin_param_type (greenfin.h section 4): the numbers are read from the library
# when the registry is loaded (gfin_enum_value), before any of them is used.
NUMBER = INTEGER = CHOICE = ARRAY = STRING = DATE = None
TYPE_NAMES = {}
_TYPES = ("number", "integer", "choice", "array", "string", "date")


def _load_types():
    global NUMBER, INTEGER, CHOICE, ARRAY, STRING, DATE
    values = [_lib.enum_value("GFIN_PARAM_" + t.upper()) for t in _TYPES]
    TYPE_NAMES.update(zip(values, _TYPES))
    NUMBER, INTEGER, CHOICE, ARRAY, STRING, DATE = values

EPOCH = datetime.date(1970, 1, 1)


class Param:
    """One registry entry: what greenfin.parameters() lists."""

    __slots__ = ("key", "object", "name", "type", "unit", "doc", "required", "min", "max",
                 "min_exclusive", "max_exclusive", "default", "choices")

    def __init__(self, **kw):
        for k in self.__slots__:
            setattr(self, k, kw.get(k))

    @property
    def type_name(self):
        return TYPE_NAMES.get(self.type, "?")

    def __repr__(self):
        extra = ""
        if self.choices:
            extra = " choices=%r" % (self.choices,)
        elif self.min is not None:
            extra = " %s%g, %g%s" % ("(" if self.min_exclusive else "[", self.min, self.max,
                                     ")" if self.max_exclusive else "]")
        return "<Param %s.%s %s%s%s%s>" % (self.object, self.name, self.type_name,
                                           " [%s]" % self.unit if self.unit else "", extra,
                                           " required" if self.required else "")


class Metric:
    __slots__ = ("key", "name", "unit", "doc")

    def __init__(self, key, name, unit, doc):
        self.key, self.name, self.unit, self.doc = key, name, unit, doc

    def __repr__(self):
        return "<Metric %s%s>" % (self.name, " [%s]" % self.unit if self.unit else "")


_lock = threading.Lock()
_params = None   # object -> {name: Param}
_metrics = None  # key -> Metric


def _s(b):
    return b.decode("utf-8") if b is not None else None


def _load():
    global _params, _metrics
    with _lock:
        if _params is not None:
            return
        L = _lib.lib()
        _load_types()
        params = {}
        for i in range(L.gfin_key_count()):
            k = L.gfin_key_at(i)
            p = Param(key=k, object=_s(L.gfin_key_object(k)), name=_s(L.gfin_key_name(k)),
                      type=L.gfin_key_type(k), unit=_s(L.gfin_key_unit(k)) or "",
                      doc=_s(L.gfin_key_doc(k)) or "", required=L.gfin_key_required(k) == 1)
            if p.type in (NUMBER, INTEGER, CHOICE, ARRAY, DATE):
                lo, hi = _lib.c_double(), _lib.c_double()
                lx, hx = _lib.c_int(), _lib.c_int()
                try:
                    L.gfin_key_bounds(k, lo, hi, lx, hx)
                    p.min, p.max = lo.value, hi.value
                    p.min_exclusive, p.max_exclusive = bool(lx.value), bool(hx.value)
                except Exception:
                    pass
            if p.type in (NUMBER, INTEGER, CHOICE):
                d = _lib.c_double()
                if L.gfin_key_default(k, d) == 0:
                    p.default = d.value
            if p.type == CHOICE:
                choices, c = [], 0
                while True:
                    n = L.gfin_key_choice(k, c)
                    if n is None:
                        break
                    choices.append(_s(n))
                    c += 1
                p.choices = tuple(choices)
                if p.default is not None and 0 <= p.default < len(choices):
                    p.default = choices[int(p.default)]
            elif p.type == INTEGER and p.default is not None:
                p.default = int(p.default)
            params.setdefault(p.object, {})[p.name] = p
        metrics = {}
        for i in range(L.gfin_metric_count()):
            m = L.gfin_metric_at(i)
            metrics[m] = Metric(m, _s(L.gfin_metric_name(m)), _s(L.gfin_metric_unit(m)) or "",
                                _s(L.gfin_metric_doc(m)) or "")
        _metrics = metrics
        _params = params


def params(obj):
    """{name: Param} of one registry object ("loan", "project", "grid", ...)."""
    if _params is None:
        _load()
    return _params.get(obj, {})


def objects():
    if _params is None:
        _load()
    return list(_params)


def metric(key):
    if _metrics is None:
        _load()
    return _metrics.get(key)


def metrics():
    if _metrics is None:
        _load()
    return list(_metrics.values())


# --------------------------------------------------------------------------
# Checking and converting keyword values
# --------------------------------------------------------------------------

def unknown_keyword(callee, name, valid, what="keyword argument"):
    msg = "%s got an unexpected %s %r" % (callee, what, name)
    close = difflib.get_close_matches(name, list(valid), n=1)
    if close:
        msg += " (did you mean %r?)" % close[0]
    return TypeError(msg)


def _is_real(v):
    return isinstance(v, numbers.Real) and not isinstance(v, bool)


def _typename(v):
    return type(v).__name__


def to_days(value, callee, name):
    """A date as days since 1970-01-01 (gfin_date): datetime.date/datetime,
    ISO "YYYY-MM-DD" text, numpy.datetime64, or an integer number of days."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return (value - EPOCH).days
    if isinstance(value, str):
        try:
            return (datetime.date.fromisoformat(value) - EPOCH).days
        except ValueError:
            raise ValueError("%s argument %r: %r is not a date in the form YYYY-MM-DD"
                             % (callee, name, value)) from None
    if np is not None and isinstance(value, np.datetime64):
        return int(value.astype("datetime64[D]").astype(np.int64))
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    raise TypeError("%s argument %r must be a date (datetime.date, 'YYYY-MM-DD' or days since "
                    "1970-01-01), not %s" % (callee, name, _typename(value)))


def from_days(days):
    return EPOCH + datetime.timedelta(days=int(days))


def to_doubles(value, callee, name):
    """A 1-D sequence of real numbers as a ctypes double array (or a contiguous
    float64 numpy array whose pointer is passed). Returns (keepalive, pointer, n)."""
    if np is not None and isinstance(value, np.ndarray):
        if value.ndim != 1:
            raise TypeError("%s argument %r must be a 1-D array, not %d-D" % (callee, name, value.ndim))
        if value.dtype.kind not in "iuf":
            raise TypeError("%s argument %r must be an array of numbers, not of dtype %s"
                            % (callee, name, value.dtype))
        arr = np.ascontiguousarray(value, dtype=np.float64)
        return arr, arr.ctypes.data_as(_lib.DblP), arr.shape[0]
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or not hasattr(value, "__iter__"):
        raise TypeError("%s argument %r must be a list, tuple or array of numbers, not %s"
                        % (callee, name, _typename(value)))
    items = list(value)
    for i, x in enumerate(items):
        if not _is_real(x):
            raise TypeError("%s argument %r: element %d must be a number, not %s"
                            % (callee, name, i, _typename(x)))
    buf = (_lib.c_double * len(items))(*items)
    return buf, ctypes.cast(buf, _lib.DblP), len(items)


class Value:
    """A checked keyword value, ready for a setter: kind is 'number',
    'string', 'array' or 'unset'."""

    __slots__ = ("param", "kind", "data")

    def __init__(self, param, kind, data):
        self.param, self.kind, self.data = param, kind, data


def convert(callee, p, value):
    """Checks `value` for registry entry `p`; TypeError/ValueError name the keyword.
    Bounds are left to the C setter (one place for the rule and its message)."""
    t = p.type
    tv = type(value)
    if (tv is float or tv is int) and (t == NUMBER or t == INTEGER):
        try:
            return Value(p, "number", float(value))   # the common case, without the ABC checks below
        except OverflowError:
            raise _too_large(callee, p.name, value) from None
    name = p.name
    if value is None:
        return Value(p, "unset", None)
    if t in (NUMBER, INTEGER):
        if not _is_real(value):
            raise TypeError("%s argument %r must be a%s, not %s"
                            % (callee, name, " number" if t == NUMBER else "n integer", _typename(value)))
        try:
            return Value(p, "number", float(value))
        except OverflowError:
            raise _too_large(callee, name, value) from None
    if t == CHOICE:
        if not isinstance(value, str):
            raise TypeError("%s argument %r must be a str, one of %s; not %s"
                            % (callee, name, ", ".join(repr(c) for c in p.choices), _typename(value)))
        try:
            return Value(p, "number", float(p.choices.index(value)))
        except ValueError:
            raise ValueError("%s argument %r must be one of %s; got %r"
                             % (callee, name, ", ".join(repr(c) for c in p.choices), value)) from None
    if t == STRING:
        if not isinstance(value, str):
            raise TypeError("%s argument %r must be a str, not %s" % (callee, name, _typename(value)))
        return Value(p, "string", _lib.c_string(callee, name, value))
    if t == DATE:
        days = to_days(value, callee, name)
        try:
            return Value(p, "number", float(days))
        except OverflowError:
            raise _too_large(callee, name, days) from None
    if t == ARRAY:
        return Value(p, "array", to_doubles(value, callee, name))
    raise TypeError("%s argument %r has a type these bindings do not know (%d)" % (callee, name, t))


def _too_large(callee, name, value):
    """An int beyond any double: the library would refuse it by its bounds,
    but float() cannot even pass it."""
    from . import errors
    digits = str(abs(value))
    shown = str(value) if len(digits) <= 30 else "an int of %d digits" % len(digits)
    return errors.InvalidInput(errors.EINVAL, name, "%s is too large for a number (beyond %g), in %s"
                               % (shown, 1.7976931348623157e308, callee))


def check_kwargs(callee, obj, kwargs, nested=()):
    """Converts every keyword of registry object `obj`; names in `nested` are
    left for the caller. Raises before anything is set."""
    table = params(obj)
    out = []
    for name, value in kwargs.items():
        if name in nested:
            continue
        p = table.get(name)
        if p is None:
            raise unknown_keyword(callee, name, list(table) + list(nested))
        out.append(convert(callee, p, value))
    return out


def get_value(prefix, handle, p):
    """Reads a key back from a handle: numbers, ints, choice names, dates,
    strings, lists; None when unset without a default."""
    L = _lib.lib()
    if p.type == STRING:
        return _s(getattr(L, prefix + "_get_string")(handle, p.key))
    if p.type == ARRAY:
        ptr, n = _lib.DblP(), _lib.c_size_t()
        getattr(L, prefix + "_get_array")(handle, p.key, ptr, n)
        return [ptr[i] for i in range(n.value)] if n.value else None
    d = _lib.c_double()
    if getattr(L, prefix + "_get")(handle, p.key, d) != 0:
        return None
    v = d.value
    if p.type == INTEGER:
        return int(v)
    if p.type == CHOICE:
        return p.choices[int(v)]
    if p.type == DATE:
        return from_days(v)
    return v
