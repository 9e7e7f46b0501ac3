"""Risk: cases, sensitivity and Monte Carlo over a portfolio (docs/model.md
"Risk"), run by the C engine (gfin_risk_*, the header's experimental tier).

    pf = greenfin.Portfolio.from_file('cambodia_pipeline.json')
    r = pf.risk(scenarios=2000, seed=7, samples=True, spec={
        'uncertainties': [{'key': 'energy', 'technology': 'hydro', 'per': 'year', 'factor': 'mekong',
                           'distribution': {'type': 'normal', 'mean': 1, 'sd': 0.12}}],
        'factors': {'mekong': {'per': 'year', 'autocorrelation': 0.5}},
        'sensitivity': [{'key': 'capex', 'low': 0.8, 'high': 1.2}]})
    r.statistics.loc[('portfolio', 'fund_irr'), 'q10']
    r.probabilities, r.sensitivity, r.cases     # pandas DataFrames
    r.samples['portfolio.fund_irr']             # zero-copy numpy column
    greenfin.statistics(r.samples['portfolio.fund_irr'])

`spec` is the ``risk`` object of a portfolio file, as a dict with the same
names; without it, the ``risk`` object of the file the portfolio was loaded
from. Every value is checked by the library (the same rules as the file), and
errors carry the path in the file's terms (``risk.uncertainties[0].
distribution.sd: ...``). The scenarios run in C on `threads` threads with the
GIL released; Python only builds the experiment and wraps the result.
"""

import ctypes
import difflib
import json
import math
import numbers

from . import _lib, errors
from . import _registry as reg
from ._handle import Closing, Handle, Hold
from .table import Table

__all__ = ["RiskResult", "statistics"]

SIZE_MAX = (1 << (8 * ctypes.sizeof(ctypes.c_size_t))) - 1  # GFIN_RISK_REST: every scenario to the end

CHANGE_KEYS = ("key", "apply", "projects", "technology", "lenders", "years", "currency", "name")
SPEC_KEYS = ("scenarios", "seed", "covenant_dscr", "hurdle_equity_irr", "cases", "sensitivity",
             "uncertainties", "factors", "correlations")


# --------------------------------------------------------------------------
# Building a gfin_risk from the file's vocabulary
# --------------------------------------------------------------------------

def _refuse(path, message):
    return errors.InvalidInput(errors.EINVAL, path, message)


def _at(path, e):
    """A library error re-raised with the file's path in front of its own."""
    sub = e.path
    full = path if not sub else (sub if not path else "%s.%s" % (path, sub))
    return type(e)(e.code, full, e.message)


def _call(path, fn, *args):
    try:
        return fn(*args)
    except errors.Error as e:
        raise _at(path, e) from None


def _keys(path, d, allowed):
    if not isinstance(d, dict):
        raise _refuse(path, "must be an object (a dict), not %s" % type(d).__name__)
    for k in d:
        if k not in allowed:
            near = difflib.get_close_matches(str(k), allowed, n=1)
            raise _refuse("%s.%s" % (path, k) if path else str(k),
                          "unknown key%s" % (" (did you mean %r?)" % near[0] if near else ""))


def _number(path, v):
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        raise _refuse(path, "must be a number, not %s" % type(v).__name__)
    return float(v)


def _list(path, v):
    if isinstance(v, (str, bytes, dict)) or not hasattr(v, "__iter__"):
        raise _refuse(path, "must be a list, not %s" % type(v).__name__)
    return list(v)


def _name_of(path, finder, value, what):
    if not isinstance(value, str):
        raise _refuse(path, "must be a string, not %s" % type(value).__name__)
    n = finder(_lib.c_string("risk", path, value))
    if n < 0:
        raise _refuse(path, "%r is not a %s" % (value, what))
    return n


class _Owned:
    """A C object freed when the block ends (changes, distributions, the experiment)."""

    def __init__(self, ptr, free):
        self.ptr, self._free = ptr, free

    def __enter__(self):
        return self.ptr

    def __exit__(self, *exc):
        ptr, self.ptr = self.ptr, None
        if ptr:
            self._free(ptr)
        return False


