"""Loading libgreenfin and the one table of C prototypes.

As in libclang's cindex.py, every C function the package calls is declared once,
in FUNCTIONS below, with its argument types, return type and error check. The
library is loaded lazily, on the first call that needs it (``lib()``), so
``import greenfin`` always works and a missing library is reported when it is
first needed, with everything that was tried.

Where the library is looked for, in this order:

1. the path in the environment variable GREENFIN_LIBRARY (only there, when set);
2. when the package is imported from the source tree, a meson build directory
   next to it: ``<repo>/build*/libgreenfin.so.<major>`` (newest first);
3. the system: ``ctypes.util.find_library('greenfin')``, then the versioned
   soname ``libgreenfin.so.<major>``.

A library whose major version (gfin_version() // 10000) differs from
EXPECTED_MAJOR is refused.

Error checks (Z3-style: every failing call raises with the C message):

- status calls with a caller-owned ``GfinError`` among their arguments raise
  from that record;
- setters (``gfin_loan_set`` ...) keep their detail in the handle: the check
  reads ``gfin_<object>_last_error`` of the first argument;
- calls returning NULL on failure raise from their error record, or
  OutOfMemory for the constructors;
- status calls without a record (the TVM functions) raise with
  ``gfin_strerror``'s text.
"""

import ctypes
import ctypes.util
import glob
import os
import sys
import threading

from . import errors

EXPECTED_MAJOR = 1

c_int, c_double, c_size_t, c_char_p = ctypes.c_int, ctypes.c_double, ctypes.c_size_t, ctypes.c_char_p
c_int32 = ctypes.c_int32
P = ctypes.POINTER


class GfinError(ctypes.Structure):
    """struct gfin_error: int code; char path[128]; char message[256]."""

    _fields_ = [("code", c_int), ("path", ctypes.c_char * 128), ("message", ctypes.c_char * 256)]

    def exception(self, code=None):
        code = self.code if code is None else code
        return errors.make_error(code, _text(self.path), _text(self.message))


def _text(b):
    return b.decode("utf-8", "replace") if b else ""


# Opaque handles: distinct pointer types, so ctypes refuses a table where a loan
# is expected.
class _Loan(ctypes.Structure):
    pass


class _Project(ctypes.Structure):
    pass


class _Fund(ctypes.Structure):
    pass


class _Portfolio(ctypes.Structure):
    pass


class _Result(ctypes.Structure):
    pass


class _Table(ctypes.Structure):
    pass


class _Risk(ctypes.Structure):
    pass


class _RiskChange(ctypes.Structure):
    pass


class _RiskDist(ctypes.Structure):
    pass


class _RiskResult(ctypes.Structure):
    pass


LoanP, ProjectP, FundP, PortfolioP = P(_Loan), P(_Project), P(_Fund), P(_Portfolio)
RiskP, RiskChangeP, RiskDistP, RiskResultP = P(_Risk), P(_RiskChange), P(_RiskDist), P(_RiskResult)
ResultP, TableP = P(_Result), P(_Table)
ErrP = P(GfinError)
DblP = P(c_double)
DateP = P(c_int32)  # gfin_date
CharP = P(ctypes.c_char)  # library-allocated text, freed with gfin_free
key_t = c_int  # gfin_key, gfin_metric and the small enums are ints


# --------------------------------------------------------------------------
# Error checks
# --------------------------------------------------------------------------

def _short(func):
    name = getattr(func, "__name__", "greenfin")
    return name[5:] if name.startswith("gfin_") else name


def _raise_status(status, func, args):
    for a in args:
        if isinstance(a, GfinError):
            if a.code == status and (a.message or a.path):
                raise a.exception(status)
            break
    msg = _strerror(status)
    raise errors.make_error(status, "", "%s: %s" % (_short(func), msg))


def _strerror(status):
    try:
        return _text(_LIB.gfin_strerror(status))
    except Exception:  # the library is what failed to load: keep the code
        return "status %d" % status


def check_status(result, func, args):
    """gfin_status: raise on a negative status."""
    if result < 0:
        _raise_status(result, func, args)
    return result


def check_status_or_novalue(result, func, args):
    """gfin_status where GFIN_ENOVALUE is an answer ("null"), not an error."""
    if result < 0 and result != errors.ENOVALUE:
        _raise_status(result, func, args)
    return result


