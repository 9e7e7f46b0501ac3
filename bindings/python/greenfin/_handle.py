"""Ownership of C handles, and calls in flight.

A Handle owns one C pointer and its free function. Python objects (a Loan, a
result, a table, a numpy column view) hold a reference to the Handle whose
memory they use; the pointer is freed by ``release()`` (an object's close())
or when the last of them lets go (CPython's reference counting makes that
deterministic). __del__ is safe at interpreter shutdown: the free function is
held by the Handle itself, and any error there is swallowed.

ctypes releases the GIL during every C call, so another Python thread may
close or change an object while a call on it runs. Every call therefore goes
through a pin, which works as a readers-writer lock with a deferred free:

- ``with handle.reader as ptr:`` -- a call that only reads (the library's
  functions taking a const handle; the header says those may run in several
  threads at once). Readers run together.
- ``with handle.writer as ptr:`` -- a call that changes the handle (setters,
  add_loan, ...). It waits until the readers in flight have returned and runs
  alone; readers arriving meanwhile wait for it (so a stream of readers cannot
  starve a setter). When a writer returns, the readers that were waiting for
  it go before the next writer (so a thread calling a setter in a loop cannot
  starve the readers either: phases alternate).
- ``release()`` (the owning object's close()) never frees memory in use: it
  frees now when no call is in flight and no child holds the handle,
  otherwise the last of them frees on its way out. It does not block. The
  object that released drops its reference, so its own methods raise
  ValueError from then on; once freed, any pin raises ValueError.

A Handle may have a parent: the handle of the C object that owns its memory (a
project inside a portfolio). The child keeps the parent alive (also past the
parent object's close()), pins it instead of itself, and frees nothing.
``resolve`` gives the child's pointer afresh from the parent's at each pin
(the parent may have moved it).

Pins are not re-entrant: code holding a pin on a handle must not pin the same
handle again (a waiting writer would make that a deadlock). Every method of
the package pins each handle once, around its C calls only.
"""

import threading


class _Pin:
    __slots__ = ("h",)

    def __init__(self, h):
        self.h = h


class _Reader(_Pin):
    """``with handle.reader as ptr``: a call that only reads the handle."""

    __slots__ = ()

    def __enter__(self):
        h = self.h
        with h._lock:
            if h._writer or (h._writers_waiting and not h._granted):
                h._readers_waiting += 1
                try:
                    while (h._writer or (h._writers_waiting and not h._granted)) and h.ptr is not None:
                        h._wait()
                finally:
                    h._readers_waiting -= 1
                    if h._granted:
                        h._granted -= 1   # this reader used its turn
            ptr = h.ptr
            if ptr is None:
                raise h._closed_error()
            h._readers += 1
            return ptr

    def __exit__(self, *exc):
        h = self.h
        ptr = None
        with h._lock:
            h._readers -= 1
            if not h._readers and (h._closing or h._writers_waiting):
                ptr = h._take_if_unused()
                h._notify()
        if ptr:
            h._free(ptr)
        return False


class _Writer(_Pin):
    """``with handle.writer as ptr``: a call that changes the handle; runs alone."""

    __slots__ = ()

    def __enter__(self):
        h = self.h
        with h._lock:
            if h._writer or h._readers or h._granted:
                h._writers_waiting += 1
                try:
                    while (h._writer or h._readers or h._granted) and h.ptr is not None:
                        h._wait()
                finally:
                    h._writers_waiting -= 1
            ptr = h.ptr
            if ptr is None:
                h._notify()
                raise h._closed_error()
            h._writer = True
            return ptr

    def __exit__(self, *exc):
        h = self.h
        ptr = None
        with h._lock:
            h._writer = False
            h._granted = h._readers_waiting   # their turn before the next writer
            if h._closing:
                ptr = h._take_if_unused()
            if h._cv is not None:
                h._cv.notify_all()
        if ptr:
            h._free(ptr)
        return False


class _ChildReader:
    """The reader of a child: pins the parent, gives the child's pointer."""

    __slots__ = ("h", "parent_reader")

    def __init__(self, h):
        self.h = h
        self.parent_reader = h.parent.reader

    def __enter__(self):
        h = self.h
        if h._closing:
            raise h._closed_error()
        parent_ptr = self.parent_reader.__enter__()
        try:
            ptr = h.resolve(parent_ptr)
            if not ptr:
                raise h._closed_error()
            return ptr
        except BaseException:
            self.parent_reader.__exit__()
            raise

    def __exit__(self, *exc):
        return self.parent_reader.__exit__()


