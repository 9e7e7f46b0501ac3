"""Goal seek (experimental, as the C ``gfin_solve_*`` of greenfin.h): the value
of one input key at which a metric reaches a target, e.g. the breakeven tariff::

    import greenfin
    from greenfin.solve import solve
    s = solve(greenfin.Project.from_file("solar.json"), "tariff_per_mwh", "npv", 0.0)
    s.value, s.reached, s.result.metrics["npv"]

The search (docs/model.md "Goal seek") stays within the key's registry bounds,
expanding from the input's value until the metric crosses the target, then
Brent's method; the inputs given are not changed. No value within the bounds
reaching the target raises greenfin.NoSolution with the metric's range; a key,
metric, project or loan that does not fit raises greenfin.InvalidInput.
"""

import ctypes

from . import _lib, errors
from .model import Portfolio, Project
from .results import Result

__all__ = ["Solution", "solve"]

_OBJECTS = ("loan", "project", "debt_sizing", "grid", "fund", "portfolio")
_SolveP = ctypes.c_void_p

# (name, argtypes, restype, errcheck), declared on first use: the experimental
# tier stays out of the stable table of _lib.
_PROTOTYPES = [
    ("gfin_solve_new", [_lib.key_t, _lib.key_t, _lib.c_double], _SolveP, _lib.check_alloc),
    ("gfin_solve_free", [_SolveP], None, None),
    ("gfin_solve_set_where", [_SolveP, _lib.c_char_p, _lib.c_char_p, _lib.ErrP], _lib.c_int, _lib.check_status),
    ("gfin_solve_set_scope", [_SolveP, _lib.c_char_p, _lib.ErrP], _lib.c_int, _lib.check_status),
    ("gfin_solve_project", [_SolveP, _lib.ProjectP, ctypes.POINTER(_lib.ResultP), _lib.ErrP], _lib.c_int,
     _lib.check_status),
    ("gfin_solve_portfolio", [_SolveP, _lib.PortfolioP, _lib.c_int, ctypes.POINTER(_lib.ResultP), _lib.ErrP],
     _lib.c_int, _lib.check_status),
    ("gfin_solve_outcome", [_SolveP, _lib.DblP, _lib.DblP, ctypes.POINTER(_lib.c_int),
                            ctypes.POINTER(_lib.c_int)], _lib.c_int, _lib.check_status),
]


def _functions():
    L = _lib.lib()
    for name, argtypes, restype, errcheck in _PROTOTYPES:
        f = getattr(L, name)
        if f.argtypes is None or list(f.argtypes) != argtypes:
            f.argtypes, f.restype = argtypes, restype
            if errcheck is not None:
                f.errcheck = errcheck
    return L


class Solution:
    """A goal seek's outcome: ``key``, ``metric``, ``target``, ``value`` (the
    key's value found), ``reached`` (the metric there), ``iterations``
    (Brent's), ``evaluations`` (of the model) and ``result`` (the whole
    result at ``value``)."""

    def __init__(self, key, metric, target, value, reached, iterations, evaluations, result):
        self.key, self.metric, self.target = key, metric, target
        self.value, self.reached = value, reached
        self.iterations, self.evaluations = iterations, evaluations
        self.result = result

    def __repr__(self):
        return "<greenfin.solve.Solution %s = %.10g gives %s = %.10g>" % (self.key, self.value, self.metric,
                                                                          self.reached)


def _key(L, vary, loan):
    """The key named `vary`: OBJECT.NAME, a name one object has, or a loan's
    when `loan` is given."""
    if "." in vary:
        obj, name = vary.split(".", 1)
        k = L.gfin_key_find(obj.encode(), name.encode()) if obj in _OBJECTS else -1
        if k < 0:
            raise errors.InvalidInput(errors.EINVAL, "vary", "%r is not a key (OBJECT.NAME, OBJECT one of %s)"
                                      % (vary, ", ".join(_OBJECTS)))
        return k
    found = {o: L.gfin_key_find(o.encode(), vary.encode()) for o in _OBJECTS}
    found = {o: k for o, k in found.items() if k >= 0}
    if loan is not None and "loan" in found:
        return found["loan"]
    if not found:
        raise errors.InvalidInput(errors.EINVAL, "vary", "%r is not a key" % vary)
    if len(found) > 1:
        raise errors.InvalidInput(errors.EINVAL, "vary", "%r is a key of several objects: write %s" % (
            vary, " or ".join("%s.%s" % (o, vary) for o in found)))
    return next(iter(found.values()))


def solve(model, vary, metric, target, project=None, loan=None, scope=None, threads=None):
    """The value of input key `vary` of `model` (a Project or a Portfolio) at
    which `metric` (a name) equals `target`: a Solution. `project`, `loan`:
    the ids of the project and loan whose key varies (needed when there are
    several); `scope`: "portfolio" or the project id whose result carries the
    metric (default: the portfolio's when it has the metric, else the varied
    project's); `threads`: for a portfolio, as Portfolio.evaluate."""
    if not isinstance(model, (Project, Portfolio)):
        raise TypeError("solve() needs a Project or a Portfolio, not %s" % type(model).__name__)
    L = _functions()
    key = _key(L, vary, loan)
    m = L.gfin_metric_find(str(metric).encode())
    if m < 0:
        raise errors.InvalidInput(errors.EINVAL, "metric", "%r is not a metric" % metric)
    s = L.gfin_solve_new(key, m, float(target))
    try:
        err = _lib.GfinError()
        enc = (lambda v: None if v is None else str(v).encode())
        L.gfin_solve_set_where(s, enc(project), enc(loan), err)
        if scope is not None:
            L.gfin_solve_set_scope(s, enc(scope), err)
        out = _lib.ResultP()
        if isinstance(model, Project):
            with model._reading() as p:
                L.gfin_solve_project(s, p, out, err)
        else:
            threads = 0 if threads is None else _lib.c_integer("solve()", "threads", threads, 0,
                                                              _lib.INT_RANGE[1], "0: one per CPU")
            with model._reading() as p:
                L.gfin_solve_portfolio(s, p, threads, out, err)
        result = Result._wrap_owned(out)
        value, reached = _lib.c_double(), _lib.c_double()
        iterations, evaluations = _lib.c_int(), _lib.c_int()
        L.gfin_solve_outcome(s, value, reached, iterations, evaluations)
    finally:
        L.gfin_solve_free(s)
    name = L.gfin_key_name(key).decode()
    return Solution(name, str(metric), float(target), value.value, reached.value, iterations.value,
                    evaluations.value, result)
