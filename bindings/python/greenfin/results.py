"""Results of evaluating a loan, a project or a portfolio.

One C result type (gfin_result) serves all three; here each kind has its class
with the attributes named after its tables:

- LoanResult: .schedule, .metrics, .warnings
- ProjectResult: .years, .metrics, .warnings, .loans (id -> LoanResult)
- PortfolioResult: .fund, .portfolio, .metrics, .warnings, .projects
  (id -> ProjectResult)

A result is immutable. Its tables, column views and child results keep the C
result alive, so they stay valid after the result object is closed or dropped;
the C memory is freed when the last of them goes.
"""

import json

from . import _lib, errors
from . import _registry as reg
from ._handle import Closing, Handle, Hold, check_open
from .table import Table



class Result(Closing):
    """Base of the result classes."""

    _kind_name = "Result"

    def __init__(self, root, ptr):
        self._root = root  # the Handle of the top-level C result
        self._p = ptr
        self._tables = {}
        self._metrics = None
        self._children = None

    @classmethod
    def _wrap_owned(cls, ptr):
        L = _lib.lib()
        root = Handle(ptr, L.gfin_result_free, "Result")
        return _make(root, ptr)

    def _reading(self):
        """``with self._reading() as ptr``: pins the C result (the root's
        handle) for a call; ptr is this (sub-)result's pointer."""
        root = self._root
        if root is None:
            raise ValueError("operation on a closed greenfin.%s" % type(self).__name__)
        return Hold(root, self._p)

    @property
    def id(self):
        """The loan's or project's id, or the portfolio's name."""
        with self._reading() as p:
            return _lib.lib().gfin_result_id(p).decode("utf-8")

    def table(self, name):
        """The table `name` of this result (KeyError when absent)."""
        t = self._tables.get(name)
        if t is None:
            cname = _lib.c_string("%s.table()" % type(self).__name__, "name", name)
            root = self._root
            with self._reading() as rp:
                p = _lib.lib().gfin_result_table(rp, cname)
                t = Table(p, root, name) if p else None
            if t is None:
                raise KeyError("%s has no table %r; tables: %s" % (type(self).__name__, name,
                                                                  ", ".join(self.table_names)))
            self._tables[name] = t
        else:
            check_open(self._root, type(self).__name__)
        return t

    @property
    def table_names(self):
        L = _lib.lib()
        with self._reading() as p:
            return [L.gfin_result_table_name(p, i).decode("utf-8") for i in range(L.gfin_result_table_count(p))]

    @property
    def metrics(self):
        """{metric name: float, or None where the metric has no value (an IRR
        that does not exist, ...)}, in the library's output order."""
        if self._metrics is None:
            L = _lib.lib()
            out = {}
            v = _lib.c_double()
            with self._reading() as p:
                for i in range(L.gfin_result_metric_count(p)):
                    m = L.gfin_result_metric_at(p, i)
                    st = L.gfin_result_metric(p, m, v)
                    info = reg.metric(m)
                    name = info.name if info else str(m)
                    out[name] = v.value if st == errors.OK else None
            self._metrics = out
        else:
            check_open(self._root, type(self).__name__)
        return dict(self._metrics)

    @property
    def warnings(self):
        """The warnings, as a list of str."""
        L = _lib.lib()
        with self._reading() as p:
            return [L.gfin_result_warning(p, i).decode("utf-8") for i in range(L.gfin_result_warning_count(p))]

    def _child_list(self):
        if self._children is None:
            L = _lib.lib()
            root = self._root
            with self._reading() as p:
                self._children = [_make(root, L.gfin_result_child(p, i))
                                  for i in range(L.gfin_result_child_count(p))]
        else:
            check_open(self._root, type(self).__name__)
        return self._children

    def _children_by_id(self, label):
        out = {}
        for i, c in enumerate(self._child_list()):
            key = c.id or "%s[%d]" % (label, i)
            if key in out:
                key = "%s[%d]" % (label, i)
            out[key] = c
        return out

    def to_json(self):
        """The result as JSON text, in the shape of the `greenfin` command's
        --format json output (gfin_result_to_json)."""
        L = _lib.lib()
        buf, n = _lib.CharP(), _lib.c_size_t()
        err = _lib.GfinError()
        with self._reading() as p:
            L.gfin_result_to_json(p, buf, n, err)
        return _lib.take_text(buf, n)

    def to_dict(self):
        """json.loads(self.to_json())."""
        return json.loads(self.to_json())

    def close(self):
        """Lets go of the C result (freed once no table or view still uses it).
        Using this object afterwards raises ValueError."""
        self._root = None
        self._tables = {}
        self._children = None

    @property
    def closed(self):
        return self._root is None or self._root.closed

    def __repr__(self):
        if self.closed:
            return "<greenfin.%s (closed)>" % type(self).__name__
        return "<greenfin.%s %r: tables %s, %d metrics, %d warnings>" % (
            type(self).__name__, self.id, ", ".join(self.table_names), len(self.metrics), len(self.warnings))


class LoanResult(Result):
    """A loan's schedule and metrics."""

    @property
    def schedule(self):
        """Table: one row per period (MODEL.md "Loan")."""
        return self.table("schedule")


class ProjectResult(Result):
    """A project's yearly table, metrics, warnings and its loans' results."""

    @property
    def years(self):
        """Table: one row per project year (MODEL.md "Project")."""
        return self.table("years")

    @property
    def loans(self):
        """{loan id: LoanResult}, the sized loan among them."""
        return self._children_by_id("loans")


class PortfolioResult(Result):
    """A portfolio's fund and portfolio tables, metrics, warnings and projects."""

    @property
    def fund(self):
        """Table: the fund's cash flows, one row per portfolio year."""
        return self.table("fund")

    @property
    def portfolio(self):
        """Table: energy and reductions by technology, one row per portfolio year."""
        return self.table("portfolio")

    @property
    def projects(self):
        """{project id: ProjectResult}, in the order the projects were added."""
        return self._children_by_id("projects")


_CLASSES = None  # gfin_result_kind -> class, the numbers read from the library


def _make(root, ptr):
    global _CLASSES
    if _CLASSES is None:
        _CLASSES = {_lib.enum_value("GFIN_RESULT_" + k.upper()): cls
                    for k, cls in (("loan", LoanResult), ("project", ProjectResult),
                                   ("portfolio", PortfolioResult))}
    kind = _lib.lib().gfin_result_kind_of(ptr)
    return _CLASSES.get(kind, Result)(root, ptr)