def _change(path, d, extra):
    """A gfin_risk_change from a change object (plus the `extra` keys the
    caller reads: value, low/high, distribution...)."""
    L = _lib.lib()
    _keys(path, d, CHANGE_KEYS + extra)
    if "key" not in d:
        raise _refuse(path + ".key", "is required")
    key = _lib.c_string("risk", path + ".key", d["key"]) if isinstance(d["key"], str) else None
    if key is None:
        raise _refuse(path + ".key", "must be a string")
    apply = _name_of(path + ".apply", L.gfin_risk_apply_find, d.get("apply", "scale"), "way to apply a change "
                     "('scale', 'add' or 'set')")
    err = _lib.GfinError()
    ptr = _call(path, L.gfin_risk_change_new, key, apply, err)
    owned = _Owned(ptr, L.gfin_risk_change_free)
    try:
        if "name" in d:
            _call(path + ".name", L.gfin_risk_change_set_name, ptr, _lib.c_string("risk", path + ".name", d["name"]),
                  _lib.GfinError())
        for i, pid in enumerate(_list(path + ".projects", d.get("projects", []))):
            p = "%s.projects[%d]" % (path, i)
            _call(p, L.gfin_risk_change_add_project, ptr, _lib.c_string("risk", p, pid), _lib.GfinError())
        if "technology" in d:
            choices = reg.params("project")["technology"].choices
            if d["technology"] not in choices:
                raise _refuse(path + ".technology", "%r is not one of %s" % (d["technology"], ", ".join(choices)))
            _call(path + ".technology", L.gfin_risk_change_set_technology, ptr, choices.index(d["technology"]),
                  _lib.GfinError())
        for i, lender in enumerate(_list(path + ".lenders", d.get("lenders", []))):
            p = "%s.lenders[%d]" % (path, i)
            _call(p, L.gfin_risk_change_add_lender, ptr, _lib.c_string("risk", p, lender), _lib.GfinError())
        if "years" in d:
            years = _list(path + ".years", d["years"])
            if len(years) != 2:
                raise _refuse(path + ".years", "must be [first, last]")
            first, last = (_lib.c_integer("risk", "%s.years[%d]" % (path, i), y, *_lib.INT_RANGE)
                           for i, y in enumerate(years))
            _call(path + ".years", L.gfin_risk_change_set_years, ptr, first, last, _lib.GfinError())
        if "currency" in d:
            _call(path + ".currency", L.gfin_risk_change_set_currency, ptr,
                  _lib.c_string("risk", path + ".currency", d["currency"]), _lib.GfinError())
    except BaseException:
        owned.__exit__()
        raise
    return owned


def _dist(path, d):
    L = _lib.lib()
    if not isinstance(d, dict):
        raise _refuse(path, "must be an object (a dict), not %s" % type(d).__name__)
    if "type" not in d:
        raise _refuse(path + ".type", "is required")
    t = _name_of(path + ".type", L.gfin_risk_dist_type_find, d["type"],
                 "distribution (normal, lognormal, uniform, triangular, pert, discrete)")
    ptr = L.gfin_risk_dist_new(t)
    owned = _Owned(ptr, L.gfin_risk_dist_free)
    try:
        values = weights = None
        for k, v in d.items():
            if k == "type":
                continue
            if k in ("values", "weights"):
                arr = reg.to_doubles(v, "risk", "%s.%s" % (path, k))
                values, weights = (arr, weights) if k == "values" else (values, arr)
                continue
            param = L.gfin_risk_dist_param_find(_lib.c_string("risk", "%s.%s" % (path, k), k))
            if param < 0:
                raise _refuse("%s.%s" % (path, k), "unknown parameter")
            _call(path, L.gfin_risk_dist_set, ptr, param, _number("%s.%s" % (path, k), v), _lib.GfinError())
        if weights is not None and values is None:
            raise _refuse(path + ".values", "is required with weights")
        if values is not None:
            if weights is not None and weights[2] != values[2]:
                raise _refuse(path + ".weights", "needs one weight per value: %d weights, %d values"
                              % (weights[2], values[2]))
            _call(path, L.gfin_risk_dist_set_values, ptr, values[1], weights[1] if weights else None, values[2],
                  _lib.GfinError())
        _call(path, L.gfin_risk_dist_validate, ptr, _lib.GfinError())
    except BaseException:
        owned.__exit__()
        raise
    return owned


def _per(path, d, key="per"):
    return _name_of("%s.%s" % (path, key), _lib.lib().gfin_risk_per_find, d.get(key, "scenario"),
                    "'per' ('scenario' or 'year')")


