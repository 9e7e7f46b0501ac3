"""The package as a user installs and reads it (issue 13 item 6): pip installs
it from the source tree offline, the committed type stub equals a fresh
generation from the library's registry, and the runtime signatures agree.
"""
import ast
import importlib.util
import inspect
import os
import re
import shutil
import subprocess
import sys

import pytest

import greenfin
from greenfin import _gen_stubs, model
from conftest import ROOT

PKG = os.path.join(ROOT, "bindings", "python")


def header_version():
    with open(os.path.join(ROOT, "include", "greenfin.h"), encoding="utf-8") as f:
        text = f.read()
    return ".".join(re.search(r"#define GFIN_VERSION_%s (\d+)" % part, text).group(1)
                    for part in ("MAJOR", "MINOR", "PATCH"))


def test_committed_stub_equals_a_fresh_generation():
    with open(_gen_stubs.STUB, encoding="utf-8") as f:
        committed = f.read()
    assert committed == _gen_stubs.generate(), \
        "greenfin/model.pyi is stale: run python3 -m greenfin._gen_stubs (see its docstring)"
    ast.parse(committed)


def test_stub_covers_every_public_attribute_of_the_input_classes():
    tree = ast.parse(_gen_stubs.generate())
    stubbed = {c.name: {f.name for f in c.body if isinstance(f, ast.FunctionDef)}
               for c in tree.body if isinstance(c, ast.ClassDef)}
    for cls in (greenfin.Loan, greenfin.Project, greenfin.Fund, greenfin.Portfolio):
        public = {n for n in dir(cls) if not n.startswith("_")} | {"__init__", "__enter__", "__exit__"}
        assert public <= stubbed[cls.__name__], (cls.__name__, public - stubbed[cls.__name__])


def test_every_registry_key_is_a_typed_keyword_of_its_class():
    tree = ast.parse(_gen_stubs.generate())
    inits = {c.name: next(f for f in c.body if isinstance(f, ast.FunctionDef) and f.name == "__init__")
             for c in tree.body if isinstance(c, ast.ClassDef)}
    for cls, obj in (("Loan", "loan"), ("Project", "project"), ("Fund", "fund"), ("Portfolio", "portfolio")):
        kw = {a.arg: ast.unparse(a.annotation) for a in inits[cls].args.kwonlyargs}
        for name, p in greenfin.parameters(obj).items():
            assert name in kw, (cls, name)
            if p.choices:
                assert kw[name] == "Literal[%s]" % ", ".join(repr(c) for c in p.choices)
    # Spot checks against the header's documented keys and types.
    loan = {a.arg: ast.unparse(a.annotation) for a in inits["Loan"].args.kwonlyargs}
    assert loan["principal"] == "float" and loan["repayment_periods"] == "int"
    assert loan["start_date"] == "Date" and loan["drawdowns"] == "Numbers"


def test_runtime_signature_follows_the_registry():
    sig = inspect.signature(greenfin.Loan)
    params = greenfin.parameters("loan")
    assert list(sig.parameters) == list(params)
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in sig.parameters.values())
    assert sig.parameters["principal"].default is inspect.Parameter.empty   # required
    assert sig.parameters["frequency"].default == params["frequency"].default
    assert "grid" in inspect.signature(greenfin.Project).parameters


def test_versions_agree():
    try:
        import tomllib
    except ImportError:  # Python < 3.11
        tomllib = None
    with open(os.path.join(PKG, "pyproject.toml"), "rb") as f:
        raw = f.read().decode("utf-8")
    version = tomllib.loads(raw)["project"]["version"] if tomllib else \
        re.search(r'^version = "([^"]+)"', raw, re.M).group(1)
    assert version == greenfin.__version__ == header_version() == greenfin.library_version()


@pytest.mark.skipif(importlib.util.find_spec("pip") is None or importlib.util.find_spec("setuptools") is None,
                    reason="pip and setuptools are needed to install the package")
def test_pip_installs_the_package_from_the_source_tree_offline(tmp_path):
    # A copy, so that setuptools' build/ and egg-info do not land in the repository.
    src = tmp_path / "src"
    shutil.copytree(PKG, src, ignore=shutil.ignore_patterns("tests", "build", "*.egg-info", "__pycache__"))
    site = tmp_path / "site"
    r = subprocess.run([sys.executable, "-m", "pip", "install", "--no-build-isolation", "--no-deps", "--no-index",
                        "--disable-pip-version-check", "--target", str(site), str(src)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    for f in ("__init__.py", "model.pyi", "py.typed", "_gen_stubs.py"):
        assert (site / "greenfin" / f).is_file(), f
    env = dict(os.environ, PYTHONPATH=str(site), GREENFIN_LIBRARY=os.path.abspath(greenfin.library_path()))
    r = subprocess.run([sys.executable, "-c", "import greenfin, sys; print(greenfin.__file__); "
                        "print(greenfin.Loan(principal=1e6, annual_rate=0.05, repayment_periods=12).grant_element(0.05))"],
                       capture_output=True, text=True, env=env, cwd=str(tmp_path), timeout=120)
    assert r.returncode == 0, r.stderr
    where, ge = r.stdout.split()
    assert where.startswith(str(site))
    assert float(ge) == greenfin.Loan(principal=1e6, annual_rate=0.05, repayment_periods=12).grant_element(0.05)
