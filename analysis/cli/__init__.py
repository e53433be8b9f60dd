"""Command line: argument parsing only; the work is in build, validate and schema.

Every fault ends in one line `error: ...` on stderr and an exit code of the README's table, never
a traceback (ANALYSIS_DEBUG=1 shows the traceback of an internal error).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from analysis import __version__
from analysis.cli.common import (
    EXIT_INTERNAL,
    EXIT_IO,
    EXIT_NO_INPUT,
    EXIT_PIPE,
    EXIT_SIGINT,
    EXIT_SIGTERM,
    EXIT_USAGE,
    _data_error,
    _err,
    _in_main_thread,
)
from analysis.cli.data import _codebook, _consistency, _locate, _release, _validate

EPILOG = """exit codes: 0 done, 64 bad parameters or usage, 65 invalid data, 66 missing or unreadable input,
69 kernel unavailable, 70 a brief or its checks failed (or an internal error), 73 cannot create output,
74 I/O error while writing, 75 temporary (lock held, timeout, data changed during the build),
130 interrupted (SIGINT, Ctrl-C), 141 output closed (broken pipe), 143 stopped by SIGTERM"""


class _Parser(argparse.ArgumentParser):
    """argparse with the project's exit code for bad usage (64, not argparse's 2) and values cut short."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        if len(message) > 300:
            message = message[:300] + "..."
        self.exit(EXIT_USAGE, f"error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="python -m analysis",
        description="Build and check the Russia–Ukraine diplomacy briefs.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"analysis {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    b = sub.add_parser("build", help="execute notebooks and publish HTML briefs", epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    b.add_argument("briefs", nargs="*", metavar="BRIEF", help="briefs to build (default: all, every configured variant)")
    b.add_argument("-p", "--param", action="append", default=[], metavar="NAME=VALUE", help="set a parameter (repeatable)")
    b.add_argument("--params", type=Path, metavar="FILE.yaml", help="parameters from a YAML mapping")
    b.add_argument("--data", type=Path, metavar="DIR", help="data folder (default: data/ or $ANALYSIS_DATA_DIR)")
    b.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: reports/ or $ANALYSIS_REPORTS_DIR)")
    b.add_argument("--as-of", default="", metavar="DATE", help="data cut-off for every brief built")
    b.add_argument("--jobs", type=int, default=0, metavar="N", help="briefs built at once (default: number of cores)")
    b.add_argument("--force", action="store_true", help="rebuild even when nothing changed")
    b.add_argument("--pdf", action="store_true", help="also print each brief to PDF with headless Chromium")
    b.add_argument("--site", action="store_true", help="write one shared plotly-briefs.min.js beside the briefs instead of inlining it")
    b.add_argument(
        "--base-url",
        default="",
        metavar="URL",
        help="address the briefs will be published at (e.g. https://example.org/briefs/): absolute links in feed.xml, "
        "og:url and a social card per brief (cards/*.png, drawn with headless Chromium) as og:image",
    )
    b.add_argument("--cell-timeout", type=int, default=120, metavar="S", help="seconds a cell may run (default 120)")
    b.add_argument("--brief-timeout", type=int, default=600, metavar="S", help="seconds a brief may run (default 600)")
    b.add_argument("--wait", type=float, default=0, metavar="S", help="wait up to S seconds for another build's lock (default: fail at once)")
    b.add_argument("--no-pool", action="store_true", help="start each kernel when needed instead of keeping pre-started ones")
    b.add_argument("--quiet", action="store_true", help="print only the summary and errors")

    sub.add_parser("list", help="list the briefs, their parameters and the variants built by default")
    pp = sub.add_parser("params", help="show a brief's typed parameters with defaults and help")
    pp.add_argument("brief")

    v = sub.add_parser("validate", help="validate the data and print every problem with file:line:column")
    v.add_argument("--data", type=Path, metavar="DIR")
    v.add_argument("--json", type=Path, metavar="FILE", help="also write the machine-readable report here")

    c = sub.add_parser("codebook", help="regenerate data/README.md from the schemas")
    c.add_argument("--data", type=Path, metavar="DIR")
    c.add_argument("--check", action="store_true", help="fail if data/README.md is out of date")

    rel = sub.add_parser("release", help="record the dataset version's row hashes and totals in data/releases/ (for 'what changed')")
    rel.add_argument("--data", type=Path, metavar="DIR")

    lo = sub.add_parser(
        "locate",
        help="map points for settlement claims from the offline gazetteers (curators; needs the curate extra)",
        description="List gazetteer candidates and verdicts for settlement claims without a point; with --write, fill the "
        'unique points into claims.csv (a curated point is never overwritten). Needs pip install -e ".[curate]".',
    )
    lo.add_argument("--data", type=Path, metavar="DIR", help="data folder (default: data/ or $ANALYSIS_DATA_DIR)")
    lo.add_argument("--write", action="store_true", help="fill the unique points into claims.csv")
    lo.add_argument("--json", action="store_true", help="print findings and summary as JSON")
    lo.add_argument("--all", action="store_true", help="also audit claims that already have a point (never changed)")
    lo.add_argument("--hints", type=Path, action="append", default=[], metavar="FILE.csv", help="raion/hromada/former_name per claim_id (repeatable)")
    lo.add_argument("--isolation-km", type=float, default=50.0, metavar="KM", help="hold back points this far from other claims (0: off)")

    r = sub.add_parser("consistency", help="print the consistency report (totals vs official figures, statuses, tiers)")
    r.add_argument("--data", type=Path, metavar="DIR")
    return p


class _Terminated(BaseException):
    """SIGTERM outside a build (a build handles it itself: see analysis.build.stop)."""


def _on_sigterm(signum, frame):
    raise _Terminated


def _stdout_gone() -> None:
    """stdout's reader went away: send whatever is still buffered, and any later output, nowhere."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit:  # --help, --version or a usage error: already printed, maybe into a closed pipe
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _stdout_gone()
        raise
    if args.command is None:
        _parser().print_help()
        return 0
    from analysis.dataset.csvread import DataError

    previous = signal.signal(signal.SIGTERM, _on_sigterm) if _in_main_thread() else None
    try:
        code = {
            "build": _build,
            "list": _list,
            "params": _params,
            "validate": _validate,
            "codebook": _codebook,
            "consistency": _consistency,
            "locate": _locate,
            "release": _release,
        }[args.command](args)
        sys.stdout.flush()
        return code
    except KeyboardInterrupt:
        _err("interrupted by SIGINT")
        return EXIT_SIGINT
    except _Terminated:
        _err("interrupted by SIGTERM")
        return EXIT_SIGTERM
    except BrokenPipeError:
        _stdout_gone()
        return EXIT_PIPE
    except DataError as exc:
        return _data_error(exc)
    except OSError as exc:
        _err(f"{exc.filename or 'I/O error'}: {exc.strerror or exc}")
        return EXIT_IO
    except Exception as exc:  # noqa: BLE001 - a bug ends in one line and exit 70, not a traceback
        if os.environ.get("ANALYSIS_DEBUG"):
            raise
        _err(f"internal error: {type(exc).__name__}: {str(exc)[:300]} (a bug: please report it; ANALYSIS_DEBUG=1 shows the traceback)")
        return EXIT_INTERNAL
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _params_from(args) -> dict:
    """-p NAME=VALUE and --params FILE (ParameterError, or OSError when the file cannot be opened)."""
    from analysis.briefs import parse_assignments
    from analysis.build.params_file import load_params_file

    params = parse_assignments(args.param)
    if args.params:
        params = {**load_params_file(args.params), **params}
    return params


def _build(args) -> int:
    from analysis import build
    from analysis.briefs import ParameterError
    from analysis.build.stop import Interrupted
    from analysis.present import words

    try:
        params = _params_from(args)
    except ParameterError as exc:
        _err(str(exc))
        return EXIT_USAGE
    except OSError as exc:
        _err(f"cannot read {args.params}: {exc.strerror}")
        return EXIT_NO_INPUT
    if params and len(args.briefs) != 1:
        _err("parameters (-p/--params) need exactly one brief name, e.g. build round -p round_id=2025-07-23-istanbul")
        return EXIT_USAGE
    quiet = args.quiet
    closed = []

    def say(line: str, err: bool = False) -> None:
        if closed and not err:
            return
        try:
            print(line, file=sys.stderr if err else sys.stdout, flush=True)
        except BrokenPipeError:
            # The reader of the log went away: the build goes on, silently (its exit code still tells).
            _stdout_gone()
            closed.append(True)

    def log(line: str) -> None:
        if quiet and not line.startswith("warning:") and not (line.startswith(("ERROR", "[")) and ("FAILED" in line or line.startswith("ERROR"))):
            return
        say(line, err=line.startswith(("ERROR", "WARNING")))

    opts = build.Options(
        briefs=args.briefs,
        params=params,
        data_dir=args.data,
        out_dir=args.out,
        as_of=args.as_of,
        jobs=args.jobs,
        force=args.force,
        pdf=args.pdf,
        site=args.site,
        base_url=args.base_url,
        cell_timeout=args.cell_timeout,
        brief_timeout=args.brief_timeout,
        lock_wait=args.wait,
        pool=not args.no_pool,
        log=log,
    )
    try:
        result = build.run(opts)
    except build.BuildError as exc:
        _err(str(exc))
        return exc.code
    except Interrupted as exc:
        _err(f"{exc} before any brief was built; nothing was published")
        return exc.code
    built = [j for j in result.jobs if j.state == "built"]
    skipped = [j for j in result.jobs if j.state == "skipped"]
    failed = [j for j in result.jobs if j.state == "failed"]
    stopped = [j for j in result.jobs if j.state == "stopped"]
    total = sum(j.size for j in result.jobs if j.state in ("built", "skipped"))
    say(
        f"summary: {len(built)} built ({sum(j.seconds for j in built):.1f} s of work), {len(skipped)} up to date, "
        f"{len(failed)} failed{f', {len(stopped)} stopped' if stopped else ''}; {total / 2**20:,.1f} MiB published in {result.seconds:.1f} s; "
        f"exit {result.code}"
    )
    for j in failed:
        kept = f" (failed notebook kept in {j.kept})" if j.kept else ""
        say(f"FAILED {j.stem}: {j.message}{kept}", err=True)
    if result.interrupted:
        _err(
            f"interrupted by {result.interrupted}: {words.count(len(stopped), 'brief')} stopped or not started; the {len(built)} built before "
            "are published and recorded in status.json and the index"
        )
    return result.code


def _list(args) -> int:
    from analysis import paths
    from analysis.briefs import BRIEFS
    from analysis.present import words

    counts = {b.name: len(b.variants(paths.data_dir())) for b in BRIEFS.values()}  # all read before anything is printed
    for b in BRIEFS.values():
        print(f"{b.name:<10} {b.notebook:<28} {words.count(counts[b.name], 'variant'):>11}  {b.title}")
        print(f"{'':<10} reads: {', '.join(b.tables)}; parameters: {', '.join(p.name for p in b.params)}")
    return 0


def _params(args) -> int:
    from analysis.briefs import BRIEFS, did_you_mean, shown

    b = BRIEFS.get(args.brief)
    if b is None:
        _err(f"no brief named {shown(args.brief)}.{did_you_mean(args.brief, list(BRIEFS))} Briefs: {', '.join(BRIEFS)}")
        return EXIT_USAGE
    print(f"{b.name}: {b.title} ({b.notebook})")
    for p in b.params:
        rng = f" [{p.minimum}..{p.maximum}]" if p.minimum is not None else ""
        print(f"  {p.name} ({p.type}{rng}) default {p.default!r}\n      {p.help}")
    return 0