def check_handle_status(last_error):
    """Setters: on failure the detail is in gfin_<object>_last_error(handle)."""

    def check(result, func, args):
        if result < 0:
            rec = getattr(_LIB, last_error)(args[0])
            if rec and rec.contents.code == result:
                raise rec.contents.exception(result)
            _raise_status(result, func, args)
        return result

    return check


def check_alloc(result, func, args):
    """Constructors and copies: NULL means out of memory."""
    if not result:
        raise errors.OutOfMemory(errors.ENOMEM, "", "%s: out of memory" % _short(func))
    return result


def check_nonnull_err(result, func, args):
    """Calls returning NULL on failure with the reason in a GfinError argument."""
    if not result:
        for a in args:
            if isinstance(a, GfinError) and a.code < 0:
                raise a.exception()
        raise errors.Error(errors.EINVAL, "", "%s failed" % _short(func))
    return result


# --------------------------------------------------------------------------
# The prototypes: (name, argtypes, restype, errcheck)
# --------------------------------------------------------------------------

def _object_functions(obj, handle_p, with_arrays=True, with_get=True):
    last_error = "gfin_%s_last_error" % obj
    hs = check_handle_status(last_error)
    rows = [
        ("gfin_%s_new" % obj, [], handle_p, check_alloc),
        ("gfin_%s_free" % obj, [handle_p], None, None),
        ("gfin_%s_set" % obj, [handle_p, key_t, c_double], c_int, hs),
        ("gfin_%s_set_string" % obj, [handle_p, key_t, c_char_p], c_int, hs),
        (last_error, [handle_p], ErrP, None),
    ]
    if with_arrays:
        rows.append(("gfin_%s_set_array" % obj, [handle_p, key_t, DblP, c_size_t], c_int, hs))
    if with_get:
        rows += [
            ("gfin_%s_get" % obj, [handle_p, key_t, DblP], c_int, check_status_or_novalue),
            ("gfin_%s_get_string" % obj, [handle_p, key_t], c_char_p, None),
        ]
    return rows