class Hold:
    """``with Hold(handle, ptr) as ptr``: for memory that is only freed when
    unreachable (results and tables, immutable and never released
    explicitly), holding a reference for the duration of the call is the
    whole pin."""

    __slots__ = ("h", "p")

    def __init__(self, h, p):
        self.h, self.p = h, p

    def __enter__(self):
        return self.p

    def __exit__(self, *exc):
        self.h = None
        return False


class Handle:
    __slots__ = ("ptr", "what", "parent", "resolve", "_free", "_lock", "_cv", "_readers",
                 "_writer", "_writers_waiting", "_readers_waiting", "_granted", "_children", "_closing",
                 "__weakref__")

    def __init__(self, ptr, free, what, parent=None, resolve=None):
        self.ptr = ptr
        self.what = what
        self.parent = parent
        self.resolve = resolve
        self._free = free
        self._lock = threading.Lock()
        self._cv = None   # a Condition on _lock, made when a thread first has to wait
        self._readers = 0
        self._writer = False
        self._writers_waiting = 0
        self._readers_waiting = 0
        self._granted = 0   # readers waiting when the last writer returned, not yet in
        self._children = 0
        self._closing = False
        if parent is not None:
            with parent._lock:
                if parent.ptr is None:
                    raise parent._closed_error()
                parent._children += 1

    # A pin is made per call: kept on the handle it would be a reference
    # cycle, and the handle would wait for the garbage collector.
    @property
    def reader(self):
        return _Reader(self) if self.parent is None else _ChildReader(self)

    @property
    def writer(self):
        """The writer pin; None for a child (read-only: its owner changes it)."""
        return _Writer(self) if self.parent is None else None

    def _closed_error(self):
        return ValueError("operation on a closed greenfin.%s" % self.what)

    def _wait(self):
        """Under the lock: waits for a notify."""
        if self._cv is None:
            self._cv = threading.Condition(self._lock)
        self._cv.wait()

    def _notify(self):
        if self._cv is not None:
            self._cv.notify_all()

    def _take_if_unused(self):
        """Under the lock: the pointer to free when the handle was released
        and nothing uses it any more (None otherwise)."""
        if self._closing and not self._readers and not self._writer and not self._children:
            ptr, self.ptr = self.ptr, None
            return ptr
        return None

    # -- closing ----------------------------------------------------------------
    def release(self):
        """Closes the handle: frees the C object now, or when the last call in
        flight returns. Idempotent; never blocks on a call."""
        if self.parent is not None:
            self._drop_parent()  # a child only lets go of its parent
            return
        ptr = None
        with self._lock:
            if self._closing:
                return
            self._closing = True
            ptr = self._take_if_unused()
            if ptr:
                self._notify()  # waiting writers see the handle freed
        if ptr:
            self._free(ptr)

    def _drop_parent(self):
        parent, ptr = self.parent, None
        with parent._lock:
            if self._closing:
                return
            self._closing = True
            parent._children -= 1
            ptr = parent._take_if_unused()
        if ptr:
            parent._free(ptr)

    @property
    def closed(self):
        if self.parent is not None:
            return self._closing or self.parent.ptr is None
        return self._closing or self.ptr is None

    def __del__(self):
        # Unreachable, so no call is in flight (a call holds a reference) and
        # no child holds it (a child references its parent).
        try:
            if self.parent is not None:
                self._drop_parent()
            else:
                ptr, self.ptr = self.ptr, None
                if ptr:
                    self._free(ptr)
        except Exception:  # interpreter shutdown: nothing sensible to do
            pass


class Closing:
    """``with obj:`` closes obj (its close()) at the end of the block."""

    __slots__ = ()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def pin_reader(handle, what):
    """The reader pin of an object's handle attribute; ValueError naming the
    object's class when the object itself was closed (handle None)."""
    if handle is None:
        raise ValueError("operation on a closed greenfin.%s" % what)
    return handle.reader


def pin_writer(handle, what):
    if handle is None:
        raise ValueError("operation on a closed greenfin.%s" % what)
    w = handle.writer
    if w is None:
        raise ValueError("greenfin.%s is a read-only view (of an object owned by another); "
                         "copy() it to change it" % what)
    return w


def check_open(handle, what):
    if handle is None or handle.closed:
        raise ValueError("operation on a closed greenfin.%s" % what)
