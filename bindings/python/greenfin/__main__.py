"""python3 -m greenfin report [FILE] --html board.html [--pdf board.pdf] [--year Y] [--scenarios N] [--seed S]

The board pack of a portfolio file (greenfin.report.board_pack); without FILE,
the bundled sample portfolio. Exit status: 0 success, 1 a calculation error,
2 bad input or usage; errors go to standard error as
"greenfin: <path>: <message>", as the greenfin command writes them."""
import argparse
import json
import os
import sys

from . import errors

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLE = "cambodia_pipeline.json"
# The sample beside the sources (a checkout), then where `meson install` puts it.
SAMPLE_DIRS = [os.path.join(HERE, "..", "..", "..", "examples", "data"),
               "/usr/local/share/greenfin", "/usr/share/greenfin"]


def sample():
    for d in SAMPLE_DIRS:
        path = os.path.normpath(os.path.join(d, SAMPLE))
        if os.path.exists(path):
            return path
    raise FileNotFoundError("%s: the bundled sample is in none of %s; give a FILE"
                            % (SAMPLE, ", ".join(os.path.normpath(d) for d in SAMPLE_DIRS)))


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m greenfin", description="greenfin's board pack")
    sub = ap.add_subparsers(dest="command", required=True)
    rp = sub.add_parser("report", help="the board pack of a portfolio (HTML, and PDF with --pdf)",
                        description=__doc__.split("\n\n")[1])
    rp.add_argument("file", nargs="?", help="a portfolio (or project) file; default: the bundled sample")
    rp.add_argument("--html", required=True, help="the HTML file to write")
    rp.add_argument("--pdf", help="also a PDF of it (WeasyPrint)")
    rp.add_argument("--year", type=int, help="the impact reporting year")
    rp.add_argument("--scenarios", type=int, help="risk scenarios when the file has a risk object "
                    "(default: the file's, at most 200)")
    rp.add_argument("--seed", type=int, help="the risk seed (default: the file's)")
    rp.add_argument("--threads", type=int, default=None, help="worker threads (default: one per core)")
    args = ap.parse_args(argv)
    from . import report
    try:
        path = args.file or sample()
        report.board_pack(path, html=args.html, pdf=args.pdf, year=args.year, threads=args.threads,
                          scenarios=args.scenarios, seed=args.seed)
    except errors.Error as e:
        where = "--year" if e.path == "year" else e.path or path
        print("greenfin: %s: %s" % (where, e.message), file=sys.stderr)
        return 2 if isinstance(e, (errors.InvalidInput, errors.ParseError, errors.FileError)) else 1
    except json.JSONDecodeError as e:
        print("greenfin: %s: %s" % (path, e), file=sys.stderr)
        return 2
    except OSError as e:
        print("greenfin: %s: %s" % (e.filename or "", e.strerror or e), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
