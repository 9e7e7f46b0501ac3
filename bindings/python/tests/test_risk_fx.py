"""fx_drift from Python (docs/model.md "Risk"): a spec dict's change with
"currency" reaches the C library as the JSON object does, on
tests/data/fx_cny.json, whose fx path tests/test_fx.c writes out by hand as
the yuan losing 3 % a year from 0.14 USD (0.14 x 0.97^k)."""
import json
import os

import pytest

import greenfin
from greenfin import _lib
from conftest import TEST_DATA

pytestmark = pytest.mark.skipif(not _lib.has("gfin_risk_run"),
                                reason="this libgreenfin has no risk engine (experimental tier)")


def _doc(flat):
    with open(os.path.join(TEST_DATA, "fx_cny.json"), encoding="utf-8") as f:
        doc = json.load(f)
    doc.pop("format")
    if flat:
        doc["fx"]["CNY"] = [0.14]
    return doc


def test_a_drift_case_equals_the_hand_written_path():
    spec = {"scenarios": 2, "cases": [{"name": "yuan -3 %/yr", "changes": [
        {"key": "fx_drift", "apply": "add", "currency": "CNY", "value": -0.03}]}]}
    with greenfin.Portfolio(**_doc(flat=True)) as flat, greenfin.Portfolio(**_doc(flat=False)) as written:
        cases = flat.risk(spec=spec).cases
        want = written.evaluate().projects["cny-solar"]
        rows = cases[(cases["case"] == "yuan -3 %/yr") & (cases["scope"] == "cny-solar")]
        checked = 0
        for _, row in rows.iterrows():
            w = want.metrics.get(row["metric"])
            if w is None:
                continue
            assert row["value"] == pytest.approx(w, rel=1e-12, abs=1e-12), row["metric"]
            checked += 1
        assert checked >= 5
        # min DSCR by hand: CFADS 100 over 2028's debt service (300 + 270) x 0.1358 = 77.406.
        assert rows[rows["metric"] == "min_dscr"]["value"].iloc[0] == pytest.approx(100 / 77.406, rel=1e-12)


@pytest.mark.parametrize("change,path,rule", [
    ({"key": "fx_drift", "apply": "add", "currency": "JPY"}, "risk.sensitivity[0].currency", "no fx path"),
    ({"key": "fx_drift", "apply": "add", "currency": "EUR"}, "risk.sensitivity[0].currency", "currency of no loan"),
    ({"key": "fx_drift"}, "risk.sensitivity[0]", "\"add\""),
    ({"key": "capex", "currency": "CNY"}, "risk.sensitivity[0].currency", "fx_drift"),
])
def test_a_bad_drift_is_refused_with_its_path(change, path, rule):
    with greenfin.Portfolio(**_doc(flat=True)) as pf:
        with pytest.raises(greenfin.InvalidInput) as e:
            pf.risk(spec={"sensitivity": [dict(change, low=-0.01, high=0.01)]})
        assert e.value.path.startswith(path), (e.value.path, str(e.value))
        assert rule in str(e.value)
