"""Loan currencies from Python (docs/model.md "Loan currencies"): the `fx`
keyword and Portfolio.set_fx, on tests/data/fx_cny.json, whose figures
tests/test_fx.c derives by hand."""
import json
import os

import pytest

import greenfin
from conftest import TEST_DATA


def _doc():
    with open(os.path.join(TEST_DATA, "fx_cny.json"), encoding="utf-8") as f:
        doc = json.load(f)
    doc.pop("format")
    return doc


def test_fx_keyword_converts_the_debt_service():
    # 2028: (300 + 270) CNY x 0.1358 USD/CNY = 77.406 (tests/test_fx.c).
    with greenfin.Portfolio(**_doc()) as pf:
        years = pf.evaluate().projects["cny-solar"].table("years")
        assert years["debt_service"][1] == pytest.approx(77.406, abs=1e-9)
        assert years["fx_gain_loss"][1] == pytest.approx(6.3, abs=1e-9)


def test_set_fx_refuses_a_rate_with_its_path():
    with greenfin.Portfolio() as pf:
        with pytest.raises(greenfin.InvalidInput, match=r"fx\.CNY\[1\]: -1 is not a rate"):
            pf.set_fx("CNY", [0.14, -1])