FUNCTIONS = [
    # 1. version, 2. errors, 3. memory
    ("gfin_version", [], c_int, None),
    ("gfin_version_string", [], c_char_p, None),
    ("gfin_strerror", [c_int], c_char_p, None),
    ("gfin_enum_value", [c_char_p, P(c_int), ErrP], c_int, None),  # no errcheck: errors use it
    ("gfin_free", [ctypes.c_void_p], None, None),
    ("gfin_set_allocator", [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p], c_int, check_status),

    # 4. registries
    ("gfin_key_count", [], c_size_t, None),
    ("gfin_key_at", [c_size_t], key_t, None),
    ("gfin_key_find", [c_char_p, c_char_p], c_int, None),
    ("gfin_key_name", [key_t], c_char_p, None),
    ("gfin_key_object", [key_t], c_char_p, None),
    ("gfin_key_unit", [key_t], c_char_p, None),
    ("gfin_key_doc", [key_t], c_char_p, None),
    ("gfin_key_type", [key_t], c_int, None),
    ("gfin_key_required", [key_t], c_int, None),
    ("gfin_key_bounds", [key_t, DblP, DblP, P(c_int), P(c_int)], c_int, check_status),
    ("gfin_key_default", [key_t, DblP], c_int, check_status_or_novalue),
    ("gfin_key_choice", [key_t, c_int], c_char_p, None),
    ("gfin_metric_count", [], c_size_t, None),
    ("gfin_metric_at", [c_size_t], key_t, None),
    ("gfin_metric_find", [c_char_p], c_int, None),
    ("gfin_metric_name", [key_t], c_char_p, None),
    ("gfin_metric_unit", [key_t], c_char_p, None),
    ("gfin_metric_doc", [key_t], c_char_p, None),

    # 5. time value of money (when: 0 end, 1 begin)
    ("gfin_pmt", [c_double, c_double, c_double, c_double, c_int, DblP], c_int, check_status),
    ("gfin_ipmt", [c_double, c_double, c_double, c_double, c_double, c_int, DblP], c_int, check_status),
    ("gfin_ppmt", [c_double, c_double, c_double, c_double, c_double, c_int, DblP], c_int, check_status),
    ("gfin_pv", [c_double, c_double, c_double, c_double, c_int, DblP], c_int, check_status),
    ("gfin_fv", [c_double, c_double, c_double, c_double, c_int, DblP], c_int, check_status),
    ("gfin_nper", [c_double, c_double, c_double, c_double, c_int, DblP], c_int, check_status),
    ("gfin_rate", [c_double, c_double, c_double, c_double, c_int, c_double, DblP], c_int, check_status),
    ("gfin_npv", [c_double, DblP, c_size_t, DblP], c_int, check_status),
    ("gfin_irr", [DblP, c_size_t, c_double, DblP], c_int, check_status),
    ("gfin_mirr", [DblP, c_size_t, c_double, c_double, DblP], c_int, check_status),
    ("gfin_xnpv", [c_double, DblP, DateP, c_size_t, DblP], c_int, check_status),
    ("gfin_xirr", [DblP, DateP, c_size_t, c_double, DblP], c_int, check_status),
    ("gfin_date_from_ymd", [c_int, c_int, c_int, DateP], c_int, check_status),
    ("gfin_date_to_ymd", [c_int32, P(c_int), P(c_int), P(c_int)], c_int, check_status),
    ("gfin_year_fraction", [c_int32, c_int32, c_int, DblP], c_int, check_status),
    # their error twins: the GfinError argument names the argument, value and rule
    ("gfin_pmt_err", [c_double, c_double, c_double, c_double, c_int, DblP, ErrP], c_int, check_status),
    ("gfin_ipmt_err", [c_double, c_double, c_double, c_double, c_double, c_int, DblP, ErrP], c_int, check_status),
    ("gfin_ppmt_err", [c_double, c_double, c_double, c_double, c_double, c_int, DblP, ErrP], c_int, check_status),
    ("gfin_pv_err", [c_double, c_double, c_double, c_double, c_int, DblP, ErrP], c_int, check_status),
    ("gfin_fv_err", [c_double, c_double, c_double, c_double, c_int, DblP, ErrP], c_int, check_status),
    ("gfin_nper_err", [c_double, c_double, c_double, c_double, c_int, DblP, ErrP], c_int, check_status),
    ("gfin_rate_err", [c_double, c_double, c_double, c_double, c_int, c_double, DblP, ErrP], c_int, check_status),
    ("gfin_npv_err", [c_double, DblP, c_size_t, DblP, ErrP], c_int, check_status),
    ("gfin_irr_err", [DblP, c_size_t, c_double, DblP, ErrP], c_int, check_status),
    ("gfin_mirr_err", [DblP, c_size_t, c_double, c_double, DblP, ErrP], c_int, check_status),
    ("gfin_xnpv_err", [c_double, DblP, DateP, c_size_t, DblP, ErrP], c_int, check_status),
    ("gfin_xirr_err", [DblP, DateP, c_size_t, c_double, DblP, ErrP], c_int, check_status),
    ("gfin_date_from_ymd_err", [c_int, c_int, c_int, DateP, ErrP], c_int, check_status),
    ("gfin_date_to_ymd_err", [c_int32, P(c_int), P(c_int), P(c_int), ErrP], c_int, check_status),
    ("gfin_year_fraction_err", [c_int32, c_int32, c_int, DblP, ErrP], c_int, check_status),

    # 7. energy and carbon
    ("gfin_hydro_power_mw", [c_double, c_double, c_double, DblP], c_int, check_status),
    ("gfin_power_density_w_m2", [c_double, c_double, c_double, c_double, DblP], c_int, check_status),
    ("gfin_combined_margin", [c_int, c_int, c_double, c_double, DblP], c_int, check_status),
    ("gfin_reservoir_ef", [c_double, DblP], c_int, check_status),

    # 6. loans
    *_object_functions("loan", LoanP),
    ("gfin_loan_copy", [LoanP], LoanP, check_alloc),
    ("gfin_loan_unset", [LoanP, key_t], c_int, check_status),
    ("gfin_loan_get_array", [LoanP, key_t, P(DblP), P(c_size_t)], c_int, check_status),
    ("gfin_loan_validate", [LoanP, ErrP], c_int, check_status),
    ("gfin_loan_schedule", [LoanP, ErrP], TableP, check_nonnull_err),
    ("gfin_loan_evaluate", [LoanP, P(ResultP), ErrP], c_int, check_status),
    ("gfin_loan_grant_element", [LoanP, c_double, DblP, ErrP], c_int, check_status),
    ("gfin_loan_evaluate_ge", [LoanP, c_double, P(ResultP), ErrP], c_int, check_status),

    # 8. projects
    *_object_functions("project", ProjectP),
    ("gfin_project_copy", [ProjectP], ProjectP, check_alloc),
    ("gfin_project_unset", [ProjectP, key_t], c_int, check_status),
    ("gfin_project_get_array", [ProjectP, key_t, P(DblP), P(c_size_t)], c_int, check_status),
    ("gfin_project_add_loan", [ProjectP, LoanP, ErrP], c_int, check_status),
    ("gfin_project_loan_count", [ProjectP], c_size_t, None),
    ("gfin_project_validate", [ProjectP, ErrP], c_int, check_status),
    ("gfin_project_evaluate", [ProjectP, P(ResultP), ErrP], c_int, check_status),

    # 9. funds and portfolios
    *_object_functions("fund", FundP, with_arrays=False),
    ("gfin_fund_add_source", [FundP, c_char_p, c_double, c_double, ErrP], c_int, check_status),
    ("gfin_fund_source_count", [FundP], c_size_t, None),
    ("gfin_fund_source_get", [FundP, c_size_t, c_int, P(c_double)], c_int, None),  # experimental
    ("gfin_fund_source_get_string", [FundP, c_size_t, c_int], c_char_p, None),  # experimental
    ("gfin_fund_copy", [FundP], FundP, check_alloc),
    *_object_functions("portfolio", PortfolioP, with_arrays=False),
    ("gfin_portfolio_set_fund", [PortfolioP, FundP, ErrP], c_int, check_status),
    ("gfin_portfolio_set_fx", [PortfolioP, c_char_p, P(c_double), c_size_t, ErrP], c_int, check_status),
    ("gfin_portfolio_add_project", [PortfolioP, ProjectP, ErrP], c_int, check_status),
    ("gfin_portfolio_project_count", [PortfolioP], c_size_t, None),
    ("gfin_portfolio_project", [PortfolioP, c_size_t], ProjectP, None),
    ("gfin_portfolio_fund", [PortfolioP], FundP, None),
    ("gfin_portfolio_validate", [PortfolioP, ErrP], c_int, check_status),
    ("gfin_portfolio_evaluate", [PortfolioP, c_int, P(ResultP), ErrP], c_int, check_status),

    # 10. results
    ("gfin_result_free", [ResultP], None, None),
    ("gfin_result_kind_of", [ResultP], c_int, None),
    ("gfin_result_id", [ResultP], c_char_p, None),
    ("gfin_result_table_count", [ResultP], c_size_t, None),
    ("gfin_result_table_name", [ResultP, c_size_t], c_char_p, None),
    ("gfin_result_table_at", [ResultP, c_size_t], TableP, None),
    ("gfin_result_table", [ResultP, c_char_p], TableP, None),
    ("gfin_result_metric", [ResultP, key_t, DblP], c_int, check_status_or_novalue),
    ("gfin_result_metric_count", [ResultP], c_size_t, None),
    ("gfin_result_metric_at", [ResultP, c_size_t], key_t, None),
    ("gfin_result_warning_count", [ResultP], c_size_t, None),
    ("gfin_result_warning", [ResultP, c_size_t], c_char_p, None),
    ("gfin_result_child_count", [ResultP], c_size_t, None),
    ("gfin_result_child", [ResultP, c_size_t], ResultP, None),

    # 11. JSON
    ("gfin_loan_from_json", [c_char_p, c_size_t, ErrP], LoanP, check_nonnull_err),
    ("gfin_project_from_json", [c_char_p, c_size_t, ErrP], ProjectP, check_nonnull_err),
    ("gfin_portfolio_from_json", [c_char_p, c_size_t, ErrP], PortfolioP, check_nonnull_err),
    ("gfin_result_to_json", [ResultP, P(CharP), P(c_size_t), ErrP], c_int, check_status),
    ("gfin_table_to_json", [TableP, P(CharP), P(c_size_t), ErrP], c_int, check_status),

    # 12. tables
    ("gfin_table_free", [TableP], None, None),
    ("gfin_table_rows", [TableP], c_size_t, None),
    ("gfin_table_cols", [TableP], c_size_t, None),
    ("gfin_table_col_name", [TableP, c_size_t], c_char_p, None),
    ("gfin_table_col_index", [TableP, c_char_p], c_int, None),
    ("gfin_table_col_kind", [TableP, c_size_t], c_int, None),
    # columns as addresses (int, None for NULL): a numpy view is built from the
    # address, and converting a pointer result to one costs a microsecond
    ("gfin_table_column", [TableP, c_size_t], ctypes.c_void_p, None),
    ("gfin_table_column_by_name", [TableP, c_char_p], ctypes.c_void_p, None),
    ("gfin_table_to_csv", [TableP, P(CharP), P(c_size_t), ErrP], c_int, check_status),

    # 13. risk (experimental tier)
    ("gfin_risk_stat_name", [c_int], c_char_p, None),
    ("gfin_risk_apply_find", [c_char_p], c_int, None),
    ("gfin_risk_per_find", [c_char_p], c_int, None),
    ("gfin_risk_dist_type_find", [c_char_p], c_int, None),
    ("gfin_risk_dist_param_find", [c_char_p], c_int, None),
    ("gfin_risk_dist_new", [c_int], RiskDistP, check_alloc),
    ("gfin_risk_dist_free", [RiskDistP], None, None),
    ("gfin_risk_dist_set", [RiskDistP, c_int, c_double, ErrP], c_int, check_status),
    ("gfin_risk_dist_set_values", [RiskDistP, DblP, DblP, c_size_t, ErrP], c_int, check_status),
    ("gfin_risk_dist_validate", [RiskDistP, ErrP], c_int, check_status),
    ("gfin_risk_change_new", [c_char_p, c_int, ErrP], RiskChangeP, check_nonnull_err),
    ("gfin_risk_change_free", [RiskChangeP], None, None),
    ("gfin_risk_change_set_name", [RiskChangeP, c_char_p, ErrP], c_int, check_status),
    ("gfin_risk_change_add_project", [RiskChangeP, c_char_p, ErrP], c_int, check_status),
    ("gfin_risk_change_set_technology", [RiskChangeP, c_int, ErrP], c_int, check_status),
    ("gfin_risk_change_add_lender", [RiskChangeP, c_char_p, ErrP], c_int, check_status),
    ("gfin_risk_change_set_years", [RiskChangeP, c_int, c_int, ErrP], c_int, check_status),
    ("gfin_risk_change_set_currency", [RiskChangeP, c_char_p, ErrP], c_int, check_status),
    ("gfin_risk_new", [], RiskP, check_alloc),
    ("gfin_risk_free", [RiskP], None, None),
    ("gfin_risk_set_scenarios", [RiskP, c_size_t, ErrP], c_int, check_status),
    ("gfin_risk_set_seed", [RiskP, ctypes.c_uint64, ErrP], c_int, check_status),
    ("gfin_risk_set_covenant_dscr", [RiskP, c_double, ErrP], c_int, check_status),
    ("gfin_risk_set_hurdle_equity_irr", [RiskP, c_double, ErrP], c_int, check_status),
    ("gfin_risk_set_keep_samples", [RiskP, c_int], None, None),
    ("gfin_risk_set_progress", [RiskP, ctypes.c_void_p, ctypes.c_void_p], None, None),
    ("gfin_risk_add_case", [RiskP, c_char_p, P(c_size_t), ErrP], c_int, check_status),
    ("gfin_risk_case_add_change", [RiskP, c_size_t, RiskChangeP, c_double, ErrP], c_int, check_status),
    ("gfin_risk_add_sensitivity", [RiskP, RiskChangeP, c_double, c_double, ErrP], c_int, check_status),
    ("gfin_risk_add_factor", [RiskP, c_char_p, c_int, c_double, ErrP], c_int, check_status),
    ("gfin_risk_add_correlation", [RiskP, c_char_p, c_char_p, c_double, ErrP], c_int, check_status),
    ("gfin_risk_add_uncertainty", [RiskP, RiskChangeP, RiskDistP, c_char_p, c_int, ErrP], c_int, check_status),
    ("gfin_risk_validate", [RiskP, PortfolioP, ErrP], c_int, check_status),
    ("gfin_risk_run", [RiskP, PortfolioP, c_size_t, c_size_t, c_int, P(RiskResultP), ErrP], c_int, check_status),
    ("gfin_risk_result_free", [RiskResultP], None, None),
    ("gfin_risk_result_scenarios", [RiskResultP], c_size_t, None),
    ("gfin_risk_result_seed", [RiskResultP], ctypes.c_uint64, None),
    ("gfin_risk_result_first", [RiskResultP], c_size_t, None),
    ("gfin_risk_result_count", [RiskResultP], c_size_t, None),
    ("gfin_risk_result_scope_count", [RiskResultP], c_size_t, None),
    ("gfin_risk_result_scope_name", [RiskResultP, c_size_t], c_char_p, None),
    ("gfin_risk_result_change_count", [RiskResultP], c_size_t, None),
    ("gfin_risk_result_change_name", [RiskResultP, c_size_t], c_char_p, None),
    ("gfin_risk_result_case_count", [RiskResultP], c_size_t, None),
    ("gfin_risk_result_case_name", [RiskResultP, c_size_t], c_char_p, None),
    ("gfin_risk_result_table", [RiskResultP, c_char_p], TableP, None),
    ("gfin_risk_result_statistic", [RiskResultP, c_size_t, key_t, c_int, DblP], c_int, check_status_or_novalue),
    ("gfin_risk_result_probability", [RiskResultP, c_size_t, key_t, DblP], c_int, check_status_or_novalue),
    ("gfin_risk_result_warning_count", [RiskResultP], c_size_t, None),
    ("gfin_risk_result_warning", [RiskResultP, c_size_t], c_char_p, None),
    ("gfin_risk_statistics", [DblP, c_size_t, DblP, ErrP], c_int, check_status),
]


