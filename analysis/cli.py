"""Command line: argument parsing only; the work is in build, validate and schema."""

from __future__ import annotations

import argparse
import json
import signal
import sys
from pathlib import Path

from analysis import __version__

EPILOG = """exit codes: 0 done, 64 bad parameters or usage, 65 invalid data, 66 missing input,
69 kernel unavailable, 70 a brief or its checks failed, 73 cannot create output,
74 I/O error while writing, 75 temporary (lock held, timeout, data changed during the build),
130 interrupted (SIGINT, Ctrl-C), 143 stopped by SIGTERM"""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
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

    r = sub.add_parser("consistency", help="print the consistency report (totals vs official figures, statuses, tiers)")
    r.add_argument("--data", type=Path, metavar="DIR")
    return p


class _Terminated(BaseException):
    """SIGTERM outside a build (a build handles it itself: see analysis.build.stop)."""


def _on_sigterm(signum, frame):
    raise _Terminated


def main(argv: list[str] | None = None) -> int:
    import threading

    args = _parser().parse_args(argv)
    if args.command is None:
        _parser().print_help()
        return 0
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _on_sigterm) if main_thread else None
    try:
        return {
            "build": _build,
            "list": _list,
            "params": _params,
            "validate": _validate,
            "codebook": _codebook,
            "consistency": _consistency,
            "release": _release,
        }[args.command](args)
    except KeyboardInterrupt:
        _err("interrupted by SIGINT")
        return 130
    except _Terminated:
        _err("interrupted by SIGTERM")
        return 143
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _err(msg: str) -> None:
    print(f"error: {msg}", file=sys.stderr)


def _build(args) -> int:
    from analysis import build
    from analysis.briefs import ParameterError, parse_assignments
    from analysis.build import exitcodes
    from analysis.build.stop import Interrupted

    try:
        params = parse_assignments(args.param)
        if args.params:
            import yaml

            try:
                loaded = yaml.safe_load(args.params.read_text(encoding="utf-8")) or {}
            except OSError as exc:
                _err(f"cannot read {args.params}: {exc.strerror}")
                return exitcodes.EXIT_NO_INPUT
            except yaml.YAMLError as exc:
                _err(f"{args.params}: not valid YAML: {exc}")
                return exitcodes.EXIT_USAGE
            if not isinstance(loaded, dict):
                _err(f"{args.params}: expected a mapping of NAME: VALUE")
                return exitcodes.EXIT_USAGE
            params = {**{str(k): ("" if v is None else str(v)) for k, v in loaded.items()}, **params}
    except ParameterError as exc:
        _err(str(exc))
        return exitcodes.EXIT_USAGE
    if params and len(args.briefs) != 1:
        _err("parameters (-p/--params) need exactly one brief name, e.g. build round -p round_id=2025-07-23-istanbul")
        return exitcodes.EXIT_USAGE
    if args.jobs < 0:
        _err("--jobs must be 0 (number of cores) or more")
        return exitcodes.EXIT_USAGE
    quiet = args.quiet

    def log(line: str) -> None:
        if quiet and not (line.startswith(("ERROR", "[")) and ("FAILED" in line or line.startswith("ERROR"))):
            return
        print(line, flush=True)

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
    print(
        f"summary: {len(built)} built ({sum(j.seconds for j in built):.1f} s of work), {len(skipped)} up to date, "
        f"{len(failed)} failed{f', {len(stopped)} stopped' if stopped else ''}; {total / 2**20:,.1f} MiB published in {result.seconds:.1f} s; "
        f"exit {result.code}",
        flush=True,
    )
    for j in failed:
        kept = f" (failed notebook kept in {j.kept})" if j.kept else ""
        print(f"FAILED {j.stem}: {j.message}{kept}", file=sys.stderr)
    if result.interrupted:
        _err(
            f"interrupted by {result.interrupted}: {len(stopped)} brief(s) stopped or not started; the {len(built)} built before "
            "are published and recorded in status.json and the index"
        )
    return result.code


def _list(args) -> int:
    from analysis import paths
    from analysis.briefs import BRIEFS

    for b in BRIEFS.values():
        variants = b.variants(paths.data_dir())
        print(f"{b.name:<10} {b.notebook:<28} {len(variants):>3} variant(s)  {b.title}")
        print(f"{'':<10} reads: {', '.join(b.tables)}; parameters: {', '.join(p.name for p in b.params)}")
    return 0


def _params(args) -> int:
    import difflib

    from analysis.briefs import BRIEFS

    b = BRIEFS.get(args.brief)
    if b is None:
        close = difflib.get_close_matches(args.brief, list(BRIEFS), n=1)
        _err(f"no brief named {args.brief!r}." + (f" Did you mean {close[0]!r}?" if close else "") + f" Briefs: {', '.join(BRIEFS)}")
        return 64
    print(f"{b.name}: {b.title} ({b.notebook})")
    for p in b.params:
        rng = f" [{p.minimum}..{p.maximum}]" if p.minimum is not None else ""
        print(f"  {p.name} ({p.type}{rng}) default {p.default!r}\n      {p.help}")
    return 0


def _validate(args) -> int:
    from analysis.dataset.validate import validate_tables

    report = validate_tables(args.data)
    for line in report.lines():
        print(line, file=sys.stderr if line.startswith("ERROR") else sys.stdout)
    if args.json:
        args.json.write_text(report.to_json(), encoding="utf-8")
    counts = ", ".join(f"{k} {v}" for k, v in report.row_counts.items())
    print(f"{'valid' if report.ok else 'INVALID'}: {len(report.errors)} error(s); rows: {counts}")
    if report.ok:
        return 0
    return 66 if report.missing_input else 65


def _codebook(args) -> int:
    from analysis import paths
    from analysis.dataset.codebook import render_codebook
    from analysis.dataset.tables import load_dataset_info
    from analysis.dataset.validate import validate_tables

    data_dir = args.data or paths.data_dir()
    info = load_dataset_info(data_dir)
    counts = validate_tables(data_dir).row_counts
    text = render_codebook(info.version, info.dataset_date.strftime("%Y-%m-%d"), counts)
    target = data_dir / "README.md"
    if args.check:
        current = target.read_text(encoding="utf-8") if target.is_file() else ""
        if current != text:
            _err(f"{target} is out of date: run python -m analysis codebook")
            return 65
        print(f"{target} is up to date")
        return 0
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}")
    return 0


def _consistency(args) -> int:
    from analysis.curate.consistency import consistency_report

    print(consistency_report(args.data))
    return 0


def _release(args) -> int:
    from analysis import metrics, paths
    from analysis.dataset.csvread import DataError
    from analysis.dataset.releases import release_manifest
    from analysis.dataset.tables import load_dataset

    data_dir = args.data or paths.data_dir()
    try:
        ds = load_dataset(data_dir)
    except DataError as exc:
        _err(str(exc))
        return 65
    folder = data_dir / "releases"
    folder.mkdir(exist_ok=True)
    target = folder / f"{ds.info.version}.json"
    manifest = release_manifest(ds, metrics.changes.dataset_totals(ds))
    target.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {target} ({sum(len(v) for v in manifest['rows'].values())} rows)")
    return 0
