"""Writes examples/greenfin.schema.json from the registry of a built library.

Run after changing the registry (the schema test fails until the two agree):
    GREENFIN_LIBRARY=build/libgreenfin.so /usr/bin/python3 tests/schema/make_schema.py examples/greenfin.schema.json
"""
import json
import sys

import registry

# Keys required by the registry but inherited from the portfolio (not required in a file).
INHERITED = {("project", "discount_rate"), ("project", "start_year")}


def num(x):
    """Whole numbers as integers (1900, not 1900.0)."""
    return int(x) if x == int(x) and abs(x) < 1e15 else x


def prop(k):
    p = {"description": k["doc"] + (f" [{k['unit']}]" if k["unit"] and k["type"] != "date" else "")}
    if k["type"] in ("number", "integer"):
        p["type"] = k["type"]
        p["exclusiveMinimum" if k["min_exclusive"] else "minimum"] = num(k["min"])
        p["exclusiveMaximum" if k["max_exclusive"] else "maximum"] = num(k["max"])
        if k["name"] == "frequency":
            p["enum"] = [1, 2, 4, 12]
    elif k["type"] == "choice":
        p["enum"] = k["choices"]
    elif k["type"] == "array":
        item = {"type": "number", "exclusiveMinimum" if k["min_exclusive"] else "minimum": num(k["min"]),
                "exclusiveMaximum" if k["max_exclusive"] else "maximum": num(k["max"])}
        p.update(type="array", items=item, minItems=1)
        if k["name"] == "monthly_flow_m3s":
            p["maxItems"] = 12
    elif k["type"] == "string":
        p.update(type="string", maxLength=255)
    elif k["type"] == "date":
        p.update(type="string", pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
    return p


def definition(keys, obj, extra=None, title=None):
    props = {k["name"]: prop(k) for k in keys if k["object"] == obj}
    props.update(extra or {})
    req = [k["name"] for k in keys if k["object"] == obj and k["required"] and (obj, k["name"]) not in INHERITED]
    d = {"type": "object", "additionalProperties": False, "properties": props}
    if title:
        d["title"] = title
    if req:
        d["required"] = req
    return d


def build(keys):
    ref = lambda name: {"$ref": f"#/$defs/{name}"}
    defs = {
        "loan": definition(keys, "loan", title="A loan (greenfin loan FILE)"),
        "grid": definition(keys, "grid", title="Grid emission factors (TOOL07): ef_cm, or ef_om and ef_bm"),
        "debt_sizing": definition(keys, "debt_sizing", title="Senior debt sized from a target DSCR"),
        "project": definition(keys, "project", title="A project (greenfin project FILE)", extra={
            "grid": ref("grid"), "debt_sizing": ref("debt_sizing"),
            "loans": {"type": "array", "items": ref("loan")}}),
        "source": definition(keys, "source", title="A source of the fund's capital"),
        "fund": definition(keys, "fund", title="The green fund", extra={
            "sources": {"type": "array", "items": ref("source")}}),
    }
    top = definition(keys, "portfolio", extra={
        "format": {"const": "greenfin/1", "description": "the file format and its version"},
        "grid": ref("grid"), "fund": ref("fund"),
        "projects": {"type": "array", "items": ref("project"), "minItems": 1}})
    top["required"] = ["format"] + top.get("required", []) + ["projects"]
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://greenfin.example.org/schema/greenfin-1.schema.json",
            "title": "greenfin/1 portfolio file",
            "description": "A portfolio of hydropower and solar projects and the green fund that lends to them. "
                           "Loan and project files are $defs/loan and $defs/project.",
            **top, "$defs": defs}


if __name__ == "__main__":
    schema = build(registry.keys(registry.load()))
    with open(sys.argv[1], "w") as f:
        json.dump(schema, f, indent=2)
        f.write("\n")
