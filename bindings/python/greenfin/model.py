"""Loans, projects, funds and portfolios: the inputs, set by keyword.

The keyword names are the registry's (MODEL.md): ``Loan(principal=...,
annual_rate=..., amortization='linear', start_date='2025-01-15')``. Every
keyword is checked against the registry before anything is set: an unknown one
raises TypeError with the nearest valid name, a value of the wrong type
TypeError, an unknown choice ValueError listing the choices. Bounds are checked
by the library, whose refusal is raised as InvalidInput (a ValueError) with its
message ("annual_rate: -0.5 is below the minimum 0").
"""

import os

from . import _lib
from . import _registry as reg
from ._handle import Handle, check_open
from .results import Result
from .table import Table


class _Inputs:
    """A C handle whose inputs are set by registry key."""

    _object = None   # registry object of the handle's own keys ("loan", ...)
    _prefix = None   # C prefix ("gfin_loan")
    _nested = {}     # keyword -> registry object set on the same handle (grid, debt_sizing)
    _extra = ()      # other structural keywords handled by the class (loans, projects, fund)

    def __init__(self, **kwargs):
        values = self._check(kwargs)
        extra = {k: kwargs[k] for k in self._extra if k in kwargs}
        self._pre_extra(extra)  # checks structural keywords before any C call
        L = _lib.lib()
        ptr = getattr(L, self._prefix + "_new")()
        self._h = Handle(ptr, getattr(L, self._prefix + "_free"))
        try:
            self._apply(values)
            self._set_extra(extra)
        except BaseException:
            self.close()
            raise

    @classmethod
    def _callee(cls):
        return "%s()" % cls.__name__

    @classmethod
    def _check(cls, kwargs, callee=None):
        callee = callee or cls._callee()
        values = reg.check_kwargs(callee, cls._object, kwargs, nested=cls._structural())
        if not cls._nested:
            return values
        for kw, obj in cls._nested.items():
            sub = kwargs.get(kw)
            if sub is None:
                continue
            if not isinstance(sub, dict):
                raise TypeError("%s argument %r must be a dict of %s keys, not %s"
                                % (callee, kw, obj, type(sub).__name__))
            table = reg.params(obj)
            for name in sub:
                if name not in table:
                    raise reg.unknown_keyword("%s %s" % (callee, kw), name, table, what="key")
            values += reg.check_kwargs("%s %s" % (callee, kw), obj, sub)
        return values

    def _pre_extra(self, extra):
        pass

    def _set_extra(self, extra):
        pass

    @classmethod
    def _adopt(cls, ptr):
        self = cls.__new__(cls)
        L = _lib.lib()
        self._h = Handle(ptr, getattr(L, cls._prefix + "_free"))
        return self

    def _ptr(self):
        check_open(getattr(self, "_h", None), type(self).__name__)
        return self._h.ptr

    @classmethod
    def _structural(cls):
        """The keywords check_kwargs leaves to the class (nested and extra)."""
        got = cls.__dict__.get("_structural_cache")
        if got is None:
            got = tuple(cls._nested) + tuple(cls._extra)
            cls._structural_cache = got
        return got

    @classmethod
    def _setters(cls):
        """(set, set_string, set_array, unset) of the class's C prefix, looked
        up once per class (attribute lookups on the CDLL cost per call)."""
        got = cls.__dict__.get("_setters_cache")
        if got is None:
            L = _lib.lib()
            got = (getattr(L, cls._prefix + "_set"), getattr(L, cls._prefix + "_set_string"),
                   getattr(L, cls._prefix + "_set_array", None), getattr(L, cls._prefix + "_unset", None))
            cls._setters_cache = got
        return got

    def _apply(self, values):
        set_num, set_string, set_array, unset = self._setters()
        p = self._ptr()
        for v in values:
            if v.kind == "number":
                set_num(p, v.param.key, v.data)
            elif v.kind == "string":
                set_string(p, v.param.key, v.data)
            elif v.kind == "array":
                _keep, ptr, n = v.data
                set_array(p, v.param.key, ptr, n)
            else:
                if unset is None:
                    raise TypeError("%s argument %r cannot be reset to None" % (self._callee(), v.param.name))
                unset(p, v.param.key)

    def set(self, **kwargs):
        """Sets keys by name (None resets a key to its default). All keywords
        are checked before any is set; a value the library refuses raises
        InvalidInput and leaves that key unchanged."""
        values = self._check(kwargs, "%s.set()" % type(self).__name__)
        extra = self._extra and {k: kwargs[k] for k in self._extra if k in kwargs}
        if extra:
            raise TypeError("%s.set() cannot change %s; use the add_* methods"
                            % (type(self).__name__, ", ".join(extra)))
        self._apply(values)
        return self

    def get(self, name):
        """The value of key `name` (its default when unset; None when it has
        none): float, int, choice name, datetime.date, str or list. Keys of
        nested objects (a project's grid and debt_sizing) by their own name."""
        for obj in (self._object,) + tuple(self._nested.values()):
            p = reg.params(obj).get(name)
            if p is not None:
                return reg.get_value(self._prefix, self._ptr(), p)
        names = [n for obj in (self._object,) + tuple(self._nested.values()) for n in reg.params(obj)]
        raise reg.unknown_keyword("%s.get()" % type(self).__name__, name, names, what="key")

    @classmethod
    def parameters(cls):
        """The registry entries this class accepts as keywords: {name: Param}
        (nested objects under their keyword, e.g. 'grid')."""
        out = dict(reg.params(cls._object))
        for kw, obj in cls._nested.items():
            out[kw] = dict(reg.params(obj))
        return out

    def close(self):
        """Frees the C handle now. Using the object afterwards raises ValueError."""
        h = getattr(self, "_h", None)
        self._h = None
        if h is not None:
            h.release()

    @property
    def closed(self):
        h = getattr(self, "_h", None)
        return h is None or h.ptr is None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _validate(self):
        err = _lib.GfinError()
        getattr(_lib.lib(), self._prefix + "_validate")(self._ptr(), err)

    def validate(self):
        """Checks the inputs as a whole; raises InvalidInput naming the field."""
        self._validate()
        return self