# --------------------------------------------------------------------------
# Finding and loading the library
# --------------------------------------------------------------------------

_LIB = None
_LIB_PATH = None
_LOCK = threading.Lock()


def _sonames(major):
    if sys.platform == "darwin":
        return ["libgreenfin.%d.dylib" % major]
    if sys.platform == "win32":
        return ["greenfin-%d.dll" % major, "greenfin.dll"]
    return ["libgreenfin.so.%d" % major]


def source_root():
    """The repository root when the package is imported from the source tree."""
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.normpath(os.path.join(here, os.pardir, os.pardir, os.pardir))
    if os.path.isfile(os.path.join(root, "include", "greenfin.h")) and \
            os.path.isfile(os.path.join(root, "meson.build")):
        return root
    return None


def _candidates():
    """(how it was found, path or name) in search order."""
    env = os.environ.get("GREENFIN_LIBRARY")
    if env:
        return [("GREENFIN_LIBRARY", env)]
    out = []
    root = source_root()
    if root:
        found = []
        for soname in _sonames(EXPECTED_MAJOR):
            found += glob.glob(os.path.join(root, "build*", soname))
        found.sort(key=lambda p: os.path.getmtime(p), reverse=True)
        if found:
            out += [("meson build tree", p) for p in found]
        else:
            out.append(("meson build tree", os.path.join(root, "build*", _sonames(EXPECTED_MAJOR)[0])))
    name = ctypes.util.find_library("greenfin")
    if name:
        out.append(("ctypes.util.find_library('greenfin')", name))
    for soname in _sonames(EXPECTED_MAJOR):
        out.append(("system soname", soname))
    return out


