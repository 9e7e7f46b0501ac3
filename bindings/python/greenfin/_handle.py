"""Ownership of C handles.

A Handle owns one C pointer and its free function. Python objects (a Loan, a
result, a table, a numpy column view) hold a reference to the Handle whose
memory they use; the pointer is freed when the last of them lets go (CPython's
reference counting makes that deterministic: at close(), at ``del`` or at the
end of a ``with`` block, unless a view still needs the memory). __del__ is safe
at interpreter shutdown: the free function is held by the Handle itself, and
any error there is swallowed.
"""


class Handle:
    __slots__ = ("ptr", "_free", "__weakref__")

    def __init__(self, ptr, free):
        self.ptr = ptr
        self._free = free

    def release(self):
        ptr, self.ptr = self.ptr, None
        if ptr:
            self._free(ptr)

    def __del__(self):
        try:
            self.release()
        except Exception:  # interpreter shutdown: nothing sensible to do
            pass


def check_open(handle, what):
    if handle is None or handle.ptr is None:
        raise ValueError("operation on a closed greenfin.%s" % what)
