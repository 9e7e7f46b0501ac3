"""Result tables: named columns of doubles, one row per period or year.

``t['interest']`` is a read-only numpy view of the C column, without copying,
when numpy is installed (a list otherwise); a date column is a datetime64[D]
array (a copy). The view keeps the memory it points into alive: its base is a
small holder that references the C owner (the table's own handle, or the
result the table belongs to), so it stays valid after ``del t``, after
``t.close()`` and after the result object is closed.

Tables and results are immutable and freed only when unreachable, so a call
holds a reference to the owner for its duration (``Hold``), and a close() in
another thread cannot free the memory under it.
"""

import ctypes
import math
import os

from . import _lib
from ._handle import Closing, Handle, Hold, check_open

try:
    import numpy as np
except ImportError:  # pragma: no cover
    np = None

_F8 = np.dtype(np.float64).str if np is not None else "<f8"

# gfin_column_kind (greenfin.h section 4), read from the library on first use.
_NUMBER = _INTEGER = _DATE = None


def _column_kinds():
    global _NUMBER, _INTEGER, _DATE
    if _DATE is None:
        _NUMBER, _INTEGER, _DATE = (_lib.enum_value("GFIN_COL_" + k) for k in ("NUMBER", "INTEGER", "DATE"))


# (table name, column name) -> kind. The output registry gives every column of
# a named table one kind (gfin_column_get_kind), so the kind read from the
# first table of a name serves every later one, and a column read costs one C
# call instead of three.
_KIND_OF = {}


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


def _dates(days):
    """Days since 1970-01-01 (doubles, NaN for no value) as datetime64[D]."""
    out = np.full(days.shape, np.datetime64("NaT"), dtype="datetime64[D]")
    ok = ~np.isnan(days)
    out[ok] = days[ok].astype(np.int64).astype("datetime64[D]")
    return out


def _doubles(address, rows):
    """A list copy of `rows` doubles at a C address."""
    if not address or not rows:
        return []
    return list((ctypes.c_double * rows).from_address(address))