# The header's experimental tier (section 13) may change or go in any minor
# version: a library without these functions still loads, and the features
# that need them say so when used (has(), require()).
EXPERIMENTAL_PREFIXES = ("gfin_risk_", "gfin_fund_source_get")
_ABSENT = set()


def has(name):
    """Whether the loaded library has the (experimental) function `name`."""
    lib()
    return name not in _ABSENT


def require(name, feature):
    if not has(name):
        raise NotImplementedError("%s needs %s, which this libgreenfin (%s) lacks: the header's experimental "
                                  "tier (section 13) may change or go in any minor version"
                                  % (feature, name, _LIB_PATH))


def _register(cdll):
    missing = []
    for name, argtypes, restype, errcheck in FUNCTIONS:
        try:
            f = getattr(cdll, name)
        except AttributeError:
            if name.startswith(EXPERIMENTAL_PREFIXES):
                _ABSENT.add(name)
            else:
                missing.append(name)
            continue
        f.argtypes = argtypes
        f.restype = restype
        if errcheck is not None:
            f.errcheck = errcheck
    return missing


def _try(path):
    """Loads one candidate; returns (cdll, None) or (None, reason)."""
    try:
        cdll = ctypes.CDLL(path)
    except OSError as e:
        return None, str(e)
    try:
        ver = cdll.gfin_version
        ver.restype = c_int
        ver.argtypes = []
        version = ver()
    except AttributeError:
        return None, "not a greenfin library (no gfin_version)"
    if version // 10000 != EXPECTED_MAJOR:
        return None, "major version %d (version number %d), these bindings need %d" % (
            version // 10000, version, EXPECTED_MAJOR)
    missing = _register(cdll)
    if missing:
        return None, "lacks %s (a library older than these bindings?)" % ", ".join(missing)
    return cdll, None


def lib():
    """The loaded library (loading it on first use). Raises LibraryNotFound."""
    global _LIB, _LIB_PATH
    if _LIB is not None:
        return _LIB
    with _LOCK:
        if _LIB is not None:
            return _LIB
        tried = []
        for how, path in _candidates():
            cdll, why = _try(path)
            if cdll is not None:
                _LIB_PATH = path
                _LIB = cdll
                return _LIB
            tried.append("  %s: %s\n    -> %s" % (how, path, why))
        raise errors.LibraryNotFound(
            "greenfin: cannot load libgreenfin (major version %d). Tried:\n%s\n"
            "Build it (meson setup build && ninja -C build) or set GREENFIN_LIBRARY "
            "to the path of libgreenfin.so." % (EXPECTED_MAJOR, "\n".join(tried)))


def library_path():
    """The path or name the library was loaded from (loading it if needed)."""
    lib()
    return _LIB_PATH


# --------------------------------------------------------------------------
# Arguments: what ctypes would silently truncate is refused first
# --------------------------------------------------------------------------

def c_range(ctype):
    """[min, max] of a ctypes integer type."""
    bits = 8 * ctypes.sizeof(ctype)
    if ctype(-1).value < 0:
        return -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    return 0, (1 << bits) - 1


INT_RANGE = c_range(c_int)
INT32_RANGE = c_range(c_int32)


def c_integer(callee, name, value, lo, hi, what="a C int"):
    """An int for a C integer parameter; ctypes would wrap a wider one (2**32 + 1
    becomes 1), so one outside [lo, hi] raises InvalidInput naming the argument,
    its value and the range."""
    if isinstance(value, bool) or not isinstance(value, int):
        import numbers
        if not isinstance(value, numbers.Integral) or isinstance(value, bool):
            raise TypeError("%s argument %r must be an int, not %s" % (callee, name, type(value).__name__))
        value = int(value)
    if value < lo or value > hi:
        raise errors.InvalidInput(errors.EINVAL, name, "%d is outside [%d, %d] (%s), in %s"
                                  % (value, lo, hi, what, callee))
    return value


def c_string(callee, name, value):
    """A str as UTF-8 for a C string parameter. C strings end at the first NUL,
    so a str containing one would be cut there: it is refused, as the JSON
    loader refuses \u0000."""
    if not isinstance(value, str):
        raise TypeError("%s argument %r must be a str, not %s" % (callee, name, type(value).__name__))
    b = value.encode("utf-8")
    if b"\0" in b:
        raise errors.InvalidInput(errors.EINVAL, name, "%r: \\u0000 (a NUL character, at index %d) is not "
                                  "allowed in a string, in %s" % (value, value.index("\0"), callee))
    return b


_ENUMS = {}


def enum_value(name):
    """The number of the library's public enumerator `name` ("GFIN_EINVAL",
    "GFIN_COL_DATE", ...), read once from the library (gfin_enum_value), so
    that no number of the header is copied here."""
    v = _ENUMS.get(name)
    if v is None:
        out = c_int()
        err = GfinError()
        if lib().gfin_enum_value(name.encode("ascii"), out, err) != 0:
            raise LookupError("%s: %s" % (_text(err.path), _text(err.message)))
        v = _ENUMS[name] = out.value
    return v


def take_text(ptr, n):
    """Copies library-allocated text and frees it with gfin_free."""
    try:
        return ctypes.string_at(ptr, n.value).decode("utf-8")
    finally:
        _LIB.gfin_free(ctypes.cast(ptr, ctypes.c_void_p))
