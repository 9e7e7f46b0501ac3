"""The small energy and carbon functions of greenfin.h section 7, for checking
single figures (the project uses them for its yearly table).

Sources: CDM ACM0002 v22.0 (power density, reservoir emissions) and TOOL07
v07.0 (combined-margin weights).
"""

from . import _lib
from . import _registry as reg
from .tvm import _real


def _call(cfunc, *args):
    out = _lib.c_double()
    getattr(_lib.lib(), cfunc)(*args, out)
    return out.value


def hydro_power_mw(flow_m3s, head_m, efficiency=0.88):
    """P = rho g Q H eta in MW (rho = 1000 kg/m3, g = 9.81 m/s2)."""
    return _call("gfin_hydro_power_mw", _real("hydro_power_mw", "flow_m3s", flow_m3s),
                 _real("hydro_power_mw", "head_m", head_m), _real("hydro_power_mw", "efficiency", efficiency))


def power_density_w_m2(capacity_mw, reservoir_area_km2, baseline_capacity_mw=0.0, baseline_area_km2=0.0):
    """ACM0002 power density (cap - cap_bl) / (area - area_bl), W/m2."""
    f = "power_density_w_m2"
    return _call("gfin_power_density_w_m2", _real(f, "capacity_mw", capacity_mw),
                 _real(f, "baseline_capacity_mw", baseline_capacity_mw),
                 _real(f, "reservoir_area_km2", reservoir_area_km2),
                 _real(f, "baseline_area_km2", baseline_area_km2))


def combined_margin(technology, crediting_period, ef_om, ef_bm):
    """TOOL07 EF_CM = w_OM EF_OM + w_BM EF_BM with the weights of `technology`
    ('solar' or 'hydro', the project key's choices) in crediting period 1-3."""
    p = reg.params("project")["technology"]
    tech = reg.convert("combined_margin()", p, technology).data
    f = "combined_margin"
    period = _lib.c_integer(f + "()", "crediting_period", crediting_period, *_lib.INT_RANGE)
    return _call("gfin_combined_margin", int(tech), period, _real(f, "ef_om", ef_om),
                 _real(f, "ef_bm", ef_bm))


def reservoir_ef(power_density_w_m2):
    """ACM0002 reservoir emission factor, tCO2e/MWh of gross generation: 0 above
    10 W/m2, 0.090 above 4; NotApplicable at 4 W/m2 or below."""
    return _call("gfin_reservoir_ef", _real("reservoir_ef", "power_density_w_m2", power_density_w_m2))


def year_fraction(start, end, day_count="30/360"):
    """Year fraction between two dates under a day count (the names of the
    loan key day_count: '30/360', 'ACT/360', 'ACT/365F', 'ACT/ACT', ...)."""
    p = reg.params("loan")["day_count"]
    dc = reg.convert("year_fraction()", p, day_count).data
    lo, hi = _lib.INT32_RANGE
    s = _lib.c_integer("year_fraction()", "start", reg.to_days(start, "year_fraction()", "start"), lo, hi,
                       "days since 1970-01-01 in a gfin_date")
    e = _lib.c_integer("year_fraction()", "end", reg.to_days(end, "year_fraction()", "end"), lo, hi,
                       "days since 1970-01-01 in a gfin_date")
    out = _lib.c_double()
    _lib.lib().gfin_year_fraction_err(s, e, int(dc), out, _lib.GfinError())  # the error names the argument
    return out.value
