"""Finding the library: GREENFIN_LIBRARY, then a meson build tree next to the
sources, then the system; a wrong major version is refused; a failure says
what was tried. Each case runs in a child process with its own environment."""
import os
import shutil
import subprocess
import sys
import textwrap

import pytest

import greenfin
from greenfin import _lib

PKG = os.path.dirname(os.path.abspath(greenfin.__file__))


def _run(script, cwd=None, pythonpath=None, drop=(), **env):
    e = {k: v for k, v in os.environ.items() if k not in ("GREENFIN_LIBRARY", "PYTHONPATH") + tuple(drop)}
    e.update(env)
    e["PYTHONPATH"] = pythonpath or os.path.dirname(PKG)
    return subprocess.run([sys.executable, "-c", textwrap.dedent(script)], env=e, cwd=cwd,
                          capture_output=True, text=True, timeout=60)


def test_a_missing_library_fails_on_first_use_with_what_was_tried():
    p = _run("""
        import greenfin                       # importing never needs the library
        try:
            greenfin.pmt(0.01, 12, 100)
        except ImportError as e:
            assert isinstance(e, greenfin.LibraryNotFound)
            print(e)
        """, GREENFIN_LIBRARY="/nonexistent/libgreenfin.so")
    assert p.returncode == 0, p.stderr
    assert "cannot load libgreenfin" in p.stdout
    assert "GREENFIN_LIBRARY: /nonexistent/libgreenfin.so" in p.stdout
    assert "set GREENFIN_LIBRARY" in p.stdout


def _fake_repo(tmp_path, with_build):
    """A source-tree layout: include/greenfin.h, meson.build, bindings/python/greenfin."""
    root = tmp_path / "repo"
    (root / "include").mkdir(parents=True)
    (root / "include" / "greenfin.h").write_text("/* stand-in */\n")
    (root / "meson.build").write_text("# stand-in\n")
    shutil.copytree(PKG, root / "bindings" / "python" / "greenfin",
                    ignore=shutil.ignore_patterns("__pycache__"))
    if with_build:
        (root / "build-x").mkdir()
        os.symlink(os.path.realpath(_lib.library_path()), root / "build-x" / "libgreenfin.so.1")
    return root


def test_the_meson_build_tree_is_found_from_the_source_tree(tmp_path):
    root = _fake_repo(tmp_path, with_build=True)
    p = _run("import greenfin; print(greenfin.library_path()); print(greenfin.library_version())",
             pythonpath=str(root / "bindings" / "python"), cwd=str(tmp_path))
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines()[0] == str(root / "build-x" / "libgreenfin.so.1")
    assert p.stdout.splitlines()[1].startswith("1.")


def test_without_a_build_tree_the_system_is_tried(tmp_path):
    root = _fake_repo(tmp_path, with_build=False)
    p = _run("""
        import greenfin
        try:
            print("loaded", greenfin.library_path())
        except ImportError as e:
            print(e)
        """, pythonpath=str(root / "bindings" / "python"), cwd=str(tmp_path),
             drop=("LD_LIBRARY_PATH",))  # meson test points it at the build tree: "the system" without it
    assert p.returncode == 0, p.stderr
    if p.stdout.startswith("loaded"):
        pytest.skip("a system libgreenfin is installed: " + p.stdout.strip())
    assert "meson build tree" in p.stdout and "build*" in p.stdout
    assert "libgreenfin.so.1" in p.stdout


@pytest.mark.skipif(shutil.which("cc") is None, reason="needs a C compiler")
def test_a_library_of_another_major_version_is_refused(tmp_path):
    src = tmp_path / "fake.c"
    src.write_text("int gfin_version(void) { return 20000; }\n")
    so = tmp_path / "libgreenfin.so.2"
    subprocess.run(["cc", "-shared", "-fPIC", "-o", str(so), str(src)], check=True)
    p = _run("""
        import greenfin
        try:
            greenfin.library_version()
        except ImportError as e:
            print(e)
        """, GREENFIN_LIBRARY=str(so))
    assert p.returncode == 0, p.stderr
    assert "major version 2" in p.stdout and "need 1" in p.stdout


def test_the_loaded_library_has_the_expected_major_version():
    L = _lib.lib()
    assert L.gfin_version() // 10000 == _lib.EXPECTED_MAJOR
    assert greenfin.library_version().split(".")[0] == str(_lib.EXPECTED_MAJOR)


def test_every_prototype_is_declared_once():
    names = [row[0] for row in _lib.FUNCTIONS]
    assert len(names) == len(set(names))
    for name, argtypes, restype, errcheck in _lib.FUNCTIONS:
        if not _lib.has(name):
            assert name.startswith(_lib.EXPERIMENTAL_PREFIXES), name   # only those may be absent
            continue
        f = getattr(_lib.lib(), name)
        assert f.argtypes == argtypes or (not argtypes and not f.argtypes), name
        assert f.restype == restype, name


def test_a_library_without_the_experimental_risk_engine_still_loads(monkeypatch):
    # The header's experimental tier may go in any minor version: its absence
    # is reported when the feature is used, not by refusing the library.
    from greenfin import _lib
    monkeypatch.setattr(_lib, "_ABSENT", _lib._ABSENT | {"gfin_risk_run", "gfin_risk_statistics"})
    assert not _lib.has("gfin_risk_run") and _lib.has("gfin_loan_new")
    from conftest import SAMPLE_PORTFOLIO
    pf = greenfin.Portfolio.from_file(SAMPLE_PORTFOLIO)
    with pytest.raises(NotImplementedError, match="gfin_risk_run.*experimental tier"):
        pf.risk(spec={})
    with pytest.raises(NotImplementedError, match="gfin_risk_statistics"):
        greenfin.statistics([1.0, 2.0])
