"""The exceptions greenfin raises.

Every failing C call is turned into one of these, carrying the C status
(``code``), the offending field (``path``: a key name such as ``annual_rate``,
or a JSON path such as ``projects[2].loans[0].annual_rate``; empty when no field
is to blame) and the library's message (``message``). ``str(e)`` is
``"path: message"``, the way the ``greenfin`` command prints errors.

Each class is also the matching built-in exception, so code that does not know
greenfin can still catch ``ValueError``, ``ArithmeticError``, ``MemoryError``
or ``OSError``.
"""

# The status codes of greenfin.h section 2 (OK, EINVAL, ENOMEM, ERANGE, ENOCONV,
# EPARSE, EIO, ENOTAPPLICABLE, ENOVALUE) are module attributes read from the
# library on first use (gfin_enum_value), not copied here: ``errors.EINVAL``
# loads the library.
_STATUS_NAMES = ("OK", "EINVAL", "ENOMEM", "ERANGE", "ENOCONV", "EPARSE", "EIO", "ENOTAPPLICABLE",
                 "ENOVALUE")


def __getattr__(name):
    if name in _STATUS_NAMES:
        from . import _lib
        value = _lib.enum_value("GFIN_" + name)
        globals()[name] = value  # later reads are plain attribute reads
        return value
    raise AttributeError("module %r has no attribute %r" % (__name__, name))


class Error(Exception):
    """Base class of greenfin's errors: ``code``, ``path``, ``message``."""

    def __init__(self, code, path="", message=""):
        self.code = code
        self.path = path
        self.message = message
        Exception.__init__(self, str(self))

    def __str__(self):
        return "%s: %s" % (self.path, self.message) if self.path else self.message

    def __reduce__(self):
        return (type(self), (self.code, self.path, self.message))


class InvalidInput(Error, ValueError):
    """GFIN_EINVAL: a value is out of bounds, inconsistent or missing."""


class ParseError(Error, ValueError):
    """GFIN_EPARSE: malformed JSON (the message gives line and column)."""


class NoSolution(Error, ArithmeticError):
    """GFIN_ENOCONV: no solution exists (an IRR of flows of one sign, ...)."""


class RangeError(Error, OverflowError):
    """GFIN_ERANGE: a result is not representable (overflow).

    OverflowError is an ArithmeticError, so ``except ArithmeticError`` catches it.
    """


class OutOfMemory(Error, MemoryError):
    """GFIN_ENOMEM: an allocation in the library failed."""


class FileError(Error, OSError):
    """GFIN_EIO: a file could not be read or written."""

    def __init__(self, code, path="", message=""):
        Error.__init__(self, code, path, message)


class NotApplicable(Error):
    """GFIN_ENOTAPPLICABLE: a methodology does not apply to this case."""


class NoValue(Error, LookupError):
    """GFIN_ENOVALUE: a figure exists but has no value here."""


class LibraryNotFound(ImportError):
    """The shared library could not be found or loaded, or has the wrong major version."""


_CLASS_OF = (("EINVAL", "InvalidInput"), ("EPARSE", "ParseError"), ("ENOCONV", "NoSolution"),
             ("ERANGE", "RangeError"), ("ENOMEM", "OutOfMemory"), ("EIO", "FileError"),
             ("ENOTAPPLICABLE", "NotApplicable"), ("ENOVALUE", "NoValue"))
_CLASSES = None


def error_class(code):
    """The exception class for a status code (Error for unknown codes)."""
    global _CLASSES
    if _CLASSES is None:
        _CLASSES = {__getattr__(status): globals()[cls] for status, cls in _CLASS_OF}
    return _CLASSES.get(code, Error)


def make_error(code, path="", message=""):
    return error_class(code)(code, path, message)
