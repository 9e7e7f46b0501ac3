"""Shared fixtures of the binding tests.

Paths are relative to the repository root (this file is
bindings/python/tests/conftest.py). Reference data come from tests/data/, the
copies of shared/reference the C tests use too.
"""
import json
import os

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, os.pardir))
TEST_DATA = os.path.join(ROOT, "tests", "data")
EXAMPLES_DATA = os.path.join(ROOT, "examples", "data")
HERE_DATA = os.path.join(os.path.dirname(__file__), "data")
SAMPLE_PORTFOLIO = os.path.join(EXAMPLES_DATA, "cambodia_pipeline.json")


def load_vectors():
    with open(os.path.join(TEST_DATA, "finance_vectors.json"), encoding="utf-8") as f:
        return json.load(f)


def vectors(function):
    return [v for v in load_vectors() if v["function"] == function]


def close_to(got, want, tol):
    """The reference file's tolerance: {"rel": r} and/or {"abs": a}."""
    tol = tol or {}
    rel, ab = tol.get("rel"), tol.get("abs")
    if rel is None and ab is None:
        return got == want
    diff = abs(got - want)
    return (ab is not None and diff <= ab) or (rel is not None and diff <= rel * abs(want))


@pytest.fixture
def examples_data():
    return EXAMPLES_DATA