def _from_json(cls, text, fn):
    if isinstance(text, str):
        data = text.encode("utf-8")
    elif isinstance(text, (bytes, bytearray, memoryview)):
        data = bytes(text)
    else:
        raise TypeError("%s.from_json() needs JSON text (str or bytes), not %s"
                        % (cls.__name__, type(text).__name__))
    err = _lib.GfinError()
    ptr = getattr(_lib.lib(), fn)(data, len(data), err)
    return cls._adopt(ptr)


class Loan(_Inputs):
    """A loan's terms (MODEL.md "Loan"), e.g.::

        Loan(principal=250e6, annual_rate=0.02, frequency=2, grace_periods=10,
             repayment_periods=40, amortization='linear',
             drawdowns=[0.25, 0.25, 0.25, 0.25], start_date='2027-01-15',
             day_count='ACT/365F')
    """

    _object = "loan"
    _prefix = "gfin_loan"

    @classmethod
    def from_json(cls, text):
        """A loan from a JSON object with MODEL.md's keys."""
        return _from_json(cls, text, "gfin_loan_from_json")

    @classmethod
    def from_file(cls, path):
        with open(os.fspath(path), "rb") as f:
            return cls.from_json(f.read())

    def copy(self):
        return type(self)._adopt(_lib.lib().gfin_loan_copy(self._ptr()))

    def schedule(self):
        """The period-by-period schedule as a Table (one row per period)."""
        err = _lib.GfinError()
        return Table._owned(_lib.lib().gfin_loan_schedule(self._ptr(), err), "schedule")

    def evaluate(self, discount_rate=None):
        """Schedule, metrics and warnings as a LoanResult; with a discount rate
        the metrics include grant_element at that rate."""
        L = _lib.lib()
        out = _lib.ResultP()
        err = _lib.GfinError()
        if discount_rate is None:
            L.gfin_loan_evaluate(self._ptr(), out, err)
        else:
            L.gfin_loan_evaluate_ge(self._ptr(), _number("Loan.evaluate()", "discount_rate", discount_rate),
                                    out, err)
        return Result._wrap_owned(out)

    def metrics(self, discount_rate=None):
        """{metric name: float or None} (see evaluate())."""
        with self.evaluate(discount_rate) as r:
            return r.metrics

    def grant_element(self, discount_rate):
        """The OECD DAC / IMF grant element at an annual discount rate, as a
        fraction (0.578 = 57.8 %)."""
        d = _number("Loan.grant_element()", "discount_rate", discount_rate)
        out = _lib.c_double()
        err = _lib.GfinError()
        _lib.lib().gfin_loan_grant_element(self._ptr(), d, out, err)
        return out.value

    def __repr__(self):
        if self.closed:
            return "<greenfin.Loan (closed)>"
        return "<greenfin.Loan %r principal=%r annual_rate=%r>" % (
            self.get("id"), self.get("principal"), self.get("annual_rate"))


def _number(callee, name, v):
    if not reg._is_real(v):
        raise TypeError("%s argument %r must be a number, not %s" % (callee, name, type(v).__name__))
    return float(v)