def build(spec):
    """A new gfin_risk (caller frees) from a ``risk`` object."""
    _lib.require("gfin_risk_run", "risk")
    L = _lib.lib()
    _keys("risk", spec, SPEC_KEYS)
    ptr = L.gfin_risk_new()
    owned = _Owned(ptr, L.gfin_risk_free)
    try:
        if "scenarios" in spec:
            n = _lib.c_integer("risk", "risk.scenarios", spec["scenarios"], 0, SIZE_MAX - 1, "a size_t")
            _call("risk.scenarios", L.gfin_risk_set_scenarios, ptr, n, _lib.GfinError())
        if "seed" in spec:
            s = _lib.c_integer("risk", "risk.seed", spec["seed"], 0, (1 << 64) - 1, "a uint64")
            _call("risk.seed", L.gfin_risk_set_seed, ptr, s, _lib.GfinError())
        if "covenant_dscr" in spec:
            _call("risk.covenant_dscr", L.gfin_risk_set_covenant_dscr, ptr,
                  _number("risk.covenant_dscr", spec["covenant_dscr"]), _lib.GfinError())
        if spec.get("hurdle_equity_irr") is not None:
            _call("risk.hurdle_equity_irr", L.gfin_risk_set_hurdle_equity_irr, ptr,
                  _number("risk.hurdle_equity_irr", spec["hurdle_equity_irr"]), _lib.GfinError())
        factors = spec.get("factors", {})
        if not isinstance(factors, dict):
            raise _refuse("risk.factors", "must be an object of factors by name")
        for name, f in factors.items():
            p = "risk.factors.%s" % name
            _keys(p, f, ("per", "autocorrelation"))
            _call(p, L.gfin_risk_add_factor, ptr, _lib.c_string("risk", p, name), _per(p, f),
                  _number(p + ".autocorrelation", f.get("autocorrelation", 0.0)), _lib.GfinError())
        for i, c in enumerate(_list("risk.correlations", spec.get("correlations", []))):
            p = "risk.correlations[%d]" % i
            c = _list(p, c)
            if len(c) != 3 or not all(isinstance(x, str) for x in c[:2]):
                raise _refuse(p, "must be [factor, factor, rho]")
            _call(p, L.gfin_risk_add_correlation, ptr, _lib.c_string("risk", p, c[0]), _lib.c_string("risk", p, c[1]),
                  _number(p + "[2]", c[2]), _lib.GfinError())
        for i, case in enumerate(_list("risk.cases", spec.get("cases", []))):
            p = "risk.cases[%d]" % i
            _keys(p, case, ("name", "changes"))
            index = _lib.c_size_t()
            _call(p + ".name", L.gfin_risk_add_case, ptr, _lib.c_string("risk", p + ".name", case.get("name", "")),
                  index, _lib.GfinError())
            for j, ch in enumerate(_list(p + ".changes", case.get("changes", []))):
                q = "%s.changes[%d]" % (p, j)
                if not isinstance(ch, dict) or "value" not in ch:
                    raise _refuse(q + ".value", "is required")
                with _change(q, ch, ("value",)) as cp:
                    _call(q, L.gfin_risk_case_add_change, ptr, index.value, cp, _number(q + ".value", ch["value"]),
                          _lib.GfinError())
        for i, s in enumerate(_list("risk.sensitivity", spec.get("sensitivity", []))):
            p = "risk.sensitivity[%d]" % i
            for k in ("low", "high"):
                if not isinstance(s, dict) or k not in s:
                    raise _refuse("%s.%s" % (p, k), "is required")
            with _change(p, s, ("low", "high")) as cp:
                _call(p, L.gfin_risk_add_sensitivity, ptr, cp, _number(p + ".low", s["low"]),
                      _number(p + ".high", s["high"]), _lib.GfinError())
        for i, u in enumerate(_list("risk.uncertainties", spec.get("uncertainties", []))):
            p = "risk.uncertainties[%d]" % i
            if not isinstance(u, dict) or "distribution" not in u:
                raise _refuse(p + ".distribution", "is required")
            factor = u.get("factor")
            with _change(p, u, ("distribution", "factor", "per")) as cp, \
                    _dist(p + ".distribution", u["distribution"]) as dp:
                _call(p, L.gfin_risk_add_uncertainty, ptr, cp, dp,
                      None if factor is None else _lib.c_string("risk", p + ".factor", factor), _per(p, u),
                      _lib.GfinError())
    except BaseException:
        owned.__exit__()
        raise
    return owned


def risk_spec_of(text):
    """The ``risk`` object of a JSON document (None when it has none)."""
    try:
        doc = json.loads(text)
    except ValueError:
        return None
    return doc.get("risk") if isinstance(doc, dict) else None


# --------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------

_PROGRESS = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_size_t)