class Table(Closing):
    """A columnar result table. ``len(t)`` is the number of rows,
    ``t.columns`` the column names, ``t[name]`` a column.

    Every method of a closed table raises ValueError. A table may be read from
    several threads at once, and closed while another thread reads it: the C
    memory is freed only when no call and no column view uses it any more."""

    def __init__(self, ptr, owner, name=""):
        # owner: the Handle that owns the memory (this table's own, or the
        # result's root handle for a table that lives in a result). The caller
        # holds a pin on it, or owns it alone.
        self._p = ptr
        self._owner = owner
        self.name = name
        self._rows = _lib.lib().gfin_table_rows(ptr)
        self._names_cache = None  # read on first use: most callers only index by name
        self._kinds_cache = None

    def _pin(self):
        """``with self._pin():`` around C calls on self._p: holds the owner
        for the call (ValueError when the table is closed)."""
        owner = self._owner
        if owner is None:
            raise ValueError("operation on a closed greenfin.Table")
        return Hold(owner, self._p)

    def _load(self):
        """Column names and kinds, read once (a table is immutable)."""
        if self._names_cache is None:
            _column_kinds()
            L = _lib.lib()
            with self._pin():
                p = self._p
                n = L.gfin_table_cols(p)
                names = [L.gfin_table_col_name(p, j).decode("utf-8") for j in range(n)]
                kinds = [L.gfin_table_col_kind(p, j) for j in range(n)]
            self._kinds_cache = kinds
            self._names_cache = names
        else:
            check_open(self._owner, "Table")
        return self._names_cache, self._kinds_cache

    @property
    def _names(self):
        return self._load()[0]

    @property
    def _kinds(self):
        return self._load()[1]

    @classmethod
    def _owned(cls, ptr, name=""):
        return cls(ptr, Handle(ptr, _lib.lib().gfin_table_free, "Table"), name)

    # -- the Python protocol -------------------------------------------------
    def __len__(self):
        check_open(self._owner, "Table")
        return self._rows

    @property
    def columns(self):
        """The column names, in table order."""
        return list(self._names)

    @property
    def shape(self):
        return (len(self), len(self._names))

    def __contains__(self, name):
        return name in self._names

    def __iter__(self):
        return iter(self.columns)

    def kind(self, name):
        """'number', 'integer' or 'date' (see __getitem__)."""
        j = self._index(name)
        return {_NUMBER: "number", _INTEGER: "integer", _DATE: "date"}.get(self._kinds[j], "number")

    def _index(self, name):
        names = self._names
        try:
            return names.index(name)
        except ValueError:
            raise KeyError("table %r has no column %r; columns: %s"
                           % (self.name, name, ", ".join(names))) from None

    def __getitem__(self, name):
        """The column `name`. With numpy: a read-only view of the C column,
        without copying, for number and integer columns; a datetime64[D] array
        (a copy; NaT where the cell has no value) for date columns. Without
        numpy, a list of floats (dates as days since 1970-01-01). NaN means
        "no value"."""
        if not isinstance(name, str):
            raise TypeError("Table columns are indexed by name (str), not %s" % type(name).__name__)
        cname = name.encode("utf-8")
        L = _lib.lib()
        owner = self._owner   # held for the calls: the table cannot be freed under them
        if owner is None:
            raise ValueError("operation on a closed greenfin.Table")
        p = self._p
        kind = _KIND_OF.get((self.name, name)) if self.name else None
        if kind is not None:
            address = L.gfin_table_column_by_name(p, cname)
            j = 0 if address else -1
        else:
            _column_kinds()
            j = L.gfin_table_col_index(p, cname) if b"\0" not in cname else -1
            if j >= 0:
                address = L.gfin_table_column(p, j)
                kind = L.gfin_table_col_kind(p, j)
                if self.name:
                    _KIND_OF[(self.name, name)] = kind
        if j < 0:
            self._index(name)  # raises KeyError listing the columns
        if np is None:
            return _doubles(address, self._rows)
        if self._rows == 0 or not address:
            return np.empty(0, dtype="datetime64[D]" if kind == _DATE else np.float64)
        view = np.asarray(_ColumnBuffer(address, self._rows, owner))
        if kind == _DATE:
            return _dates(view)
        return view

    def column_address(self, name):
        """The address of the C column (for checking that views share it)."""
        j = self._index(name)
        with self._pin():
            return _lib.lib().gfin_table_column(self._p, j)

    # -- conversions ---------------------------------------------------------
    def to_dict(self):
        """{column: list} (a copy): integer columns as int, date columns as
        datetime.date, NaN cells as None."""
        from ._registry import from_days
        L = _lib.lib()
        names, kinds = self._load()
        out = {}
        with self._pin():
            for j, name in enumerate(names):
                vals = _doubles(L.gfin_table_column(self._p, j), self._rows)
                conv = {_INTEGER: int, _DATE: from_days}.get(kinds[j])
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
                a = pd.to_datetime(a)
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
        with self._pin():
            L.gfin_table_to_csv(self._p, buf, n, err)
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
        with self._pin():
            L.gfin_table_to_json(self._p, buf, n, err)
        return _lib.take_text(buf, n)

    # -- lifetime -------------------------------------------------------------
    def close(self):
        """Drops this object's hold on the C memory (freed once no column view
        still uses it). Using the table afterwards raises ValueError."""
        self._owner = None

    @property
    def closed(self):
        return self._owner is None or self._owner.closed

    def __repr__(self):
        if self.closed:
            return "<greenfin.Table %s (closed)>" % (self.name or "")
        return "<greenfin.Table %s: %d rows x %d columns: %s>" % (
            self.name or "", self._rows, len(self._names), ", ".join(self._names))
