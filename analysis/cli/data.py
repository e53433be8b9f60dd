"""The data commands: validate, codebook, consistency, locate and release."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from analysis.cli.common import EXIT_DATA, EXIT_NO_INPUT, _dataset_info, _err, _write_text


def _validate(args) -> int:
    from analysis.dataset.validate import validate_tables
    from analysis.present import words

    report = validate_tables(args.data)
    if args.json:
        code = _write_text(args.json, report.to_json())
        if code:
            return code
    more = f"all are in {args.json}" if args.json else "add --json FILE to write them all"
    for line in report.lines(more=more):
        print(line, file=sys.stderr if line.startswith("ERROR") else sys.stdout)
    counts = ", ".join(f"{k} {v}" for k, v in report.row_counts.items())
    print(f"{'valid' if report.ok else 'INVALID'}: {words.count(len(report.errors), 'error')}; rows: {counts}")
    if report.ok:
        return 0
    return EXIT_NO_INPUT if report.missing_input else EXIT_DATA


def _checked(data_dir: Path):
    """Validate the data; when it is invalid, print why the command cannot go on (see `_refused`)."""
    from analysis.dataset.validate import validate_tables
    from analysis.present import words

    report = validate_tables(data_dir)
    if not report.ok:
        for line in report.lines(limit=20, more="python -m analysis validate lists them all"):
            print(line, file=sys.stderr)
        _err(f"the data is invalid ({words.count(len(report.errors), 'error')}); python -m analysis validate lists them all")
    return report


def _refused(report) -> int:
    return EXIT_NO_INPUT if report.missing_input else EXIT_DATA


def _codebook(args) -> int:
    from analysis import paths
    from analysis.dataset.codebook import render_codebook

    data_dir = args.data or paths.data_dir()
    info = _dataset_info(data_dir)
    report = _checked(data_dir)
    if not report.ok:
        return _refused(report)
    text = render_codebook(info.version, info.dataset_date.strftime("%Y-%m-%d"), report.row_counts)
    target = data_dir / "README.md"
    if args.check:
        current = target.read_text(encoding="utf-8") if target.is_file() else ""
        if current != text:
            _err(f"{target} is out of date: run python -m analysis codebook")
            return EXIT_DATA
        print(f"{target} is up to date")
        return 0
    code = _write_text(target, text)
    if not code:
        print(f"wrote {target}")
    return code


def _consistency(args) -> int:
    from analysis import paths
    from analysis.curate.consistency import consistency_report

    data_dir = args.data or paths.data_dir()
    _dataset_info(data_dir)
    _regular_files(data_dir)
    print(consistency_report(data_dir))
    return 0


def _locate(args) -> int:
    from analysis import paths
    from analysis.curate import locate

    claims = (args.data or paths.data_dir()) / "claims.csv"
    if not claims.is_file():
        _err(f"{claims}: no such file")
        return 66
    for hint in args.hints:
        if not hint.is_file():
            _err(f"{hint}: no such file")
            return 66
    try:
        locate.run(
            claims, hints=args.hints, write=args.write, as_json=args.json, audit=args.all, isolation_km=args.isolation_km or None, out=sys.stdout
        )
    except locate.GazetteersMissing as exc:
        _err(f"{locate.INSTALL_HINT} ({exc})")
        return 69
    return 0


def _regular_files(data_dir: Path) -> None:
    """DataError unless every table is a readable regular file (a device named like a CSV is never read)."""
    from analysis.dataset.csvread import DataError, check_file
    from analysis.dataset.schema import TABLES

    issues = [i for name in TABLES for i in check_file(name, data_dir)]
    if issues:
        raise DataError(issues)


def _release(args) -> int:
    from analysis import metrics, paths
    from analysis.build.exitcodes import write_error_code
    from analysis.dataset.releases import release_manifest
    from analysis.dataset.tables import load_dataset

    data_dir = args.data or paths.data_dir()
    _dataset_info(data_dir)
    report = _checked(data_dir)
    if not report.ok:
        return _refused(report)
    ds = load_dataset(data_dir)
    folder = data_dir / "releases"
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        _err(f"cannot create {folder}: {exc.strerror}")
        return write_error_code(exc)
    target = folder / f"{ds.info.version}.json"
    manifest = release_manifest(ds, metrics.changes.dataset_totals(ds))
    code = _write_text(target, json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    if not code:
        print(f"wrote {target} ({sum(len(v) for v in manifest['rows'].values())} rows)")
    return code
