#!/usr/bin/env python3
"""Benchmark of the board pack: the bundled sample's pack (HTML; HTML and PDF),
each a fresh `python3` process as a user runs it, against the peers measured in
the same run: `greenfin report --format json` plus matplotlib's own start-up
(importing pyplot on the Agg canvas). The issue's bar: under 3x that sum. Also
the 100-project portfolio's pack. Best of N runs each (the machine is shared).

    bench_pack.py GREENFIN
"""
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from test_pack import SAMPLE, hundred_projects  # noqa: E402


def best(cmd, n):
    times = []
    for _ in range(n):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return min(times)


def pack_cmd(source, html, pdf=None):
    code = "import greenfin.report as r; r.board_pack(%r, html=%r, pdf=%r)" % (source, html, pdf)
    return [sys.executable, "-c", code]


def main():
    greenfin = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        html, pdf = os.path.join(tmp, "b.html"), os.path.join(tmp, "b.pdf")
        report = best([greenfin, "report", SAMPLE, "--format", "json"], 5)
        mpl = best([sys.executable, "-c", "import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot"], 3)
        pack = best(pack_cmd(SAMPLE, html), 3)
        pack_pdf = best(pack_cmd(SAMPLE, html, pdf), 2)
        big = os.path.join(tmp, "hundred.json")
        with open(big, "w") as f:
            json.dump(hundred_projects(), f)
        big_html = best(pack_cmd(big, html), 1)
        big_pdf = best(pack_cmd(big, html, pdf), 1)
    peer = report + mpl
    print("greenfin report --format json (sample):     %7.3f s" % report)
    print("matplotlib start-up (import pyplot, Agg):    %7.3f s" % mpl)
    print("board pack of the sample, HTML:              %7.3f s = %.2fx the sum of the two (bar: 3x)"
          % (pack, pack / peer))
    print("board pack of the sample, HTML and PDF:      %7.3f s = %.2fx" % (pack_pdf, pack_pdf / peer))
    print("board pack of 100 projects, HTML:            %7.3f s" % big_html)
    print("board pack of 100 projects, HTML and PDF:    %7.3f s" % big_pdf)


if __name__ == "__main__":
    main()
