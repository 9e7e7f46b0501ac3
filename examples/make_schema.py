"""Writes examples/greenfin.schema.json, and the key and output references of
README.md, from the registries of a built library.

Run after changing the registry (the schema test fails until they agree):
    GREENFIN_LIBRARY=build/libgreenfin.so /usr/bin/python3 examples/make_schema.py examples/greenfin.schema.json
    GREENFIN_LIBRARY=build/libgreenfin.so /usr/bin/python3 examples/make_schema.py --markdown README.md
(--markdown replaces the text between the README's "keys:begin" and "keys:end"
markers, and between "outputs:begin" and "outputs:end".)
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


def risk_defs(ref):
    """The `risk` object (docs/model.md "Risk"): its keys are the risk module's, not the registry's."""
    number = {"type": "number"}
    strings = {"type": "array", "items": {"type": "string"}, "minItems": 1}
    change = {
        "key": {"type": "string", "description": "a project, grid or loan key, \"energy\" or \"fx_drift\""},
        "apply": {"enum": ["scale", "add", "set"], "default": "scale"},
        "projects": strings, "lenders": strings,
        "technology": {"enum": ["solar", "hydro"]},
        "years": {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2,
                  "description": "energy: [first, last] calendar years"},
        "currency": {"type": "string", "minLength": 1, "maxLength": 15,
                     "description": "fx_drift: the loan currency whose fx path it moves (default: every path a "
                                    "loan uses)"},
        "name": {"type": "string", "minLength": 1, "maxLength": 255}}

    def entry(title, extra, required):
        return {"type": "object", "additionalProperties": False, "title": title,
                "properties": {**change, **extra}, "required": ["key"] + required}
    per = {"enum": ["scenario", "year"], "default": "scenario"}
    return {
        "risk_distribution": {
            "type": "object", "additionalProperties": False, "required": ["type"], "title": "A distribution",
            "properties": {"type": {"enum": ["normal", "lognormal", "uniform", "triangular", "pert", "discrete"]},
                           "mean": number, "sd": {"type": "number", "exclusiveMinimum": 0}, "min": number,
                           "mode": number, "max": number, "lower": number, "upper": number,
                           "values": {"type": "array", "items": number, "minItems": 1},
                           "weights": {"type": "array", "items": {"type": "number", "minimum": 0}, "minItems": 1}}},
        "risk": {
            "type": "object", "additionalProperties": False,
            "title": "Cases, sensitivity and Monte Carlo (greenfin risk FILE)",
            "properties": {
                "scenarios": {"type": "integer", "minimum": 1, "maximum": 10000000, "default": 1000},
                "seed": {"type": "integer", "minimum": 0, "maximum": 9007199254740991, "default": 1},
                "covenant_dscr": {"type": "number", "exclusiveMinimum": 0, "maximum": 100, "default": 1.2},
                "hurdle_equity_irr": {"type": "number", "minimum": -1, "maximum": 10},
                "cases": {"type": "array", "items": {
                    "type": "object", "additionalProperties": False, "required": ["name", "changes"],
                    "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 255},
                                   "changes": {"type": "array", "minItems": 1,
                                               "items": entry("A change with its value", {"value": number},
                                                              ["value"])}}}},
                "sensitivity": {"type": "array", "items": entry("A change at low and at high",
                                                                {"low": number, "high": number}, ["low", "high"])},
                "uncertainties": {"type": "array", "items": entry(
                    "A change drawn from a distribution",
                    {"distribution": ref("risk_distribution"), "factor": {"type": "string"}, "per": per},
                    ["distribution"])},
                "factors": {"type": "object", "additionalProperties": {
                    "type": "object", "additionalProperties": False,
                    "properties": {"per": per, "autocorrelation": {"type": "number", "exclusiveMinimum": -1,
                                                                   "exclusiveMaximum": 1}}}},
                "correlations": {"type": "array", "items": {
                    "type": "array", "prefixItems": [{"type": "string"}, {"type": "string"},
                                                     {"type": "number", "minimum": -1, "maximum": 1}],
                    "minItems": 3, "maxItems": 3}}}},
    }


def build(keys):
    ref = lambda name: {"$ref": f"#/$defs/{name}"}
    defs = {
        "loan": definition(keys, "loan", title="A loan (greenfin loan FILE)"),
        "grid": definition(keys, "grid", title="Grid emission factors (TOOL07): ef_cm, or ef_om and ef_bm"),
        "debt_sizing": definition(keys, "debt_sizing", title="Senior debt sized from a target DSCR"),
        "project": definition(keys, "project", title="A project (greenfin project FILE)", extra={
            "grid": ref("grid"), "debt_sizing": ref("debt_sizing"),
            "loans": {"type": "array", "items": ref("loan")}, "risk": ref("risk")}),
        "source": definition(keys, "source", title="A source of the fund's capital"),
        "fund": definition(keys, "fund", title="The green fund", extra={
            "sources": {"type": "array", "items": ref("source")}}),
    }
    defs.update(risk_defs(ref))
    top = definition(keys, "portfolio", extra={
        "format": {"const": "greenfin/1", "description": "the file format and its version"},
        "grid": ref("grid"), "fund": ref("fund"), "risk": ref("risk"),
        "fx": {"type": "object",
               "description": "exchange-rate paths of the loans' currencies: {\"CNY\": [rates]}, the portfolio's "
                              "currency per unit in calendar years start_year, start_year + 1, ...; the last repeats",
               "additionalProperties": {"type": "array", "minItems": 1, "maxItems": 500,
                                        "items": {"type": "number", "exclusiveMinimum": 0}}},
        "projects": {"type": "array", "items": ref("project"), "minItems": 1}})
    top["required"] = ["format"] + top.get("required", []) + ["projects"]
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://greenfin.example.org/schema/greenfin-1.schema.json",
            "title": "greenfin/1 portfolio file",
            "description": "A portfolio of hydropower and solar projects and the green fund that lends to them. "
                           "Loan and project files are $defs/loan and $defs/project.",
            **top, "$defs": defs}


BEGIN, END = "<!-- keys:begin (generated by examples/make_schema.py) -->", "<!-- keys:end -->"
SECTIONS = [("loan", "Loan"), ("project", "Project"), ("grid", "`grid` (in a project or the portfolio)"),
            ("debt_sizing", "`debt_sizing` (in a project)"), ("fund", "`fund`"), ("source", "`fund.sources[]`"),
            ("portfolio", "Portfolio file")]


def fmt(x):
    return str(num(x)) if abs(x) < 1e12 else f"{x:g}"


def markdown(keys):
    """The key reference: one table per object, from the registry."""
    out = []
    for obj, title in SECTIONS:
        out += [f"**{title}**", "", "| key | type | unit | range | default | meaning |", "|---|---|---|---|---|---|"]
        for k in (k for k in keys if k["object"] == obj):
            rng = ""
            if k["type"] in ("number", "integer", "array"):
                rng = ("(" if k["min_exclusive"] else "[") + fmt(k["min"]) + ", " + fmt(k["max"]) + \
                      (")" if k["max_exclusive"] else "]")
            elif k["type"] == "choice":
                rng = " / ".join(f"`{c}`" for c in k["choices"])
            default = "required" if k["required"] else k.get("default", "")
            out.append(f"| `{k['name']}` | {k['type']} | {k['unit']} | {rng} | {default} | {k['doc']} |")
        out.append("")
    return "\n".join(out)


def splice(text, table, begin=BEGIN, end=END):
    a, b = text.index(begin) + len(begin), text.index(end)
    return text[:a] + "\n" + table + "\n" + text[b:]


OUT_BEGIN, OUT_END = "<!-- outputs:begin (generated by examples/make_schema.py) -->", "<!-- outputs:end -->"
TABLES = [("schedule", "`schedule` (a loan: one row per period)"),
          ("years", "`years` (a project: one row per project year)"),
          ("fund", "`fund` (a portfolio: the fund's book, one row per portfolio year)"),
          ("portfolio", "`portfolio` (a portfolio: totals of all projects, one row per portfolio year)"),
          ("impact", "`impact` (a portfolio: one row per project in the reporting year)"),
          ("technology", "`technology.<name>` (a portfolio: one table per technology, `technology.solar`, "
                         "`technology.hydro`, one row per portfolio year)")]
RESULTS = [("loan", "Loan metrics"), ("project", "Project metrics"), ("portfolio", "Portfolio metrics")]


def outputs_markdown(columns, metrics):
    """The output reference: every table's columns and every result's metrics, from the registry."""
    out = []
    for table, title in TABLES:
        out += [f"**{title}**", "", "| column | unit | kind | meaning |", "|---|---|---|---|"]
        out += [f"| `{c['name']}` | {c['unit']} | {c['kind']} | {c['doc']} |" for c in columns if c["table"] == table]
        out.append("")
    for result, title in RESULTS:
        out += [f"**{title}**", "", "| metric | unit | meaning |", "|---|---|---|"]
        out += [f"| `{m['name']}` | {m['unit']} | {m['doc']} |" for m in metrics if m["result"] == result]
        out.append("")
    return "\n".join(out)


def readme(text, lib):
    """README.md with both generated references replaced."""
    text = splice(text, markdown(registry.keys(lib)))
    return splice(text, outputs_markdown(registry.columns(lib), registry.metrics(lib)), OUT_BEGIN, OUT_END)


if __name__ == "__main__":
    lib = registry.load()
    keys = registry.keys(lib)
    if sys.argv[1] == "--markdown":
        with open(sys.argv[2]) as f:
            text = f.read()
        with open(sys.argv[2], "w") as f:
            f.write(readme(text, lib))
    else:
        with open(sys.argv[1], "w") as f:
            json.dump(build(keys), f, indent=2)
            f.write("\n")