class Project(_Inputs):
    """A hydropower or solar project (MODEL.md "Project"), e.g.::

        Project(id='kampot-solar', technology='solar', capacity_mw=60,
                specific_yield_kwh_per_kwp=1450, capex=42e6, tariff_per_mwh=50,
                start_year=2027, discount_rate=0.1, grid={'ef_cm': 0.6},
                loans=[Loan(...) or {...}], debt_sizing={...})

    Loans are copied into the project: changing a Loan afterwards does not
    change the project.
    """

    _object = "project"
    _prefix = "gfin_project"
    _nested = {"grid": "grid", "debt_sizing": "debt_sizing"}
    _extra = ("loans",)

    def _pre_extra(self, extra):
        loans = extra.get("loans")
        if loans is None:
            self._loans_in = []
            return
        if isinstance(loans, (str, bytes, dict)) or not hasattr(loans, "__iter__"):
            raise TypeError("Project() argument 'loans' must be a list of Loan or dict, not %s"
                            % type(loans).__name__)
        self._loans_in = []
        for i, ln in enumerate(loans):
            if isinstance(ln, Loan):
                self._loans_in.append(ln)
            elif isinstance(ln, dict):
                Loan._check(ln, "Project() loans[%d]" % i)  # types and names first
                self._loans_in.append(dict(ln))
            else:
                raise TypeError("Project() argument 'loans': element %d must be a Loan or dict, not %s"
                                % (i, type(ln).__name__))

    def _set_extra(self, extra):
        for ln in self._loans_in:
            self.add_loan(ln)
        del self._loans_in

    @classmethod
    def from_json(cls, text):
        """A project from a JSON object (project keys, "grid", "debt_sizing", "loans")."""
        return _from_json(cls, text, "gfin_project_from_json")

    @classmethod
    def from_file(cls, path):
        with open(os.fspath(path), "rb") as f:
            return cls.from_json(f.read())

    def copy(self):
        return type(self)._adopt(_lib.lib().gfin_project_copy(self._ptr()))

    def add_loan(self, loan):
        """Attaches a copy of `loan` (a Loan, or a dict of Loan keywords)."""
        err = _lib.GfinError()
        if isinstance(loan, dict):
            with Loan(**loan) as ln:
                _lib.lib().gfin_project_add_loan(self._ptr(), ln._ptr(), err)
        elif isinstance(loan, Loan):
            _lib.lib().gfin_project_add_loan(self._ptr(), loan._ptr(), err)
        else:
            raise TypeError("Project.add_loan() needs a Loan or a dict, not %s" % type(loan).__name__)
        return self

    @property
    def loan_count(self):
        return _lib.lib().gfin_project_loan_count(self._ptr())

    def evaluate(self):
        """Evaluates the project standalone (grid, discount_rate and start_year
        must be set on it): a ProjectResult."""
        out = _lib.ResultP()
        err = _lib.GfinError()
        _lib.lib().gfin_project_evaluate(self._ptr(), out, err)
        return Result._wrap_owned(out)

    def __repr__(self):
        if self.closed:
            return "<greenfin.Project (closed)>"
        return "<greenfin.Project %r %s %s MW, %d loans>" % (
            self.get("id"), self.get("technology"), self.get("capacity_mw"), self.loan_count)


class Fund(_Inputs):
    """The portfolio's green fund: Fund(name=..., capital=..., management_fee=...,
    sources=[{'name': ..., 'amount': ..., 'annual_rate': ...}, ...])."""

    _object = "fund"
    _prefix = "gfin_fund"
    _extra = ("sources",)

    def _pre_extra(self, extra):
        sources = extra.get("sources") or []
        if isinstance(sources, (str, bytes, dict)) or not hasattr(sources, "__iter__"):
            raise TypeError("Fund() argument 'sources' must be a list of dicts, not %s"
                            % type(sources).__name__)
        self._sources_in = []
        for i, s in enumerate(sources):
            if not isinstance(s, dict):
                raise TypeError("Fund() argument 'sources': element %d must be a dict, not %s"
                                % (i, type(s).__name__))
            vals = reg.check_kwargs("Fund() sources[%d]" % i, "source", s)
            d = {v.param.name: v.data for v in vals}
            self._sources_in.append((d.get("name", b""), d.get("amount"), d.get("annual_rate")))

    def _set_extra(self, extra):
        for name, amount, rate in self._sources_in:
            self._add_source(name, amount, rate)
        del self._sources_in

    def _add_source(self, name, amount, rate):
        err = _lib.GfinError()
        # Required keys missing: let the library refuse them (NaN is refused).
        _lib.lib().gfin_fund_add_source(self._ptr(), name, float("nan") if amount is None else amount,
                                        float("nan") if rate is None else rate, err)

    def add_source(self, name, amount, annual_rate):
        """Adds a source of capital (annual_rate 0 for a grant)."""
        vals = reg.check_kwargs("Fund.add_source()", "source",
                                {"name": name, "amount": amount, "annual_rate": annual_rate})
        d = {v.param.name: v.data for v in vals}
        self._add_source(d["name"], d["amount"], d["annual_rate"])
        return self

    @property
    def source_count(self):
        return _lib.lib().gfin_fund_source_count(self._ptr())


