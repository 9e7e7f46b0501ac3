"""Loans, projects, funds and portfolios: the inputs, set by keyword.

The keyword names are the registry's (MODEL.md): ``Loan(principal=...,
annual_rate=..., amortization='linear', start_date='2025-01-15')``. Every
keyword is checked against the registry before anything is set: an unknown one
raises TypeError with the nearest valid name, a value of the wrong type
TypeError, an unknown choice ValueError listing the choices. Bounds are checked
by the library, whose refusal is raised as InvalidInput (a ValueError) with its
message ("annual_rate: -0.5 is below the minimum 0").
"""

import ctypes
import os

from . import _lib
from . import _registry as reg
from ._handle import Closing, Handle, _Reader, _Writer, pin_writer
from .results import Result
from .table import Table


class _InputsType(type):
    """Gives each input class the signature of its keywords, read from the
    registry when first asked (``inspect.signature(Loan)``, ``help(Loan)``)
    -- the same names, types and defaults as the generated model.pyi."""

    @property
    def __signature__(cls):
        got = cls.__dict__.get("_signature_cache")
        if got is None and cls._object is not None:
            got = _signature(cls)
            cls._signature_cache = got
        return got


def _signature(cls):
    import inspect
    from ._gen_stubs import CLASSES, NESTED, py_type
    P = inspect.Parameter
    params = []
    for p in reg.params(cls._object).values():
        default = P.empty if p.required else p.default
        params.append(P(p.name, P.KEYWORD_ONLY, default=default, annotation=py_type(p)))
    extra = {c[0]: c[3] for c in CLASSES}.get(cls.__name__, {})
    for kw in cls._structural():
        ann = NESTED.get(cls._nested.get(kw)) or extra.get(kw, "Any")
        params.append(P(kw, P.KEYWORD_ONLY, default=None, annotation=ann))
    return inspect.Signature(params, return_annotation=None)


class _Inputs(Closing, metaclass=_InputsType):
    """A C handle whose inputs are set by registry key."""

    _object = None   # registry object of the handle's own keys ("loan", ...)
    _prefix = None   # C prefix ("gfin_loan")
    _nested = {}     # keyword -> registry object set on the same handle (grid, debt_sizing)
    _extra = ()      # other structural keywords handled by the class (loans, projects, fund)
    _h = None        # the Handle; None once closed (or when __init__ failed)
    _risk_spec = None  # the "risk" object of the file it was loaded from
    _json = None       # the JSON text it was loaded from (sent to distributed workers)

    def __init__(self, **kwargs):
        values = self._check(kwargs)
        extra = {k: kwargs[k] for k in self._extra if k in kwargs}
        self._pre_extra(extra)  # checks structural keywords before any C call
        new, free = self._lifecycle()
        ptr = new()
        self._h = Handle(ptr, free, type(self).__name__)
        try:
            self._apply(values, ptr)  # no other thread knows the handle yet: no pin
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
        self._h = Handle(ptr, cls._lifecycle()[1], cls.__name__)
        return self

    @classmethod
    def _view(cls, parent, resolve):
        """A read-only live view of an object owned by another handle (a
        project of a portfolio): every call reads it through `parent`."""
        self = cls.__new__(cls)
        self._h = Handle(None, None, cls.__name__, parent=parent, resolve=resolve)
        return self

    def _reading(self):
        """``with self._reading() as ptr``: a call that only reads the handle."""
        h = self._h
        if h is None:
            raise ValueError("operation on a closed greenfin.%s" % type(self).__name__)
        return _Reader(h) if h.parent is None else h.reader

    def _writing(self):
        """``with self._writing() as ptr``: a call that changes the handle."""
        h = self._h
        if h is None or h.parent is not None:
            return pin_writer(h, type(self).__name__)   # raises: closed, or a read-only view
        return _Writer(h)

    @classmethod
    def _structural(cls):
        """The keywords check_kwargs leaves to the class (nested and extra)."""
        got = cls.__dict__.get("_structural_cache")
        if got is None:
            got = tuple(cls._nested) + tuple(cls._extra)
            cls._structural_cache = got
        return got

    @classmethod
    def _lifecycle(cls):
        """(new, free) of the class's C prefix, looked up once per class."""
        got = cls.__dict__.get("_lifecycle_cache")
        if got is None:
            L = _lib.lib()
            got = (getattr(L, cls._prefix + "_new"), getattr(L, cls._prefix + "_free"))
            cls._lifecycle_cache = got
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

    def _apply(self, values, fresh=None):
        """Sets checked values; `fresh`: the pointer of a handle being
        constructed, which needs no pin."""
        set_num, set_string, set_array, unset = self._setters()
        if unset is None:
            for v in values:
                if v.kind == "unset":
                    raise TypeError("%s argument %r cannot be reset to None" % (self._callee(), v.param.name))
        if fresh is not None:
            return self._set_values(fresh, values, set_num, set_string, set_array, unset)
        with self._writing() as p:
            return self._set_values(p, values, set_num, set_string, set_array, unset)

    @staticmethod
    def _set_values(p, values, set_num, set_string, set_array, unset):
        for v in values:
            if v.kind == "number":
                set_num(p, v.param.key, v.data)
            elif v.kind == "string":
                set_string(p, v.param.key, v.data)
            elif v.kind == "array":
                _keep, ptr, n = v.data
                set_array(p, v.param.key, ptr, n)
            else:
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
                with self._reading() as ptr:
                    return reg.get_value(self._prefix, ptr, p)
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
        return h is None or h.closed

    @property
    def read_only(self):
        """True for a view of an object another owns (Portfolio.projects,
        Portfolio.fund): set() and the add_* methods raise ValueError."""
        h = getattr(self, "_h", None)
        return h is not None and h.parent is not None

    def _validate(self):
        err = _lib.GfinError()
        with self._reading() as p:
            getattr(_lib.lib(), self._prefix + "_validate")(p, err)

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
    self = cls._adopt(ptr)
    if cls is Portfolio or cls is Project:
        from .risk import risk_spec_of
        self._risk_spec = risk_spec_of(data)
        self._json = data
    return self


