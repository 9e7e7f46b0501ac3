"""greenfin: appraisal of hydropower and solar projects, their loans and a green
fund's portfolio -- Python bindings (ctypes) to the C library libgreenfin.

    import greenfin
    loan = greenfin.Loan(principal=250e6, annual_rate=0.02, frequency=2,
                         grace_periods=10, repayment_periods=40,
                         amortization='linear')
    table = loan.schedule()          # columns as zero-copy numpy views
    table['interest']
    loan.grant_element(0.05)         # OECD DAC / IMF grant element
    result = greenfin.Portfolio.from_file('cambodia_pipeline.json').evaluate()
    result.metrics['fund_irr'], result.fund.to_pandas()
    greenfin.pmt(0.05 / 12, 240, 1e6)   # numpy-financial's names and order

Keyword names are the library's registry names (MODEL.md); greenfin.parameters()
lists them with units, bounds and defaults. Errors are greenfin.Error subclasses
carrying the library's code, path and message; see greenfin.errors.

The library is found through GREENFIN_LIBRARY, a meson build tree next to the
sources, or the system (see greenfin._lib), and loaded on first use.
"""

from . import _lib
from . import _registry
from .errors import (Error, FileError, InvalidInput, LibraryNotFound, NoSolution, NoValue,
                     NotApplicable, OutOfMemory, ParseError, RangeError)
from .model import Fund, Loan, Portfolio, Project
from .results import LoanResult, PortfolioResult, ProjectResult, Result
from .table import Table
from .carbon import combined_margin, hydro_power_mw, power_density_w_m2, reservoir_ef, year_fraction
from .tvm import fv, ipmt, irr, mirr, nper, npv, pmt, ppmt, pv, rate, xirr, xnpv
from .risk import RiskResult, statistics

__version__ = "1.1.0"  # the library version these bindings were written for (pyproject.toml too)

__all__ = [
    "Error", "InvalidInput", "ParseError", "NoSolution", "RangeError", "OutOfMemory", "FileError",
    "NotApplicable", "NoValue", "LibraryNotFound",
    "Loan", "Project", "Fund", "Portfolio", "Table",
    "Result", "LoanResult", "ProjectResult", "PortfolioResult", "RiskResult", "statistics",
    "pmt", "ipmt", "ppmt", "pv", "fv", "nper", "rate", "npv", "irr", "mirr", "xnpv", "xirr",
    "year_fraction", "hydro_power_mw", "power_density_w_m2", "combined_margin", "reservoir_ef",
    "library_version", "library_path", "parameters", "metrics",
]


def library_version():
    """The loaded library's version string ("1.0.0")."""
    return _lib.lib().gfin_version_string().decode("ascii")


def library_path():
    """Where the library was loaded from."""
    return _lib.library_path()


def parameters(object=None):
    """The input keys of the registry: {object: {name: Param}}, or {name: Param}
    for one object ("loan", "project", "debt_sizing", "grid", "fund", "source",
    "portfolio"). Each Param has name, type_name, unit, doc, required, min, max,
    default and choices."""
    if object is not None:
        p = _registry.params(object)
        if not p:
            raise ValueError("no registry object %r; objects: %s" % (object, ", ".join(_registry.objects())))
        return dict(p)
    return {o: dict(_registry.params(o)) for o in _registry.objects()}


def metrics():
    """Every output metric of the registry: {name: Metric(name, unit, doc)}."""
    return {m.name: m for m in _registry.metrics()}
