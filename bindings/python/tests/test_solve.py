"""Goal seek from Python (greenfin.solve): the breakeven tariff against its
closed form, the debt at a DSCR evaluated back, and the errors."""
import os

import pytest

import greenfin
from greenfin.solve import solve

from conftest import ROOT

CLI_DATA = os.path.join(ROOT, "tests", "cli", "data")

# 30,000 MWh a year (10 MW x 8760 x 0.3424657534246575), no tax, no carbon price,
# no debt; capex K = 45 m over 2 construction years (40 %, 60 %); 20 operating
# years; tariff escalating g = 2 %; opex (900,000 + 3 x 30,000) escalating
# e = 2.5 %; d = 8 %. NPV is linear in the tariff T, zero at
#   T* = [K (0.4/(1+d) + 0.6/(1+d)^2) + (F + vE) S(1+e)] / (E S(1+g)),
#   S(q) = sum_{j=1..20} q^(j-1) / (1+d)^(2+j) = (1+d)^-3 (1 - (q/(1+d))^20) / (1 - q/(1+d)).
PLAIN = dict(id="solar", technology="solar", capacity_mw=10, capacity_factor=30000 / 87600, capex=45e6,
             construction_years=2, capex_profile=[0.4, 0.6], operating_years=20, tariff_per_mwh=50,
             tariff_escalation=0.02, opex_fixed=900000, opex_variable_per_mwh=3, opex_escalation=0.025,
             discount_rate=0.08, start_year=2027, grid={"ef_cm": 0.6})


def breakeven():
    d, E = 0.08, 30000.0

    def S(q):
        x = q / (1 + d)
        return (1 + d) ** -3 * (1 - x ** 20) / (1 - x)
    return (45e6 * (0.4 / (1 + d) + 0.6 / (1 + d) ** 2) + (900000 + 3 * E) * S(1.025)) / (E * S(1.02))


def test_breakeven_tariff():
    p = greenfin.Project(**PLAIN)
    s = solve(p, "tariff_per_mwh", "npv", 0.0)
    assert s.value == pytest.approx(breakeven(), rel=1e-12)
    assert abs(s.reached) < 1e-3
    assert s.result.metrics["npv"] == s.reached
    assert s.iterations >= 1 and s.evaluations > s.iterations
    assert p.get("tariff_per_mwh") == 50  # the input is unchanged


def test_principal_for_min_dscr_evaluates_back():
    pf = greenfin.Portfolio.from_file(os.path.join(CLI_DATA, "portfolio_two_projects.json"))
    s = solve(pf, "principal", "min_dscr", 1.3, project="small-hydro", loan="hydro-bank")
    assert s.key == "principal"
    # The file with that principal, evaluated again.
    import json
    with open(os.path.join(CLI_DATA, "portfolio_two_projects.json")) as f:
        doc = json.load(f)
    doc["projects"][1]["loans"][1]["principal"] = s.value
    back = greenfin.Portfolio.from_json(json.dumps(doc)).evaluate()
    assert abs(back.projects["small-hydro"].metrics["min_dscr"] - 1.3) < 1e-9


def test_errors():
    p = greenfin.Project(**PLAIN)
    with pytest.raises(greenfin.InvalidInput, match="operating_years.*integer"):
        solve(p, "operating_years", "npv", 0)
    with pytest.raises(greenfin.InvalidInput, match="several objects: write loan.annual_rate or "
                                                    "debt_sizing.annual_rate"):
        solve(p, "annual_rate", "npv", 0)
    with pytest.raises(greenfin.InvalidInput, match="'nvp' is not a metric"):
        solve(p, "tariff_per_mwh", "nvp", 0)
    with pytest.raises(greenfin.NoSolution, match="never reaches the target"):
        solve(p, "capacity_factor", "npv", 1e12)
    with pytest.raises(TypeError):
        solve({"id": "x"}, "capex", "npv", 0)