def run(portfolio_reading, spec, scenarios=None, seed=None, first=0, count=None, threads=0, samples=False,
        progress=None, callee="Portfolio.risk()"):
    """Builds the experiment and runs it on the portfolio pinned by
    `portfolio_reading` (a reader pin). Returns a RiskResult."""
    L = _lib.lib()
    spec = dict(spec or {})
    if scenarios is not None:
        spec["scenarios"] = scenarios
    if seed is not None:
        spec["seed"] = seed
    first = _lib.c_integer(callee, "first", first, 0, SIZE_MAX - 1, "a size_t")
    count = SIZE_MAX if count is None else _lib.c_integer(callee, "count", count, 0, SIZE_MAX - 1, "a size_t")
    threads = _lib.c_integer(callee, "threads", 0 if threads is None else threads, 0, _lib.INT_RANGE[1],
                             "0: one per CPU")
    with build(spec) as rk:
        L.gfin_risk_set_keep_samples(rk, 1 if samples else 0)
        callback = None
        if progress is not None:
            def _cb(user, done, total):
                try:
                    return 1 if progress(done, total) is False else 0
                except BaseException:  # an exception in the callback stops the run
                    return 1
            callback = _PROGRESS(_cb)
            L.gfin_risk_set_progress(rk, ctypes.cast(callback, ctypes.c_void_p), None)
        out = _lib.RiskResultP()
        err = _lib.GfinError()
        try:
            with portfolio_reading as pf:
                L.gfin_risk_run(rk, pf, first, count, threads, out, err)
        except errors.Error as e:
            # The experiment's own paths ("uncertainties[2].projects[0]") are
            # in the risk object; the model's ("scenario 17: projects[0]...") are not.
            if e.path.split("[", 1)[0].split(".", 1)[0] in SPEC_KEYS:
                raise _at("risk", e) from None
            raise
    return RiskResult(out)


# --------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------

def _stat_names():
    L = _lib.lib()
    names, i = [], 0
    while True:
        n = L.gfin_risk_stat_name(i)
        if n is None:
            return names
        names.append(n.decode("ascii"))
        i += 1


