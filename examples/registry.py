"""The parameter registry of the built library, read through ctypes.

Used by the schema test (and the schema generator): the registry is the one
source of truth for every key's name, type, bounds and choices."""
import ctypes
import os

TYPES = {0: "number", 1: "integer", 2: "choice", 3: "array", 4: "string", 5: "date"}


def load(path=None):
    lib = ctypes.CDLL(path or os.environ["GREENFIN_LIBRARY"])
    lib.gfin_key_count.restype = ctypes.c_size_t
    lib.gfin_key_at.argtypes = [ctypes.c_size_t]
    lib.gfin_key_at.restype = ctypes.c_int
    for name in ("gfin_key_name", "gfin_key_object", "gfin_key_unit", "gfin_key_doc"):
        getattr(lib, name).argtypes = [ctypes.c_int]
        getattr(lib, name).restype = ctypes.c_char_p
    lib.gfin_key_type.argtypes = [ctypes.c_int]
    lib.gfin_key_required.argtypes = [ctypes.c_int]
    lib.gfin_key_bounds.argtypes = [ctypes.c_int] + [ctypes.c_void_p] * 4
    lib.gfin_key_choice.argtypes = [ctypes.c_int, ctypes.c_int]
    lib.gfin_key_choice.restype = ctypes.c_char_p
    lib.gfin_key_default.argtypes = [ctypes.c_int, ctypes.c_void_p]
    lib.gfin_column_count.restype = ctypes.c_size_t
    lib.gfin_column_at.argtypes = [ctypes.c_size_t]
    lib.gfin_column_at.restype = ctypes.c_int
    lib.gfin_metric_count.restype = ctypes.c_size_t
    lib.gfin_metric_at.argtypes = [ctypes.c_size_t]
    lib.gfin_metric_at.restype = ctypes.c_int
    for name in ("gfin_column_name", "gfin_column_table", "gfin_column_unit", "gfin_column_doc",
                 "gfin_metric_name", "gfin_metric_unit", "gfin_metric_doc"):
        getattr(lib, name).argtypes = [ctypes.c_int]
        getattr(lib, name).restype = ctypes.c_char_p
    lib.gfin_column_get_kind.argtypes = [ctypes.c_int, ctypes.c_void_p]
    lib.gfin_metric_get_kind.argtypes = [ctypes.c_int, ctypes.c_void_p]
    return lib


KINDS = {0: "number", 1: "integer", 2: "date"}


def _kind(fn, x):
    k = ctypes.c_int()
    assert fn(x, ctypes.byref(k)) == 0
    return KINDS[k.value]


def columns(lib):
    """Every output column as a dict: number, table, name, unit, kind, doc."""
    out = []
    for i in range(lib.gfin_column_count()):
        c = lib.gfin_column_at(i)
        out.append({"column": c, "table": lib.gfin_column_table(c).decode(), "name": lib.gfin_column_name(c).decode(),
                    "unit": lib.gfin_column_unit(c).decode(), "kind": _kind(lib.gfin_column_get_kind, c),
                    "doc": lib.gfin_column_doc(c).decode()})
    return out


METRIC_OWNERS = {10: "loan", 11: "project", 12: "portfolio"}


def metrics(lib):
    """Every metric as a dict: number, result (loan, project, portfolio: by its hundreds), name, unit, kind, doc."""
    out = []
    for i in range(lib.gfin_metric_count()):
        m = lib.gfin_metric_at(i)
        out.append({"metric": m, "result": METRIC_OWNERS.get(m // 100, "other"),
                    "name": lib.gfin_metric_name(m).decode(), "unit": lib.gfin_metric_unit(m).decode(),
                    "kind": _kind(lib.gfin_metric_get_kind, m), "doc": lib.gfin_metric_doc(m).decode()})
    return out


def keys(lib):
    """Every key as a dict: object, name, type, unit, doc, required, bounds, choices."""
    out = []
    for i in range(lib.gfin_key_count()):
        k = lib.gfin_key_at(i)
        entry = {
            "key": k,
            "object": lib.gfin_key_object(k).decode(),
            "name": lib.gfin_key_name(k).decode(),
            "type": TYPES[lib.gfin_key_type(k)],
            "unit": lib.gfin_key_unit(k).decode(),
            "doc": lib.gfin_key_doc(k).decode(),
            "required": lib.gfin_key_required(k) == 1,
        }
        lo, hi = ctypes.c_double(), ctypes.c_double()
        lx, hx = ctypes.c_int(), ctypes.c_int()
        if lib.gfin_key_bounds(k, ctypes.byref(lo), ctypes.byref(hi), ctypes.byref(lx), ctypes.byref(hx)) == 0:
            entry.update(min=lo.value, max=hi.value, min_exclusive=bool(lx.value), max_exclusive=bool(hx.value))
        if entry["type"] == "choice":
            entry["choices"] = [lib.gfin_key_choice(k, c).decode() for c in range(int(entry["max"]) + 1)]
        d = ctypes.c_double()
        if lib.gfin_key_default(k, ctypes.byref(d)) == 0:
            v = d.value
            entry["default"] = entry["choices"][int(v)] if entry["type"] == "choice" else \
                (int(v) if v == int(v) else v)
        out.append(entry)
    return out
