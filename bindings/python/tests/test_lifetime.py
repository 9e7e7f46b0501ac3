"""No leaks: C handles are freed when their Python owners go, checked two ways.

1. Resident memory across 10,000 create/evaluate/free cycles of a Loan and its
   schedule stays flat (after a warm-up, so allocator and interpreter caches
   are filled). Skipped under AddressSanitizer, whose quarantine holds freed
   memory on purpose.
2. Exactly: every block the library allocates through a counting allocator
   (gfin_set_allocator, in a child process) is freed again.
"""
import gc
import os
import subprocess
import sys
import textwrap

import pytest

import greenfin

LOAN = dict(principal=1e6, annual_rate=0.05, frequency=12, repayment_periods=240,
            drawdowns=[0.5, 0.5], upfront_fee=0.01)


def _rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _cycle(n):
    for i in range(n):
        with greenfin.Loan(**LOAN) as loan:
            t = loan.schedule()
            col = t["interest"]
            col[len(t) - 1]
            loan.evaluate(0.05).metrics
            del col, t


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs /proc/self/statm")
@pytest.mark.skipif("asan" in os.environ.get("LD_PRELOAD", ""), reason="ASan quarantine keeps freed memory")
def test_rss_is_flat_over_10000_loan_cycles():
    _cycle(1000)  # warm-up
    gc.collect()
    before = _rss_bytes()
    _cycle(10000)
    gc.collect()
    grown = _rss_bytes() - before
    # A leaked 240-row schedule alone is ~21 KB: 10,000 of them would be ~200 MiB.
    assert grown < 4 * 1024 * 1024, "RSS grew by %.1f MiB" % (grown / 2**20)


_COUNTING = textwrap.dedent("""
    import ctypes, gc, sys
    import greenfin
    from greenfin import _lib
    L = _lib.lib()
    libc = ctypes.CDLL(None)
    libc.malloc.restype = ctypes.c_void_p; libc.malloc.argtypes = [ctypes.c_size_t]
    libc.realloc.restype = ctypes.c_void_p; libc.realloc.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    live = set()
    def m(n):
        p = libc.malloc(n)
        if p: live.add(p)
        return p
    def r(p, n):
        q = libc.realloc(p, n)
        if q:
            live.discard(p); live.add(q)
        return q
    def f(p):
        if p: live.discard(p)
        libc.free(p)
    M = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_size_t)(m)
    R = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t)(r)
    F = ctypes.CFUNCTYPE(None, ctypes.c_void_p)(f)
    cast = lambda x: ctypes.cast(x, ctypes.c_void_p)
    L.gfin_set_allocator(cast(M), cast(R), cast(F))
    LOAN = %r
    PORTFOLIO = %r
    for i in range(200):
        loan = greenfin.Loan(**LOAN)
        t = loan.schedule(); a = t['interest']; t.to_csv(); t.to_json()
        r = loan.evaluate(0.05); r.metrics; r.schedule['principal']; r.to_json()
        del a, t, r, loan
    for i in range(20):
        pf = greenfin.Portfolio.from_file(PORTFOLIO)
        res = pf.evaluate(threads=2)
        col = res.projects['solar-a'].loans['a-fund'].schedule['interest']
        res.to_json()
        del pf, res
        col.sum()
        del col
    for bad in ('{"principal": ', '{"principal": -1}'):
        try:
            greenfin.Loan.from_json(bad)
        except greenfin.Error:
            pass
    gc.collect()
    print("live", len(live))
""")


def test_every_library_allocation_is_freed():
    portfolio = os.path.join(os.path.dirname(__file__), "data", "small_portfolio.json")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.dirname(os.path.dirname(greenfin.__file__)) + os.pathsep + env.get("PYTHONPATH", "")
    p = subprocess.run([sys.executable, "-c", _COUNTING % (LOAN, portfolio)], env=env, capture_output=True,
                       text=True, timeout=300)
    assert p.returncode == 0, p.stdout + p.stderr
    assert p.stdout.strip() == "live 0", p.stdout + p.stderr


def test_objects_left_alive_at_exit_are_freed_quietly():
    # Handles still referenced from module globals when the interpreter exits:
    # __del__ runs during shutdown and must neither fail nor print.
    script = textwrap.dedent("""
        import greenfin
        loan = greenfin.Loan(principal=1e6, annual_rate=0.05, repayment_periods=24)
        table = loan.schedule()
        view = table["interest"]
        result = loan.evaluate(0.05)
        child_view = result.schedule["principal"]
        project = greenfin.Project(id="p", technology="solar", capacity_mw=1, capacity_factor=0.2,
                                   capex=1e6, tariff_per_mwh=50, start_year=2027, discount_rate=0.1,
                                   grid={"ef_cm": 0.5}, loans=[loan])
        cycle = [project]
        cycle.append(cycle)  # only the cycle collector (or shutdown) frees this
        print("done")
    """)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.dirname(os.path.dirname(greenfin.__file__)) + os.pathsep + env.get("PYTHONPATH", "")
    p = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert p.returncode == 0 and p.stdout.strip() == "done", p.stdout + p.stderr
    assert "Exception ignored" not in p.stderr and "Error" not in p.stderr, p.stderr