class RiskResult(Closing):
    """The outcome of a risk run: statistics, probabilities, sensitivity and
    cases as pandas DataFrames (scopes and metrics by name), the per-scenario
    samples as a Table of zero-copy numpy columns (when asked for), warnings
    and the run's size. Immutable; its tables keep it alive."""

    def __init__(self, ptr):
        self._h = Handle(ptr, _lib.lib().gfin_risk_result_free, "RiskResult")
        self._p = ptr
        self._tables = {}

    def _hold(self):
        h = self._h
        if h is None:
            raise ValueError("operation on a closed greenfin.RiskResult")
        return Hold(h, self._p)

    def _names(self, count_fn, name_fn):
        L = _lib.lib()
        with self._hold() as p:
            return [getattr(L, name_fn)(p, i).decode("utf-8") for i in range(getattr(L, count_fn)(p))]

    @property
    def scopes(self):
        """'portfolio', then the projects' ids, in scope number order."""
        return self._names("gfin_risk_result_scope_count", "gfin_risk_result_scope_name")

    @property
    def metrics(self):
        """{'scenarios', 'seed', 'first', 'count'}: the experiment's size and the block run."""
        L = _lib.lib()
        with self._hold() as p:
            return {"scenarios": L.gfin_risk_result_scenarios(p), "seed": L.gfin_risk_result_seed(p),
                    "first": L.gfin_risk_result_first(p), "count": L.gfin_risk_result_count(p)}

    @property
    def warnings(self):
        return self._names("gfin_risk_result_warning_count", "gfin_risk_result_warning")

    def table(self, name):
        """The C table `name` ('statistics', 'probabilities', 'sensitivity',
        'cases', 'samples') with its integer codes; KeyError when absent."""
        t = self._tables.get(name)
        if t is None:
            cname = _lib.c_string("RiskResult.table()", "name", name)
            with self._hold() as p:
                tp = _lib.lib().gfin_risk_result_table(p, cname)
                t = Table(tp, self._h, name) if tp else None
            if t is None:
                raise KeyError("this risk result has no table %r%s" % (
                    name, " (run with samples=True)" if name == "samples" else ""))
            self._tables[name] = t
        elif self._h is None:
            raise ValueError("operation on a closed greenfin.RiskResult")
        return t

    @property
    def samples(self):
        """Table: 'scenario' and one zero-copy column '<scope>.<metric>' per
        sampled metric (NaN where the metric has no value); None unless the
        run kept samples. ``.to_pandas()`` gives a DataFrame."""
        try:
            return self.table("samples")
        except KeyError:
            return None

    def _frame(self, name, coded, index=None):
        import pandas as pd
        t = self.table(name)
        data = {}
        lookups = {"scope": self.scopes, "change": self._names("gfin_risk_result_change_count",
                                                               "gfin_risk_result_change_name"),
                   "case": self._names("gfin_risk_result_case_count", "gfin_risk_result_case_name")}
        for col in t.columns:
            a = t[col]
            if col == "metric":
                data[col] = [_metric_name(int(m)) for m in a]
            elif col in coded:
                names = lookups[col]
                data[col] = [names[int(k)] for k in a]
            elif col == "n":
                data[col] = a.astype("int64")
            else:
                data[col] = a.copy()
        df = pd.DataFrame(data, columns=t.columns)
        return df.set_index(index) if index else df

    @property
    def statistics(self):
        """DataFrame indexed by (scope, metric): n, mean, sd, min, q05, q10,
        q50, q90, q95, max (NaN for a null)."""
        return self._frame("statistics", ("scope",), ["scope", "metric"])

    @property
    def probabilities(self):
        """DataFrame indexed by (scope, metric) with column value."""
        return self._frame("probabilities", ("scope",), ["scope", "metric"])

    @property
    def sensitivity(self):
        """DataFrame: change, scope, metric, base, at_low, at_high, swing
        (largest swing first within a scope and metric: the tornado)."""
        return self._frame("sensitivity", ("change", "scope"))

    @property
    def cases(self):
        """DataFrame: case, scope, metric, base, value, difference."""
        return self._frame("cases", ("case", "scope"))

    def statistic(self, scope, metric, stat):
        """One statistic ('q10', ...) of a metric of a scope ('portfolio' or a
        project id); None when null."""
        L = _lib.lib()
        names = _stat_names()
        if stat not in names:
            raise ValueError("stat must be one of %s, not %r" % (", ".join(names), stat))
        out = _lib.c_double()
        with self._hold() as p:
            st = L.gfin_risk_result_statistic(p, self._scope(scope), _metric_key(metric), names.index(stat), out)
        return out.value if st == errors.OK else None

    def _scope(self, scope):
        scopes = self.scopes
        if scope not in scopes:
            raise KeyError("no scope %r; scopes: %s" % (scope, ", ".join(scopes)))
        return scopes.index(scope)

    def to_dict(self):
        """The result in the shape of `greenfin risk --format json` (docs/model.md)."""
        out = {"metrics": self.metrics, "statistics": {"portfolio": {}, "projects": {}},
               "probabilities": {"portfolio": {}, "projects": {}}}
        for name in ("statistics", "probabilities"):
            df = getattr(self, name)
            for (scope, metric), row in df.iterrows():
                where = out[name]["portfolio"] if scope == "portfolio" else \
                    out[name]["projects"].setdefault(scope, {})
                vals = {k: _json_number(v) for k, v in row.items()}
                where[metric] = vals if name == "statistics" else vals["value"]
        for name in ("sensitivity", "cases"):
            out[name] = [{k: _json_number(v) for k, v in rec.items()}
                         for rec in getattr(self, name).to_dict("records")]
        out["warnings"] = self.warnings
        s = self.samples
        if s is not None:
            out["samples"] = {c: [_json_number(v) for v in s[c]] for c in s.columns}
        return out

    def to_json(self):
        return json.dumps(self.to_dict())

    def close(self):
        """Lets go of the C result (freed once no table or column still uses it)."""
        self._h = None
        self._tables = {}

    @property
    def closed(self):
        return self._h is None

    def __repr__(self):
        if self.closed:
            return "<greenfin.RiskResult (closed)>"
        m = self.metrics
        return "<greenfin.RiskResult scenarios %d..%d of %d, seed %d>" % (
            m["first"], m["first"] + m["count"] - 1, m["scenarios"], m["seed"])


def _json_number(v):
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "item"):
        v = v.item()
        if isinstance(v, float) and math.isnan(v):
            return None
    return v


def _metric_name(key):
    m = reg.metric(key)
    return m.name if m else str(key)


def _metric_key(name):
    for m in reg.metrics():
        if m.name == name:
            return m.key
    raise KeyError("no metric %r" % (name,))


def statistics(samples):
    """The library's statistics of samples (the rules of a risk run: NaN left
    out, sd with n - 1, quantiles interpolated at h = (n - 1) p):
    {'n', 'mean', 'sd', 'min', 'q05', 'q10', 'q50', 'q90', 'q95', 'max'},
    None for a null. Merging blocks: concatenate their samples in scenario
    order and call this."""
    _lib.require("gfin_risk_statistics", "greenfin.statistics()")
    keep, ptr, n = reg.to_doubles(samples, "statistics()", "samples")
    names = _stat_names()
    out = (_lib.c_double * len(names))()
    _lib.lib().gfin_risk_statistics(ptr, n, out, _lib.GfinError())
    res = {}
    for name, v in zip(names, out):
        res[name] = None if math.isnan(v) else (int(v) if name == "n" else v)
    return res