class _WriteRead:
    """Pins `target` for writing and `source` for reading, in one global order
    (by the address of their root handles), so that two threads adding
    crosswise between two objects cannot deadlock. A source that is a view of
    the target itself is copied first (the target cannot read itself while it
    is being changed)."""

    def __init__(self, target, source):
        src_h = getattr(source, "_h", None)
        if src_h is not None and target._h is not None and \
                (src_h.parent or src_h) is target._h:
            source = source.copy()
            self._own = source
        else:
            self._own = None
        self._pins = [(target._writing(), target._h), (source._reading(), source._h.parent or source._h)]
        self._order = sorted(range(2), key=lambda k: id(self._pins[k][1]))
        self._entered = []

    def __enter__(self):
        got = [None, None]
        try:
            for k in self._order:
                got[k] = self._pins[k][0].__enter__()
                self._entered.append(k)
        except BaseException:
            self.__exit__()
            raise
        return got

    def __exit__(self, *exc):
        while self._entered:
            self._pins[self._entered.pop()][0].__exit__()
        if self._own is not None:
            self._own.close()
        return False


_write_read = _WriteRead


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
        with self._reading() as p:
            return Loan._adopt(_lib.lib().gfin_loan_copy(p))

    def schedule(self):
        """The period-by-period schedule as a Table (one row per period)."""
        err = _lib.GfinError()
        with self._reading() as p:
            return Table._owned(_lib.lib().gfin_loan_schedule(p, err), "schedule")

    def evaluate(self, discount_rate=None):
        """Schedule, metrics and warnings as a LoanResult; with a discount rate
        the metrics include grant_element at that rate."""
        L = _lib.lib()
        out = _lib.ResultP()
        err = _lib.GfinError()
        d = None if discount_rate is None else _number("Loan.evaluate()", "discount_rate", discount_rate)
        with self._reading() as p:
            if d is None:
                L.gfin_loan_evaluate(p, out, err)
            else:
                L.gfin_loan_evaluate_ge(p, d, out, err)
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
        with self._reading() as p:
            _lib.lib().gfin_loan_grant_element(p, d, out, err)
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
        with self._reading() as p:
            return Project._adopt(_lib.lib().gfin_project_copy(p))

    def add_loan(self, loan):
        """Attaches a copy of `loan` (a Loan, or a dict of Loan keywords)."""
        err = _lib.GfinError()
        if isinstance(loan, dict):
            with Loan(**loan) as ln:
                self._add_loan(ln, err)
        elif isinstance(loan, Loan):
            self._add_loan(loan, err)
        else:
            raise TypeError("Project.add_loan() needs a Loan or a dict, not %s" % type(loan).__name__)
        return self

    def _add_loan(self, loan, err):
        with _write_read(self, loan) as (p, lp):
            _lib.lib().gfin_project_add_loan(p, lp, err)

    @property
    def loan_count(self):
        with self._reading() as p:
            return _lib.lib().gfin_project_loan_count(p)

    def evaluate(self):
        """Evaluates the project standalone (grid, discount_rate and start_year
        must be set on it): a ProjectResult."""
        out = _lib.ResultP()
        err = _lib.GfinError()
        with self._reading() as p:
            _lib.lib().gfin_project_evaluate(p, out, err)
        return Result._wrap_owned(out)

    def as_portfolio(self):
        """This project as a portfolio of one project without a fund, the way
        the greenfin command reads a project file: name (the id when the
        project has none), start_year, discount_rate and grid from the project."""
        grid = {k: self.get(k) for k in reg.params("grid")}
        pf = Portfolio(name=self.get("name") or self.get("id") or "project", start_year=self.get("start_year"),
                       discount_rate=self.get("discount_rate"),
                       grid={k: v for k, v in grid.items() if v is not None})
        pf.add_project(self)
        pf._risk_spec = self._risk_spec
        return pf

    def risk(self, scenarios=None, seed=None, first=0, count=None, threads=0, samples=False, spec=None,
             progress=None):
        """Portfolio.risk() on this project as a portfolio of one (as_portfolio())."""
        with self.as_portfolio() as pf:
            return pf.risk(scenarios, seed, first, count, threads, samples, spec, progress)

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
        with self._writing() as p:
            _lib.lib().gfin_fund_add_source(p, name, float("nan") if amount is None else amount,
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
        with self._reading() as p:
            return _lib.lib().gfin_fund_source_count(p)

    @property
    def sources(self):
        """The sources of capital in the order added, each a dict of the
        registry's source keys: [{'name': ..., 'amount': ..., 'annual_rate': ...}]."""
        _lib.require("gfin_fund_source_get", "Fund.sources")
        c = _lib.lib()
        out = []
        with self._reading() as p:
            for i in range(c.gfin_fund_source_count(p)):
                d = {}
                for prm in reg.params("source").values():
                    if prm.type_name == "string":
                        s = c.gfin_fund_source_get_string(p, i, prm.key)
                        d[prm.name] = None if s is None else s.decode()
                        continue
                    v = ctypes.c_double()
                    d[prm.name] = v.value if c.gfin_fund_source_get(p, i, prm.key, ctypes.byref(v)) == 0 else None
                out.append(d)
        return out


class Portfolio(_Inputs):
    """A portfolio of projects and a fund (MODEL.md "Fund and portfolio").

    Usually loaded from a file: ``Portfolio.from_file('cambodia_pipeline.json')``;
    also built by keyword: ``Portfolio(name=..., start_year=2027,
    discount_rate=0.1, grid={...}, fund=Fund(...) or {...}, fx={"CNY": [0.14, ...]},
    projects=[...])``.
    """

    _object = "portfolio"
    _prefix = "gfin_portfolio"
    _nested = {"grid": "grid"}
    _extra = ("fund", "fx", "projects")

    def _pre_extra(self, extra):
        fx = extra.get("fx")
        if fx is not None and not isinstance(fx, dict):
            raise TypeError("Portfolio() argument 'fx' must be a dict of currency: [rates], not %s"
                            % type(fx).__name__)
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
        for currency, rates in (extra.get("fx") or {}).items():
            self.set_fx(currency, rates)
        if extra.get("fund") is not None:
            self.set_fund(extra["fund"])
        for pr in extra.get("projects") or []:
            self.add_project(pr)

    @classmethod
    def from_json(cls, text):
        """A portfolio from a "greenfin/1" JSON document (its "risk" object is
        kept for risk())."""
        return _from_json(cls, text, "gfin_portfolio_from_json")

    def risk(self, scenarios=None, seed=None, first=0, count=None, threads=0, samples=False, spec=None,
             progress=None):
        """Runs a risk experiment (docs/model.md "Risk") on this portfolio: the
        cases, the sensitivity entries and scenarios first .. first + count - 1
        (count None: to the end) on `threads` threads (0: one per CPU), in C.
        `spec`: the "risk" object as a dict; None: the one of the file this
        portfolio was loaded from (or none: the base case only). `scenarios`
        and `seed` override the spec's. `samples`: keep the per-scenario
        samples. `progress(done, total)`, optional, is called about every 1 %
        (return False to stop the run). A RiskResult (greenfin.risk)."""
        from . import risk
        if spec is None:
            spec = self._risk_spec
        return risk.run(self._reading(), spec, scenarios, seed, first, count, threads, samples, progress)

    @classmethod
    def from_file(cls, path):
        """A portfolio from a "greenfin/1" JSON file."""
        with open(os.fspath(path), "rb") as f:
            return cls.from_json(f.read())

    def set_fund(self, fund):
        err = _lib.GfinError()
        if isinstance(fund, dict):
            with Fund(**fund) as f:
                self._set_fund(f, err)
        elif isinstance(fund, Fund):
            self._set_fund(fund, err)
        else:
            raise TypeError("Portfolio.set_fund() needs a Fund or a dict, not %s" % type(fund).__name__)
        return self

    def set_fx(self, currency, rates):
        """Sets the exchange-rate path of a loan currency (docs/model.md "Loan
        currencies"): rates[i] is the portfolio's currency per unit in calendar
        year start_year + i, the last repeating; each finite and above 0."""
        vals = [float(r) for r in rates]
        arr = (ctypes.c_double * max(len(vals), 1))(*vals)
        err = _lib.GfinError()
        with self._writing() as p:
            _lib.lib().gfin_portfolio_set_fx(p, str(currency).encode(), arr, len(vals), err)
        return self

    def add_project(self, project):
        """Adds a copy of `project` (a Project, or a dict of Project keywords)."""
        err = _lib.GfinError()
        if isinstance(project, dict):
            with Project(**project) as pr:
                self._add_project(pr, err)
        elif isinstance(project, Project):
            self._add_project(project, err)
        else:
            raise TypeError("Portfolio.add_project() needs a Project or a dict, not %s" % type(project).__name__)
        return self

    def _set_fund(self, fund, err):
        with _write_read(self, fund) as (p, fp):
            _lib.lib().gfin_portfolio_set_fund(p, fp, err)

    def _add_project(self, project, err):
        with _write_read(self, project) as (p, pp):
            _lib.lib().gfin_portfolio_add_project(p, pp, err)

    @property
    def project_count(self):
        with self._reading() as p:
            return _lib.lib().gfin_portfolio_project_count(p)

    @property
    def projects(self):
        """The portfolio's projects, in order, as read-only live views: each
        reads the project inside the portfolio (no copy is made), keeps the
        portfolio alive, and raises ValueError on set() and add_loan(); a
        view's copy() is an ordinary Project to change and add back. Closing
        the portfolio closes its views."""
        L = _lib.lib()
        with self._reading() as p:
            n = L.gfin_portfolio_project_count(p)
        h = self._h
        project = L.gfin_portfolio_project
        return [Project._view(h, lambda pp, i=i: project(pp, i)) for i in range(n)]

    @property
    def fund(self):
        """The portfolio's fund as a read-only live view (as projects; it
        follows set_fund()), or None when the portfolio has none."""
        L = _lib.lib()
        with self._reading() as p:
            has = bool(L.gfin_portfolio_fund(p))
        return Fund._view(self._h, L.gfin_portfolio_fund) if has else None

    def evaluate(self, threads=None):
        """Evaluates every project and the fund: a PortfolioResult. `threads`:
        worker threads (None or 0: one per CPU); the result does not depend on
        it. The GIL is released during the evaluation."""
        if threads is None:
            threads = 0
        if not isinstance(threads, int) or isinstance(threads, bool):
            raise TypeError("Portfolio.evaluate() argument 'threads' must be a non-negative int or None")
        threads = _lib.c_integer("Portfolio.evaluate()", "threads", threads, 0, _lib.INT_RANGE[1],
                                 "0: one per CPU")
        out = _lib.ResultP()
        err = _lib.GfinError()
        with self._reading() as p:
            _lib.lib().gfin_portfolio_evaluate(p, threads, out, err)
        return Result._wrap_owned(out)

    def __repr__(self):
        if self.closed:
            return "<greenfin.Portfolio (closed)>"
        return "<greenfin.Portfolio %r, %d projects>" % (self.get("name"), self.project_count)
