"""The JSON Schema of the file format (examples/greenfin.schema.json) against
the registry of the built library and against the example files."""
import copy
import glob
import json
import os

import sys

import jsonschema
import pytest

ROOT = os.environ.get("GFIN_SOURCE_ROOT", os.path.join(os.path.dirname(__file__), "..", ".."))
# The generator lives next to what it generates (examples/greenfin.schema.json).
sys.path.insert(0, os.path.join(ROOT, "examples"))
import make_schema  # noqa: E402
import registry  # noqa: E402
SCHEMA_PATH = os.path.join(ROOT, "examples", "greenfin.schema.json")
# Keys of the file format that are structure, not registry keys.
STRUCTURAL = {"portfolio": {"format", "grid", "fund", "fx", "projects", "risk"}, "project": {"grid", "debt_sizing", "loans", "risk"},
              "fund": {"sources"}}


@pytest.fixture(scope="module")
def schema():
    with open(SCHEMA_PATH) as f:
        return json.load(f)


@pytest.fixture(scope="module")
def keys():
    return registry.keys(registry.load())


def properties(schema, obj):
    d = schema if obj == "portfolio" else schema["$defs"][obj]
    return set(d["properties"])


@pytest.mark.parametrize("obj", ["loan", "project", "debt_sizing", "grid", "fund", "source", "portfolio"])
def test_every_registry_key_is_in_the_schema_and_the_reverse(schema, keys, obj):
    in_registry = {k["name"] for k in keys if k["object"] == obj}
    in_schema = properties(schema, obj) - STRUCTURAL.get(obj, set())
    assert in_registry - in_schema == set(), f"{obj}: keys missing from the schema"
    assert in_schema - in_registry == set(), f"{obj}: schema keys the registry does not know"


def test_schema_is_what_the_registry_generates(schema, keys):
    # Types, bounds, choices and docs too: regenerate with examples/make_schema.py.
    assert make_schema.build(keys) == schema


def test_readme_key_reference_is_what_the_registry_generates(keys):
    with open(os.path.join(ROOT, "README.md")) as f:
        text = f.read()
    assert make_schema.splice(text, make_schema.markdown(keys)) == text, \
        "README.md's key reference differs from the registry: run examples/make_schema.py --markdown README.md"


def test_readme_output_reference_is_what_the_registry_generates():
    lib = registry.load()
    with open(os.path.join(ROOT, "README.md")) as f:
        text = f.read()
    generated = make_schema.outputs_markdown(registry.columns(lib), registry.metrics(lib))
    assert make_schema.splice(text, generated, make_schema.OUT_BEGIN, make_schema.OUT_END) == text, \
        "README.md's output reference differs from the registry: run examples/make_schema.py --markdown README.md"


def validator(schema, part):
    sub = schema if part is None else {"$ref": f"#/$defs/{part}", "$defs": schema["$defs"]}
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(sub)


def example_files():
    files = sorted(glob.glob(os.path.join(ROOT, "examples", "data", "*.json")))
    assert len(files) >= 6
    return files


@pytest.mark.parametrize("path", example_files(), ids=os.path.basename)
def test_examples_validate(schema, path):
    with open(path) as f:
        doc = json.load(f)
    part = None if "format" in doc else ("loan" if "principal" in doc else "project")
    validator(schema, part).validate(doc)


def test_schema_refuses_what_the_loader_refuses(schema):
    with open(os.path.join(ROOT, "examples", "data", "cambodia_pipeline.json")) as f:
        doc = json.load(f)
    v = validator(schema, None)
    bad = copy.deepcopy(doc)
    bad["projects"][0]["loans"][0]["amortisation"] = "linear"
    assert not v.is_valid(bad), "unknown key"
    bad = copy.deepcopy(doc)
    bad["projects"][0]["technology"] = "wind"
    assert not v.is_valid(bad), "unknown choice"
    bad = copy.deepcopy(doc)
    bad["format"] = "greenfin/2"
    assert not v.is_valid(bad), "other format"
    bad = copy.deepcopy(doc)
    bad["projects"][0]["capacity_factor"] = 1.5
    assert not v.is_valid(bad), "out of bounds"


def test_schema_refuses_a_malformed_risk_object(schema):
    """The schema's risk object agrees with the loader on a few refusals."""
    with open(os.path.join(ROOT, "examples", "data", "cambodia_pipeline.json")) as f:
        doc = json.load(f)
    v = validator(schema, None)
    assert not list(v.iter_errors(doc))
    for mutate in (lambda r: r["uncertainties"][0]["distribution"].update(sd=-0.1),
                   lambda r: r.update(scenarios=0),
                   lambda r: r["uncertainties"][0]["distribution"].update(type="gamma"),
                   lambda r: r.update(scenarioz=3),
                   lambda r: r["cases"][0]["changes"][0].pop("value")):
        bad = json.loads(json.dumps(doc))
        mutate(bad["risk"])
        assert list(v.iter_errors(bad)), "the schema accepts a malformed risk object"


def test_a_project_file_may_carry_a_risk_object(schema):
    """docs/model.md "Risk": a project file (a portfolio of one project) may carry the same
    `risk` object as a portfolio file, which the loader reads; the schema's project agrees."""
    with open(os.path.join(ROOT, "examples", "data", "solar_project.json")) as f:
        doc = json.load(f)
    doc["risk"] = {"scenarios": 50, "cases": [{"name": "capex +20 %", "changes": [{"key": "capex", "value": 1.2}]}],
                   "uncertainties": [{"key": "energy", "distribution": {"type": "normal", "mean": 1, "sd": 0.05}}]}
    v = validator(schema, "project")
    assert not list(v.iter_errors(doc))
    doc["risk"]["scenarioz"] = 3
    assert list(v.iter_errors(doc)), "the schema accepts a malformed risk object in a project file"


def test_an_fx_drift_change_names_its_currency(schema):
    """docs/model.md "Risk": fx_drift takes `currency` (an fx path's code); a change
    with an unknown selector is still refused."""
    with open(os.path.join(ROOT, "tests", "data", "fx_cny.json")) as f:
        doc = json.load(f)
    doc["risk"] = {"cases": [{"name": "yuan -3 %/yr", "changes": [
        {"key": "fx_drift", "apply": "add", "currency": "CNY", "value": -0.03}]}]}
    v = validator(schema, None)
    assert not list(v.iter_errors(doc))
    doc["risk"]["cases"][0]["changes"][0]["currency"] = ""
    assert list(v.iter_errors(doc)), "an empty currency code"
    doc["risk"]["cases"][0]["changes"][0].pop("currency")
    doc["risk"]["cases"][0]["changes"][0]["currencies"] = ["CNY"]
    assert list(v.iter_errors(doc)), "an unknown selector"
