"""Risk runs on a Dask cluster equal one local run (issue 17).

A LocalCluster of two single-threaded worker processes runs the sample
portfolio's experiment in blocks. The reference is the same experiment run in
one process through Portfolio.risk: for the same seed the samples must be
bit-identical and the statistics, probabilities, sensitivity and cases equal,
for any block size (docs/model.md "Blocks"). Run by the meson test "dask"
(suite dask), which reports itself skipped when dask.distributed is missing;
.ci/run requires it to have run.
"""
import pytest

import greenfin
from greenfin import _lib

pytestmark = pytest.mark.skipif(not _lib.has("gfin_risk_run"),
                                reason="this libgreenfin has no risk engine (experimental tier)")
from conftest import SAMPLE_PORTFOLIO
from test_risk import SPEC

distributed = pytest.importorskip("dask.distributed")
np = pytest.importorskip("numpy")
pd = pytest.importorskip("pandas")

from greenfin.distributed import _run_block, run_risk  # noqa: E402


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def local():
    return greenfin.Portfolio.from_file(SAMPLE_PORTFOLIO).risk(spec=SPEC, samples=True)


@pytest.mark.parametrize("block", [37, 300])
def test_blocks_on_two_workers_equal_one_local_run(client, local, block):
    d = run_risk(greenfin.Portfolio.from_file(SAMPLE_PORTFOLIO), client, spec=SPEC, block=block, samples=True)
    assert d.blocks[0] == (0, block) and sum(c for _, c in d.blocks) == 300
    for col in local.samples.columns:
        assert np.array_equal(np.array(local.samples[col]), d.samples[col].to_numpy(), equal_nan=True), col
    pd.testing.assert_frame_equal(local.statistics, d.statistics, check_exact=True)
    pd.testing.assert_frame_equal(local.probabilities, d.probabilities, check_exact=True)
    pd.testing.assert_frame_equal(local.sensitivity, d.sensitivity, check_exact=True)
    pd.testing.assert_frame_equal(local.cases, d.cases, check_exact=True)
    assert d.metrics == {"scenarios": 300, "seed": 7, "first": 0, "count": 300}
    assert d.statistic("portfolio", "fund_irr", "q10") == local.statistic("portfolio", "fund_irr", "q10")


class _Recording:
    """A client that records submissions (a bad spec must submit nothing)."""

    def __init__(self, client):
        self.client, self.submitted = client, 0

    def submit(self, *a, **k):
        self.submitted += 1
        return self.client.submit(*a, **k)

    def __getattr__(self, name):
        return getattr(self.client, name)


def test_a_bad_spec_is_refused_before_anything_is_submitted(client):
    rec = _Recording(client)
    bad = {"uncertainties": [{"key": "capex", "projects": ["nope"],
                              "distribution": {"type": "normal", "mean": 1, "sd": 0.1}}]}
    with pytest.raises(greenfin.InvalidInput) as e:
        run_risk(SAMPLE_PORTFOLIO, rec, spec=bad)
    assert e.value.path.startswith("risk.uncertainties[0].projects[0]") and rec.submitted == 0
    with pytest.raises(greenfin.InvalidInput, match=r"risk\.uncertainties\[0\]\.distribution\.sd"):
        run_risk(SAMPLE_PORTFOLIO, rec, spec={"uncertainties": [
            {"key": "capex", "distribution": {"type": "normal", "mean": 1, "sd": 0}}]})
    assert rec.submitted == 0


def test_an_error_in_a_task_is_the_same_greenfin_exception(client):
    with open(SAMPLE_PORTFOLIO, "rb") as f:
        text = f.read()
    # The block lies beyond the experiment: the engine refuses it on the worker.
    with pytest.raises(greenfin.InvalidInput) as remote:
        client.submit(_run_block, text, SPEC, 10**6, 5, 1, pure=False).result()
    with pytest.raises(greenfin.InvalidInput) as here:
        greenfin.Portfolio.from_json(text).risk(spec=SPEC, first=10**6, count=5)
    assert str(remote.value) == str(here.value) and remote.value.path == here.value.path


def test_risk_on_dask_example():
    import os
    import subprocess
    import sys
    from conftest import ROOT
    p = subprocess.run([sys.executable, os.path.join(ROOT, "examples", "python", "risk_on_dask.py"),
                        "--scenarios", "120", "--workers", "2"], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    assert "samples identical: yes" in p.stdout and "Dask, 2 workers" in p.stdout
