"""The numbers of the header's enumerators are read from the library
(gfin_enum_value), not copied into Python (issue 13 item 6). The independent
source here is the header itself: every enumerator of the four enums the
bindings use, parsed from include/greenfin.h, must come back with its number.
"""
import ctypes
import os
import re

import pytest

import greenfin
from greenfin import _lib, errors
from conftest import ROOT

ENUMS = ("gfin_status", "gfin_param_type", "gfin_column_kind", "gfin_result_kind")


def header_enumerators():
    with open(os.path.join(ROOT, "include", "greenfin.h"), encoding="utf-8") as f:
        text = re.sub(r"/\*.*?\*/", "", f.read(), flags=re.S)
    out = {}
    for enum in ENUMS:
        m = re.search(r"typedef enum %s \{(.*?)\} %s;" % (enum, enum), text, re.S)
        assert m, enum
        for name, value in re.findall(r"(GFIN_\w+)\s*=\s*(-?\d+)", m.group(1)):
            out[name] = int(value)
    return out


def test_every_enumerator_of_the_header_comes_from_the_library():
    enums = header_enumerators()
    assert len(enums) >= 21 and enums["GFIN_ENOVALUE"] == -8   # the parse found them
    for name, value in enums.items():
        assert _lib.enum_value(name) == value, name


def test_unknown_names_and_null_are_refused():
    out = ctypes.c_int(7)
    err = _lib.GfinError()
    assert _lib.lib().gfin_enum_value(b"GFIN_NOT_A_NAME", out, err) == header_enumerators()["GFIN_EINVAL"]
    assert err.path == b"GFIN_NOT_A_NAME" and b"not an enumerator" in err.message and out.value == 7
    assert _lib.lib().gfin_enum_value(None, out, None) == header_enumerators()["GFIN_EINVAL"]
    with pytest.raises(LookupError, match="GFIN_NOPE"):
        _lib.enum_value("GFIN_NOPE")


def test_statuses_and_exception_classes():
    enums = header_enumerators()
    for name in ("OK", "EINVAL", "ENOMEM", "ERANGE", "ENOCONV", "EPARSE", "EIO", "ENOTAPPLICABLE", "ENOVALUE"):
        assert getattr(errors, name) == enums["GFIN_" + name]
    assert errors.error_class(enums["GFIN_EINVAL"]) is greenfin.InvalidInput
    assert errors.error_class(enums["GFIN_ENOCONV"]) is greenfin.NoSolution
    assert errors.error_class(12345) is greenfin.Error
    with pytest.raises(AttributeError):
        errors.ENOTACODE


def test_no_number_of_these_enums_is_written_in_the_package():
    # The modules that used to copy them: status codes, key types, column and result kinds.
    pkg = os.path.join(ROOT, "bindings", "python", "greenfin")
    for mod in ("errors.py", "_registry.py", "table.py", "results.py", "_lib.py"):
        with open(os.path.join(pkg, mod), encoding="utf-8") as f:
            src = f.read()
        assert not re.search(r"^\s*(OK|EINVAL|ENOMEM|ENOVALUE|_NUMBER|_DATE|_KIND_\w+)\s*=\s*-?\d", src, re.M), mod
        assert "range(6)" not in src, mod
