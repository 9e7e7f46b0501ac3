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
    return lib


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