class Portfolio(_Inputs):
    """A portfolio of projects and a fund (MODEL.md "Fund and portfolio").

    Usually loaded from a file: ``Portfolio.from_file('cambodia_pipeline.json')``;
    also built by keyword: ``Portfolio(name=..., start_year=2027,
    discount_rate=0.1, grid={...}, fund=Fund(...) or {...}, projects=[...])``.
    """

    _object = "portfolio"
    _prefix = "gfin_portfolio"
    _nested = {"grid": "grid"}
    _extra = ("fund", "projects")

    def _pre_extra(self, extra):
        projects = extra.get("projects") or []
        if isinstance(projects, (str, bytes, dict)) or not hasattr(projects, "__iter__"):
            raise TypeError("Portfolio() argument 'projects' must be a list of Project or dict, not %s"
                            % type(projects).__name__)
        for i, pr in enumerate(projects):
            if isinstance(pr, dict):
                Project._check(pr, "Project() projects[%d]" % i)
            elif not isinstance(pr, Project):
                raise TypeError("Portfolio() argument 'projects': element %d must be a Project or dict, not %s"
                                % (i, type(pr).__name__))
        fund = extra.get("fund")
        if fund is not None and not isinstance(fund, (Fund, dict)):
            raise TypeError("Portfolio() argument 'fund' must be a Fund or dict, not %s" % type(fund).__name__)
        if isinstance(fund, dict):
            Fund._check(fund)

    def _set_extra(self, extra):
        if extra.get("fund") is not None:
            self.set_fund(extra["fund"])
        for pr in extra.get("projects") or []:
            self.add_project(pr)

    @classmethod
    def from_json(cls, text):
        """A portfolio from a "greenfin/1" JSON document."""
        return _from_json(cls, text, "gfin_portfolio_from_json")

    @classmethod
    def from_file(cls, path):
        """A portfolio from a "greenfin/1" JSON file."""
        with open(os.fspath(path), "rb") as f:
            return cls.from_json(f.read())

    def set_fund(self, fund):
        err = _lib.GfinError()
        if isinstance(fund, dict):
            with Fund(**fund) as f:
                _lib.lib().gfin_portfolio_set_fund(self._ptr(), f._ptr(), err)
        elif isinstance(fund, Fund):
            _lib.lib().gfin_portfolio_set_fund(self._ptr(), fund._ptr(), err)
        else:
            raise TypeError("Portfolio.set_fund() needs a Fund or a dict, not %s" % type(fund).__name__)
        return self

    def add_project(self, project):
        """Adds a copy of `project` (a Project, or a dict of Project keywords)."""
        err = _lib.GfinError()
        if isinstance(project, dict):
            with Project(**project) as pr:
                _lib.lib().gfin_portfolio_add_project(self._ptr(), pr._ptr(), err)
        elif isinstance(project, Project):
            _lib.lib().gfin_portfolio_add_project(self._ptr(), project._ptr(), err)
        else:
            raise TypeError("Portfolio.add_project() needs a Project or a dict, not %s" % type(project).__name__)
        return self

    @property
    def project_count(self):
        return _lib.lib().gfin_portfolio_project_count(self._ptr())

    @property
    def projects(self):
        """Copies of the portfolio's projects (Project objects), in order."""
        L = _lib.lib()
        p = self._ptr()
        return [Project._adopt(L.gfin_project_copy(L.gfin_portfolio_project(p, i)))
                for i in range(L.gfin_portfolio_project_count(p))]

    @property
    def fund(self):
        """A copy of the portfolio's fund (a Fund), or None."""
        L = _lib.lib()
        f = L.gfin_portfolio_fund(self._ptr())
        return Fund._adopt(L.gfin_fund_copy(f)) if f else None

    def evaluate(self, threads=None):
        """Evaluates every project and the fund: a PortfolioResult. `threads`:
        worker threads (None or 0: one per CPU); the result does not depend on
        it. The GIL is released during the evaluation."""
        if threads is None:
            threads = 0
        if not isinstance(threads, int) or isinstance(threads, bool) or threads < 0:
            raise TypeError("Portfolio.evaluate() argument 'threads' must be a non-negative int or None")
        out = _lib.ResultP()
        err = _lib.GfinError()
        _lib.lib().gfin_portfolio_evaluate(self._ptr(), threads, out, err)
        return Result._wrap_owned(out)

    def __repr__(self):
        if self.closed:
            return "<greenfin.Portfolio (closed)>"
        return "<greenfin.Portfolio %r, %d projects>" % (self.get("name"), self.project_count)
