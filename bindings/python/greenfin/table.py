"""Result tables: named columns of doubles, one row per period or year.

``t['interest']`` is a read-only numpy view of the C column, without copying,
when numpy is installed (a list otherwise). The view keeps the memory it points
into alive: its base is a small holder that references the C owner (the table's
own handle, or the result the table belongs to), so it stays valid after
``del t``, after ``t.close()`` and after the result object is closed.
"""

import ctypes
import math
import os

from . import _lib
from ._handle import Handle, check_open

try:
    import numpy as np
except ImportError:  # pragma: no cover
    np = None

_F8 = np.dtype(np.float64).str if np is not None else "<f8"

# gfin_column_kind (greenfin.h section 12); stable numbers.
_NUMBER, _INTEGER, _DATE = 0, 1, 2


class _ColumnBuffer:
    """The base object of a column view: exposes the C column through the numpy
    array interface (read-only) and holds a reference to the memory's owner."""

    __slots__ = ("__array_interface__", "owner")

    def __init__(self, address, rows, owner):
        self.owner = owner
        self.__array_interface__ = {
            "version": 3,
            "shape": (rows,),
            "typestr": _F8,  # native-endian IEEE double
            "data": (address, True),  # True: read-only
        }


def _doubles(address, rows):
    """A list copy of `rows` doubles at a C address."""
    if not address or not rows:
        return []
    return list((ctypes.c_double * rows).from_address(address))


class Table:
    """A columnar result table. ``len(t)`` is the number of rows,
    ``t.columns`` the column names, ``t[name]`` a column."""

    def __init__(self, ptr, owner, name=""):
        # owner: the Handle that owns the memory (this table's own, or the
        # result's root handle for a table that lives in a result).
        self._p = ptr
        self._owner = owner
        self.name = name
        self._rows = _lib.lib().gfin_table_rows(ptr)
        self._names_cache = None  # read on first use: most callers only index by name
        self._kinds_cache = None

    @property
    def _names(self):
        if self._names_cache is None:
            L = _lib.lib()
            p = self._p
            self._names_cache = [L.gfin_table_col_name(p, j).decode("utf-8") for j in range(L.gfin_table_cols(p))]
        return self._names_cache

    @property
    def _kinds(self):
        if self._kinds_cache is None:
            L = _lib.lib()
            self._kinds_cache = [L.gfin_table_col_kind(self._p, j) for j in range(len(self._names))]
        return self._kinds_cache

    @classmethod
    def _owned(cls, ptr, name=""):
        return cls(ptr, Handle(ptr, _lib.lib().gfin_table_free), name)

    def _ptr(self):
        check_open(self._owner, "Table")
        return self._p

    # -- the Python protocol -------------------------------------------------
    def __len__(self):
        check_open(self._owner, "Table")
        return self._rows

    @property
    def columns(self):
        """The column names, in table order."""
        check_open(self._owner, "Table")
        return list(self._names)

    @property
    def shape(self):
        return (len(self), len(self._names))

    def __contains__(self, name):
        return name in self._names

    def __iter__(self):
        return iter(self.columns)

    def kind(self, name):
        """'number', 'integer' or 'date' (dates are days since 1970-01-01)."""
        j = self._index(name)
        return {_NUMBER: "number", _INTEGER: "integer", _DATE: "date"}.get(self._kinds[j], "number")

    def _index(self, name):
        check_open(self._owner, "Table")
        try:
            return self._names.index(name)
        except ValueError:
            raise KeyError("table %r has no column %r; columns: %s"
                           % (self.name, name, ", ".join(self._names))) from None

    def __getitem__(self, name):
        """The column `name`: a read-only numpy view without copying (numpy
        installed), else a list of floats. NaN means "no value"."""
        if not isinstance(name, str):
            raise TypeError("Table columns are indexed by name (str), not %s" % type(name).__name__)
        check_open(self._owner, "Table")
        address = _lib.lib().gfin_table_column_by_name(self._p, name.encode("utf-8"))
        if not address:
            self._index(name)  # raises KeyError listing the columns
        if np is None:
            return _doubles(address, self._rows)
        if self._rows == 0 or not address:
            return np.empty(0)
        return np.asarray(_ColumnBuffer(address, self._rows, self._owner))

    def column_address(self, name):
        """The address of the C column (for checking that views share it)."""
        j = self._index(name)
        return _lib.lib().gfin_table_column(self._p, j)

    # -- conversions ---------------------------------------------------------
    def to_dict(self):
        """{column: list} (a copy): integer columns as int, date columns as
        datetime.date, NaN cells as None."""
        from ._registry import from_days
        L = _lib.lib()
        p = self._ptr()
        out = {}
        for j, name in enumerate(self._names):
            vals = _doubles(L.gfin_table_column(p, j), self._rows)
            kind = self._kinds[j]
            conv = {_INTEGER: int, _DATE: from_days}.get(kind)
            out[name] = [None if math.isnan(v) else (conv(v) if conv else v) for v in vals]
        return out

    def to_numpy(self):
        """{column: numpy array} (copies)."""
        if np is None:
            raise ImportError("Table.to_numpy() needs numpy")
        return {n: np.array(self[n]) for n in self.columns}

    def to_pandas(self):
        """A pandas DataFrame (a copy). Date columns become datetime64, integer
        columns int64 (float64 if they hold NaN)."""
        try:
            import pandas as pd
        except ImportError:
            raise ImportError("Table.to_pandas() needs pandas (pip install pandas)") from None
        data = {}
        for j, name in enumerate(self.columns):
            a = np.array(self[name])
            if self._kinds[j] == _DATE:
                a = pd.to_datetime(a.astype(np.int64).astype("datetime64[D]"))
            elif self._kinds[j] == _INTEGER and not np.isnan(a).any():
                a = a.astype(np.int64)
            data[name] = a
        return pd.DataFrame(data, columns=self.columns)

    def to_csv(self, path=None):
        """The table as CSV text (gfin_table_to_csv): written to `path` when
        given (returns None), else returned as a str."""
        L = _lib.lib()
        buf, n = _lib.CharP(), _lib.c_size_t()
        err = _lib.GfinError()
        L.gfin_table_to_csv(self._ptr(), buf, n, err)
        text = _lib.take_text(buf, n)
        if path is None:
            return text
        with open(os.fspath(path), "w", encoding="utf-8", newline="") as f:
            f.write(text)
        return None

    def to_json(self):
        """The table as a JSON object of column arrays (gfin_table_to_json)."""
        L = _lib.lib()
        buf, n = _lib.CharP(), _lib.c_size_t()
        err = _lib.GfinError()
        L.gfin_table_to_json(self._ptr(), buf, n, err)
        return _lib.take_text(buf, n)

    # -- lifetime -------------------------------------------------------------
    def close(self):
        """Drops this object's hold on the C memory (freed once no column view
        still uses it). Using the table afterwards raises ValueError."""
        self._owner = None

    @property
    def closed(self):
        return self._owner is None or self._owner.ptr is None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        if self.closed:
            return "<greenfin.Table %s (closed)>" % (self.name or "")
        return "<greenfin.Table %s: %d rows x %d columns: %s>" % (
            self.name or "", self._rows, len(self._names), ", ".join(self._names))
